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
column first drops its space above (so its first body line fits), else moves to the
next column or, when the grid line below the limit is free, keeps its first body line
by running one line past the limit.  Among the first
candidates that hold everything, the one whose column ends are closest wins (the first
within one line ends the search).  The number of trials is bounded.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

#: Trials after the first candidate that holds everything, looking for a balanced one.
EXTRA_BALANCE_TRIALS = 24


@dataclass(frozen=True, slots=True)
class FlowItem:
    height: int  # grid lines
    chars: int  # characters, for overflow reports
    keep_with_next: bool  # a subhead: never last in a column
    payload: object  # what page.py draws (a set line, a subhead)
    top_height: int = 0  # grid lines when first in a column (0: same as height)
    para_first: bool = False  # the first line of a paragraph of two or more lines
    para_last: bool = False  # the last line of a paragraph of two or more lines

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
    def orphans(self) -> int:
        """Columns that end with the first line of a paragraph (alone at the bottom)."""
        return sum(1 for a, b in zip(self.placements, self.placements[1:], strict=False)
                   if a.column != b.column and a.item.para_first) + int(
            bool(self.placements) and bool(self.leftover) and self.placements[-1].item.para_first)

    @property
    def widows(self) -> int:
        """Columns that start with the last line of a paragraph (alone at the top)."""
        return sum(1 for a, b in zip(self.placements, self.placements[1:], strict=False)
                   if a.column != b.column and b.item.para_last)

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
    best: _Trial | None = None
    memo: _Memo = {}
    plain = _plain_ends(items)
    for strict in (True, False):  # first without widows and orphans, if the balance allows
        trials = 0
        for end, prefer_end in _candidates(free, total):
            result = _fill(items, free, end, prefer_end, strict, memo, plain)
            if result.rest < len(items):
                continue
            if result.spread <= 1:
                return _distribution(items, result)
            if best is None or result.spread < best.spread:
                best = result
            trials += 1
            if trials > EXTRA_BALANCE_TRIALS:
                break
    if best is not None:
        return _distribution(items, best)
    bottom = max((f[-1] for f in free if f), default=0)
    return _distribution(items, _fill(items, free, bottom, len(free), False, memo, plain))


def _plain_ends(items: tuple[FlowItem, ...]) -> list[int]:
    """For each item, where the run of plain one-line items starting there ends (the
    index of the first item that is taller, or changes height at a column top)."""
    ends = [len(items)] * (len(items) + 1)
    for k in range(len(items) - 1, -1, -1):
        item = items[k]
        ends[k] = ends[k + 1] if item.height == 1 and not item.top_height else k
    return ends


def _candidates(free: tuple[tuple[int, ...], ...], total: int) -> Iterator[tuple[int, int]]:
    """(end line M, columns preferring M over M − 1), in order of growing capacity."""
    lines = sorted({line for column in free for line in column})
    if not lines:
        return
    start = _first_end_line(free, total, lines[0], lines[-1])
    for end in range(start, lines[-1] + 1):
        for prefer_end in range(len(free) + 1):
            yield end, prefer_end


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


#: One column's fill: its first item, and (grid line, height) of items[first], items[first + 1], …
#: Trials keep plain tuples; only the chosen one becomes :class:`Placement` objects.
_Column = tuple[int, tuple[tuple[int, int], ...]]
#: Column fills already made in one :func:`distribute` call, by (first item, column,
#: limit, strict): the candidates differ in a few columns only, so most fills repeat.
_Memo = dict[tuple[int, int, int, bool], tuple[_Column, int]]


@dataclass(frozen=True, slots=True)
class _Trial:
    columns: tuple[_Column, ...]
    rest: int  # index of the first item left over
    spread: int


def _distribution(items: tuple[FlowItem, ...], trial: _Trial) -> Distribution:
    placements = tuple(Placement(c, line, items[first + j], height)
                       for c, (first, placed) in enumerate(trial.columns) for j, (line, height) in enumerate(placed))
    used = tuple(sum(height for _, height in placed) for _, placed in trial.columns)
    ends = tuple(_end(placed) for _, placed in trial.columns)
    return Distribution(placements, items[trial.rest:], used, ends, trial.spread <= 1, trial.spread)


def _fill(items: tuple[FlowItem, ...], free: tuple[tuple[int, ...], ...], end: int, prefer_end: int,
          strict: bool, memo: _Memo, plain: list[int]) -> _Trial:
    """Fill the columns in order, each ending on grid line ``end`` or ``end`` − 1.

    The first ``prefer_end`` columns try ``end`` first, the others ``end`` − 1; a column
    whose subhead would stand last (or run over) tries the other choice.
    """
    columns: list[_Column] = []
    ends, limits = [], []
    k = 0
    for c, column in enumerate(free):
        last = c == len(free) - 1
        order = (end, end - 1) if c < prefer_end else (end - 1, end)
        options = []
        for limit in order:
            key = (k, c, limit, strict)
            filled = memo.get(key)
            if filled is None:
                placed, after = _fill_column(items, k, column, limit, last_column=last, strict=strict, plain=plain)
                filled = memo[key] = ((k, tuple(placed)), after)
            options.append((*filled, limit))
        # the first option that ends in the window; else the one closest to it, shorter first
        ranked = [(_distance(column, end, o[0][1]), rank, o) for rank, o in enumerate(options)]
        best = min(ranked, key=lambda r: (r[0], r[1] if r[0] == 0 else _end(r[2][0][1])))
        here, k, limit = best[2]
        columns.append(here)
        limits.append(limit)
        ends.append(_end(here[1]))
    return _Trial(tuple(columns), k, _spread(free, tuple(limits), tuple(ends)))


