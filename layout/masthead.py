"""Lay out the masthead (报头) and the ear (报眼) beside it.

The masthead's slot holds, from the top: the paper's name — the paper's vector artwork
(a PDF page, fitted whole and centred) or the name set in a font as large as the slot
allows — then, on the slot's last grid lines, the date line (date, weekday, 农历) and the
numbers line (期号, 国内统一连续出版物号, 邮发代号), and an optional weather line, each
centred in the ``header`` style.  A line too wide for the slot is broken between its items.

The ear holds a short text under an optional title, or an image, in a thin box.
"""

from __future__ import annotations

from dataclasses import replace

from layout.compose.paragraph import compose_paragraph
from layout.context import LayoutContext
from layout.display import Box, DisplayItem, baseline_in_box, line_runs
from layout.furniture import ITEM_SEPARATOR, RULE_WIDTH, WEEKDAYS
from layout.geometry.grid import Rect
from layout.lunar import lunar_date
from layout.memo import Memo
from layout.problems import BlockResult, Problem, ProblemKind, missing_glyph_problems
from layout.spec.data import Ear, Index, Masthead
from layout.spec.styles import BLACK, TextStyle
from layout.supplied import SlotLayout, Who, place_image, place_pdf
from layout.units import EPS

#: The set name's em box fills at most this share of the name's slot height (the rest
#: is air above and below the characters).
NAME_HEIGHT_FILL = 0.86
#: ... and at most this share of the slot's width.
NAME_WIDTH_FILL = 0.96
#: Space between the name and the date lines, in grid lines.
NAME_GAP_LINES = 0.5
#: An ear's text stands this far inside its box (pt).
EAR_INSET = 4.0
#: Measure a line is composed in before it is known to fit (times the slot's width).
UNBROKEN_WIDTH_FACTOR = 8


def masthead_lines(block: Masthead) -> list[list[str]]:
    """The masthead's text lines as groups of items (a group is broken between items when
    it is too wide): the date line, the numbers line, the weather line — those given."""
    groups: list[list[str]] = []
    if block.date is not None:
        day = block.date
        dated = [f"{day.year}年{day.month}月{day.day}日", f"星期{WEEKDAYS[day.weekday()]}"]
        lunar = lunar_date(day)
        if lunar is not None:
            dated.append(f"农历{lunar.text()}")
        groups.append(dated)
    numbers = []
    if block.issue is not None:
        numbers.append(f"第{block.issue}期")
    if block.cn:
        numbers.append(f"国内统一连续出版物号 CN {block.cn}")
    if block.postal:
        numbers.append(f"邮发代号 {block.postal}")
    if numbers:
        groups.append(numbers)
    if block.weather:
        groups.append([f"天气 {block.weather}"])
    return groups


def lay_out_masthead(block: Masthead, ctx: LayoutContext, memo: Memo) -> SlotLayout:
    grid = ctx.grid
    frame = slot_frame(block, ctx)
    lines = round(frame.height / grid.pitch)
    style = ctx.styles["header"]
    who = Who(block.id, "masthead", "报头")
    problems: list[Problem] = []
    rows: list[str] = []
    for group in masthead_lines(block):
        rows += _packed(group, style, frame.width, ctx)
    name_lines = lines - len(rows)
    display: list[DisplayItem] = []
    chars = 0
    if name_lines < 1:
        problems.append(Problem(ProblemKind.OVERFLOW, f"{who}: its {lines} lines leave no room for the name above "
                                f"{len(rows)} date and number lines", block.id, {"lines_over": 1 - name_lines},
                                message_zh=f"{who.zh_name}：{lines} 行放下 {len(rows)} 行日期与刊号后，没有位置放报名"))
        rows = rows[: max(lines - 1, 0)]
        name_lines = lines - len(rows)
    gap = NAME_GAP_LINES * grid.pitch if rows else 0.0
    slot = Rect(frame.x, frame.y, frame.width, max(name_lines * grid.pitch - gap, grid.pitch / 2))
    placed = False
    if block.artwork is not None:
        items, found, placed = place_pdf(who, block.artwork, block.artwork_page, slot, ctx, memo)
        problems += found
        if placed:
            display += items
    if not placed:  # no artwork, or artwork that cannot be used: the name set in type
        runs, found, count = _name(block, slot, ctx)
        display += runs
        problems += found
        chars += count
    for k, text in enumerate(rows):
        top = frame.y + (name_lines + k) * grid.pitch
        runs, found, count = _centred(text, style, frame, top, ctx, who)
        display += runs
        problems += found
        chars += count
    status = "overflow" if any(p.kind == ProblemKind.OVERFLOW for p in problems) else "ok"
    result = BlockResult(block.id, "masthead", lines, len(rows) + 1, (lines,), status)
    return SlotLayout(block.id, frame, tuple(display), result, tuple(problems), chars, chars)


