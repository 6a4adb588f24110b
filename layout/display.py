"""The page description: the page's boxes and its display list, frozen drawing items in
trim coordinates (pt, y down; the trim's top-left corner at 0, 0), in reading order.

Layout produces it; renderers (PDF, PNG, the recording dump) draw it and decide nothing:
the boxes, the crop marks, the placeholders of missing images, which inks overprint and
the widths of outlines are all here.  It knows nothing of reportlab or Pillow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from layout.compose.justify import SetLine
from layout.fontdb import Face
from layout.press import PressSettings
from layout.spec.data import PageSettings
from layout.units import mm

CMYK = tuple[float, float, float, float]

#: Where the baseline sits in a line box: the ideographic em box is centred in the box,
#: and the baseline is 0.88 em below the em box's top (the Noto/Source Han em box runs
#: from −0.12 em to 0.88 em around the baseline).
BASELINE_IN_EM_BOX = 0.88
#: 着重号 (CLREQ 3.2.1, horizontal text): a round dot under the centre of each character,
#: radius and centre depth below the baseline in em of the character; the em box ends
#: 0.12 em below the baseline, so the dot clears it and stays in the interline space.
EMPHASIS_DOT_RADIUS = 0.08
EMPHASIS_DOT_DEPTH = 0.3
#: Text and rules in 100 % K overprint (GWG: black text overprint), so a hairline
#: misregistration shows no white edge; every other colour knocks out.
OVERPRINT_BLACK: CMYK = (0.0, 0.0, 0.0, 100.0)
#: Outline of a box (an image placeholder), pt.
BOX_LINE_WIDTH = 0.5
#: Crop marks: length, and clear distance from the bleed edge.
CROP_MARK_LENGTH = mm(5.0)
CROP_MARK_GAP = mm(2.0)
CROP_MARK_WIDTH = 0.25
#: Registration colour for crop marks: 100 % of every separation.
REGISTRATION: CMYK = (100.0, 100.0, 100.0, 100.0)


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face on one baseline at a constant spacing."""

    face: Face
    size: float
    x: float  # first glyph origin
    baseline: float
    text: str
    char_space: float  # added after every glyph (PDF Tc)
    hscale: float  # horizontal scale, 1.0 = 100 %
    color: CMYK
    op: bool | None = None  # overprint as the style asks; None: 100 % K overprints, other colours knock out

    @property
    def overprint(self) -> bool:
        return self.color == OVERPRINT_BLACK if self.op is None else self.op

    def extent(self) -> tuple[float, float, float, float]:
        """The run's ink box (x0, top, x1, bottom): its advances and spacing, the em box
        from 0.88 em above the baseline to 0.12 em below it."""
        advance = sum(self.face.advance(ord(c)) for c in self.text) * self.size * self.hscale
        x1 = self.x + advance + self.char_space * len(self.text)
        top = self.baseline - BASELINE_IN_EM_BOX * self.size
        return (self.x, top, x1, top + self.size)


@dataclass(frozen=True, slots=True)
class PlacedGlyph:
    """One glyph at its own origin: vertical text (竖排), where each character is placed
    down the line, some in their vertical forms, some turned."""

    glyph: str  # the character whose glyph is drawn (a vertical form such as ︐, or the character itself)
    text: str  # the character it stands for in the text layer (， for ︐): what a reader copies
    x: float  # glyph origin: the left end of its horizontal baseline, before any turn
    baseline: float
    hscale: float = 1.0  # horizontal scale (digits set side by side in one em, 纵中横)
    turned: bool = False  # turned 90° clockwise about its origin (Latin words in vertical text)


@dataclass(frozen=True, slots=True)
class PlacedGlyphs:
    """Glyphs of one face, size and colour, each placed on its own (in reading order)."""

    face: Face
    size: float
    glyphs: tuple[PlacedGlyph, ...]
    color: CMYK
    op: bool | None = None  # as :class:`GlyphRun`

    @property
    def overprint(self) -> bool:
        return self.color == OVERPRINT_BLACK if self.op is None else self.op

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


class LineCap(IntEnum):
    """How a stroke ends (the PDF line cap, ISO 32000-1 §8.4.3.3): dotted rules are dashes
    of length 0 with round caps; boxes close their corners with square caps."""

    BUTT = 0
    ROUND = 1
    SQUARE = 2


#: A dash pattern: lengths on, off, on, … in pt; empty: a solid stroke.
Dash = tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Dots:
    """Filled round dots of one radius and colour (emphasis dots, 着重号)."""

    centres: tuple[tuple[float, float], ...]  # x, y
    radius: float
    color: CMYK

    @property
    def overprint(self) -> bool:
        return self.color == OVERPRINT_BLACK


