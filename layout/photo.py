"""Lay out one photo slot: the image on top, caption and credit under it, on the grid."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from layout.compose.paragraph import Composed, compose_paragraph
from layout.context import LayoutContext
from layout.display import Box, DisplayItem, Image, baseline_in_box, line_runs
from layout.geometry.grid import Rect
from layout.press import ImageInfo, OversizedImage, decoded_pixel_limit
from layout.problems import BlockResult, Problem, ProblemKind, missing_glyph_problems
from layout.safeio import IMAGE_MAX_BYTES, UnreadableFile, open_regular
from layout.spec.data import Photo

#: Grey of a missing image's placeholder (CMYK percent).
PLACEHOLDER_FILL = (0.0, 0.0, 0.0, 8.0)
#: A missing or unreadable image is marked in magenta so it cannot go to press unseen.
MISSING_LINE = (0.0, 100.0, 0.0, 0.0)
#: The narrowest a character is set, in em (a thin space, a narrow Latin letter): with
#: it, a line can hold no more than width ÷ (size × this) characters.
NARROWEST_ADVANCE_EM = 0.2
#: Points per inch, for effective resolution.
PT_PER_IN = 72.0
#: Space between the image and its caption, in grid lines.
CAPTION_GAP_LINES = 0.25


@dataclass(frozen=True, slots=True)
class PhotoLayout:
    id: str
    frame: Rect
    image: Rect
    empty: bool  # no ``src``: nothing printed, a placeholder in the designer overlay only
    display: tuple[DisplayItem, ...]
    result: BlockResult
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int


def lay_out_photo(photo: Photo, ctx: LayoutContext) -> PhotoLayout:
    grid = ctx.grid
    lines = min(int(photo.frame.lines), max(grid.n_lines - photo.frame.line + 1, 1))
    span = max(min(photo.frame.span, grid.columns - photo.frame.column + 1), 1)
    frame = grid.frame_rect(replace(photo.frame, span=span), lines=lines)
    rows, rest = _caption_rows(photo, ctx, frame.width, lines)
    fits = len(rows) + rest.lines < lines
    shown = rows if fits else rows[: max(lines - 1, 0)]
    caption_top = frame.bottom - len(shown) * grid.pitch
    gap = CAPTION_GAP_LINES * grid.pitch if shown else 0.0
    image = Rect(frame.x, frame.y, frame.width, max(caption_top - frame.y - gap, 0.0))
    problems: list[Problem] = []
    display: list[DisplayItem] = list(_image_items(photo, image, ctx, problems))
    display += draw_caption_rows(shown, frame.x, caption_top, ctx)
    chars_total, chars_placed = caption_chars(rows, shown, rest)
    if not fits:
        over = len(rows) + rest.lines - len(shown)
        problems.append(Problem(
            ProblemKind.OVERFLOW,
            f"photo {photo.id}: caption {over} line{'s' if over != 1 else ''} "
            f"(about {chars_total - chars_placed} characters) do not fit",
            photo.id, {"lines_over": over, "chars_over": chars_total - chars_placed},
            message_zh=f"图片 {photo.id}：图片说明超出 {over} 行（约 {chars_total - chars_placed} 字），需删减",
        ))
    paragraphs = {id(c): c for row in rows for c, _, _ in row}.values()
    problems += missing_glyph_problems(photo.id, [ch for c in paragraphs for ch in c.missing], f"photo {photo.id}")
    status = "overflow" if not fits else "ok"
    result = BlockResult(photo.id, "photo", lines, len(rows) + rest.lines + 1, (lines,), status)
    return PhotoLayout(photo.id, frame, image, photo.src is None, tuple(display), result, tuple(problems), chars_total,
                       chars_placed)


Row = list[tuple[Composed, int, str]]  # pieces set on one grid line: (paragraph, line index, role)


def draw_caption_rows(shown: list[Row], x: float, top: float, ctx: LayoutContext) -> list[DisplayItem]:
    """Caption (and credit) rows set one grid line each from ``top`` down, at ``x``."""
    pitch = ctx.grid.pitch
    items: list[DisplayItem] = []
    for k, row in enumerate(shown):
        for composed, index, role in row:
            style = ctx.styles[role]
            baseline = baseline_in_box(top + k * pitch, pitch, style.size)
            items.extend(line_runs(composed.lines[index], x, baseline, style.color))
    return items


def caption_chars(rows: list[Row], shown: list[Row], rest: Uncomposed) -> tuple[int, int]:
    """Characters of a caption in all (composed and only counted), and those shown."""
    total = sum(c.lines[i].chars for row in rows for c, i, _ in row) + rest.chars
    return total, sum(c.lines[i].chars for row in shown for c, i, _ in row)

#: Clear space between a caption's last line and a credit run on after it, in em.
CREDIT_SPACE_EM = 1.0


#: Caption lines composed past the frame's lines before the rest is only counted: a
#: caption pasted whole from a wire file is reported in a second, not composed.
CAPTION_COMPOSE_MARGIN = 20


@dataclass(frozen=True, slots=True)
class Uncomposed:
    """Text past what could be shown, counted instead of composed."""

    lines: int = 0  # estimated at the characters per line composed before it
    chars: int = 0


class Captioned(Protocol):
    """A block with a caption and a credit set under it (a photo, a QR code)."""

    @property
    def caption(self) -> str | None: ...

    @property
    def credit(self) -> str | None: ...


def caption_rows(block: Captioned, ctx: LayoutContext, width: float, frame_lines: int) -> tuple[list[Row], Uncomposed]:
    """A caption and credit composed as a photo's are (see ``_caption_rows``)."""
    return _caption_rows(block, ctx, width, frame_lines)


