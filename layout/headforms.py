"""Where an article's headline group and column label stand (headline forms).

- ``form: top`` (the default): the group over the article, as it has always been set;
- ``form: inset`` (文包题/串文): the group in a box inside the text columns — from text
  column ``column``, ``span`` columns wide, starting at the frame's grid line ``line``.
  The box is as tall as the group's composed lines in whole grid lines, with a clear
  line above (unless it starts at the frame's top) and below; it is a :class:`Hole` for
  the body, as a photo is, so the body flows above, beside and below it on the grid;
- a column label (栏目名) before the title (the title set narrower, shifted right by the
  label's width) or in the frame's top-left corner on grid lines of its own.

An article with neither an inset headline nor a label is planned exactly as before
(the same headline, the same lines), so its page is unchanged to the byte.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from layout.compose.headline import HeadlineBlock, set_headline, tightened
from layout.context import LayoutContext
from layout.decor import column_rules_style, decor_over
from layout.display import Box, DisplayItem
from layout.geometry.grid import Rect
from layout.geometry.regions import Hole, TextColumn, text_columns
from layout.label import SetLabel, corner_lines, draw_label, set_label, title_shift
from layout.problems import Problem, ProblemKind, missing_glyph_problems
from layout.rules import RuleStyle, box_items, rule_items, rule_style
from layout.spec.data import Article, PageRules
from layout.units import EPS

#: Clear grid lines between an inset headline's box and the body above and below it.
INSET_CLEAR_LINES = 1


@dataclass(frozen=True, slots=True)
class HeadPlan:
    """Where the headline group and the label go in one article's frame."""

    headline: HeadlineBlock
    top_lines: int  # grid lines over the body at the frame's top (label corner + top headline)
    band_lines: int  # grid lines a headline band covers at the frame's top
    head_rect: Rect  # where the group is drawn: its left edge, top and measure
    title_shift: float  # the title's indent beside a label before it, pt
    holes: tuple[Hole, ...] = ()  # taken out of the body's columns (the inset box, a corner label)
    bottoms: tuple[int, ...] = ()  # grid lines an auto frame must reach down to
    inset_box: Rect | None = None  # the inset headline's box (without its clear lines)
    label: SetLabel | None = None
    label_at: tuple[float, float] = (0.0, 0.0)  # the label's top-left corner
    problems: tuple[Problem, ...] = ()

    @property
    def chars(self) -> int:
        return self.label.chars if self.label is not None else 0


def is_inset(article: Article) -> bool:
    return article.headline is not None and article.headline.form == "inset"


def set_group(article: Article, ctx: LayoutContext, width: float, shift: float = 0.0) -> HeadlineBlock:
    """The headline group at ``width``; the title ``shift`` narrower beside a label."""
    texts = {"kicker": article.kicker, "title": article.title, "subtitle": article.subtitle, "byline": article.byline}
    config = replace(ctx.config, first_indent=0.0)
    widths = {"title": width - shift} if shift > 0 else None
    return set_headline(texts, ctx.styles, width, ctx.grid.pitch, ctx.resolver, config, widths)


