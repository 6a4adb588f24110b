"""Page furniture: the duty-editor header line, the hotline footer, rules between articles.

Header and footer sit in the margins, outside the type area (contract §2), each
separated from the type area by a thin rule (报眉 / page foot, typography B6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from layout.compose.paragraph import compose_paragraph
from layout.context import LayoutContext
from layout.display import BASELINE_IN_EM_BOX, DisplayItem, Rule, line_runs
from layout.geometry.grid import Rect
from layout.problems import Problem, ProblemKind, missing_glyph_problems, what_zh
from layout.spec.data import Footer, Header
from layout.spec.styles import BLACK, TextStyle
from layout.units import EPS, mm

#: Thin rule (正线) under the header, over the footer and between articles, pt.
RULE_WIDTH = 0.5
#: Distance from the type area to the header/footer rule.
FURNITURE_RULE_GAP = mm(2.0)
#: Distance from that rule to the header/footer text.
FURNITURE_TEXT_GAP = mm(1.5)
#: Between the credits of different roles, and between folio parts: an em space.
ITEM_SEPARATOR = "\u3000"
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True, slots=True)
class Furniture:
    header: tuple[DisplayItem, ...]
    footer: tuple[DisplayItem, ...]
    problems: tuple[Problem, ...]
    chars: int


def credits_text(header: Header) -> str:
    """``值班主任：余虔虹 陈海边　责编：钟海浪　版式：戴奇宙`` (roles in the spec's order)."""
    parts = []
    for role, names in header.credits.items():
        listed = " ".join(names) if isinstance(names, list) else str(names)
        parts.append(f"{role}：{listed}")
    return ITEM_SEPARATOR.join(parts)


def folio_text(header: Header) -> str:
    folio = header.folio
    if folio is None:
        return ""
    parts = []
    if folio.page is not None:
        parts.append(f"第{folio.page}版" if str(folio.page).isdigit() else str(folio.page))
    parts += [p for p in (folio.section, folio.paper) if p]
    if isinstance(folio.date, dt.date):
        parts.append(f"{folio.date.year}年{folio.date.month}月{folio.date.day}日　星期{WEEKDAYS[folio.date.weekday()]}")
    elif folio.date:
        parts.append(str(folio.date))
    return ITEM_SEPARATOR.join(parts)


def footer_text(footer: Footer) -> str:
    parts = []
    if footer.hotline:
        parts.append(f"新闻热线：{footer.hotline}")
    if footer.email:
        parts.append(f"投稿邮箱：{footer.email}")
    return ITEM_SEPARATOR.join(parts)


def lay_out_furniture(header: Header | None, footer: Footer | None, ctx: LayoutContext) -> Furniture:
    area = ctx.grid.type_area
    display: list[DisplayItem] = []
    footer_display: list[DisplayItem] = []
    problems: list[Problem] = []
    chars = 0
    if header is not None:
        style = ctx.styles["header"]
        rule_y = area.y - FURNITURE_RULE_GAP
        baseline = rule_y - FURNITURE_TEXT_GAP - (1 - BASELINE_IN_EM_BOX) * style.size
        folio, credits = folio_text(header), credits_text(header)
        texts = [(folio, "left"), (credits, "right")] if folio else [(credits, style.align)]
        for text, align in texts:
            runs, found, count = _set(text, replace(style, align=align), area, baseline, ctx, "header")
            display += runs
            problems += found
            chars += count
        display.append(Rule(area.x, rule_y, area.right, rule_y, RULE_WIDTH, BLACK))
        if baseline - BASELINE_IN_EM_BOX * style.size < -EPS:
            problems.append(Problem(ProblemKind.FURNITURE_OUTSIDE_PAGE, "header: the top margin is too small for the header line",
                                    message_zh="报眉：天头太窄，放不下报眉"))
    if footer is not None and footer_text(footer):
        style = ctx.styles["footer"]
        rule_y = area.bottom + FURNITURE_RULE_GAP
        baseline = rule_y + FURNITURE_TEXT_GAP + BASELINE_IN_EM_BOX * style.size
        footer_display.append(Rule(area.x, rule_y, area.right, rule_y, RULE_WIDTH, BLACK))
        runs, found, count = _set(footer_text(footer), style, area, baseline, ctx, "footer")
        footer_display += runs
        problems += found
        chars += count
        if baseline + (1 - BASELINE_IN_EM_BOX) * style.size > ctx.grid.height + EPS:
            problems.append(Problem(ProblemKind.FURNITURE_OUTSIDE_PAGE, "footer: the bottom margin is too small for the footer line",
                                    message_zh="报脚：地脚太窄，放不下报脚"))
    return Furniture(tuple(display), tuple(footer_display), tuple(problems), chars)


def _set(text: str, style: TextStyle, area: Rect, baseline: float, ctx: LayoutContext,
         where: str) -> tuple[list[DisplayItem], list[Problem], int]:
    """One line of furniture, aligned in the type-area width; never broken."""
    if not text:
        return [], [], 0
    para = ctx.paragraph(style, align="left")
    composed = compose_paragraph(text, para, area.width * UNBROKEN_WIDTH_FACTOR, ctx.resolver(style))
    line = composed.lines[0]
    natural = line.used
    problems = missing_glyph_problems(None, list(composed.missing), where)
    if natural > area.width + EPS:
        problems.append(Problem(ProblemKind.FURNITURE_TOO_LONG, f"{where}: the line is {natural - area.width:.1f} pt wider than the type area",
                                message_zh=f"{what_zh(where)}：比版心宽 {natural - area.width:.1f} pt"))
    offset = {"right": area.width - natural, "center": (area.width - natural) / 2}.get(style.align, 0.0)
    runs: list[DisplayItem] = list(line_runs(line, area.x + offset, baseline, style.color))
    return runs, problems, composed.chars


#: Furniture is set on one line: composed in a measure this many times the type width.
UNBROKEN_WIDTH_FACTOR = 8
