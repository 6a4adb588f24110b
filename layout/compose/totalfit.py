"""Total-fit line breaking (Knuth–Plass) over the CJK adjustability model.

First-fit decides each line alone, so one long Latin word or a ``——`` that does not fit
leaves a loose line behind it.  Total-fit looks at the whole paragraph: every legal
break (CLREQ A3 prohibitions are infinite penalties: such breaks are never candidates)
is a node, every feasible line an edge weighted by its demerits, and the cheapest path
wins.  A line's badness comes from how far it must change from its natural width:

- shrinking uses the compressible punctuation blanks and Han–Latin spaces (A7 shrink);
  it is cheap (``SHRINK_WEIGHT``), because CLREQ prefers pushing in to pushing out;
- stretching first widens word spaces (up to ½ em), then spreads the rest over the
  justifiable gaps; badness is cubic in the per-gap expansion, 100 at ``LOOSE_EM``;
- a hanging mark (if allowed) and a paragraph ending in one lone character (孤字,
  A11) cost extra.

The paragraph is small (tens to a few hundred atoms) and a line at most a few dozen
atoms, so the search is a plain dynamic programme without active-node pruning.  A line
is at most ``MAX_LINE_ATOMS`` atoms long, so that zero-width atoms (4,000 zero-width
spaces) keep the search linear; without such a line the paragraph goes to first-fit.
"""

from __future__ import annotations

from bisect import bisect_left

from layout.compose.linebreak import Line
from layout.compose.prepare import Prepared
from layout.text.clreq import Kind, mid_line_shrink
from layout.units import EPS

#: Inter-character expansion (em per gap) at which a line's badness is 100.  Newspapers
#: call a line loose at about 0.1 em; scaling badness at half of that makes stretching
#: dearer against compressing punctuation (CLREQ prefers push-in).  Measured with
#: benchmarks/typography.py: 28 lines above 0.1 em against 29 at a 0.1 em scale.
LOOSE_EM = 0.05
#: Demerits of a line that cannot be justified (one atom, no gap) or is wider than the
#: measure: worse than any justified line, so chosen only when nothing else fits.
RIGID_DEMERITS = 1e30
#: Shrinking is preferred to stretching (push-in before push-out, CLREQ A8).
SHRINK_WEIGHT = 0.3
#: Added to every line's badness before squaring: favours fewer lines (TeX's \linepenalty).
LINE_PENALTY = 10.0
#: Demerits of hanging a mark into the gutter.
HANG_PENALTY = 50_000.0
#: Demerits of a paragraph whose last line holds a single character (孤字, CLREQ A11).
LONE_CHARACTER_PENALTY = 1_000_000.0
INFINITY = float("inf")
#: Atoms that do not count as characters for the lone-character rule (one character
#: plus its closing mark is still a lone character, CLREQ A11).
_MARKS = frozenset({Kind.OPEN, Kind.CLOSE, Kind.PAUSE, Kind.STOP, Kind.MIDDLE, Kind.SPACE, Kind.IDSPACE})


#: Lines stretched by more than this (em per justifiable gap) are not considered on the
#: first pass: their demerits are at least ``PRUNED_DEMERITS``, far above any sensible
#: paragraph's total, so they cannot be on the cheapest path when that path costs less.
#: When it does not (no better way exists), the search runs again without the cut.
PRUNE_STRETCH_EM = 0.5
PRUNED_DEMERITS = (LINE_PENALTY + 100.0 * (PRUNE_STRETCH_EM / LOOSE_EM) ** 3) ** 2
#: Most atoms one line may hold: the search window from each line start.  A real line
#: holds a few dozen (a heading measured on one line a few hundred); only atoms of no
#: width (zero-width spaces, joiners) could fill more, and they made the search quadratic.
MAX_LINE_ATOMS = 256


def break_total_fit(prep: Prepared, width: float) -> tuple[Line, ...] | None:
    """The cheapest set of legal breaks, or None when no break sequence fits."""
    if len(prep) == 0:
        return ()
    t = _Tables.of(prep)
    found = _search(t, width, prune=True) or _search(t, width, prune=False)  # again when the cut mattered
    assert found is not None  # without pruning the search always answers
    cost, previous, hung = found
    n = t.n
    if cost[n] == INFINITY:
        return None
    lines = []
    node = n
    while node > 0:
        start = previous[node]
        lines.append(Line(start, node - 1, hang=hung[node]))
        node = start
    return tuple(reversed(lines))


