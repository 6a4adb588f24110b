"""An article's vertical headline (竖排标题): a strip beside the body, a hole for its text.

The strip lies inside the article's frame, at its right or left edge (or at a page
column of the frame), ``span`` page columns or ``width`` wide.  It runs down from the
body's first grid line to the frame's bottom, or ``lines`` grid lines when the headline
gives them (then the body also flows below it): the strip is a hole in the text columns
it overlaps, like a photo's, and the body flows beside it.  An auto frame is at least
as tall as the headline's longest line (in whole grid lines, with the space a
horizontal headline keeps above the body).  Elements stand right to left: kicker, title,
subtitle, byline (the kicker to the right of the title, as in vertical Chinese).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layout.compose.headline import HEADLINE_BODY_SPACE
from layout.compose.vertical import Glyph, VerticalHeadline, lines_fit, place_line, set_vertical
from layout.context import LayoutContext
from layout.display import CMYK, Box, DisplayItem, PlacedGlyph, PlacedGlyphs
from layout.geometry.grid import Rect
from layout.geometry.regions import Hole
from layout.problems import Problem, ProblemKind
from layout.spec.data import Article, Headline
from layout.units import EPS


@dataclass(frozen=True, slots=True)
class Strip:
    x: float
    width: float
    first: int  # first grid line (page numbering)
    lines: int  # grid lines its text takes (an auto frame is at least this tall)
    hole_lines: int  # grid lines kept from the body: the frame's, or the headline's ``lines``

    @property
    def hole(self) -> Hole:
        return Hole(self.x, self.x + self.width, self.first, self.first + self.hole_lines - 1)

    @property
    def last(self) -> int:
        return self.first + self.lines - 1


@dataclass(frozen=True, slots=True)
class VerticalLayout:
    headline: VerticalHeadline
    strip: Strip
    display: tuple[DisplayItem, ...]
    problems: tuple[Problem, ...]
    elements: tuple[tuple[str, tuple[DisplayItem, ...]], ...] = ()  # each element's glyphs by role (e-paper export)


def is_vertical(article: Article) -> bool:
    return article.headline is not None and article.headline.form == "vertical"


def strip_span(head: Headline, inner: Rect, ctx: LayoutContext, frame_column: int) -> tuple[float, float]:
    """Left edge and width of the strip inside the frame's ``inner`` rectangle."""
    grid = ctx.grid
    width = head.width if head.width is not None else head.span * grid.column_width + (head.span - 1) * grid.gutter
    width = min(width, inner.width)
    if head.column is not None:
        x = grid.column_x(frame_column + head.column - 1)
    elif head.side == "left":
        x = inner.x
    else:
        x = inner.right - width
    return min(max(x, inner.x), inner.right - width), width


def lay_out_vertical(article: Article, ctx: LayoutContext, inner: Rect, first_line: int, room_lines: int,
                     colour: tuple[CMYK, bool] | None) -> VerticalLayout:
    """Set the headline in its strip from grid line ``first_line``, at most ``room_lines`` down."""
    head = article.headline
    assert head is not None
    grid = ctx.grid
    lines_allowed = max(1, min(room_lines, head.lines or room_lines))
    texts = {"kicker": article.kicker, "title": article.title, "subtitle": article.subtitle, "byline": article.byline}
    headline = set_vertical(texts, ctx.styles, lines_allowed * grid.pitch, ctx.resolver, ctx.config.kinsoku,
                            head.upright_digits)
    x, width = strip_span(head, inner, ctx, article.frame.column)
    taken = min(lines_allowed, math.ceil(headline.length / grid.pitch + HEADLINE_BODY_SPACE - EPS))
    strip = Strip(x, width, first_line, max(taken, 1), lines_allowed)
    top = grid.line_y(first_line)
    display: list[DisplayItem] = []
    if article.band is not None:
        display.append(Box(x, top, width, min(strip.hole_lines, strip.lines) * grid.pitch, article.band.color, None))
    elements = _draw_elements(headline, strip, top, colour)
    display += [item for _, items in elements for item in items]
    problems: list[Problem] = []
    if not lines_fit(headline, width):
        problems.append(Problem(
            ProblemKind.VERTICAL_HEADLINE_TOO_WIDE,
            f"article {article.id}: the vertical headline is {headline.width:.1f} pt across, its strip "
            f"{width:.1f} pt", article.id, {"width": round(headline.width, 2), "strip_width": round(width, 2)},
            message_zh=f"稿件 {article.id}：竖排标题排开宽 {headline.width:.1f} pt，竖条只有 {width:.1f} pt"))
    return VerticalLayout(headline, strip, tuple(display), tuple(problems), elements)


def _draw_elements(headline: VerticalHeadline, strip: Strip, top: float,
                   colour: tuple[CMYK, bool] | None) -> tuple[tuple[str, tuple[DisplayItem, ...]], ...]:
    """The elements right to left, each line's glyphs top to bottom; lines aligned down
    the strip by their style's alignment (centre: centred on the longest line); the
    glyphs of each element kept apart, by role."""
    out: list[tuple[str, tuple[DisplayItem, ...]]] = []
    right = strip.x + (strip.width + headline.width) / 2  # the group centred across the strip
    for k, element in enumerate(headline.elements):
        style = element.style
        color, overprint = colour if colour is not None else (style.color, style.overprint)
        items: list[DisplayItem] = []
        for line in element.lines:
            slack = headline.length - line.length
            offset = slack / 2 if style.align in ("center", "distribute") else slack if style.align == "right" else 0.0
            glyphs = place_line(line, right - style.leading / 2, top + offset, style.size)
            items += _grouped(glyphs, color, overprint)
            right -= style.leading
        out.append((element.role, tuple(items)))
        if k < len(headline.spaces):
            right -= headline.spaces[k]
    return tuple(out)


def _grouped(glyphs: list[Glyph], color: CMYK, overprint: bool | None) -> list[PlacedGlyphs]:
    """Consecutive glyphs of one face and size as one display item, in reading order."""
    out: list[PlacedGlyphs] = []
    run: list[Glyph] = []
    for glyph in glyphs:
        if run and (run[-1].face != glyph.face or run[-1].size != glyph.size):
            out.append(_item(run, color, overprint))
            run = []
        run.append(glyph)
    if run:
        out.append(_item(run, color, overprint))
    return out


def _item(run: list[Glyph], color: CMYK, overprint: bool | None) -> PlacedGlyphs:
    placed = tuple(PlacedGlyph(g.glyph, g.text, g.x, g.baseline, g.hscale, g.turned) for g in run)
    return PlacedGlyphs(run[0].face, run[0].size, placed, color, overprint)