def plan_headline(article: Article, ctx: LayoutContext, inner: Rect, first_line: int, last_line: int) -> HeadPlan:
    """The plan for ``article`` whose text may use grid lines ``first_line``..``last_line``
    (page numbering) of ``inner`` (the frame inside any box or tint)."""
    pitch = ctx.grid.pitch
    label = set_label(article.label, ctx) if article.label is not None else None
    before = label is not None and label.spec.position == "before_title"
    corner = corner_lines(label, pitch) if label is not None and not before else 0
    shift = title_shift(label, ctx.styles["title"]) if label is not None and before else 0.0
    label_problems = tuple(missing_glyph_problems(article.id, list(label.composed.missing), f"article {article.id}")
                           ) if label is not None else ()
    if not is_inset(article):
        headline = set_group(article, ctx, inner.width, shift)
        head_rect = Rect(inner.x, inner.y + corner * pitch, inner.width, headline.lines * pitch)
        plan = HeadPlan(headline, corner + headline.lines, corner + headline.lines, head_rect, shift, label=label,
                        problems=label_problems)
        return _with_label(plan, inner, pitch, headline, corner)
    spec = article.headline
    assert spec is not None and spec.column is not None and spec.line is not None  # validated
    count = article.columns or article.frame.span
    columns = text_columns(inner, count, ctx.grid.gutter, range(0), ())
    c0 = min(spec.column, count) - 1
    c1 = min(c0 + spec.span, count) - 1
    x0, x1 = columns[c0].x, columns[c1].x + columns[c1].width
    headline = tightened(set_group(article, ctx, x1 - x0, shift), pitch)
    above = INSET_CLEAR_LINES if spec.line > 1 else 0
    start = first_line + spec.line - 1
    top = start + above  # the group's first grid line
    bottom = top + headline.lines - 1  # its last
    hole = Hole(x0, x1, start, bottom + INSET_CLEAR_LINES)
    y = ctx.grid.line_y(top)
    box = Rect(x0, y, x1 - x0, headline.lines * pitch)
    problems = list(label_problems)
    if bottom > last_line:
        problems.append(Problem(
            ProblemKind.HEADLINE_NO_ROOM,
            f"article {article.id}: the inset headline needs grid lines {start}–{bottom}, the frame ends at line "
            f"{last_line} ({bottom - last_line} line{'s' if bottom - last_line != 1 else ''} short)",
            article.id, {"lines_needed": bottom - start + 1, "lines_short": bottom - last_line, "form": "inset"},
            message_zh=f"稿件 {article.id}：文包题需占第 {start}–{bottom} 行，版框止于第 {last_line} 行"
                       f"（差 {bottom - last_line} 行）"))
    holes = [hole]
    if corner:  # a corner label beside an inset headline keeps its lines in the first columns only
        assert label is not None
        holes.append(Hole(inner.x, inner.x + label.width, first_line, first_line + corner - 1))
    plan = HeadPlan(headline, 0, 0, box, shift, tuple(holes), (bottom, first_line + corner - 1), box, label,
                    problems=tuple(problems))
    return _with_label(plan, inner, pitch, headline, corner)


def _with_label(plan: HeadPlan, inner: Rect, pitch: float, headline: HeadlineBlock, corner: int) -> HeadPlan:
    """Where the label stands: in the frame's corner, or on the title's first line."""
    label = plan.label
    if label is None:
        return plan
    if corner:
        return replace(plan, label_at=(inner.x, inner.y + (corner * pitch - label.height) / 2 - pitch / 8))
    title = next((e for e in headline.elements if e.role == "title"), None)
    if title is None:  # always there (a title is required); kept safe
        return replace(plan, label_at=(plan.head_rect.x, plan.head_rect.y))
    line_top = plan.head_rect.y + title.top
    return replace(plan, label_at=(plan.head_rect.x, line_top + (title.style.leading - label.height) / 2))


def draw_under(plan: HeadPlan, article: Article) -> tuple[DisplayItem, ...]:
    """What lies under an inset headline: its band (the article's ``band``), its box rule; and the label."""
    out: list[DisplayItem] = []
    if plan.inset_box is not None:
        box = plan.inset_box
        if article.band is not None:
            out.append(Box(box.x, box.y, box.width, box.height, article.band.color, None))
        if article.headline is not None and article.headline.rule is not None:
            out += box_items(rule_style(article.headline.rule, RuleStyle()), box)
    if plan.label is not None:
        out += draw_label(plan.label, *plan.label_at)
    return tuple(out)


def decor_over_inset(article: Article, frame: Rect, columns: tuple[TextColumn, ...], body_top: float,
                     body_bottom: float, rules: PageRules, plan: HeadPlan, pitch: float) -> tuple[DisplayItem, ...]:
    """The box and the column rules, each gutter's rule broken where an inset headline spans it."""
    out = list(decor_over(article, frame, [], body_top, body_bottom, rules))
    style = column_rules_style(article, rules)
    hole = plan.holes[0] if plan.holes else None
    for left, right in zip(columns, columns[1:], strict=False):
        x = (left.x + left.width + right.x) / 2
        spans = [(body_top, body_bottom)]
        if hole is not None and hole.x0 < x < hole.x1 and plan.inset_box is not None:
            cut_top = max(body_top, plan.inset_box.y - _clear_above(plan, pitch))
            cut_bottom = plan.inset_box.bottom + INSET_CLEAR_LINES * pitch
            spans = [(body_top, cut_top), (cut_bottom, body_bottom)]
        for y0, y1 in spans:
            if y1 - y0 > EPS:
                out += rule_items(style, x, y0, x, y1)
    return tuple(out)


def _clear_above(plan: HeadPlan, pitch: float) -> float:
    """The clear space above the inset box, pt (none when it starts at the frame's top)."""
    box, hole = plan.inset_box, plan.holes[0]
    assert box is not None
    group_lines = round(box.height / pitch)
    return (hole.last - hole.first + 1 - group_lines - INSET_CLEAR_LINES) * pitch
