"""Per-paragraph arrays and prefix sums, so any line's width is an O(1) sum.

For a line from atom ``s`` to atom ``e`` (inclusive)::

    natural(s, e) = indent + Σ width − Σ adjacent trims + Σ Han–Latin gaps
                    − start trim(s) − end trim(e)

Adjacent trims (CLREQ A6.1) belong to the link between two atoms, not to either atom,
because a line break between them cancels the trim.  Start and end trims are A6.2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import accumulate
from types import MappingProxyType

from layout.pickling import by_fields
from layout.text.clreq import (
    CJK_LATIN_MAX,
    CJK_LATIN_MIN_FRACTION,
    DEFAULT_PUNCTUATION,
    HANGABLE,
    NO_START,
    PUNCTUATION_STYLES,
    WORD_SPACE_MAX,
    Kind,
    PunctuationStyle,
    adjacent_trim,
    break_allowed,
    mid_line_shrink,
    no_justify_gap,
    wants_cjk_latin_space,
)
from layout.text.measure import MeasuredAtom

_SPACES = (Kind.SPACE, Kind.IDSPACE)


@dataclass(frozen=True, slots=True)
class ComposeConfig:
    """Composition settings of one paragraph style (from the spec's ``typography:``)."""

    kinsoku: str = "basic"
    cjk_latin_space: float = 0.0  # em
    first_indent: float = 0.0  # em
    trim_line_start: bool = True
    trim_after_indent: bool = True  # an opening mark right after the paragraph indent (A6.2)
    punctuation: str = DEFAULT_PUNCTUATION
    hanging: bool = False  # 、，。 may hang into the gutter at a line end (A9)
    composer: str = "total-fit"  # or "first-fit"
    # copyfit (layout/fit.py), body only; memo keys, so a fitted paragraph is kept apart
    tracking: float = 0.0  # em added after every atom (letter spacing), negative: tighter
    hscale: float = 1.0  # horizontal scale of every glyph (1.0 = 100 %)

    @property
    def style(self) -> PunctuationStyle:
        return PUNCTUATION_STYLES[self.punctuation]

    __reduce__ = by_fields  # fast to send between an edition's worker processes


@dataclass(frozen=True, slots=True)
class Prepared:
    atoms: tuple[MeasuredAtom, ...]
    indent: float  # pt, first line only
    trim_line_start: bool
    trim_after_indent: bool
    trim_line_end: bool
    hang: tuple[float, ...]  # hang[i]: how far atom i may hang past the measure at a line end
    allowed: tuple[bool, ...]  # allowed[i]: a break may fall after atom i
    adj_right: tuple[float, ...]  # link i: blank removed from atom i's right
    adj_left: tuple[float, ...]  # link i: blank removed from atom i+1's left
    gap: tuple[float, ...]  # link i: Han–Latin space
    _widths: tuple[float, ...]  # prefix sums, length n+1
    _links: tuple[float, ...]  # prefix sums of (gap − trims), length n
    _shrink: tuple[float, ...]  # prefix sums of per-atom shrinkable blank, length n+1
    _link_shrink: tuple[float, ...]  # prefix sums of per-link shrink change, length n
    _justifiable: tuple[int, ...]  # prefix counts of links that take justification, length n
    _space_room: tuple[float, ...]  # prefix sums of how far word and Han–Latin spaces may grow, length n+1

    def __len__(self) -> int:
        return len(self.atoms)

    def natural(self, s: int, e: int) -> float:
        """Width of atoms s..e set as one line, before justification."""
        width = self._widths[e + 1] - self._widths[s] + self._links[e] - self._links[s]
        return width + (self.indent if s == 0 else 0.0) - self.start_trim(s) - self.end_trim(e)

    def shrink(self, s: int, e: int) -> float:
        """How much justification may take out of line s..e (A7 stages 4–6)."""
        total = self._shrink[e + 1] - self._shrink[s] + self._link_shrink[e] - self._link_shrink[s]
        first, last = self.atoms[s], self.atoms[e]
        if self.start_trim(s) and mid_line_shrink(first.kind):
            total -= first.blank_left
        if mid_line_shrink(last.kind) and self.trim_line_end:
            total -= last.blank_right
        return max(total, 0.0)

    def start_trim(self, s: int) -> float:
        atom = self.atoms[s]
        if atom.kind is Kind.OPEN and (self.trim_after_indent if s == 0 and self.indent else self.trim_line_start):
            return atom.blank_left  # A6.2: opening mark at a line start loses its blank
        if atom.kind is Kind.SPACE and s > 0:
            return atom.width
        return 0.0

    def end_trim(self, e: int) -> float:
        atom = self.atoms[e]
        if atom.kind in _SPACES:
            return atom.width  # a space at a line end is dropped
        return atom.blank_right if self.trim_line_end else 0.0  # A6.2: a full-width mark at a line end is ½ em

    def justifiable(self, s: int, e: int) -> int:
        """Gaps inside line s..e that take inter-character expansion (A7 stretch 3)."""
        return self._justifiable[e] - self._justifiable[s]

    def space_room(self, s: int, e: int) -> float:
        """How far the word spaces inside line s..e may grow before characters spread (A7 stretch 1)."""
        return self._space_room[e] - self._space_room[s]

    def chars(self, s: int, e: int) -> int:
        return sum(a.chars for a in self.atoms[s : e + 1])

    __reduce__ = by_fields  # fast to send between an edition's worker processes


_PairTable = Mapping[tuple[Kind, Kind], tuple[bool, float, float, bool, bool, bool]]
#: The prohibition levels of ``typography.kinsoku`` (CLREQ 3.1.7).
KINSOKU_LEVELS = tuple(NO_START)


def _make_pair_table(level: str, pairs: bool) -> _PairTable:
    """The CLREQ pair rules for every (kind, kind) at one prohibition level and style."""
    return MappingProxyType({
        (a, b): (break_allowed(a, b, level), *(adjacent_trim(a, b) if pairs else (0.0, 0.0)),
                 wants_cjk_latin_space(a, b), bool(mid_line_shrink(a)), bool(mid_line_shrink(b)))
        for a in Kind for b in Kind
    })


#: Every level and style, made once at import: a constant table, not a cache.
_PAIR_TABLES: Mapping[tuple[str, bool], _PairTable] = MappingProxyType(
    {(level, pairs): _make_pair_table(level, pairs) for level in KINSOKU_LEVELS for pairs in (False, True)})


def _pair_table(level: str, pairs: bool) -> _PairTable:
    return _PAIR_TABLES[(level, pairs)]


def _hang(atoms: tuple[MeasuredAtom, ...], trimmed: bool) -> tuple[float, ...]:
    """How far each atom may hang at a line end: one 、，。 alone, never after another mark (A9)."""
    out = []
    for i, atom in enumerate(atoms):
        after_mark = i > 0 and atoms[i - 1].kind in (Kind.OPEN, Kind.CLOSE, Kind.PAUSE, Kind.STOP)
        if atom.source in HANGABLE and (atom.blank_right or atom.width) and not after_mark:
            out.append(atom.width - (atom.blank_right if trimmed else 0.0))
        else:
            out.append(0.0)
    return tuple(out)


def fitted_atoms(atoms: tuple[MeasuredAtom, ...], tracking: float, hscale: float) -> tuple[MeasuredAtom, ...]:
    """The atoms scaled horizontally by ``hscale`` and each followed by ``tracking`` em of
    letter spacing (copyfit, layout/fit.py).  The spacing is part of the atom's box, after
    its glyphs, so the breaker, the justifier and the runs (PDF ``Tc``) all see it; blanks
    of punctuation scale with their glyphs, so CLREQ trims stay what they were."""
    out = []
    for a in atoms:
        if a.kind in _SPACES:
            out.append(replace(a, width=a.width * hscale))
            continue
        extra = tracking * a.size
        out.append(replace(a, width=a.width * hscale + extra, blank_left=a.blank_left * hscale,
                           blank_right=a.blank_right * hscale, glyph_offset=a.glyph_offset * hscale,
                           hscale=a.hscale * hscale))
    return tuple(out)


def prepare(atoms: tuple[MeasuredAtom, ...], config: ComposeConfig) -> Prepared:
    """Compute links and prefix sums for one measured paragraph."""
    if config.tracking or config.hscale != 1.0:
        atoms = fitted_atoms(atoms, config.tracking, config.hscale)
    n = len(atoms)
    allowed, adj_r, adj_l, gaps, link_net, link_shr = [], [], [], [], [], []
    style = config.style
    pairs = _pair_table(config.kinsoku, style.pairs)
    for i in range(n - 1):
        a, b = atoms[i], atoms[i + 1]
        may_break, trim_r, trim_l, spaced, shrink_a, shrink_b = pairs[(a.kind, b.kind)]
        allowed.append(may_break)
        # A6.1 compresses two full-width marks to 1.5 em; a mark already set in ½ em
        # (开明式, 半角式) has no blank to share, and the pair is left as it is.
        both_full = (a.blank_left or a.blank_right) and (b.blank_left or b.blank_right)
        right = min(trim_r * a.size, a.blank_right) if both_full else 0.0
        left = min(trim_l * b.size, b.blank_left) if both_full else 0.0
        gap = config.cjk_latin_space * a.size if spaced else 0.0
        adj_r.append(right)
        adj_l.append(left)
        gaps.append(gap)
        link_net.append(gap - right - left)
        lost = (right if shrink_a else 0.0) + (left if shrink_b else 0.0)
        link_shr.append(gap * (1 - CJK_LATIN_MIN_FRACTION) - lost)
    allowed.append(True)
    justifiable = [not no_justify_gap(atoms[i].kind, atoms[i + 1].kind) for i in range(n - 1)]
    # stretch room before characters spread: word spaces (atom i) and Han–Latin spaces (link i)
    room = [max(WORD_SPACE_MAX * a.size - a.width, 0.0) if a.kind is Kind.SPACE else 0.0 for a in atoms]
    for i, gap in enumerate(gaps):
        if gap:
            room[i] += max(CJK_LATIN_MAX * atoms[i].size - gap, 0.0)
    per_atom_shrink = [(a.blank_left + a.blank_right) if mid_line_shrink(a.kind) else 0.0 for a in atoms]
    indent = config.first_indent * atoms[0].size if atoms else 0.0
    return Prepared(
        atoms=atoms, indent=indent, trim_line_start=config.trim_line_start and style.trim_start,
        trim_after_indent=config.trim_after_indent and style.trim_start, trim_line_end=style.trim_end,
        hang=_hang(atoms, style.trim_end) if config.hanging else (0.0,) * n, allowed=tuple(allowed),
        adj_right=tuple(adj_r), adj_left=tuple(adj_l), gap=tuple(gaps),
        _widths=tuple(accumulate((a.width for a in atoms), initial=0.0)),
        _links=tuple(accumulate(link_net, initial=0.0)),
        _shrink=tuple(accumulate(per_atom_shrink, initial=0.0)),
        _link_shrink=tuple(accumulate(link_shr, initial=0.0)),
        _justifiable=tuple(accumulate(justifiable, initial=0)),
        _space_room=tuple(accumulate(room, initial=0.0)),
    )
