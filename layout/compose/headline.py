"""The headline group (kicker 引题, title 主题, subtitle 副题, byline) of an article.

Each element is set across the frame width in its style, one line box of the style's
leading per line.  The group takes a whole number of grid lines (typography B5: a
headline block "占 N 行") so the body below stays on the grid; the group is centred
vertically in those lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from layout.compose.paragraph import Composed, ParagraphStyle, compose_balanced, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.spec.styles import TextStyle
from layout.text.clreq import Kind
from layout.text.measure import Resolver, measure
from layout.text.segment import segment
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
class TooLong:
    """A headline element that needs more lines than its style allows."""

    role: str
    lines: int
    allowed: int
    chars_over: int  # characters on the lines past the allowed ones
    size: float  # the size it was set in (after any shrinking)


@dataclass(frozen=True, slots=True)
class HeadlineBlock:
    elements: tuple[HeadlineElement, ...]
    lines: int  # grid lines taken
    too_long: tuple[TooLong, ...]
    shrunk: tuple[tuple[str, float, float], ...]  # (role, size asked, size set) for styles with min_size


def set_headline(
    texts: dict[str, str | None],
    styles: dict[str, TextStyle],
    width: float,
    pitch: float,
    resolver_for: Callable[[TextStyle], Resolver],
    config: ComposeConfig,
    widths: Mapping[str, float] | None = None,
) -> HeadlineBlock:
    """Set the present elements of the group and size it in grid lines; ``widths``: the
    measure of a role set narrower than ``width`` (a title beside a column label)."""
    composed: list[tuple[str, TextStyle, tuple[Composed, ...]]] = []
    too_long: list[TooLong] = []
    shrunk: list[tuple[str, float, float]] = []
    for role in ROLE_ORDER:
        text = (texts.get(role) or "").strip()
        if not text:
            continue
        measure_width = width if widths is None else widths.get(role, width)
        text, dropped = _within_reach(headline_text(text), styles[role], measure_width)
        style, parts = _fit_element(text, styles[role], measure_width, resolver_for(styles[role]), config,
                                    limited=role != "byline")
        composed.append((role, style, parts))
        if style.size != styles[role].size:
            shrunk.append((role, styles[role].size, style.size))
        lines = sum(len(p.lines) for p in parts)
        dropped_chars = len("".join(dropped.split()))
        if dropped_chars:  # counted, not composed: lines estimated at the rate of those composed
            lines += math.ceil(dropped_chars / max(1.0, sum(p.chars for p in parts) / max(1, lines)))
        if (role != "byline" or dropped_chars) and lines > style.max_lines:
            over = sum(line.chars for line in [ln for p in parts for ln in p.lines][style.max_lines:]) + dropped_chars
            too_long.append(TooLong(role, lines, style.max_lines, over, style.size))
    if not composed:
        return HeadlineBlock((), 0, (), ())
    heights = [sum(len(p.lines) for p in c) * s.leading for _, s, c in composed]
    spaces = [ELEMENT_SPACE * min(a[1].size, b[1].size) for a, b in zip(composed, composed[1:], strict=False)]
    total = sum(heights) + sum(spaces)
    lines = math.ceil(total / pitch + HEADLINE_BODY_SPACE - EPS)
    top = (lines * pitch - total) / 2 - HEADLINE_BODY_SPACE * pitch / 2
    elements = []
    for k, (role, style, result) in enumerate(composed):
        elements.append(HeadlineElement(role, style, result, top))
        top += heights[k] + (spaces[k] if k < len(spaces) else 0.0)
    return HeadlineBlock(tuple(elements), lines, tuple(too_long), tuple(shrunk))


#: Lines of a headline element composed past its ``max_lines`` before the rest is only
#: counted: a whole article pasted into a title is reported in a second.
HEADLINE_COMPOSE_MARGIN = 10
#: The narrowest a character is set, in em (a thin space, a narrow Latin letter).
NARROWEST_ADVANCE_EM = 0.2


def _within_reach(text: str, style: TextStyle, width: float) -> tuple[str, str]:
    """The part of a headline text that can matter (its ``max_lines`` and a margin, at the
    smallest size it may shrink to, of the narrowest characters), and the rest."""
    smallest = min(style.size, style.min_size or style.size)
    per_line = max(1, int(width / (smallest * NARROWEST_ADVANCE_EM)))
    limit = (min(style.max_lines, 1000) + HEADLINE_COMPOSE_MARGIN) * per_line
    return text[:limit], text[limit:]


#: Step in which a headline with a ``min_size`` shrinks until it fits its lines, pt.
SHRINK_STEP = 1.0
#: Sizes of the ``SHRINK_STEP`` ladder composed one by one, largest first, before the rest
#: of the ladder is bisected (a smaller size rarely needs more lines); sizes that provably
#: cannot fit are passed over without composing, so a title is composed at most about
#: this many times plus log2 of the ladder (each try composes the whole title).
MAX_SHRINK_TRIES = 8
#: Relative margin on the no-fit proof, so that rounding never skips a size that fits.
SHRINK_PROOF_MARGIN = 1e-6


def _fit_element(text: str, style: TextStyle, width: float, resolve: Resolver, config: ComposeConfig,
                 limited: bool) -> tuple[TextStyle, tuple[Composed, ...]]:
    """Set one element; with ``min_size``, the largest size of the ladder that fits
    ``max_lines`` (or the smallest size when none does)."""
    ladder = _shrink_ladder(style) if limited else [style]
    han = _han_em(text, style, resolve, config) if len(ladder) > 1 else (0.0, 0.0)
    tried: dict[int, tuple[bool, tuple[Composed, ...]]] = {}

    def attempt(k: int) -> tuple[bool, tuple[Composed, ...]]:
        if k not in tried:
            current = ladder[k]
            conf = replace(config, punctuation=current.punctuation) if current.punctuation else config
            parts = _set_phrases(text, ParagraphStyle(current.size, current.align, conf), width, resolve)
            tried[k] = (sum(len(p.lines) for p in parts) <= current.max_lines, parts)
        return tried[k]

    last = len(ladder) - 1
    k = 0
    while k < last and len(tried) < MAX_SHRINK_TRIES:
        if not _cannot_fit(han, ladder[k], width) and attempt(k)[0]:
            return ladder[k], attempt(k)[1]
        k += 1
    low, high = k, last  # the first size that fits is in low..high, or none is (then high)
    while low < high:
        middle = (low + high) // 2
        if not _cannot_fit(han, ladder[middle], width) and attempt(middle)[0]:
            high = middle
        else:
            low = middle + 1
    return ladder[high], attempt(high)[1]


def _shrink_ladder(style: TextStyle) -> list[TextStyle]:
    """The style at its size and at every ``SHRINK_STEP`` smaller down to ``min_size``."""
    ladder = [style]
    current = style
    while current.min_size is not None and current.size - SHRINK_STEP >= current.min_size - EPS:
        smaller = current.size - SHRINK_STEP
        current = replace(current, size=smaller, leading=current.leading * smaller / current.size)
        ladder.append(current)
    return ladder


def _han_em(text: str, style: TextStyle, resolve: Resolver, config: ComposeConfig) -> tuple[float, float]:
    """Total and widest width of the title's Han characters, in em.

    They are never trimmed, compressed or hung, and each is an atom of its own whatever
    the text around it, so no line break sets them in less: a line holds at most a
    measure of them unless it holds a single atom wider than the measure.
    """
    conf = replace(config, punctuation=style.punctuation) if style.punctuation else config
    atoms = measure(segment(text), style.size, resolve, conf.style.half_mid).atoms
    widths = [a.width / style.size for a in atoms if a.kind is Kind.HAN and a.text == a.source]
    return sum(widths), max(widths, default=0.0)


def _cannot_fit(han_em: tuple[float, float], style: TextStyle, width: float) -> bool:
    """Whether the Han characters alone at ``style.size`` need more than ``max_lines`` lines."""
    total, widest = han_em
    if widest * style.size > width:  # such a character takes a line alone: no proof here
        return False
    return total * style.size * (1 - SHRINK_PROOF_MARGIN) > style.max_lines * (width + EPS)


#: Where a headline may break by phrase: at a space between phrases (an ideographic
#: space, or a plain one between Han), before an opening quote or bracket and after a
#: closing one — so that 茂南区第八期基层党建“一巩二优三提升”活动举行 breaks before “.
PHRASE_BOUNDARY = re.compile(r"\u3000+|(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])|(?=[“‘《（「『【〔])|(?<=[”’》）」』】〕])")
#: Headlines are set on one line each part; a measure this many times the frame width
#: measures a part's natural length.
UNBROKEN = 16


def _set_phrases(text: str, para: ParagraphStyle, width: float, resolve: Resolver) -> tuple[Composed, ...]:
    """Set a headline; when it needs more than one line, break between phrases.

    Among the ways to break at phrase boundaries into the fewest lines that each fit,
    the one with the shortest longest line wins (balanced lines).  Without such a way
    (a phrase longer than the measure), the ordinary composer breaks it, balanced.
    """
    whole = compose_balanced(text, para, width, resolve)
    spans = _phrase_spans(text)
    if len(whole.lines) <= 1 or len(spans) < 2:
        return (whole,)
    # By the run's text, not its position: a headline repeats its phrases, and runs of the
    # same text have the same length (composing each again made long titles slow).
    lengths: dict[str, float] = {}

    def line_text(i: int, j: int) -> str:
        return text[spans[i][0] : spans[j - 1][1]]

    def length(i: int, j: int) -> float:
        run = line_text(i, j)
        if run not in lengths:
            line = compose_paragraph(run, para, width * UNBROKEN, resolve).lines
            lengths[run] = line[0].used - line[0].placed[0].box_x if line else 0.0
        return lengths[run]

    best = _partition(len(spans), width, length)
    if best is None or len(best) > len(whole.lines):
        return (whole,)
    return tuple(compose_paragraph(line_text(i, j), para, width, resolve) for i, j in best)


def _phrase_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the phrases of a headline, spaces between them left out."""
    cuts = sorted({0, len(text), *(p for m in PHRASE_BOUNDARY.finditer(text) for p in (m.start(), m.end()))})
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def headline_text(text: str) -> str:
    """Whitespace collapsed; a space between two Chinese phrases becomes an em space (　)."""
    text = re.sub(r"[ \t\r\n]+", " ", text.strip())
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "\u3000", text)


