"""An article's box, tint, headline band and column rules (加框、底纹、色块、栏线), and
their preflight: reversed type too small, white text that overprints, body text on a
tint too dark to read, a tint over the ink limit.

The box keeps the article's text on the page grid: its inset above and below is whole
grid lines, its inset at the sides narrows the text columns.  A headline band replaces
the inset above: the band starts at the frame top and covers the headline's grid lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.display import CMYK, Box, DisplayItem, GlyphRun, PlacedGlyphs
from layout.geometry.grid import Rect
from layout.problems import Problem, ProblemKind, what_zh
from layout.rules import NO_RULE, RuleStyle, box_items, rule_items, rule_style
from layout.spec.data import Article, PageRules
from layout.units import EPS, mm

#: Reversed type (反白) is white: no ink at all, the paper showing through.
WHITE: CMYK = (0.0, 0.0, 0.0, 0.0)
#: Inset of an article with a tint but no box: one grid line above and below, 2 mm at the sides.
TINT_INSET_LINES = 1
TINT_INSET_SIDE = mm(2.0)
#: Reversed text below this size fills in on newsprint (ink spreads into the thin white
#: strokes); 9 pt 小五 body is the least that stays legible reversed out of a solid.
MIN_REVERSED_TEXT_SIZE = 9.0
#: How dark each ink looks, as its share of the light it takes away (the luminance
#: weights of the red, green and blue it absorbs: cyan absorbs red, magenta green,
#: yellow blue); K takes all of it.
DARKNESS_WEIGHTS: CMYK = (0.21, 0.72, 0.07, 1.0)
#: Body text on a tint darker than this (percent) is hard to read: newsroom practice keeps
#: tints behind text at 10–20 % K.
MAX_TINT_DARKNESS = 30.0


@dataclass(frozen=True, slots=True)
class Inset:
    """Space inside an article's frame: whole grid lines above and below, pt at the sides."""

    top: int
    bottom: int
    side: float


NO_INSET = Inset(0, 0, 0.0)


def is_white(color: CMYK) -> bool:
    return all(c <= EPS for c in color)


def darkness(color: CMYK) -> float:
    """How dark a tint looks, percent: K plus the weighted C, M and Y, at most 100."""
    return min(100.0, sum(c * w for c, w in zip(color, DARKNESS_WEIGHTS, strict=True)))


def article_inset(article: Article) -> Inset:
    """The box's inset, else a tint's; a band takes the place of the inset above."""
    if article.box is not None:
        inset = Inset(article.box.inset.lines, article.box.inset.lines, article.box.inset.side)
    elif article.tint is not None:
        inset = Inset(TINT_INSET_LINES, TINT_INSET_LINES, TINT_INSET_SIDE)
    else:
        inset = NO_INSET
    if article.band is not None:
        inset = Inset(0, inset.bottom, inset.side)
    return inset


def headline_colour(article: Article) -> tuple[CMYK, bool] | None:
    """White and knocked out on a reversed band (never overprinting), else None: the styles' own."""
    return (WHITE, False) if article.band is not None and article.band.reverse else None


def column_rules_style(article: Article, rules: PageRules) -> RuleStyle:
    return rule_style(article.column_rules, rule_style(rules.columns, NO_RULE))


def decor_under(article: Article, frame: Rect, headline_lines: int, pitch: float) -> tuple[DisplayItem, ...]:
    """What lies under the text: the tint over the whole frame, the band over the headline's lines."""
    out: list[DisplayItem] = []
    if article.tint is not None:
        out.append(Box(frame.x, frame.y, frame.width, frame.height, article.tint, None))
    if article.band is not None:
        out.append(Box(frame.x, frame.y, frame.width, headline_lines * pitch, article.band.color, None))
    return tuple(out)


def decor_over(article: Article, frame: Rect, column_xs: list[tuple[float, float]], body_top: float,
               body_bottom: float, rules: PageRules) -> tuple[DisplayItem, ...]:
    """The box along the frame edges and the column rules in the middle of the gutters
    between the text columns (``column_xs``: left and right edge of each), from the body's
    first line to its last."""
    out: list[DisplayItem] = []
    if article.box is not None:
        out += box_items(rule_style(article.box.rule, RuleStyle()), frame)
    style = column_rules_style(article, rules)
    if body_bottom - body_top > EPS:
        for (_, right), (left, _) in zip(column_xs, column_xs[1:], strict=False):
            x = (right + left) / 2
            out += rule_items(style, x, body_top, x, body_bottom)
    return tuple(out)


