"""First-fit line breaking under the CLREQ prohibitions (A3, A8).

Each line takes as many atoms as fit at their natural width.  If the break that gives
falls where a mark may not start the next line (or end this one), the composer tries,
in CLREQ's order of preference (A8):

1. push-in (挤进): keep the next atoms on this line by shrinking its compressible
   punctuation blanks and Han–Latin spaces;
2. hang (when allowed): let one 、，。 hang into the gutter;
3. push-out (推出): move back to the previous legal break and stretch this line;
4. emergency: break where the prohibition is violated, and flag the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.compose.prepare import Prepared
from layout.units import EPS

#: How many atoms past the natural break push-in may pull onto the line (a pair like ”。).
MAX_PUSH_IN = 3
#: How far back push-out may go before the break is an emergency (A8 step 4).
MAX_PUSH_OUT = 4


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # first atom index
    end: int  # last atom index, inclusive
    emergency: bool = False  # broken against the prohibitions (or an overwide atom)
    hang: bool = False  # the last mark hangs into the gutter (A9)


def break_lines(prep: Prepared, width: float) -> tuple[Line, ...]:
    """Break a prepared paragraph into lines of at most ``width`` points."""
    lines: list[Line] = []
    n = len(prep)
    start = 0
    while start < n:
        line = _next_line(prep, start, width)
        lines.append(line)
        start = line.end + 1
    return tuple(lines)


def _next_line(prep: Prepared, start: int, width: float) -> Line:
    n = len(prep)
    end = _longest_fit(prep, start, width)
    if end < start:
        return Line(start, start, emergency=True)  # one atom wider than the column
    if end == n - 1 or prep.allowed[end]:
        return Line(start, end)
    pushed_in = _push_in(prep, start, end, width)
    if pushed_in is not None:
        return Line(start, pushed_in)
    hung = end + 1
    if prep.hang[hung] and (hung == n - 1 or prep.allowed[hung]) and \
            prep.natural(start, hung) - prep.hang[hung] <= width + EPS:
        return Line(start, hung, hang=True)  # A8 step 2: hang one 、，。
    pushed_out = _push_out(prep, start, end)
    if pushed_out is not None:
        return Line(start, pushed_out)
    return Line(start, end, emergency=True)


def _longest_fit(prep: Prepared, start: int, width: float) -> int:
    """The last atom index e such that atoms start..e fit at natural width (start-1 if none)."""
    n = len(prep)
    end = start - 1
    while end + 1 < n and prep.natural(start, end + 1) <= width + EPS:
        end += 1
    return end


def _push_in(prep: Prepared, start: int, end: int, width: float) -> int | None:
    n = len(prep)
    for candidate in range(end + 1, min(n, end + 1 + MAX_PUSH_IN)):
        if not (candidate == n - 1 or prep.allowed[candidate]):
            continue
        if prep.natural(start, candidate) - prep.shrink(start, candidate) <= width + EPS:
            return candidate
        return None
    return None


def _push_out(prep: Prepared, start: int, end: int) -> int | None:
    for candidate in range(end - 1, max(start, end - MAX_PUSH_OUT) - 1, -1):
        if prep.allowed[candidate]:
            return candidate
    return None
