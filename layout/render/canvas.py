"""One small drawing interface between the page description and the output formats.

A :class:`Canvas` draws display items in trim coordinates (pt, y down) and decides
nothing: what to draw, where, in which ink and whether it overprints are all in the
page description (``layout/display.py``).  :func:`draw_page` is the only loop over a
display list; the implementations are

- ``layout/render/pdf.py``: ``PdfCanvas``, the print PDF through reportlab;
- ``layout/render/record.py``: ``RecordingCanvas``, a text dump for golden tests.

PNG previews rasterise the PDF (the same pixels as print) and draw the designer overlay,
a display list of its own (``layout/render/overlay.py``), on top.
"""

from __future__ import annotations

from typing import Protocol

from layout.display import (
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


class Canvas(Protocol):
    """What a renderer must draw; one call per display item, pages in order."""

    def begin_page(self, boxes: PageBoxes, press: PressSettings) -> None:
        """Start a page of these boxes (media, bleed, trim), its images separated for ``press``."""

    def glyph_run(self, run: GlyphRun) -> None:
        """Glyphs of one face on one baseline."""

    def rule(self, rule: Rule) -> None:
        """A stroked line, solid or dashed."""

    def path(self, path: StrokePath) -> None:
        """A stroked path of lines and curves (a wavy rule, a box outline)."""

    def box(self, box: Box) -> None:
        """A filled and/or outlined rectangle, crossed when ``box.cross``."""

    def image(self, image: Image) -> None:
        """An image file fitted into its slot."""

    def marks(self, marks: CropMarks) -> None:
        """Printer's marks outside the bleed."""

    def filled_rects(self, rects: FilledRects) -> None:
        """Rectangles filled in one operation (one path), in one ink."""
    def placed_pdf(self, placed: PlacedPdf) -> None:
        """A page of a supplied PDF (an ad, masthead artwork) placed into its rectangle."""
    def dots(self, dots: Dots) -> None:
        """Filled round dots (emphasis dots under characters)."""

    def placed_glyphs(self, glyphs: PlacedGlyphs) -> None:
        """Glyphs each at its own origin, some turned (vertical text)."""

    def end_page(self) -> None:
        """Finish the page."""


#: The canvas operation that draws each kind of display item (a type, not an
#: ``isinstance`` chain: display items are final dataclasses).
OPERATIONS: dict[type, str] = {
    GlyphRun: "glyph_run", Rule: "rule", StrokePath: "path", Box: "box", Image: "image", CropMarks: "marks",
    FilledRects: "filled_rects", PlacedPdf: "placed_pdf", Dots: "dots", PlacedGlyphs: "placed_glyphs",
}


def draw_page(canvas: Canvas, page: PageDescription) -> None:
    """Draw one page description, item by item in display-list order."""
    canvas.begin_page(page.boxes, page.press)
    for item in page.items:
        operation = OPERATIONS.get(type(item))
        if operation is None:  # a new kind of item must be drawn by every canvas, not skipped by one
            raise TypeError(f"no canvas operation for {type(item).__name__}")
        getattr(canvas, operation)(item)
    canvas.end_page()
