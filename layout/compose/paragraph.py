"""One paragraph from text to set lines: segment → measure → prepare → break → justify."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from layout.compose import store
from layout.compose.justify import SetLine, set_line
from layout.compose.linebreak import Line, break_lines
from layout.compose.oversize import split_oversize
from layout.compose.prepare import ComposeConfig, Prepared, prepare
from layout.compose.totalfit import break_total_fit
from layout.pickling import by_fields
from layout.text.measure import Resolver, measure
from layout.text.segment import segment


@dataclass(frozen=True, slots=True)
class Composed:
    prep: Prepared
    lines: tuple[SetLine, ...]
    missing: tuple[str, ...]

    @property
    def chars(self) -> int:
        return sum(line.chars for line in self.lines)

    __reduce__ = by_fields  # fast to load from the composition cache


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    size: float
    align: str
    config: ComposeConfig

    __reduce__ = by_fields  # fast to load from the composition cache


def compose_paragraph(text: str, style: ParagraphStyle, width: float, resolve: Resolver,
                      break_width: float | None = None) -> Composed:
    """Set ``text`` (one paragraph) in lines of ``width`` points.

    ``break_width`` (at most ``width``) breaks the lines narrower than they are set, so
    that a centred heading can have lines of even length (see :func:`compose_balanced`).
    Results are immutable and cached: a re-render recomposes only what changed.
    """
    return _compose_cached(text, style, width, resolve, break_width)


#: Paragraphs kept composed per process (a broadsheet page has a few hundred).
PARAGRAPH_CACHE_SIZE = 4096


@lru_cache(maxsize=PARAGRAPH_CACHE_SIZE)
def _compose_cached(text: str, style: ParagraphStyle, width: float, resolve: Resolver,
                    break_width: float | None) -> Composed:
    entry = store.entry_name("paragraph", resolve, text, style, width, break_width)
    found = store.load(entry)
    if isinstance(found, Composed):
        return found
    prep, missing = _prepare(text, style, width, resolve)
    composed = _set(prep, missing, style, width, min(break_width or width, width))
    store.save(entry, composed)
    return composed


def _prepare(text: str, style: ParagraphStyle, width: float, resolve: Resolver) -> tuple[Prepared, tuple[str, ...]]:
    measured = measure(segment(text), style.size, resolve, style.config.style.half_mid)
    atoms = split_oversize(measured.atoms, width, resolve)
    return prepare(atoms, style.config), measured.missing


def _set(prep: Prepared, missing: tuple[str, ...], style: ParagraphStyle, width: float, break_width: float) -> Composed:
    if not len(prep):
        return Composed(prep, (), missing)
    lines = _break(prep, break_width, style.config.composer)
    set_lines = tuple(
        set_line(prep, line, width, style.align, last=(k == len(lines) - 1)) for k, line in enumerate(lines)
    )
    return Composed(prep, set_lines, missing)


def _break(prep: Prepared, width: float, composer: str) -> tuple[Line, ...]:
    """Total-fit when asked and possible; first-fit otherwise (and as the fallback)."""
    if composer == "total-fit":
        lines = break_total_fit(prep, width)
        if lines is not None:
            return lines
    return break_lines(prep, width)


#: Steps of the search for the narrowest measure that keeps a heading's line count.
BALANCE_SEARCH_STEPS = 12


@lru_cache(maxsize=PARAGRAPH_CACHE_SIZE)
def compose_balanced(text: str, style: ParagraphStyle, width: float, resolve: Resolver) -> Composed:
    """A heading broken into lines of even length (like CSS ``text-wrap: balance``).

    Greedy breaking of a centred two-line heading can leave one character alone on the
    second line (落实普法工作责 / 任).  The narrowest measure that still gives the same
    number of lines is found by bisection; lines are broken at it and set at ``width``.
    Cached like :func:`compose_paragraph`.
    """
    entry = store.entry_name("balanced", resolve, text, style, width)
    found = store.load(entry)
    if isinstance(found, Composed):
        return found
    composed = _compose_balanced(text, style, width, resolve)
    store.save(entry, composed)
    return composed


def _compose_balanced(text: str, style: ParagraphStyle, width: float, resolve: Resolver) -> Composed:
    prep, missing = _prepare(text, style, width, resolve)
    count = len(break_lines(prep, width)) if len(prep) else 0
    if count < 2 or style.align == "justify":
        return _set(prep, missing, style, width, width)
    low, high = width / count * 0.5, width
    for _ in range(BALANCE_SEARCH_STEPS):  # only breaking here: setting comes once, at the end
        middle = (low + high) / 2
        if len(break_lines(prep, middle)) <= count:
            high = middle
        else:
            low = middle
    return _set(prep, missing, style, width, high if len(break_lines(prep, high)) == count else width)
