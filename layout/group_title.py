"""A group title (组合标题): one kicker/title/subtitle over a group of articles.

It is set and fitted like an article's headline group (the same styles, ``styles:``
overrides, ``min_size`` shrinking, balanced phrase breaks) across its frame, and takes
whole grid lines: ``lines: auto`` as many as the group needs (with the space an
article's headline keeps above its body), a fixed height with the group centred in it.
The articles of the group are placed by their own frames under it and keep their own
titles; the page draws no rule between the group title and them (``layout/page.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from layout.compose.headline import HeadlineBlock, set_headline
from layout.context import LayoutContext
from layout.display import DisplayItem, baseline_in_box, line_runs
from layout.geometry.grid import Rect
from layout.problems import BlockResult, Problem, ProblemKind, missing_glyph_problems, role_zh
from layout.spec.data import GroupTitle


@dataclass(frozen=True, slots=True)
class GroupTitleLayout:
    id: str
    frame: Rect
    headline_lines: int
    display: tuple[DisplayItem, ...]
    result: BlockResult
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int


def lay_out_group_title(block: GroupTitle, ctx: LayoutContext) -> GroupTitleLayout:
    grid, ref = ctx.grid, block.frame
    span = max(1, min(ref.span, grid.columns - ref.column + 1))
    texts = {"kicker": block.kicker, "title": block.title, "subtitle": block.subtitle}
    config = replace(ctx.config, first_indent=0.0)
    probe = grid.frame_rect(replace(ref, span=span, lines=1), lines=1)
    headline = set_headline(texts, ctx.styles, probe.width, grid.pitch, ctx.resolver, config)
    room = grid.n_lines - ref.line + 1
    lines = headline.lines if ref.lines == "auto" else int(ref.lines)
    frame = grid.frame_rect(replace(ref, span=span), lines=max(1, min(lines, max(room, 1))))
    problems = _problems(block, headline, int(ref.lines) if ref.lines != "auto" else room)
    offset = max(0.0, (frame.height - headline.lines * grid.pitch) / 2)  # centred in a taller frame
    display = _draw(headline, frame.x, frame.y + offset)
    chars = sum(e.chars for e in headline.elements)
    over = sum(t.chars_over for t in headline.too_long)
    status = "overflow" if any(p.severity == "error" for p in problems) else "ok"
    result = BlockResult(block.id, "group_title", round(frame.height / grid.pitch), headline.lines, (), status)
    return GroupTitleLayout(block.id, frame, headline.lines, display, result, tuple(problems), chars, chars - over)


def _draw(headline: HeadlineBlock, x: float, top: float) -> tuple[DisplayItem, ...]:
    out: list[DisplayItem] = []
    for element in headline.elements:
        style = element.style
        k = 0
        for part in element.parts:
            for line in part.lines:
                baseline = baseline_in_box(top + element.top + k * style.leading, style.leading, style.size)
                out.extend(line_runs(line, x, baseline, style.color, style.overprint))
                k += 1
    return tuple(out)


def _problems(block: GroupTitle, headline: HeadlineBlock, lines: int) -> list[Problem]:
    where = f"group title {block.id}"
    problems: list[Problem] = []
    for item in headline.too_long:
        problems.append(Problem(
            ProblemKind.HEADLINE_TOO_LONG,
            f"{where}: {item.role} takes {item.lines} lines at {item.size:g} pt, {item.allowed} allowed "
            f"(about {item.chars_over} characters over)",
            block.id, {"role": item.role, "lines": item.lines, "max_lines": item.allowed,
                       "chars_over": item.chars_over, "size": item.size},
            message_zh=f"组合标题 {block.id}：{role_zh(item.role)}以 {item.size:g} pt 排占 {item.lines} 行，"
                       f"只允许 {item.allowed} 行（约超出 {item.chars_over} 字）"))
    for role, asked, got in headline.shrunk:
        problems.append(Problem(
            ProblemKind.HEADLINE_SHRUNK, f"{where}: {role} set at {got:g} pt instead of {asked:g} pt to fit",
            block.id, {"role": role, "size": got, "asked": asked}, severity="note",
            message_zh=f"组合标题 {block.id}：{role_zh(role)}为排下已由 {asked:g} pt 缩为 {got:g} pt"))
    if headline.lines > lines:
        short = headline.lines - lines
        problems.append(Problem(
            ProblemKind.HEADLINE_NO_ROOM,
            f"{where}: needs {headline.lines} grid lines, its frame has {lines} ({short} line{'s' if short != 1 else ''} "
            "short)", block.id, {"lines_needed": headline.lines, "lines_short": short, "form": "group_title"},
            message_zh=f"组合标题 {block.id}：需占 {headline.lines} 行，版框只有 {lines} 行（差 {short} 行）"))
    problems += missing_glyph_problems(block.id, [c for e in headline.elements for c in e.missing],
                                       f"group_title {block.id}")
    return problems
