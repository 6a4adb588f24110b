"""Supplied files placed in a slot — an advertiser's PDF page, the paper's masthead
artwork, an ad or ear image — and what preflight says of them.

A PDF page is read and measured by ``layout/pdfcheck.py`` and placed as a
:class:`~layout.display.PlacedPdf` (the PDF renderer draws it with pikepdf); an image
goes the way of a photo (``layout/photo.py``: checks, then the press colour path).  A
file that cannot be used leaves a magenta-crossed placeholder and a named problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from layout.context import LayoutContext
from layout.display import Box, DisplayItem, PlacedPdf
from layout.geometry.grid import Rect
from layout.memo import Memo
from layout.pdfcheck import PDF_MAX_BYTES, PdfInfo, PdfUnreadable, inspect_pdf
from layout.photo import MISSING_LINE, PLACEHOLDER_FILL, _image_items
from layout.problems import BlockResult, Problem, ProblemKind
from layout.safeio import UnreadableFile, open_regular
from layout.spec.data import FrameRef, Photo
from layout.units import mm

#: An ad's size may differ from its slot by this much (pt) on either side before it is
#: reported: advertisers deliver whole or half millimetres of a size given in mm.
AD_SIZE_TOLERANCE = mm(0.5)
#: Total ink a colour operator may exceed the limit by before it is reported (rounding).
INK_SLACK = 0.5
#: File endings taken as PDF (anything else is an image).
PDF_SUFFIXES = (".pdf",)


@dataclass(frozen=True, slots=True)
class Who:
    """A block as reports name it: ``ad pizza`` / ``广告 pizza``."""

    id: str
    en: str  # ad, masthead, ear
    zh: str  # 广告, 报头, 报眼

    def __str__(self) -> str:
        return f"{self.en} {self.id}"

    @property
    def zh_name(self) -> str:
        return f"{self.zh} {self.id}"


def is_pdf(src: str) -> bool:
    return src.lower().endswith(PDF_SUFFIXES)


def placeholder(slot: Rect) -> Box:
    """What prints where a supplied file cannot be used: grey, crossed in magenta."""
    return Box(slot.x, slot.y, slot.width, slot.height, PLACEHOLDER_FILL, MISSING_LINE, cross=True)


def fitted(slot: Rect, width: float, height: float) -> Rect:
    """``width × height`` scaled to fit inside ``slot`` whole, centred."""
    scale = min(slot.width / width, slot.height / height)
    w, h = width * scale, height * scale
    return Rect(slot.x + (slot.width - w) / 2, slot.y + (slot.height - h) / 2, w, h)


def resolve(who: Who, src: str, ctx: LayoutContext) -> tuple[Path | None, list[Problem]]:
    """The file ``src`` names, if it may and can be read: inside the spec's folder (unless
    allowed), existing, a regular file of a bounded size."""
    try:
        path = (ctx.folder / src).resolve()
        folder = ctx.folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        return None, [unreadable(who, src, f"its path cannot be followed ({exc})")]
    if not ctx.press.allow_outside_images and folder not in path.parents:
        return None, [Problem(ProblemKind.IMAGE_OUTSIDE_FOLDER, f"{who}: {src} is outside the spec's folder (allow "
                              "with --allow-outside-images)", who.id, {"src": src},
                              message_zh=f"{who.zh_name}：{src} 在稿件目录之外（如确需使用，加 --allow-outside-images）")]
    try:
        os.close(open_regular(path, PDF_MAX_BYTES))
    except UnreadableFile as exc:
        if exc.reason == "no such file":
            return None, [Problem(ProblemKind.MISSING_PLACED_FILE, f"{who}: {src} not found", who.id, {"src": src},
                                  message_zh=f"{who.zh_name}：找不到文件 {src}")]
        return None, [unreadable(who, src, exc.reason)]
    return path, []


def unreadable(who: Who, src: str, reason: str) -> Problem:
    return Problem(ProblemKind.UNREADABLE_PDF, f"{who}: {src} cannot be used ({reason})", who.id,
                   {"src": src, "reason": reason}, message_zh=f"{who.zh_name}：{src} 无法使用（{reason}）")


def place_pdf(who: Who, src: str, page: int, slot: Rect, ctx: LayoutContext, memo: Memo,
              check_size: bool = False) -> tuple[list[DisplayItem], list[Problem], bool]:
    """Page ``page`` (1-based) of the PDF ``src`` fitted into ``slot``, with its preflight
    problems; (items, problems, placed).  Not placed: a placeholder and why."""
    path, problems = resolve(who, src, ctx)
    if path is None:
        return [placeholder(slot)], problems, False
    try:
        info = inspect_pdf(path, page - 1, memo)
    except UnreadableFile as exc:
        return [placeholder(slot)], [unreadable(who, src, exc.reason)], False
    except PdfUnreadable as exc:
        return [placeholder(slot)], [unreadable(who, src, str(exc))], False
    rect = fitted(slot, info.width, info.height)
    problems = preflight(who, src, info, slot if check_size else None, ctx.press.ink_limit)
    return [PlacedPdf(path, page - 1, rect.x, rect.y, rect.width, rect.height)], problems, True


def preflight(who: Who, src: str, info: PdfInfo, slot: Rect | None, ink_limit: float) -> list[Problem]:
    """What in a supplied PDF page would spoil a PDF/X-1a page, one problem per kind."""
    problems: list[Problem] = []
    if slot is not None and (abs(info.width - slot.width) > AD_SIZE_TOLERANCE
                             or abs(info.height - slot.height) > AD_SIZE_TOLERANCE):
        size, wanted = _mm(info.width, info.height), _mm(slot.width, slot.height)
        problems.append(Problem(
            ProblemKind.AD_SIZE_MISMATCH, f"{who}: {src} is {size} mm ({info.box}), its slot {wanted} mm; it is scaled "
            "to fit", who.id, {"src": src, "size_mm": _mm_list(info.width, info.height),
                               "slot_mm": _mm_list(slot.width, slot.height), "box": info.box},
            message_zh=f"{who.zh_name}：{src} 的成品尺寸为 {size} mm（{info.box}），版位为 {wanted} mm，已缩放放入"))
    if info.not_cmyk:
        where = "; ".join(info.not_cmyk)
        problems.append(Problem(
            ProblemKind.PDF_NOT_CMYK, f"{who}: {src} has colour outside CMYK and grey: {where}", who.id,
            {"src": src, "found": list(info.not_cmyk)},
            message_zh=f"{who.zh_name}：{src} 含有 CMYK 与灰度以外的颜色（RGB 等）：{where}"))
    if info.fonts_not_embedded:
        names = ", ".join(info.fonts_not_embedded)
        problems.append(Problem(
            ProblemKind.PDF_FONT_NOT_EMBEDDED, f"{who}: {src} uses fonts that are not embedded: {names}", who.id,
            {"src": src, "fonts": list(info.fonts_not_embedded)},
            message_zh=f"{who.zh_name}：{src} 有未嵌入的字体：{names}"))
    if info.transparency:
        where = "; ".join(info.transparency)
        problems.append(Problem(
            ProblemKind.PDF_TRANSPARENCY, f"{who}: {src} has transparency, which PDF/X-1a forbids: {where}", who.id,
            {"src": src, "found": list(info.transparency)},
            message_zh=f"{who.zh_name}：{src} 含有透明效果（PDF/X-1a 不允许）：{where}"))
    if info.max_ink > ink_limit + INK_SLACK:
        problems.append(Problem(
            ProblemKind.PDF_INK_LIMIT, f"{who}: {src} has {info.max_ink:.0f} % total ink ({info.ink_where}), above the "
            f"{ink_limit:g} % limit", who.id, {"src": src, "ink": info.max_ink, "limit": ink_limit},
            message_zh=f"{who.zh_name}：{src} 总墨量 {info.max_ink:.0f}%（{info.ink_where}），超过 {ink_limit:g}% 的上限"))
    return problems


def _mm(width: float, height: float) -> str:
    return f"{width / mm(1):.1f} × {height / mm(1):.1f}"


def _mm_list(width: float, height: float) -> list[float]:
    return [round(width / mm(1), 1), round(height / mm(1), 1)]


def place_image(who: Who, src: str, slot: Rect, ctx: LayoutContext) -> tuple[list[DisplayItem], list[Problem]]:
    """A JPEG or PNG fitted whole into ``slot`` through the photo path (checks, press colour)."""
    twin = Photo("photo", who.id, FrameRef(1, 1, 1, 1), src, None, None, "contain", None, {})
    problems: list[Problem] = []
    items = _image_items(twin, slot, ctx, problems)
    return items, problems


@dataclass(frozen=True, slots=True)
class SlotLayout:
    """A laid-out masthead, ear or ad: a fixed slot, what is drawn in it, what is wrong."""

    id: str
    frame: Rect
    display: tuple[DisplayItem, ...]
    result: BlockResult
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int