def slot_frame(block: Masthead | Ear | Index, ctx: LayoutContext) -> Rect:
    """The block's frame, held inside the grid (a frame past it is reported elsewhere)."""
    grid = ctx.grid
    lines = min(int(block.frame.lines), max(grid.n_lines - block.frame.line + 1, 1))
    span = max(min(block.frame.span, grid.columns - block.frame.column + 1), 1)
    return grid.frame_rect(replace(block.frame, span=span), lines=lines)


def _packed(items: list[str], style: TextStyle, width: float, ctx: LayoutContext) -> list[str]:
    """Items joined by an em space into as few lines as fit ``width`` (an item wider
    than the width stands alone, and is reported when set)."""
    rows: list[str] = []
    for item in items:
        joined = f"{rows[-1]}{ITEM_SEPARATOR}{item}" if rows else item
        if rows and _natural(joined, style, width, ctx) <= width + EPS:
            rows[-1] = joined
        else:
            rows.append(item)
    return rows


def _natural(text: str, style: TextStyle, width: float, ctx: LayoutContext) -> float:
    composed = compose_paragraph(text, ctx.paragraph(style, align="left"), width * UNBROKEN_WIDTH_FACTOR,
                                 ctx.resolver(style))
    return composed.lines[0].used if composed.lines else 0.0


def _centred(text: str, style: TextStyle, frame: Rect, top: float, ctx: LayoutContext,
             who: Who) -> tuple[list[DisplayItem], list[Problem], int]:
    """One line centred in the frame on the grid line at ``top``, never broken."""
    composed = compose_paragraph(text, ctx.paragraph(style, align="left"), frame.width * UNBROKEN_WIDTH_FACTOR,
                                 ctx.resolver(style))
    line = composed.lines[0]
    problems = missing_glyph_problems(who.id, list(composed.missing), str(who))
    if line.used > frame.width + EPS:
        problems.append(Problem(ProblemKind.OVERFLOW, f"{who}: the line {text!r} is {line.used - frame.width:.1f} pt "
                                "wider than its slot", who.id, {"lines_over": 1, "chars_over": 0},
                                message_zh=f"{who.zh_name}：“{text}”比版位宽 {line.used - frame.width:.1f} pt"))
    x = frame.x + (frame.width - line.used) / 2
    baseline = baseline_in_box(top, ctx.grid.pitch, style.size)
    return line_runs(line, x, baseline, style.color), problems, composed.chars


def _name(block: Masthead, slot: Rect, ctx: LayoutContext) -> tuple[list[DisplayItem], list[Problem], int]:
    """The paper's name set in its family, as large as the slot allows, centred in it."""
    base = replace(ctx.styles["title"], family=block.font, weight="regular", color=block.color or BLACK,
                   align="left", max_lines=1, min_size=None)
    size = slot.height * NAME_HEIGHT_FILL
    natural = _natural(block.name, replace(base, size=size), slot.width, ctx)
    if natural > slot.width * NAME_WIDTH_FILL:
        size *= slot.width * NAME_WIDTH_FILL / natural
    style = replace(base, size=size, leading=size)
    composed = compose_paragraph(block.name, ctx.paragraph(style, align="left"), slot.width * UNBROKEN_WIDTH_FACTOR,
                                 ctx.resolver(style))
    line = composed.lines[0]
    x = slot.x + (slot.width - line.used) / 2
    baseline = baseline_in_box(slot.y, slot.height, size)
    problems = missing_glyph_problems(block.id, list(composed.missing), f"masthead {block.id}")
    return line_runs(line, x, baseline, style.color), problems, composed.chars


