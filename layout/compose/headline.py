"""The headline group (kicker 引题, title 主题, subtitle 副题, byline) of an article.

Each element is set across the frame width in its style, one line box of the style's
leading per line.  The group takes a whole number of grid lines (typography B5: a
headline block "占 N 行") so the body below stays on the grid; the group is centred
vertically in those lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from layout.compose.paragraph import Composed, ParagraphStyle, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.spec.styles import TextStyle
from layout.text.measure import Resolver
from layout.units import EPS

#: Space kept between the headline group and the first body line, in grid lines.
HEADLINE_BODY_SPACE = 0.5
#: Space between the elements of the group, as a fraction of the smaller one's size.
ELEMENT_SPACE = 0.25

ROLE_ORDER = ("kicker", "title", "subtitle", "byline")


@dataclass(frozen=True, slots=True)
class HeadlineElement:
    role: str
    style: TextStyle
    parts: tuple[Composed, ...]  # one per phrase group; their lines are drawn in order
    top: float  # top of the first line box, pt below the frame top

    @property
    def line_count(self) -> int:
        return sum(len(p.lines) for p in self.parts)

    @property
    def chars(self) -> int:
        return sum(p.chars for p in self.parts)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c for p in self.parts for c in p.missing)


@dataclass(frozen=True, slots=True)
class HeadlineBlock:
    elements: tuple[HeadlineElement, ...]
    lines: int  # grid lines taken
    too_long: tuple[tuple[str, int, int], ...]  # (role, lines needed, lines allowed)


def set_headline(
    texts: dict[str, str | None],
    styles: dict[str, TextStyle],
    width: float,
    pitch: float,
    resolver_for: Callable[[TextStyle], Resolver],
    config: ComposeConfig,
) -> HeadlineBlock:
    """Set the present elements of the group and size it in grid lines."""
    composed: list[tuple[str, TextStyle, tuple[Composed, ...]]] = []
    too_long: list[tuple[str, int, int]] = []
    for role in ROLE_ORDER:
        text = (texts.get(role) or "").strip()
        if not text:
            continue
        style = styles[role]
        para = ParagraphStyle(style.size, style.align, config)
        parts = _set_phrases(" ".join(text.split()), para, width, resolver_for(style))
        composed.append((role, style, parts))
        lines = sum(len(p.lines) for p in parts)
        if role != "byline" and lines > style.max_lines:
            too_long.append((role, lines, style.max_lines))
    if not composed:
        return HeadlineBlock((), 0, ())
    heights = [sum(len(p.lines) for p in c) * s.leading for _, s, c in composed]
    spaces = [ELEMENT_SPACE * min(a[1].size, b[1].size) for a, b in zip(composed, composed[1:], strict=False)]
    total = sum(heights) + sum(spaces)
    lines = math.ceil(total / pitch + HEADLINE_BODY_SPACE - EPS)
    top = (lines * pitch - total) / 2 - HEADLINE_BODY_SPACE * pitch / 2
    elements = []
    for k, (role, style, result) in enumerate(composed):
        elements.append(HeadlineElement(role, style, result, top))
        top += heights[k] + (spaces[k] if k < len(spaces) else 0.0)
    return HeadlineBlock(tuple(elements), lines, tuple(too_long))


#: Phrase separators in headlines: an ideographic space (or a plain one between Han).
PHRASE_SPACE = re.compile(r"\u3000+|(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def _set_phrases(text: str, para: ParagraphStyle, width: float, resolve: Resolver) -> tuple[Composed, ...]:
    """Set a headline; when it needs more than one line, break first between phrases.

    Chinese headlines separate phrases with a space (杜绝污水随意排放　改善村庄人居环境);
    breaking there keeps each phrase whole.  Phrases are packed greedily; a phrase too
    long for the line is broken by the ordinary composer.
    """
    whole = compose_paragraph(text, para, width, resolve)
    phrases = [p for p in PHRASE_SPACE.split(text) if p]
    if len(whole.lines) <= 1 or len(phrases) < 2:
        return (whole,)
    separator = "\u3000"
    groups: list[str] = []
    for phrase in phrases:
        candidate = groups[-1] + separator + phrase if groups else phrase
        if groups and len(compose_paragraph(candidate, para, width, resolve).lines) == 1:
            groups[-1] = candidate
        else:
            groups.append(phrase)
    parts = tuple(compose_paragraph(g, para, width, resolve) for g in groups)
    return parts if sum(len(p.lines) for p in parts) <= len(whole.lines) else (whole,)