def _fill_column(items: tuple[FlowItem, ...], k: int, column: tuple[int, ...], limit: int,
                 last_column: bool, strict: bool, plain: list[int]) -> tuple[list[tuple[int, int]], int]:
    """(grid line, height) of the items from ``k`` on that fit in the column, and the next item.

    ``plain`` (from :func:`_plain_ends`) lets runs of one-line items take the next free
    lines in one step: they are nearly every item, and a column holds hundreds.
    """
    slots = column[:bisect_right(column, limit)]  # free lines are in ascending order
    n_slots, n_items = len(slots), len(items)
    placed: list[tuple[int, int]] = []  # of items[k0], items[k0 + 1], … (k0: k on entry)
    pos = 0
    while k < n_items:
        if plain[k] > k:
            take = min(plain[k] - k, n_slots - pos)
            if take <= 0:
                break
            placed.extend(zip(slots[pos : pos + take], repeat(1)))
            pos += take
            k += take
            continue
        item = items[k]
        height = item.top_height if (not placed and item.top_height) else item.height
        # one-line items (nearly all) take the next free line; taller ones need a run
        start = (pos if pos < n_slots else None) if height == 1 else _run_start(slots, pos, height)
        if start is None:
            break
        placed.append((slots[start], height))
        pos = start + height
        k += 1
    if placed and items[k - 1].keep_with_next and k < n_items:
        sub = items[k - 1]
        line, height = placed[-1]
        squeezed = sub.top_height
        after = line + squeezed
        if 0 < squeezed < height and items[k].height == 1 and _has(slots, after):
            # drop the subhead's space above so that its first line fits in this column
            placed[-1] = (line, squeezed)
            placed.append((after, 1))
            return placed, k + 1
        beyond = line + height
        if not last_column and beyond == limit + 1 and _has(column, beyond) and items[k].height == 1:
            placed.append((beyond, 1))  # keep the subhead with its first line
            k += 1
        else:
            placed.pop()  # a subhead never stands last in a column
            k -= 1
    if strict and not last_column:
        k = _avoid_widow_and_orphan(items, placed, k)
    return placed, k


def _has(lines: tuple[int, ...], line: int) -> bool:
    i = bisect_right(lines, line)
    return i > 0 and lines[i - 1] == line


#: Fix-up moves a column may make to avoid a widow or orphan, at most.
MAX_KEEP_MOVES = 4


def _avoid_widow_and_orphan(items: tuple[FlowItem, ...], placed: list[tuple[int, int]], k: int) -> int:
    """Move lines to the next column so no paragraph leaves one line alone (typography C3, A11).

    An orphan (a paragraph's first line last in the column) moves on; before a widow (a
    paragraph's last line first in the next column) one more line moves with it; a
    subhead keeps two lines of its paragraph with it.  ``placed`` holds the column's
    items up to ``items[k - 1]``.
    """
    for _ in range(MAX_KEEP_MOVES):
        if not placed or k >= len(items):
            return k
        last = items[k - 1]
        widow_next = items[k].para_last and not last.keep_with_next and not last.para_last
        subhead_short = len(placed) >= 2 and items[k - 2].keep_with_next and not last.para_last
        if last.para_first or last.keep_with_next or widow_next or subhead_short:
            placed.pop()
            k -= 1
            continue
        return k
    return k


def _run_start(slots: tuple[int, ...], pos: int, height: int) -> int | None:
    """Index in ``slots`` where ``height`` consecutive grid lines start, from ``pos`` on."""
    i = pos
    while i + height <= len(slots):
        if slots[i + height - 1] - slots[i] == height - 1:
            return i
        i += 1
    return None


def _end(placed: Sequence[tuple[int, int]]) -> int:
    """Last grid line used by a column's (line, height) placements (0 when empty)."""
    return placed[-1][0] + placed[-1][1] - 1 if placed else 0


def _reach(column: tuple[int, ...], limit: int, end: int) -> int | None:
    """Where a column's text reaches, counting free lines left unused above the limit as short."""
    top = max(limit, end)
    available = bisect_right(column, top)  # free lines are in ascending order
    if not available:
        return None
    return top - (available - bisect_right(column, end))


def _distance(column: tuple[int, ...], end: int, placed: Sequence[tuple[int, int]]) -> int:
    """Grid lines between where the column's text reaches and the window end − 1 … end."""
    reach = _reach(column, end, _end(placed))
    if reach is None:
        return 0
    return max(end - 1 - reach, reach - end, 0)


def _spread(free: tuple[tuple[int, ...], ...], limits: tuple[int, ...], ends: tuple[int, ...]) -> int:
    """Lines between the highest and lowest column end.

    A column's end counts from its last free line within the limit, less the free lines
    left unused; so a column whose text stops above a photo hole is not "short".
    """
    reach = [r for r in (_reach(c, limit, end) for c, limit, end in zip(free, limits, ends, strict=True)) if r is not None]
    return max(reach) - min(reach) if reach else 0