def _caption_rows(photo: Captioned, ctx: LayoutContext, width: float, frame_lines: int) -> tuple[list[Row], Uncomposed]:
    """Caption lines, then the credit, and what of an over-long caption was only counted.

    A right-aligned credit (the default) goes on the caption's last line when it fits
    there, else on its own line; a credit styled ``align: left`` runs on after the
    caption, an em space apart, in the caption's style.
    """
    rows: list[Row] = []
    rest = Uncomposed()
    caption = " ".join((photo.caption or "").split())
    run_on = bool(photo.credit) and ctx.styles["credit"].align in ("left", "justify")
    if run_on:
        caption = f"{caption}\u3000{' '.join((photo.credit or '').split())}".strip("\u3000")
    if caption:
        style = ctx.styles["caption"]
        limit = (frame_lines + CAPTION_COMPOSE_MARGIN) * max(1, int(width / (style.size * NARROWEST_ADVANCE_EM)))
        caption, dropped = caption[:limit], caption[limit:]
        composed = compose_paragraph(caption, ctx.paragraph(style), width, ctx.resolver(style))
        rows += [[(composed, k, "caption")] for k in range(len(composed.lines))]
        if dropped:
            chars = len("".join(dropped.split()))
            rate = max(1.0, composed.chars / max(1, len(composed.lines)))
            rest = Uncomposed(math.ceil(chars / rate), chars)
    if photo.credit and not run_on:
        style = ctx.styles["credit"]
        composed = compose_paragraph(" ".join(photo.credit.split()), ctx.paragraph(style), width, ctx.resolver(style))
        if rows and len(composed.lines) == 1 and style.align == "right" and _room_after(rows[-1][-1], composed, width):
            rows[-1].append((composed, 0, "credit"))
        else:
            rows += [[(composed, k, "credit")] for k in range(len(composed.lines))]
    return rows, rest


def _room_after(last: tuple[Composed, int, str], credit: Composed, width: float) -> bool:
    composed, index, _ = last
    line = composed.lines[index]
    size = composed.prep.atoms[0].size if composed.prep.atoms else 0.0
    credit_width = credit.lines[0].used - credit.lines[0].placed[0].box_x
    return line.used + CREDIT_SPACE_EM * size + credit_width <= width


def empty_slot_problem(photo_id: str) -> Problem:
    """A photo slot without an image: it prints as white paper, so say so."""
    return Problem(ProblemKind.EMPTY_PHOTO_SLOT, f"photo {photo_id}: empty slot (no src); it prints as blank paper",
                   photo_id, {}, "warning", message_zh=f"图片 {photo_id}：图片位空缺（未给 src），印刷时留白")


def _image_items(photo: Photo, image: Rect, ctx: LayoutContext, problems: list[Problem]) -> list[DisplayItem]:
    """The image, or a magenta-crossed placeholder for one that cannot be used; nothing
    for an empty slot (the designer overlay shows it)."""
    marked = Box(image.x, image.y, image.width, image.height, PLACEHOLDER_FILL, MISSING_LINE, cross=True)
    if photo.src is None:
        problems.append(empty_slot_problem(photo.id))
        return []
    src = photo.src
    try:
        path = (ctx.folder / src).resolve()
        folder = ctx.folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        problems.append(_unreadable(photo, f"its path cannot be followed ({exc})"))
        return [marked]
    if not ctx.press.allow_outside_images and folder not in path.parents:
        problems.append(Problem(ProblemKind.IMAGE_OUTSIDE_FOLDER, f"photo {photo.id}: image {src} is outside the spec's "
                                "folder (allow with --allow-outside-images)", photo.id, {"src": src},
                                message_zh=f"图片 {photo.id}：图片 {src} 在稿件目录之外"
                                "（如确需使用，加 --allow-outside-images）"))
        return [marked]
    found = _file_problem(photo, path)
    if found is not None:
        problems.append(found)
        return [marked]
    if ctx.probe is not None:
        try:
            info = ctx.probe(path, decoded_pixel_limit(image.width, image.height, ctx.press))
        except OversizedImage as exc:
            problems.append(Problem(
                ProblemKind.OVERSIZED_IMAGE, f"photo {photo.id}: image {photo.src} is too large to place ({exc}); "
                "scale it down first", photo.id, {"src": photo.src, "megapixels": round(exc.pixels / 1e6, 1),
                                                  "limit_megapixels": round(exc.limit / 1e6, 1)},
                message_zh=f"图片 {photo.id}：{photo.src} 像素过多（{exc.pixels / 1e6:.0f} 百万像素，"
                           f"上限 {exc.limit / 1e6:.0f} 百万像素），请先缩小"))
            return [marked]
        except ValueError as exc:
            problems.append(_unreadable(photo, str(exc)))
            return [marked]
        problems += _image_checks(photo, image, info, ctx)
    item = Image(path, image.x, image.y, image.width, image.height, photo.fit, photo.focus or (0.5, 0.5))
    if ctx.prefetch is not None:
        ctx.prefetch(item)
    return [item]