def tint_problems(article: Article, body_colour: CMYK, ink_limit: float) -> list[Problem]:
    """A tint or band over the ink limit; body text (not reversed) on a tint too dark to read."""
    problems: list[Problem] = []
    where = f"article {article.id}"
    fills = [("tint", "底纹", article.tint)]
    if article.band is not None:
        fills.append(("band", "色块", article.band.color))
    for key, name_zh, color in fills:
        if color is None:
            continue
        ink = sum(color)
        if ink > ink_limit + EPS:
            problems.append(Problem(
                ProblemKind.TINT_INK_LIMIT, f"{where}: the {key} {_cmyk(color)} has {ink:g} % ink, over the "
                f"ink limit of {ink_limit:g} % (output.ink_limit)", article.id,
                {"fill": key, "color": list(color), "ink": ink, "ink_limit": ink_limit},
                message_zh=f"{what_zh(where)}：{name_zh} {_cmyk(color)} 总墨量 {ink:g}%，超过墨量上限 {ink_limit:g}%"
                           "（output.ink_limit）"))
    if article.tint is not None and not is_white(body_colour) and darkness(article.tint) > MAX_TINT_DARKNESS + EPS:
        dark = darkness(article.tint)
        problems.append(Problem(
            ProblemKind.TINT_TOO_DARK, f"{where}: body text on a tint {_cmyk(article.tint)} of darkness {dark:.0f} %, "
            f"over {MAX_TINT_DARKNESS:g} %: hard to read; lighten the tint", article.id,
            {"color": list(article.tint), "darkness": round(dark, 1), "max_darkness": MAX_TINT_DARKNESS},
            message_zh=f"{what_zh(where)}：正文底纹 {_cmyk(article.tint)} 深度 {dark:.0f}%，超过 {MAX_TINT_DARKNESS:g}%，"
                       "文字难以辨读，请减淡底纹"))
    return problems


def _cmyk(color: CMYK) -> str:
    return "[" + ", ".join(f"{c:g}" for c in color) + "]"


def reversed_text_problems(display: tuple[DisplayItem, ...], owner: dict[int, str]) -> list[Problem]:
    """White text below the legible size, and white text set to overprint (it vanishes),
    once per block and kind; ``owner`` names the block of each item by its ``id()``."""
    problems: list[Problem] = []
    seen: set[tuple[str, str | None]] = set()
    for item in display:
        if not isinstance(item, GlyphRun | PlacedGlyphs) or not is_white(item.color):
            continue
        block = owner.get(id(item))
        where = f"block {block}" if block else "page furniture"
        if item.overprint and ("op", block) not in seen:
            seen.add(("op", block))
            problems.append(Problem(
                ProblemKind.WHITE_OVERPRINT, f"{where}: white text set to overprint ({item.text[:10]}…): it does not "
                "print; let it knock out (overprint: false)", block, {"size": item.size},
                message_zh=f"{what_zh(where)}：白色文字设为叠印（{item.text[:10]}…），印刷时会消失；"
                           "应改为镂空（overprint: false）"))
        if item.size < MIN_REVERSED_TEXT_SIZE - EPS and ("small", block) not in seen:
            seen.add(("small", block))
            problems.append(Problem(
                ProblemKind.REVERSED_TEXT_TOO_SMALL, f"{where}: reversed (white) text at {item.size:g} pt, below "
                f"{MIN_REVERSED_TEXT_SIZE:g} pt: it fills in on newsprint", block,
                {"size": item.size, "min_size": MIN_REVERSED_TEXT_SIZE},
                message_zh=f"{what_zh(where)}：反白文字字号 {item.size:g} pt，小于 {MIN_REVERSED_TEXT_SIZE:g} pt，"
                           "在新闻纸上易糊"))
    return problems
