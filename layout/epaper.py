"""The digital edition (数字报): each laid-out page's article areas and text, for a
website's clickable page image (docs/epaper.md, docs/epaper.schema.json).

From a :class:`~layout.page.PageLayout` (with its per-block layouts, not ``for_print``)
to a JSON-ready document: every article with one rectangle per column piece of its text
(a column cut by a photo gives two), one per headline element, one per photo inside its
frame; its kicker, title, subtitle, byline and body as set (inline markup gone, since
only what was drawn is read); and the page's photos, tables, QR codes, ads, mastheads
and ears as entries of their own.  Rectangles are given three ways: trim coordinates
(pt, y down), PDF user space (pt, y up, as an annotation's /Rect) and pixels of the page
image (the trim box at ``dpi``).  Pure: no drawing, no I/O; ``layout/render/epaper.py``
draws the image and writes the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from layout.article import ArticleLayout, TextPiece, TextRole
from layout.display import (
    BASELINE_IN_EM_BOX,
    DisplayItem,
    GlyphRun,
    PageBoxes,
    PlacedGlyphs,
)
from layout.geometry.grid import PageGrid, Rect
from layout.jump import JumpRef
from layout.page import PageLayout, page_title
from layout.photo import PhotoLayout
from layout.qr import QrLayout
from layout.spec.data import Article, Continuation
from layout.supplied import SlotLayout
from layout.table import TableLayout
from layout.units import EPS

#: The document's format name and version: a reader checks both before trusting the rest.
EPAPER_FORMAT = "paiban-epaper"
EPAPER_VERSION = 1
#: Decimal places of point coordinates in the JSON (1/100 pt is far below a pixel).
POINT_DIGITS = 2
#: A gap between two glyph runs on one line wider than this (em of the later run), between
#: two Western letters or digits, stands for a word space that is not drawn: the text
#: gets a space there.
WORD_GAP_EM = 0.2
#: Characters from here on (CJK radicals, kana, ideographs, full-width forms) are never
#: separated by word spaces.
CJK_START = 0x2E80
#: Slack (pt) allowed when deciding that a photo's frame lies inside an article's frame.
CONTAIN_SLACK = 0.5


class AreaKind(StrEnum):
    """What a rectangle of an article covers."""

    HEADLINE = "headline"  # one headline element (kicker, title, subtitle, byline, label)
    COLUMN = "column"  # a piece of the body in one text column (lines without a gap)
    INSERT = "insert"  # an insert set across the frame
    PHOTO = "photo"  # a photo inside the article's frame (with its caption)


@dataclass(frozen=True, slots=True)
class Area:
    kind: AreaKind
    rect: Rect  # trim coordinates, pt, y down
    role: str | None = None  # headline: its element; photo: the photo's id


@dataclass(frozen=True, slots=True)
class Frame:
    """Converts a rectangle in trim coordinates to PDF user space and to image pixels."""

    boxes: PageBoxes
    dpi: int

    @property
    def scale(self) -> float:
        return self.dpi / 72.0

    def image_size(self) -> tuple[int, int]:
        return round(self.boxes.width * self.scale), round(self.boxes.height * self.scale)

    def coords(self, rect: Rect) -> dict[str, list[float] | list[int]]:
        """``trim``: left, top, right, bottom (pt, y down from the trim's top-left);
        ``pdf``: llx, lly, urx, ury (pt, PDF user space: y up from the MediaBox's
        bottom-left); ``px``: left, top, right, bottom in pixels of the page image."""
        x0, y0, x1, y1 = rect.x, rect.y, rect.right, rect.bottom
        outer, height, s = self.boxes.outer, self.boxes.height, self.scale
        return {
            "trim": [_pt(x0), _pt(y0), _pt(x1), _pt(y1)],
            "pdf": [_pt(outer + x0), _pt(outer + height - y1), _pt(outer + x1), _pt(outer + height - y0)],
            "px": [round(x0 * s), round(y0 * s), round(x1 * s), round(y1 * s)],
        }


def _pt(value: float) -> float:
    return round(value, POINT_DIGITS) + 0.0  # + 0.0: never -0.0


def page_number(layout: PageLayout, position: int) -> int | str:
    """The page's number: its folio's ``page``, else its position in the edition (1-based)."""
    folio = layout.spec.header.folio if layout.spec.header is not None else None
    return folio.page if folio is not None and folio.page is not None else position


def page_document(layout: PageLayout, position: int, dpi: int, image_file: str, image_format: str) -> dict[str, Any]:
    """The JSON document of one page (see docs/epaper.schema.json)."""
    frame = Frame(layout.page.boxes, dpi)
    number = page_number(layout, position)
    width, height = frame.image_size()
    boxes = layout.page.boxes
    articles = [_article(a, block, layout, frame, number) for a, block in _articles(layout)]
    return {
        "format": EPAPER_FORMAT,
        "version": EPAPER_VERSION,
        "page": number,
        "position": position,
        "title": page_title(layout.spec, layout.source),
        "source": layout.source.name,
        "image": {"file": image_file, "format": image_format, "dpi": dpi, "width": width, "height": height},
        "trim": {"width": _pt(boxes.width), "height": _pt(boxes.height),
                 "pdf": frame.coords(Rect(0.0, 0.0, boxes.width, boxes.height))["pdf"]},
        "articles": articles,
        "elements": _elements(layout, frame, articles),
    }


def _articles(layout: PageLayout) -> list[tuple[ArticleLayout, Article | Continuation]]:
    specs = {b.id: b for b in layout.spec.blocks if isinstance(b, Article | Continuation)}
    return [(a, specs[a.id]) for a in layout.articles]


def _article(article: ArticleLayout, spec: Article | Continuation, layout: PageLayout, frame: Frame,
             number: int | str) -> dict[str, Any]:
    head = [p for p in article.pieces if p.column < 0 and p.line == 0]
    areas = [Area(AreaKind.HEADLINE, r, p.role.value) for p in head if (r := ink_box(p.items)) is not None]
    areas += flow_areas(article, layout.grid)
    photos = [p.id for p in layout.photos if _inside(p.frame, article.frame)]
    areas += [Area(AreaKind.PHOTO, p.frame, p.id) for p in layout.photos if p.id in photos]
    texts = {role: "".join(_text(p.items) for p in head if p.role == role) or None
             for role in (TextRole.LABEL, TextRole.KICKER, TextRole.TITLE, TextRole.SUBTITLE, TextRole.BYLINE)}
    return {
        "id": article.id,
        "page": number,
        "areas": [{"kind": a.kind.value, "role": a.role, **frame.coords(a.rect)} for a in areas],
        "label": texts[TextRole.LABEL],
        "kicker": texts[TextRole.KICKER],
        "title": texts[TextRole.TITLE],
        "subtitle": texts[TextRole.SUBTITLE],
        "byline": texts[TextRole.BYLINE],
        "body": body_blocks(article.pieces),
        "photos": photos,
        "continuation": _jump(article.jump_to),  # 转版: where it goes on
        "continued_from": _jump(article.jump_from),  # a continuation: where its article begins
    }


def _jump(ref: JumpRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"page": ref.page, "article": ref.block}


def flow_areas(article: ArticleLayout, grid: PageGrid) -> list[Area]:
    """One rectangle per column piece of the flow (lines of one column without a gap),
    and one per insert set across the frame; each the column's width over its grid
    lines, widened to any ink outside it (hanging punctuation)."""
    flow = [p for p in article.pieces if p.line > 0]
    pieces: list[tuple[int, int, int, list[DisplayItem]]] = []  # column, first line, last line, items
    for piece in flow:
        last = piece.line + max(piece.lines, 1) - 1
        if piece.column >= 0 and pieces and pieces[-1][0] == piece.column and piece.line == pieces[-1][2] + 1:
            column, first, _, items = pieces[-1]
            pieces[-1] = (column, first, last, items + list(piece.items))
        else:
            pieces.append((piece.column, piece.line, last, list(piece.items)))
    areas = []
    for column, first, last, items in pieces:
        if column >= 0:
            text_column = article.columns[column]
            x0, x1 = text_column.x, text_column.x + text_column.width
        else:  # across the frame
            x0, x1 = article.columns[0].x, article.columns[-1].x + article.columns[-1].width
        rect = Rect(x0, grid.line_y(first), x1 - x0, (last - first + 1) * grid.pitch)
        ink = ink_box(items)
        areas.append(Area(AreaKind.COLUMN if column >= 0 else AreaKind.INSERT, union(rect, ink) if ink else rect))
    return areas


def body_blocks(pieces: Sequence[TextPiece]) -> list[dict[str, str]]:
    """The flow's text in reading order: paragraphs (their lines joined), subheads, inserts."""
    out: list[dict[str, str]] = []
    last_paragraph = -1
    for piece in pieces:
        if piece.line == 0:
            continue
        text = _text(piece.items)
        if piece.role == TextRole.BODY and out and out[-1]["role"] == "paragraph" and piece.paragraph == last_paragraph:
            out[-1]["text"] += text
        else:
            role = {TextRole.BODY: "paragraph", TextRole.SUBHEAD: "subhead", TextRole.JUMP: "jump"}.get(piece.role, "insert")
            out.append({"role": role, "text": text})
        last_paragraph = piece.paragraph if piece.role == TextRole.BODY else -1
    return out


def _text(items: Sequence[DisplayItem]) -> str:
    """What the glyphs say, in drawing order; a space where runs on one baseline stand a
    word space apart (a space is not drawn, it is a gap)."""
    out: list[str] = []
    previous: GlyphRun | None = None
    for item in items:
        if isinstance(item, GlyphRun):
            if (previous is not None and previous.text and item.text and _western(previous.text[-1])
                    and _western(item.text[0]) and abs(previous.baseline - item.baseline) < EPS
                    and item.x - previous.extent()[2] > WORD_GAP_EM * item.size):
                out.append(" ")
            out.append(item.text)
            previous = item
        elif isinstance(item, PlacedGlyphs):
            out.append(item.text)
            previous = None
    return "".join(out)


def _western(char: str) -> bool:
    """A letter or digit of a Western script (words there are separated by spaces; Chinese
    text is not, and its justification gaps are no word spaces)."""
    return char.isalnum() and ord(char) < CJK_START


def ink_box(items: Sequence[DisplayItem]) -> Rect | None:
    """The box around the em boxes of the text items, or None without text."""
    boxes = [b for item in items for b in _item_boxes(item)]
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    return Rect(x0, y0, max(b[2] for b in boxes) - x0, max(b[3] for b in boxes) - y0)


def _item_boxes(item: DisplayItem) -> list[tuple[float, float, float, float]]:
    if isinstance(item, GlyphRun):
        return [item.extent()] if item.text else []
    if isinstance(item, PlacedGlyphs):
        size, out = item.size, []
        for g in item.glyphs:
            advance = item.face.advance(ord(g.glyph[0])) * size * g.hscale if g.glyph else size
            if g.turned:  # turned 90° clockwise about its origin: the em box lies along the line
                out.append((g.x - (1 - BASELINE_IN_EM_BOX) * size, g.baseline, g.x + BASELINE_IN_EM_BOX * size,
                            g.baseline + advance))
            else:
                top = g.baseline - BASELINE_IN_EM_BOX * size
                out.append((g.x, top, g.x + max(advance, size * g.hscale), top + size))
        return out
    return []


def union(a: Rect, b: Rect) -> Rect:
    x0, y0 = min(a.x, b.x), min(a.y, b.y)
    return Rect(x0, y0, max(a.right, b.right) - x0, max(a.bottom, b.bottom) - y0)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (inner.x >= outer.x - CONTAIN_SLACK and inner.y >= outer.y - CONTAIN_SLACK
            and inner.right <= outer.right + CONTAIN_SLACK and inner.bottom <= outer.bottom + CONTAIN_SLACK)


def _elements(layout: PageLayout, frame: Frame, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's other blocks, in spec order: photos (with the article they stand in),
    QR codes, tables, ads, mastheads and ears, each its frame and the text it sets."""
    owner = {photo: a["id"] for a in articles for photo in a["photos"]}
    blocks: list[PhotoLayout | QrLayout | SlotLayout | TableLayout] = [*layout.photos, *layout.qrs, *layout.slots,
                                                                        *layout.tables]
    placed = {b.id: b for b in blocks}
    out = []
    for block in layout.spec.blocks:
        found = placed.get(block.id)
        if found is None:  # an article (listed above), a group title
            continue
        entry: dict[str, Any] = {"id": block.id, "type": block.type, **frame.coords(found.frame),
                                 "text": _text(found.display) or None, "article": owner.get(block.id)}
        if isinstance(found, PhotoLayout) and not found.empty:
            entry["image"] = frame.coords(found.image)
        out.append(entry)
    return out