def _search(t: _Tables, width: float, prune: bool) -> tuple[list[float], list[int], list[bool]] | None:
    """The dynamic programme: cheapest cost of reaching each break, and the line that got there.

    With ``prune``, very loose lines are skipped; returns None when one was skipped and
    the result might therefore not be the cheapest.
    """
    n = t.n
    cost = [INFINITY] * (n + 1)
    previous = [-1] * (n + 1)
    hung = [False] * (n + 1)
    cost[0] = 0.0
    limit = width + EPS
    widths, links, shrinks, link_shrinks, just, room = t.widths, t.links, t.shrink, t.link_shrink, t.just, t.room
    end_trim, end_shrink, hang, allowed = t.end_trim, t.end_shrink, t.hang, t.allowed
    # the ordinary line (not the last, not over the measure) is costed inline, as in _demerits
    prune_at = t.size * PRUNE_STRETCH_EM if prune else INFINITY
    pruned = False
    last = n - 1
    reach = _reach(t, prune_at) if prune else None
    for s in range(n):
        base = cost[s]
        if base == INFINITY:
            continue
        w0, l0, s0, ls0, j0, r0 = widths[s], links[s], shrinks[s], link_shrinks[s], just[s], room[s]
        head = (t.indent if s == 0 else 0.0) - t.start_trim[s]
        head_shrink = t.start_shrink[s]
        first = s
        if reach is not None:
            # Lines ending before ``first`` would be cut below anyway: even at their widest
            # (no end trim) and with every gap stretched to the cut they stay short.
            bound = width - head + w0 + l0 + r0 + j0 * prune_at - 2 * EPS
            first = min(max(s, bisect_left(reach, bound)), last)
            pruned = pruned or first > s
        for e in range(first, min(n, s + MAX_LINE_ATOMS)):
            natural = widths[e + 1] - w0 + links[e] - l0 + head - end_trim[e]
            shrink = shrinks[e + 1] - s0 + link_shrinks[e] - ls0 - head_shrink - end_shrink[e]
            if shrink < 0.0:
                shrink = 0.0
            if natural - shrink - hang[e] > limit and e > s:
                break
            if e < last:
                if not allowed[e]:
                    continue
                if natural <= limit:
                    stretch = width - natural - (room[e] - r0)
                    gaps = just[e] - j0
                    if stretch <= EPS:
                        demerits = LINE_PENALTY ** 2
                    elif gaps == 0:
                        demerits = RIGID_DEMERITS
                    elif stretch > gaps * prune_at:
                        pruned = True
                        continue
                    else:
                        demerits = (LINE_PENALTY + 100.0 * (stretch / gaps / t.size / LOOSE_EM) ** 3) ** 2
                    total = base + demerits
                    if total < cost[e + 1]:
                        cost[e + 1], previous[e + 1], hung[e + 1] = total, s, False
                    continue
            demerits, hangs = _demerits(t, s, e, natural, shrink, width, just[e] - j0, room[e] - r0)
            total = base + demerits
            if total < cost[e + 1]:
                cost[e + 1], previous[e + 1], hung[e + 1] = total, s, hangs
    if pruned and not cost[n] < PRUNED_DEMERITS:
        return None
    return cost, previous, hung


def _reach(t: _Tables, prune_at: float) -> list[float]:
    """Running maximum over e of how far a line ending at e can reach (widths, Han–Latin
    gaps and trims, space room, every gap stretched by ``prune_at``), as prefix sums: a
    line from s ending at e reaches ``reach[e] − (the same sums at s)`` at most."""
    out: list[float] = []
    best = -INFINITY
    for e in range(t.n):
        best = max(best, t.widths[e + 1] + t.links[e] + t.room[e] + t.just[e] * prune_at)
        out.append(best)
    return out


class _Tables:
    """Plain lists of the prepared paragraph's prefix sums and edge trims (fast access)."""

    __slots__ = ("widths", "links", "shrink", "link_shrink", "just", "room", "indent", "start_trim", "end_trim",
                 "start_shrink", "end_shrink", "hang", "allowed", "letters", "size", "n")
    widths: list[float]
    links: list[float]
    shrink: list[float]
    link_shrink: list[float]
    just: list[int]
    room: list[float]
    indent: float
    start_trim: list[float]
    end_trim: list[float]
    start_shrink: list[float]
    end_shrink: list[float]
    hang: list[float]
    allowed: list[bool]
    letters: list[int]
    size: float
    n: int

    @classmethod
    def of(cls, prep: Prepared) -> _Tables:
        t = cls()
        t.widths, t.links = list(prep._widths), list(prep._links)
        t.shrink, t.link_shrink = list(prep._shrink), list(prep._link_shrink)
        t.just, t.room = list(prep._justifiable), list(prep._space_room)
        t.indent, t.hang, t.allowed, t.n = prep.indent, list(prep.hang), list(prep.allowed), len(prep)
        t.start_trim = [prep.start_trim(i) for i in range(t.n)]
        t.end_trim = [prep.end_trim(i) for i in range(t.n)]
        t.start_shrink = [a.blank_left if (t.start_trim[i] and mid_line_shrink(a.kind)) else 0.0
                          for i, a in enumerate(prep.atoms)]
        t.end_shrink = [a.blank_right if (mid_line_shrink(a.kind) and prep.trim_line_end) else 0.0
                        for a in prep.atoms]
        t.letters = [0 if a.kind in _MARKS else a.chars for a in prep.atoms]
        t.size = prep.atoms[0].size or 1.0
        return t


def _demerits(t: _Tables, start: int, end: int, natural: float, shrink: float, width: float, gaps: int,
              room: float) -> tuple[float, bool]:
    penalty = 0.0
    hangs = False
    if natural > width + EPS and t.hang[end] and natural - t.hang[end] <= width + EPS:
        natural -= t.hang[end]
        hangs = True
        penalty += HANG_PENALTY
    if natural > width + EPS:
        # an atom wider than the line is allowed only when nothing else fits
        if shrink <= EPS:
            return RIGID_DEMERITS, hangs
        badness = SHRINK_WEIGHT * 100.0 * ((natural - width) / shrink) ** 3
    elif end == t.n - 1:
        badness = 0.0
        if start > 0 and sum(t.letters[start : end + 1]) <= 1:
            penalty += LONE_CHARACTER_PENALTY
    else:
        stretch = width - natural - room
        if stretch <= EPS:
            badness = 0.0
        elif gaps == 0:
            return RIGID_DEMERITS, hangs
        else:
            badness = 100.0 * (stretch / gaps / t.size / LOOSE_EM) ** 3
    return (LINE_PENALTY + badness) ** 2 + penalty, hangs