def _partition(n: int, width: float, length) -> list[tuple[int, int]] | None:  # type: ignore[no-untyped-def]
    """Split tokens 0..n into runs that fit ``width``: fewest runs, then shortest longest run.

    A run only grows as it takes more tokens, so the runs from ``i`` are tried until the
    first that does not fit: the work is linear in the tokens times the tokens per line
    (trying every run was cubic: minutes for a 3,000-character title).
    """
    best: dict[int, tuple[int, float, list[tuple[int, int]]] | None] = {n: (0, 0.0, [])}
    for i in range(n - 1, -1, -1):
        choice = None
        for j in range(i + 1, n + 1):
            rest = best[j]
            run = length(i, j)
            if run > width + EPS:
                break
            if rest is None:
                continue
            candidate = (rest[0] + 1, max(run, rest[1]), [(i, j), *rest[2]])
            if choice is None or candidate[:2] < choice[:2]:
                choice = candidate
        best[i] = choice
    top = best[0]
    return top[2] if top is not None else None


def tightened(block: HeadlineBlock, pitch: float) -> HeadlineBlock:
    """The group in the fewest whole grid lines that hold it, centred in them, without
    the space kept above the body (a headline set into the text has clear lines of its own)."""
    if not block.elements:
        return block
    first, last = block.elements[0], block.elements[-1]
    total = last.top + last.line_count * last.style.leading - first.top
    lines = math.ceil(total / pitch - EPS)
    shift = (lines * pitch - total) / 2 - first.top
    elements = tuple(replace(e, top=e.top + shift) for e in block.elements)
    return replace(block, elements=elements, lines=lines)