def lay_out_ear(block: Ear, ctx: LayoutContext) -> SlotLayout:
    grid = ctx.grid
    frame = slot_frame(block, ctx)
    lines = round(frame.height / grid.pitch)
    who = Who(block.id, "ear", "报眼")
    display: list[DisplayItem] = []
    if block.border:
        display.append(Box(frame.x, frame.y, frame.width, frame.height, None, BLACK, line_width=RULE_WIDTH))
    inset = EAR_INSET if block.border else 0.0
    inner = Rect(frame.x + inset, frame.y + inset, frame.width - 2 * inset, frame.height - 2 * inset)
    if block.src is not None:
        items, problems = place_image(who, block.src, inner, ctx)
        result = BlockResult(block.id, "ear", lines, lines, (lines,), "ok")
        return SlotLayout(block.id, frame, tuple(display + items), result, tuple(problems), 0, 0)
    texts = [text for text in (block.text or "").split("\n\n") if text.strip()]
    return lay_out_text_slot(who, frame, block.title, ["".join(text.split("\n")).strip() for text in texts],
                             block.border, ctx)


def lay_out_text_slot(who: Who, frame: Rect, title: str | None, texts: list[str], border: bool,
                      ctx: LayoutContext) -> SlotLayout:
    """A boxed slot of text on the grid: an optional centred title (subhead style) over
    paragraphs (body style); what does not fit is an overflow.  An ear's text, an index (导读)."""
    grid = ctx.grid
    lines = round(frame.height / grid.pitch)
    display: list[DisplayItem] = []
    if border:
        display.append(Box(frame.x, frame.y, frame.width, frame.height, None, BLACK, line_width=RULE_WIDTH))
    inset = EAR_INSET if border else 0.0
    inner = Rect(frame.x + inset, frame.y + inset, frame.width - 2 * inset, frame.height - 2 * inset)
    rows: list[tuple[object, int, TextStyle]] = []
    paragraphs = []
    if title:
        style = replace(ctx.styles["subhead"], align="center")
        paragraphs.append((" ".join(title.split()), style))
    paragraphs += [(text, ctx.styles["body"]) for text in texts]
    composed_all = []
    for text, style in paragraphs:
        composed = compose_paragraph(text, ctx.paragraph(style), inner.width, ctx.resolver(style))
        composed_all.append(composed)
        rows += [(composed, k, style) for k in range(len(composed.lines))]
    # the text sits on the grid lines inside the box: the first line below the top inset
    first = 1 if border else 0
    room = max(lines - 2 * first, 0) if border else lines
    shown = rows[:room]
    for k, (composed, index, style) in enumerate(shown):
        top = frame.y + (first + k) * grid.pitch
        baseline = baseline_in_box(top, grid.pitch, style.size)
        display += line_runs(composed.lines[index], inner.x, baseline, style.color)  # type: ignore[attr-defined]
    problems: list[Problem] = []
    for composed in composed_all:
        problems += missing_glyph_problems(who.id, list(composed.missing), str(who))
    total = sum(c.chars for c in composed_all)
    placed = sum(composed.lines[i].chars for composed, i, _ in shown)  # type: ignore[attr-defined]
    status = "ok"
    if len(rows) > room:
        status = "overflow"
        over = len(rows) - room
        problems.append(Problem(ProblemKind.OVERFLOW, f"{who}: {over} line{'s' if over != 1 else ''} (about "
                                f"{total - placed} characters) do not fit", who.id,
                                {"lines_over": over, "chars_over": total - placed},
                                message_zh=f"{who.zh_name}：超出 {over} 行（约 {total - placed} 字），需删减"))
    result = BlockResult(who.id, who.en, lines, len(rows) + 2 * first, (lines,), status)
    return SlotLayout(who.id, frame, tuple(display), result, tuple(problems), total, placed)


__all__ = ["lay_out_ear", "lay_out_masthead", "lay_out_text_slot", "masthead_lines", "slot_frame"]