@dataclass(frozen=True, slots=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: CMYK
    dash: Dash = ()  # solid unless given (点线, 虚线)
    cap: LineCap = LineCap.BUTT

    @property
    def overprint(self) -> bool:
        return self.color == OVERPRINT_BLACK


#: One step of a path: a line to (x, y), or a cubic Bézier curve through two control
#: points to (x3, y3).
PathStep = tuple[float, float] | tuple[float, float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class StrokePath:
    """A stroked path (a wavy rule 波纹线, a box outline): from ``start`` through ``steps``.

    Like a :class:`Rule`, 100 % K overprints and every other colour knocks out.
    """

    start: tuple[float, float]
    steps: tuple[PathStep, ...]
    width: float
    color: CMYK
    closed: bool = False
    dash: Dash = ()
    cap: LineCap = LineCap.BUTT

    @property
    def overprint(self) -> bool:
        return self.color == OVERPRINT_BLACK


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: CMYK | None
    stroke: CMYK | None
    cross: bool = False  # draw both diagonals (a missing photo)
    line_width: float = BOX_LINE_WIDTH  # of the outline; boxes knock out (never overprint)


@dataclass(frozen=True, slots=True)
class Image:
    path: Path
    x: float
    y: float
    width: float
    height: float
    fit: str
    focus: tuple[float, float]


@dataclass(frozen=True, slots=True)
class PlacedPdf:
    """A page of a supplied PDF (an ad, masthead artwork) placed as it is: its placed box
    (TrimBox, else CropBox, else MediaBox) scaled into the rectangle ``x, y, width,
    height`` (layout has fitted it: the ratio is the page's), clipped to that box."""

    path: Path
    page: int  # 0-based page of the file
    x: float
    y: float
    width: float
    height: float


Segment = tuple[float, float, float, float]  # x0, y0, x1, y1
RectXYWH = tuple[float, float, float, float]  # x, y (top-left corner), width, height


@dataclass(frozen=True, slots=True)
class FilledRects:
    """Rectangles filled together in one operation, in one ink: a QR code's dark modules.

    One fill of one path leaves no anti-aliasing seam where two rectangles abut, where
    separate fills would each blend their shared edge with the paper (a hairline of
    light between modules in a preview or on a low-resolution RIP).  Like text and
    rules, 100 % K overprints.
    """

    rects: tuple[RectXYWH, ...]
    color: CMYK

    @property
    def overprint(self) -> bool:
        return self.color == OVERPRINT_BLACK


@dataclass(frozen=True, slots=True)
class CropMarks:
    """Printer's marks outside the bleed, all in one colour and width.

    Unlike a :class:`Rule` they set no overprint: in registration colour (100 % of every
    separation) overprinting and knocking out print the same.
    """

    segments: tuple[Segment, ...]
    width: float
    color: CMYK


DisplayItem = GlyphRun | Rule | StrokePath | Box | Image | CropMarks | FilledRects | PlacedPdf | Dots | PlacedGlyphs


@dataclass(frozen=True, slots=True)
class PageBoxes:
    """The page's boxes in trim coordinates: the trim from (0, 0) to (width, height), the
    bleed ``bleed`` outside it on every side, the media ``slug`` further out (room for the
    crop marks)."""

    width: float
    height: float
    bleed: float
    slug: float

    @property
    def outer(self) -> float:
        """Distance from the trim to the media edge, on every side."""
        return self.bleed + self.slug

    @property
    def media_size(self) -> tuple[float, float]:
        return (self.width + 2 * self.outer, self.height + 2 * self.outer)


@dataclass(frozen=True, slots=True)
class PageDescription:
    """All an exporter reads of a page: boxes, display list, document title, press settings
    (output profile and image separation)."""

    boxes: PageBoxes
    items: tuple[DisplayItem, ...]
    title: str
    press: PressSettings
    keywords: str = ""  # the document Info's Keywords (the copyfit applied, layout/fit.py)


def page_boxes(page: PageSettings) -> PageBoxes:
    """Trim, bleed and media of a page; the media leaves room for crop marks when asked."""
    width, height = page.size
    return PageBoxes(width, height, page.bleed, CROP_MARK_GAP + CROP_MARK_LENGTH if page.crop_marks else 0.0)


def crop_marks(boxes: PageBoxes) -> CropMarks:
    """Trim marks at the four corners, on the trim lines, starting outside the bleed."""
    start = boxes.bleed + CROP_MARK_GAP
    end = start + CROP_MARK_LENGTH
    segments: list[Segment] = []
    for x, sx in ((0.0, -1), (boxes.width, 1)):
        for y, sy in ((boxes.height, 1), (0.0, -1)):  # bottom corner, then top (the order marks were drawn in)
            segments.append((x + sx * start, y, x + sx * end, y))  # horizontal mark
            segments.append((x, y + sy * start, x, y + sy * end))  # vertical mark
    return CropMarks(tuple(segments), CROP_MARK_WIDTH, REGISTRATION)


def baseline_in_box(top: float, box_height: float, size: float) -> float:
    """Baseline of text of ``size`` centred in a line box starting at ``top``."""
    return top + (box_height - size) / 2 + BASELINE_IN_EM_BOX * size


def line_runs(line: SetLine, x0: float, baseline: float, color: CMYK, overprint: bool | None = None) -> list[GlyphRun]:
    """A set line's glyph runs (grouped once, when the line was set) placed at ``x0``, ``baseline``;
    in ``color`` but for runs of inline markup that have a colour of their own; ``overprint``
    as the style asks (None: by colour, see :class:`GlyphRun`)."""
    return [GlyphRun(r.face, r.size, x0 + r.x, baseline, r.text, r.char_space, r.hscale,
                     color if r.color is None else r.color, overprint) for r in line.runs]
def line_dots(line: SetLine, x0: float, baseline: float, color: CMYK) -> list[Dots]:
    """A set line's emphasis dots, one item per radius and colour, in reading order."""
    groups: dict[tuple[float, CMYK], list[tuple[float, float]]] = {}
    for dot in line.dots:
        centre = (x0 + dot.x, baseline + EMPHASIS_DOT_DEPTH * dot.size)
        groups.setdefault((EMPHASIS_DOT_RADIUS * dot.size, color if dot.color is None else dot.color), []).append(centre)
    return [Dots(tuple(centres), radius, ink) for (radius, ink), centres in groups.items()]