def _file_problem(photo: Photo, path: Path) -> Problem | None:
    """A missing image, or a name that is not a regular file of a bounded size (a folder,
    a FIFO that would block a reader, a device): found without reading it."""
    try:
        os.close(open_regular(path, IMAGE_MAX_BYTES))
    except UnreadableFile as exc:
        if exc.reason == "no such file":
            return Problem(ProblemKind.MISSING_IMAGE, f"photo {photo.id}: image {photo.src} not found", photo.id,
                           {"src": photo.src}, message_zh=f"图片 {photo.id}：找不到图像文件 {photo.src}")
        return _unreadable(photo, exc.reason)
    return None


def _unreadable(photo: Photo, reason: str) -> Problem:
    return Problem(ProblemKind.UNREADABLE_IMAGE, f"photo {photo.id}: image {photo.src} cannot be read ({reason})", photo.id,
                   {"src": photo.src, "reason": reason},
                   message_zh=f"图片 {photo.id}：无法读取图像 {photo.src}（{reason}）")


def effective_ppi(info: ImageInfo, slot: Rect, fit: str) -> float:
    """Image pixels per inch of the page, as placed.

    ``across`` and ``down`` are the resolutions at which the image's width or height would
    exactly fill the slot's.  Cover scales the image until it fills the slot in both
    directions, so the lower of the two holds (the other direction is cropped); contain
    scales it until it fits in both, so the higher one holds (the other is padded).
    """
    across = info.width / (slot.width / PT_PER_IN) if slot.width else 0.0
    down = info.height / (slot.height / PT_PER_IN) if slot.height else 0.0
    return min(across, down) if fit == "cover" else max(across, down)


def _image_checks(photo: Photo, slot: Rect, info: ImageInfo, ctx: LayoutContext) -> list[Problem]:
    problems = []
    ppi = effective_ppi(info, slot, photo.fit)
    if ppi < ctx.press.min_ppi:
        problems.append(Problem(
            ProblemKind.LOW_RESOLUTION_IMAGE, f"photo {photo.id}: {photo.src} is {ppi:.0f} ppi in its slot, "
            f"below {ctx.press.min_ppi:g} ppi", photo.id, {"src": photo.src, "ppi": round(ppi, 1)},
            message_zh=f"图片 {photo.id}：{photo.src} 在版面上只有 {ppi:.0f} ppi，低于 {ctx.press.min_ppi:g} ppi",
        ))
    if info.ignored_profile is not None:
        problems.append(Problem(
            ProblemKind.IMAGE_PROFILE_IGNORED, f"photo {photo.id}: {photo.src}: {info.ignored_profile}; it is ignored and the "
            f"image taken as {'separated CMYK' if info.mode == 'CMYK' else 'sRGB'}", photo.id,
            {"src": photo.src, "reason": info.ignored_profile}, severity="warning",
            message_zh=f"图片 {photo.id}：{photo.src} 内嵌的色彩特性文件无法使用（{info.ignored_profile}），"
                       f"已忽略，按{'已分色 CMYK' if info.mode == 'CMYK' else ' sRGB'}处理"))
    if info.passthrough_ink is not None and info.passthrough_ink > ctx.press.ink_limit + 0.5:
        problems.append(Problem(
            ProblemKind.INK_LIMIT, f"photo {photo.id}: {photo.src} is separated CMYK with {info.passthrough_ink:.0f} % total "
            f"ink, above the {ctx.press.ink_limit:g} % limit", photo.id,
            {"src": photo.src, "ink": round(info.passthrough_ink, 1), "limit": ctx.press.ink_limit},
            message_zh=f"图片 {photo.id}：{photo.src} 为已分色 CMYK，总墨量 {info.passthrough_ink:.0f}%，"
            f"超过 {ctx.press.ink_limit:g}% 的上限",
        ))
    return problems

