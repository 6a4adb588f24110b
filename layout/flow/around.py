"""Flowing a body around inserts that span the article's frame (跨栏插入).

Items between two spanning inserts form a segment, balanced over the text columns on
its own (``balance.distribute``); a spanning insert then takes whole grid lines across
every column, from the first line below the segment's text where every column is free,
and the next segment starts below it.  One-column inserts are ordinary (unbreakable,
multi-line) items inside a segment.

A segment that does not fit leaves everything after it over: its leftover, then each
later item, a spanning insert counted at its lines in every column (what it would take
from the frame's capacity, which counts lines per column).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace

from layout.flow.balance import Distribution, FlowItem, Placement, distribute


@dataclass(frozen=True, slots=True)
class Spanning:
    """A spanning insert placed at grid lines ``line`` … ``line + item.height − 1``."""

    item: FlowItem
    line: int
    after: int  # how many placements (in reading order) come before it


def distribute_around(items: tuple[FlowItem, ...], free: tuple[tuple[int, ...], ...],
                      spans: Callable[[FlowItem], bool]) -> tuple[Distribution, tuple[Spanning, ...]]:
    """Place ``items`` over the columns' free grid lines; items for which ``spans`` is true
    cross every column.  The distribution's ``used`` and ``ends`` include them."""
    n = len(free)
    placements: list[Placement] = []
    placed_spans: list[Spanning] = []
    used, ends = [0] * n, [0] * n
    balanced, spread, start, i = True, 0, 0, 0
    common = _common(free)
    while True:
        j = i
        while j < len(items) and not spans(items[j]):
            j += 1
        here = tuple(column[bisect_left(column, start):] for column in free)
        dist = distribute(items[i:j], here)
        placements += dist.placements
        used = [a + b for a, b in zip(used, dist.used, strict=True)]
        ends = [max(a, b) for a, b in zip(ends, dist.ends, strict=True)]
        balanced, spread = balanced and dist.balanced, max(spread, dist.spread)
        if dist.leftover:
            return _done(placements, dist.leftover + _widened(items[j:], n, spans), used, ends, balanced, spread), \
                tuple(placed_spans)
        if j == len(items):
            return _done(placements, (), used, ends, balanced, spread), tuple(placed_spans)
        span = items[j]
        below = max([start - 1, *dist.ends]) + 1
        line = _run_from(common, below, span.height)
        if line is None:
            return _done(placements, _widened(items[j:], n, spans), used, ends, balanced, spread), tuple(placed_spans)
        placed_spans.append(Spanning(span, line, len(placements)))
        used = [u + span.height for u in used]
        ends = [line + span.height - 1] * n
        start, i = line + span.height, j + 1


def _done(placements: list[Placement], leftover: tuple[FlowItem, ...], used: list[int], ends: list[int],
          balanced: bool, spread: int) -> Distribution:
    return Distribution(tuple(placements), leftover, tuple(used), tuple(ends), balanced, spread)


def _common(free: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    """Grid lines free in every column, ascending."""
    if not free:
        return ()
    shared = set(free[0]).intersection(*free[1:])
    return tuple(sorted(shared))


def _run_from(lines: tuple[int, ...], first: int, height: int) -> int | None:
    """The first of ``height`` consecutive lines of ``lines``, from ``first`` on."""
    run_start, run = None, 0
    for line in lines[bisect_left(lines, first):]:
        if run and line == run_start + run:  # type: ignore[operator]
            run += 1
        else:
            run_start, run = line, 1
        if run >= height:
            return run_start
    return None


def _widened(items: tuple[FlowItem, ...], columns: int, spans: Callable[[FlowItem], bool]) -> tuple[FlowItem, ...]:
    """Items left over, a spanning one at its lines in every column."""
    return tuple(replace(item, height=item.height * columns) if spans(item) else item for item in items)
