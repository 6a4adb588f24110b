"""The designer overlay: a display list of its own, built from the page layout and drawn
over previews only (never into the print PDF).

It shows the baseline grid and the page columns, rulers (column numbers along the top,
every fifth grid line's number down the left), each frame with its id and status, the
text columns of articles, overflow marks, and a crossed placeholder where a photo slot
has no image.  Labels are placed where they cover no text: above the frame in the margin
or gutter, else on a tag inside the frame where no glyph run is, else they are left out.

Pure: no Pillow here (``layout/render/png.py`` draws the items); coordinates in trim
space (pt, y down), colours RGBA, line widths in device pixels.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from layout.display import GlyphRun
from layout.fontdb import FONT_DIR, Face, load_face
from layout.geometry.grid import Rect
from layout.memo import Memo
from layout.page import PageLayout

RGBA = tuple[int, int, int, int]

GRID_COLOUR: RGBA = (0, 170, 220, 70)
COLUMN_COLOUR: RGBA = (0, 140, 200, 110)
ARTICLE_COLOUR: RGBA = (30, 60, 230, 255)
PHOTO_COLOUR: RGBA = (0, 150, 60, 255)
TEXT_COLUMN_COLOUR: RGBA = (120, 150, 255, 120)
OVERFLOW_COLOUR: RGBA = (230, 0, 0, 255)
UNDERFULL_COLOUR: RGBA = (240, 140, 0, 255)
RULER_COLOUR: RGBA = (0, 120, 180, 255)
#: An empty photo slot: light grey, crossed in mid grey (what the print PDF leaves blank).
EMPTY_SLOT_FILL: RGBA = (235, 235, 235, 255)
EMPTY_SLOT_LINE: RGBA = (150, 150, 150, 255)
#: Tags behind labels: white, a little see-through (they never lie on text).
LABEL_BACKGROUND: RGBA = (255, 255, 255, 200)
LABEL_FONT = FONT_DIR / "NotoSansSC-Bold.ttf"
#: Size of frame labels and of ruler numbers, pt.
LABEL_SIZE = 8.0
RULER_SIZE = 6.0
#: A label's ink between these fractions of its size above and below the baseline.
LABEL_ASCENT = 0.95
LABEL_DESCENT = 0.25
#: Space around a label's text inside its tag, and between a tag and what it labels, pt.
LABEL_PAD = 1.5
LABEL_GAP = 1.0
#: Ruler numbers: every this many grid lines (and line 1).
RULER_LINE_STEP = 5
#: Height of the overflow bar at the bottom of an overflowing article's last column, pt.
OVERFLOW_BAR = 4.0
#: Search steps of a label tag inside a frame, in tag heights down and tag widths across.
SCAN_STEP_DOWN = 0.5
SCAN_STEP_ACROSS = 0.5
#: Height of the bands that index obstacles, pt.
BAND = 24.0


@dataclass(frozen=True, slots=True)
class Stroke:
    x0: float
    y0: float
    x1: float
    y1: float
    color: RGBA
    px: int  # width in device pixels


@dataclass(frozen=True, slots=True)
class Outline:
    x: float
    y: float
    width: float
    height: float
    outline: RGBA | None
    fill: RGBA | None
    px: int
    cross: bool = False


@dataclass(frozen=True, slots=True)
class Label:
    """Text on a tag: the tag's rectangle, the text's baseline inside it."""

    x: float
    y: float
    width: float
    height: float
    text: str
    size: float
    color: RGBA
    background: RGBA | None

    @property
    def baseline(self) -> float:
        return self.y + LABEL_PAD + LABEL_ASCENT * self.size

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.width, self.height)


OverlayItem = Stroke | Outline | Label


def tag_size(face: Face, text: str, size: float) -> tuple[float, float]:
    """Width and height of the tag of ``text`` set at ``size`` in the label face."""
    width = sum(face.advance(ord(c)) for c in text) * size
    return (width + 2 * LABEL_PAD, (LABEL_ASCENT + LABEL_DESCENT) * size + 2 * LABEL_PAD)


class FreeSpace:
    """Rectangles taken (text, placed tags) within the media; answers whether a tag fits."""

    def __init__(self, media: Rect, taken: Iterable[Rect]):
        self.media = media
        self.bands: dict[int, list[Rect]] = {}
        for rect in taken:
            self.take(rect)

    def _band_range(self, rect: Rect) -> range:
        return range(int(rect.y // BAND), int(rect.bottom // BAND) + 1)

    def take(self, rect: Rect) -> None:
        for band in self._band_range(rect):
            self.bands.setdefault(band, []).append(rect)

    def fits(self, rect: Rect) -> bool:
        m = self.media
        if rect.x < m.x or rect.y < m.y or rect.right > m.right or rect.bottom > m.bottom:
            return False
        return not any(_meet(rect, other) for band in self._band_range(rect) for other in self.bands.get(band, ()))


def _meet(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share area (touching edges do not)."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def run_rect(run: GlyphRun) -> Rect:
    x0, top, x1, bottom = run.extent()
    return Rect(x0, top, x1 - x0, bottom - top)


def overlay(layout: PageLayout, memo: Memo | None = None) -> tuple[OverlayItem, ...]:
    """The designer overlay of a laid-out page (with its per-block layouts); ``memo``
    holds the label font."""
    grid, area = layout.grid, layout.grid.type_area
    boxes = layout.page.boxes
    face = load_face(LABEL_FONT, memo if memo is not None else Memo())
    media = Rect(-boxes.outer, -boxes.outer, boxes.width + 2 * boxes.outer, boxes.height + 2 * boxes.outer)
    free = FreeSpace(media, (run_rect(i) for i in layout.display if isinstance(i, GlyphRun)))
    items: list[OverlayItem] = []
    for n in range(grid.n_lines + 1):
        y = area.y + n * grid.pitch
        items.append(Stroke(area.x, y, area.right, y, GRID_COLOUR, 1))
    for c in range(1, grid.columns + 1):
        x = grid.column_x(c)
        for edge in (x, x + grid.column_width):
            items.append(Stroke(edge, area.y, edge, area.bottom, COLUMN_COLOUR, 1))
    for photo in layout.photos:
        if photo.empty:
            r = photo.image
            items.append(Outline(r.x, r.y, r.width, r.height, EMPTY_SLOT_LINE, EMPTY_SLOT_FILL, 1, cross=True))
    labels: list[Label] = []
    for article in layout.articles:
        frame = article.frame
        for column in article.columns:
            items.append(Outline(column.x, frame.y, column.width, frame.height, TEXT_COLUMN_COLOUR, None, 1))
        status = article.result.status
        colour = {"overflow": OVERFLOW_COLOUR, "underfull": UNDERFULL_COLOUR}.get(status, ARTICLE_COLOUR)
        items.append(Outline(frame.x, frame.y, frame.width, frame.height, colour, None, 2))
        labels += _placed(free, face, f"{article.id}  {status}", LABEL_SIZE, colour, _frame_spots(frame))
        if article.distribution.leftover:
            last = article.columns[-1]
            items.append(Outline(last.x, frame.bottom - OVERFLOW_BAR, last.width, OVERFLOW_BAR, None, OVERFLOW_COLOUR, 1))
            text = f"+{article.distribution.lines_over} 行 / ≈{article.distribution.chars_over} 字"
            last_column = Rect(last.x, frame.y, last.width, frame.height)
            labels += _placed(free, face, text, LABEL_SIZE, OVERFLOW_COLOUR, _below_spots(last_column))
    for photo in layout.photos:
        frame = photo.frame
        items.append(Outline(frame.x, frame.y, frame.width, frame.height, PHOTO_COLOUR, None, 2))
        text = f"{photo.id}  empty" if photo.empty else photo.id
        labels += _placed(free, face, text, LABEL_SIZE, PHOTO_COLOUR, _frame_spots(frame))
    for qr in layout.qrs:  # framed and named like a photo: a QR code is a figure too
        frame = qr.frame
        items.append(Outline(frame.x, frame.y, frame.width, frame.height, PHOTO_COLOUR, None, 2))
        labels += _placed(free, face, qr.id, LABEL_SIZE, PHOTO_COLOUR, _frame_spots(frame))
    for slot in layout.slots:  # mastheads, ears and ads: framed and named like a photo, with their kind
        frame = slot.frame
        items.append(Outline(frame.x, frame.y, frame.width, frame.height, PHOTO_COLOUR, None, 2))
        labels += _placed(free, face, f"{slot.id}  {slot.result.type}", LABEL_SIZE, PHOTO_COLOUR, _frame_spots(frame))
    for table in layout.tables:  # tables: the frame and status like an article's, rows over in the label
        frame, status = table.frame, table.result.status
        colour = OVERFLOW_COLOUR if status == "overflow" else ARTICLE_COLOUR
        items.append(Outline(frame.x, frame.y, frame.width, frame.height, colour, None, 2))
        over = table.result.lines_needed - table.result.columns_used[0]
        text = f"{table.id}  {status}" + (f"  +{over} 行" if status == "overflow" else "")
        labels += _placed(free, face, text, LABEL_SIZE, colour, _frame_spots(frame))
    labels += _rulers(layout, free, face)
    return (*items, *labels)


Spot = tuple[float, float, float, float]  # where a tag may go: x, y of its corner, and which corner (dx, dy: 0 or 1)


def _placed(free: FreeSpace, face: Face, text: str, size: float, colour: RGBA, spots: Iterable[Spot],
            background: RGBA | None = LABEL_BACKGROUND) -> list[Label]:
    """A label at the first spot where its tag covers no text and no other tag; none if
    there is no such spot."""
    width, height = tag_size(face, text, size)
    for x, y, dx, dy in spots:
        rect = Rect(x - dx * width, y - dy * height, width, height)
        if free.fits(rect):
            free.take(rect)
            return [Label(rect.x, rect.y, width, height, text, size, colour, background)]
    return []


def _frame_spots(frame: Rect) -> Iterator[Spot]:
    """Above the frame (the margin or gutter above it), then inside its top corners, then
    below it, then anywhere inside it, row by row."""
    gap = LABEL_GAP
    yield (frame.x, frame.y - gap, 0, 1)
    yield (frame.right, frame.y - gap, 1, 1)
    yield (frame.x + gap, frame.y + gap, 0, 0)
    yield (frame.right - gap, frame.y + gap, 1, 0)
    yield (frame.x, frame.bottom + gap, 0, 0)
    yield from _scan(frame)


def _below_spots(column: Rect) -> Iterator[Spot]:
    """Under a column (where the cut text would have gone), then inside its bottom, then anywhere in it."""
    yield (column.x, column.bottom + LABEL_GAP, 0, 0)
    yield (column.right, column.bottom + LABEL_GAP, 1, 0)
    yield (column.x, column.bottom - OVERFLOW_BAR - LABEL_GAP, 0, 1)
    yield from _scan(column)


def _scan(rect: Rect) -> Iterator[Spot]:
    step_down = (LABEL_ASCENT + LABEL_DESCENT) * LABEL_SIZE * SCAN_STEP_DOWN
    step_across = 4 * LABEL_SIZE * SCAN_STEP_ACROSS
    rows = int(rect.height // step_down) + 1
    across = int(rect.width // step_across) + 1
    for i in range(rows):
        for j in range(across):
            yield (rect.x + j * step_across, rect.y + i * step_down, 0, 0)


def _rulers(layout: PageLayout, free: FreeSpace, face: Face) -> list[Label]:
    """Column numbers along the top, at the trim's top edge or else just above the type
    area; every fifth grid line's number down the left, at the trim's left edge or else
    just left of the type area."""
    grid, area = layout.grid, layout.grid.type_area
    labels: list[Label] = []
    for c in range(1, grid.columns + 1):
        centre = grid.column_x(c) + grid.column_width / 2
        width, _ = tag_size(face, str(c), RULER_SIZE)
        spots = [(centre - width / 2, LABEL_GAP, 0, 0), (centre - width / 2, area.y - LABEL_GAP, 0, 1)]
        labels += _placed(free, face, str(c), RULER_SIZE, RULER_COLOUR, spots, background=None)
    for n in ruler_lines(grid.n_lines):
        _, height = tag_size(face, str(n), RULER_SIZE)
        middle = grid.line_y(n) + grid.pitch / 2 - height / 2
        spots = [(LABEL_GAP, middle, 0, 0), (area.x - LABEL_GAP, middle, 1, 0)]
        labels += _placed(free, face, str(n), RULER_SIZE, RULER_COLOUR, spots, background=None)
    return labels


def ruler_lines(n_lines: int) -> list[int]:
    """The grid lines numbered on the ruler: the first and every fifth."""
    return [1, *range(RULER_LINE_STEP, n_lines + 1, RULER_LINE_STEP)]
