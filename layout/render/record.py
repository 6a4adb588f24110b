"""A :class:`~layout.render.canvas.Canvas` that writes what it is asked to draw as text,
one operation per line, numbers rounded to 3 decimals, text as it is: golden tests
compare these dumps (``tests/golden/*.txt``), which show a change of layout as a
readable diff, unlike PDF bytes or pixels.

Lines (coordinates in trim space, pt, y down; colours CMYK percent)::

    page <width> <height> bleed <b> slug <s> pdfx <0|1>
    glyphs <face> <size> <x> <baseline> tc <char space> tz <hscale> cmyk <c m y k> op <0|1> <text>
    rule <x0> <y0> <x1> <y1> w <width> cmyk <c m y k> op <0|1>[ dash <on off …> cap <0|1|2>]
    path <x> <y> [l <x> <y> | c <x1> <y1> <x2> <y2> <x3> <y3>]… [z] w <width> cmyk <c m y k> op <0|1> dash <…|-> cap <n>
    box <x> <y> <w> <h> fill <cmyk|-> stroke <cmyk|-> w <width> cross <0|1>
    image <file> <x> <y> <w> <h> fit <fit> focus <fx> <fy>
    marks w <width> cmyk <c m y k> <x0> <y0> <x1> <y1> | …
    rects cmyk <c m y k> op <0|1> n <count> <x> <y> <w> <h> | …
    pdf <file> page <n> <x> <y> <w> <h>
    dots r <radius> cmyk <c m y k> op <0|1> <x> <y> | …
    placed <face> <size> cmyk <c m y k> op <0|1> <glyph> <text> <x> <baseline> tz <hscale> <u|t> | …   (t: turned 90°)
    end
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from layout.display import (
    CMYK,
    Box,
    CropMarks,
    Dots,
    FilledRects,
    GlyphRun,
    Image,
    PageBoxes,
    PageDescription,
    PlacedGlyphs,
    PlacedPdf,
    Rule,
    StrokePath,
)
from layout.press import PressSettings
from layout.render.canvas import draw_page

#: Decimals kept of every number: below what a press or a golden test can tell apart.
DECIMALS = 3


def num(value: float) -> str:
    """``value`` rounded to 3 decimals, without trailing zeros (and never ``-0``)."""
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nums(*values: float) -> str:
    return " ".join(num(v) for v in values)


def _cmyk(color: CMYK | None) -> str:
    return "-" if color is None else nums(*color)


class RecordingCanvas:
    """Records drawing operations as lines of text (see the module docstring).

    Image files are named relative to ``root`` when inside it, else by their file name,
    so that a dump names no folder of the machine it was made on.
    """

    def __init__(self, root: Path | None = None):
        self.root = root.resolve() if root is not None else None
        self.lines: list[str] = []

    def begin_page(self, boxes: PageBoxes, press: PressSettings) -> None:
        self.lines.append(f"page {nums(boxes.width, boxes.height)} bleed {num(boxes.bleed)} slug {num(boxes.slug)} "
                          f"pdfx {int(press.pdfx)}")

    def glyph_run(self, run: GlyphRun) -> None:
        self.lines.append(f"glyphs {run.face.name} {nums(run.size, run.x, run.baseline)} tc {num(run.char_space)} "
                          f"tz {num(run.hscale)} cmyk {_cmyk(run.color)} op {int(run.overprint)} {run.text}")

    def rule(self, rule: Rule) -> None:
        # a solid butt-capped rule is written as before, so the dumps of existing pages stay as they were
        styled = f" dash {nums(*rule.dash) or '-'} cap {int(rule.cap)}" if rule.dash or rule.cap else ""
        self.lines.append(f"rule {nums(rule.x0, rule.y0, rule.x1, rule.y1)} w {num(rule.width)} "
                          f"cmyk {_cmyk(rule.color)} op {int(rule.overprint)}{styled}")

    def path(self, path: StrokePath) -> None:
        steps = " ".join(f"{'l' if len(s) == 2 else 'c'} {nums(*s)}" for s in path.steps)
        close = " z" if path.closed else ""
        self.lines.append(f"path {nums(*path.start)} {steps}{close} w {num(path.width)} cmyk {_cmyk(path.color)} "
                          f"op {int(path.overprint)} dash {nums(*path.dash) or '-'} cap {int(path.cap)}")

    def box(self, box: Box) -> None:
        self.lines.append(f"box {nums(box.x, box.y, box.width, box.height)} fill {_cmyk(box.fill)} "
                          f"stroke {_cmyk(box.stroke)} w {num(box.line_width)} cross {int(box.cross)}")

    def image(self, image: Image) -> None:
        self.lines.append(f"image {self._name(image.path)} {nums(image.x, image.y, image.width, image.height)} "
                          f"fit {image.fit} focus {nums(*image.focus)}")

    def marks(self, marks: CropMarks) -> None:
        segments = " | ".join(nums(*s) for s in marks.segments)
        self.lines.append(f"marks w {num(marks.width)} cmyk {_cmyk(marks.color)} {segments}")

    def filled_rects(self, rects: FilledRects) -> None:
        listed = " | ".join(nums(*r) for r in rects.rects)
        self.lines.append(f"rects cmyk {_cmyk(rects.color)} op {int(rects.overprint)} n {len(rects.rects)} {listed}")
    def placed_pdf(self, placed: PlacedPdf) -> None:
        self.lines.append(f"pdf {self._name(placed.path)} page {placed.page + 1} "
                          f"{nums(placed.x, placed.y, placed.width, placed.height)}")
    def dots(self, dots: Dots) -> None:
        centres = " | ".join(nums(*c) for c in dots.centres)
        self.lines.append(f"dots r {num(dots.radius)} cmyk {_cmyk(dots.color)} op {int(dots.overprint)} {centres}")

    def placed_glyphs(self, glyphs: PlacedGlyphs) -> None:
        listed = " | ".join(f"{g.glyph} {g.text} {nums(g.x, g.baseline)} tz {num(g.hscale)} {'t' if g.turned else 'u'}"
                            for g in glyphs.glyphs)
        self.lines.append(f"placed {glyphs.face.name} {num(glyphs.size)} cmyk {_cmyk(glyphs.color)} "
                          f"op {int(glyphs.overprint)} {listed}")

    def end_page(self) -> None:
        self.lines.append("end")

    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)

    def _name(self, path: Path) -> str:
        resolved = path.resolve()
        if self.root is not None and resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        return path.name


def record(pages: Sequence[PageDescription], root: Path | None = None) -> str:
    """The dump of ``pages``, in order."""
    canvas = RecordingCanvas(root)
    for page in pages:
        draw_page(canvas, page)
    return canvas.text()
