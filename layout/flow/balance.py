"""Column balancing on the baseline grid (contract §5; typography C3).

Vertical positions are whole grid lines, so balancing is integer arithmetic.  Each
text column has a set of free grid lines (below the headline, outside photo frames).
For an end line L, the text may use every free line up to L in the first j columns
and up to L − 1 in the rest; candidates are tried in order of growing capacity, so the
first one that holds every item ends all columns on L or L − 1 — balanced within one
grid line, with the leftover space at the bottom.  Items of more than one line
(subheads) need consecutive free lines and are never left last in a column; when that
wastes a line the next candidate is tried.  A subhead at the top of a column drops
its space above (it takes ``top_height`` lines there); one that would stand last in a
column either moves to the next column or, when the grid line below the limit is free,
keeps its first body line by running one line past the limit.  Among the first
candidates that hold everything, the one whose column ends are closest wins (the first
within one line ends the search).  The number of trials is bounded.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

#: Trials after the first candidate that holds everything, looking for a balanced one.
EXTRA_BALANCE_TRIALS = 24


@dataclass(frozen=True, slots=True)
class FlowItem:
    height: int  # grid lines
    chars: int  # characters, for overflow reports
    keep_with_next: bool  # a subhead: never last in a column
    payload: object  # what page.py draws (a set line, a subhead)
    top_height: int = 0  # grid lines when first in a column (0: same as height)

    def height_at(self, column_top: bool) -> int:
        return self.top_height if (column_top and self.top_height) else self.height


@dataclass(frozen=True, slots=True)
class Placement:
    column: int  # 0-based text column
    line: int  # grid line (1-based, page numbering) of the item's first line
    item: FlowItem
    height: int  # grid lines it takes here


@dataclass(frozen=True, slots=True)
class Distribution:
    placements: tuple[Placement, ...]
    leftover: tuple[FlowItem, ...]  # did not fit: overflow
    used: tuple[int, ...]  # grid lines used per column
    ends: tuple[int, ...]  # last used grid line per column (0 when empty)
    balanced: bool
    spread: int = 0  # grid lines between the highest and lowest column end (≤ 1: balanced)

    @property
    def lines_over(self) -> int:
        return sum(item.height for item in self.leftover)


    @property
    def chars_over(self) -> int:
        return sum(item.chars for item in self.leftover)


def distribute(items: tuple[FlowItem, ...], free: tuple[tuple[int, ...], ...]) -> Distribution:
    """Place ``items`` in order over columns with the given free grid lines, balanced."""
    total = sum(item.height for item in items)
    if not items:
        return Distribution((), (), tuple(0 for _ in free), tuple(0 for _ in free), True)
    best: Distribution | None = None
    trials = 0
    for limits in _candidates(free, total):
        result = _fill(items, free, limits)
        if result.leftover:
            continue
        if result.balanced:
            return result
        if best is None or result.spread < best.spread:
            best = result
        trials += 1
        if trials > EXTRA_BALANCE_TRIALS:
            break
    if best is not None:
        return best
    bottom = max((f[-1] for f in free if f), default=0)
    return _fill(items, free, tuple(bottom for _ in free))


def _candidates(free: tuple[tuple[int, ...], ...], total: int):  # type: ignore[no-untyped-def]
    """Limits per column in order of growing capacity, starting near ``total`` lines."""
    lines = sorted({line for column in free for line in column})
    if not lines:
        return
    low, high = lines[0], lines[-1]
    start = _first_end_line(free, total, low, high)
    for end in range(start, high + 1):
        for j in range(len(free) + 1):
            yield tuple(end if c < j else end - 1 for c in range(len(free)))


def _first_end_line(free: tuple[tuple[int, ...], ...], total: int, low: int, high: int) -> int:
    """The smallest end line whose full capacity (every column up to it) holds ``total``."""
    lo, hi = low, high
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(_count_upto(column, mid) for column in free) >= total:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _count_upto(column: tuple[int, ...], limit: int) -> int:
    return bisect_right(column, limit)


def _fill(items: tuple[FlowItem, ...], free: tuple[tuple[int, ...], ...], limits: tuple[int, ...]) -> Distribution:
    placements: list[Placement] = []
    used, ends = [], []
    k = 0
    for c, column in enumerate(free):
        placed_here, k = _fill_column(items, k, column, limits[c], c, last_column=(c == len(free) - 1))
        placements.extend(placed_here)
        used.append(sum(p.height for p in placed_here))
        ends.append(placed_here[-1].line + placed_here[-1].height - 1 if placed_here else 0)
    leftover = items[k:]
    spread = _spread(free, limits, tuple(ends))
    return Distribution(tuple(placements), leftover, tuple(used), tuple(ends), spread <= 1, spread)


def _fill_column(items: tuple[FlowItem, ...], k: int, column: tuple[int, ...], limit: int, index: int,
                 last_column: bool) -> tuple[list[Placement], int]:
    slots = [line for line in column if line <= limit]
    placed: list[Placement] = []
    pos = 0
    while k < len(items):
        height = items[k].height_at(column_top=not placed)
        start = _run_start(slots, pos, height)
        if start is None:
            break
        placed.append(Placement(index, slots[start], items[k], height))
        pos = start + height
        k += 1
    if placed and placed[-1].item.keep_with_next and k < len(items):
        beyond = placed[-1].line + placed[-1].height
        if not last_column and beyond == limit + 1 and beyond in column and items[k].height == 1:
            placed.append(Placement(index, beyond, items[k], 1))  # keep the subhead with its first line
            k += 1
        else:
            placed.pop()  # a subhead never stands last in a column
            k -= 1
    return placed, k


def _run_start(slots: list[int], pos: int, height: int) -> int | None:
    """Index in ``slots`` where ``height`` consecutive grid lines start, from ``pos`` on."""
    i = pos
    while i + height <= len(slots):
        if slots[i + height - 1] - slots[i] == height - 1:
            return i
        i += 1
    return None


def _spread(free: tuple[tuple[int, ...], ...], limits: tuple[int, ...], ends: tuple[int, ...]) -> int:
    """Lines between the highest and lowest column end.

    A column's end counts from its last free line within the limit, less the free lines
    left unused; so a column whose text stops above a photo hole is not "short".
    """
    reach = []
    for column, limit, end in zip(free, limits, ends):
        top = max(limit, end)
        available = [line for line in column if line <= top]
        if not available:
            continue
        unused_after = sum(1 for line in available if line > end)
        reach.append(top - unused_after)
    return max(reach) - min(reach) if reach else 0
