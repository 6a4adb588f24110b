"""Make the example masthead artwork (examples/masthead/masthead.pdf): a paper's name as
vector outlines (no font in the file), in 100 % M + 100 % Y, at its natural size.

    python scripts/make_masthead_artwork.py [NAME] [-o FILE]

Real papers supply their own artwork (a calligrapher's name, redrawn); this stands in for
it with the outlines of LXGW WenKai (OFL, fonts/). Needs fontTools (the dev extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

REPO = Path(__file__).resolve().parent.parent
FONT = REPO / "fonts" / "LXGWWenKai-Regular.ttf"
#: Size the name is drawn at (pt): the artwork is scaled to its slot anyway.
SIZE = 100.0
#: Space between characters, in em, and around the name.
TRACKING = 0.08
MARGIN = 4.0
RED = CMYKColor(0.0, 1.0, 1.0, 0.0, alpha=None)


class _PathPen(BasePen):
    """fontTools outlines into a reportlab path (quadratic curves made cubic by BasePen)."""

    def __init__(self, glyphs, path, scale: float, dx: float, dy: float):  # type: ignore[no-untyped-def]
        super().__init__(glyphs)
        self.path, self.scale, self.dx, self.dy = path, scale, dx, dy

    def _xy(self, point):  # type: ignore[no-untyped-def]
        return (self.dx + point[0] * self.scale, self.dy + point[1] * self.scale)

    def _moveTo(self, p):  # type: ignore[no-untyped-def]  # noqa: N802
        self.path.moveTo(*self._xy(p))

    def _lineTo(self, p):  # type: ignore[no-untyped-def]  # noqa: N802
        self.path.lineTo(*self._xy(p))

    def _curveToOne(self, p1, p2, p3):  # type: ignore[no-untyped-def]  # noqa: N802
        self.path.curveTo(*self._xy(p1), *self._xy(p2), *self._xy(p3))

    def _closePath(self):  # type: ignore[no-untyped-def]  # noqa: N802
        self.path.close()


def make(name: str, out: Path) -> None:
    font = TTFont(str(FONT))
    glyphs, cmap, metrics = font.getGlyphSet(), font.getBestCmap(), font["hmtx"].metrics
    scale = SIZE / font["head"].unitsPerEm
    advances = [metrics[cmap[ord(ch)]][0] * scale for ch in name]
    width = sum(advances) + TRACKING * SIZE * (len(name) - 1) + 2 * MARGIN
    height = SIZE * 1.0 + 2 * MARGIN
    c = Canvas(str(out), pagesize=(width, height), invariant=1, pageCompression=1, initialFontName="Courier")
    c.setTitle(f"{name} (masthead artwork)")
    path = c.beginPath()
    x = MARGIN
    for ch, advance in zip(name, advances, strict=True):
        glyphs[cmap[ord(ch)]].draw(_PathPen(glyphs, path, scale, x, MARGIN + 0.12 * SIZE))
        x += advance + TRACKING * SIZE
    c.setFillColor(RED)
    c.drawPath(path, stroke=0, fill=1, fillMode=1)
    c.showPage()
    c.save()
    # the Courier reportlab names in every page preamble is never drawn: drop it, so
    # the artwork has no font at all
    import pikepdf

    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        if "/Font" in page.Resources:
            del page.Resources["/Font"]
        page.Contents = pdf.make_stream(b"\n".join(
            line for line in page.Contents.read_bytes().split(b"\n") if b" Tf " not in line))
        pdf.save(out, deterministic_id=True, force_version="1.3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default="茂南日报")
    parser.add_argument("-o", "--output", type=Path, default=REPO / "examples" / "masthead" / "masthead.pdf")
    args = parser.parse_args()
    make(args.name, args.output)


if __name__ == "__main__":
    main()
