"""Set a broken line: positions of its atoms, justified (CLREQ A7).

Shrink first, then stretch.  Shrinking takes the compressible punctuation blanks
(A7 stages 4–5) in proportion, then Han–Latin spaces (stage 6).  Stretching widens
word spaces up to ½ em (stage 1), then spreads the rest evenly over every gap between
atoms except next to connectors and solidi (stage 3).  The last line of a paragraph
is not stretched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from layout.compose.linebreak import Line
from layout.compose.prepare import Prepared
from layout.fontdb import Face
from layout.pickling import by_fields
from layout.text.clreq import (
    CJK_LATIN_MAX,
    CJK_LATIN_MIN_FRACTION,
    WORD_SPACE_MAX,
    Kind,
    mid_line_shrink,
    no_justify_gap,
)
from layout.text.markup import CMYK, InlineStyle
from layout.units import EPS


@dataclass(frozen=True, slots=True)
class Placed:
    """One atom on a set line; x values in points from the line's left edge."""

    index: int  # atom index in the paragraph
    box_x: float  # left edge of the atom's (trimmed) box
    box_width: float
    glyph_x: float  # origin of its first glyph
    tracking: float = 0.0  # extra space after each glyph but the last (a lone split URL)

    __reduce__ = by_fields  # fast to send between an edition's worker processes


@dataclass(frozen=True, slots=True)
class SetLine:
    placed: tuple[Placed, ...]
    width: float  # the measure it was set to
    used: float  # right edge of the last box
    expansion: float  # inter-character expansion per gap, pt (0 for unstretched lines)
    chars: int
    emergency: bool
    last: bool  # the paragraph's last line
    hang: bool = False  # its last mark hangs past ``width`` − its hang
    runs: tuple[Run, ...] = ()  # its glyphs grouped in runs, x from the line's left edge
    dots: tuple[EmphasisDot, ...] = ()  # 着重号 under its characters, x from the line's left edge

    __reduce__ = by_fields  # fast to send between an edition's worker processes


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive glyphs of one face, size and scale at a constant spacing."""

    face: Face
    size: float
    x: float  # first glyph origin, from the line's left edge
    text: str
    char_space: float  # added after every glyph (PDF Tc)
    hscale: float  # horizontal scale, 1.0 = 100 %
    color: CMYK | None = None  # None: the paragraph's colour (a run of inline markup has its own)

    __reduce__ = by_fields  # fast to send between an edition's worker processes


@dataclass(frozen=True, slots=True)
class EmphasisDot:
    """One 着重号: centred under a character's advance (its em box for a Han character)."""

    x: float  # from the line's left edge
    size: float  # of the character it marks
    color: CMYK | None  # None: the paragraph's colour

    __reduce__ = by_fields  # fast to send between an edition's worker processes


def set_line(prep: Prepared, line: Line, width: float, align: str, last: bool,
             paint: Sequence[InlineStyle] | None = None) -> SetLine:
    """Position the atoms of ``line`` in a measure of ``width`` points.

    ``paint``: the inline style of every atom of the paragraph (colour, emphasis dots),
    for text with inline markup; faces are the atoms' own.
    """
    s, e = line.start, line.end
    if line.hang:
        width += prep.hang[e]  # the hung mark sits past the measure, in the gutter
    lefts, rights, cores = _edges(prep, s, e)
    gaps = [prep.gap[i] for i in range(s, e)]
    indent = prep.indent if s == 0 else 0.0
    natural = indent + sum(lefts) + sum(rights) + sum(cores) + sum(gaps)
    delta = width - natural
    extra = [0.0] * (e - s)  # justification added after each atom but the last
    per_gap = 0.0
    if delta < -EPS:
        _shrink(prep, s, lefts, rights, gaps, -delta)
        delta = 0.0
    elif delta > EPS and (align == "distribute" or (align == "justify" and not last)):
        per_gap = _stretch(prep, s, e, cores, gaps, extra, delta)
        delta = 0.0 if (per_gap or e > s) else delta
    tracking = _track_lone_atom(prep, s, e, delta) if align == "justify" and not last else 0.0
    if tracking:
        delta = 0.0
    offset = indent + _align_offset(align, delta)
    placed = []
    x = offset
    for k in range(e - s + 1):
        i = s + k
        atom = prep.atoms[i]
        untrimmed = x - (atom.blank_left - lefts[k])
        box = lefts[k] + cores[k] + rights[k]
        box += tracking * (len(atom.text) - 1)
        placed.append(Placed(i, x, box, untrimmed + atom.glyph_offset, tracking))
        x += box + (gaps[k] + extra[k] if k < e - s else 0.0)
    runs = _runs(prep, placed, paint)
    dots = _dots(prep, placed, paint) if paint is not None else ()
    return SetLine(tuple(placed), width, x, per_gap, prep.chars(s, e), line.emergency, last, line.hang, runs, dots)


#: Glyph spacings closer than this (pt) are one run; far below a device pixel.
SPACING_TOLERANCE = 1e-3


def _runs(prep: Prepared, placed: list[Placed], paint: Sequence[InlineStyle] | None = None) -> tuple[Run, ...]:
    """Group a line's glyphs into runs: consecutive glyphs at constant spacing share one.

    Done once per set line (lines are cached with their paragraph), so that drawing a
    line on a page only shifts its runs.
    """
    runs: list[Run] = []
    xs: list[float] = []  # origins of the run being built
    chars: list[str] = []
    key: tuple[Face, float, float, CMYK | None] | None = None
    spacing: float | None = None
    last_advance = 0.0
    for item in placed:
        atom = prep.atoms[item.index]
        if not atom.text or atom.text.isspace():
            continue
        x = item.glyph_x
        this_key = (atom.face, atom.size, atom.hscale, paint[item.index].color if paint is not None else None)
        scale = atom.size * atom.hscale
        advance = atom.face.advance
        for char in atom.text:
            width = advance(ord(char)) * scale
            if xs and key == this_key:
                gap = x - xs[-1] - last_advance
                if spacing is None or abs(gap - spacing) < SPACING_TOLERANCE:
                    if spacing is None:
                        spacing = gap
                    xs.append(x)
                    chars.append(char)
                    last_advance = width
                    x += width + item.tracking
                    continue
            if xs and key is not None:
                runs.append(Run(key[0], key[1], xs[0], "".join(chars), spacing or 0.0, key[2], key[3]))
            xs, chars, key, spacing = [x], [char], this_key, None
            last_advance = width
            x += width + item.tracking
    if xs and key is not None:
        runs.append(Run(key[0], key[1], xs[0], "".join(chars), spacing or 0.0, key[2], key[3]))
    return tuple(runs)


#: Unicode general categories (first letter) of the characters that take an emphasis
#: dot: letters and digits; never punctuation, symbols or spaces (CLREQ 3.2.1).
DOTTED_CATEGORIES = frozenset("LN")


def _dots(prep: Prepared, placed: list[Placed], paint: Sequence[InlineStyle]) -> tuple[EmphasisDot, ...]:
    """An emphasis dot under the centre of every dotted letter, digit or Han character."""
    out: list[EmphasisDot] = []
    for item in placed:
        style = paint[item.index]
        if not style.dots:
            continue
        atom = prep.atoms[item.index]
        scale = atom.size * atom.hscale
        x = item.glyph_x
        for char in atom.text:
            width = atom.face.advance(ord(char)) * scale
            if unicodedata.category(char)[0] in DOTTED_CATEGORIES:
                out.append(EmphasisDot(x + width / 2, atom.size, style.color))
            x += width + item.tracking
    return tuple(out)


def _edges(prep: Prepared, s: int, e: int) -> tuple[list[float], list[float], list[float]]:
    lefts, rights, cores = [], [], []
    for i in range(s, e + 1):
        atom = prep.atoms[i]
        left = atom.blank_left - (prep.adj_left[i - 1] if i > s else prep.start_trim(s) if atom.kind is Kind.OPEN else 0.0)
        right = atom.blank_right - (prep.adj_right[i] if i < e else min(prep.end_trim(e), atom.blank_right))
        core = atom.width - atom.blank_left - atom.blank_right
        if atom.kind in (Kind.SPACE, Kind.IDSPACE) and (i == e or (i == s and atom.kind is Kind.SPACE and s > 0)):
            core = 0.0
        lefts.append(max(left, 0.0))
        rights.append(max(right, 0.0))
        cores.append(core)
    return lefts, rights, cores


def _track_lone_atom(prep: Prepared, s: int, e: int, slack: float) -> float:
    """A line holding one multi-character atom (a broken URL) is justified by letter spacing."""
    atom = prep.atoms[s]
    if e != s or slack <= EPS or len(atom.text) < 2:
        return 0.0
    return slack / (len(atom.text) - 1)


def _align_offset(align: str, slack: float) -> float:
    if align == "center":
        return slack / 2
    if align == "right":
        return slack
    return 0.0


def _shrink(prep: Prepared, s: int, lefts: list[float], rights: list[float], gaps: list[float], need: float) -> None:
    """Take ``need`` points out of compressible blanks, then Han–Latin gaps (A7)."""
    pool = [k for k in range(len(lefts)) if mid_line_shrink(prep.atoms[s + k].kind)]
    available = sum(lefts[k] + rights[k] for k in pool)
    if available > EPS:
        ratio = min(1.0, need / available)
        for k in pool:
            lefts[k] *= 1 - ratio
            rights[k] *= 1 - ratio
        need -= available * ratio
    gap_pool = sum(g * (1 - CJK_LATIN_MIN_FRACTION) for g in gaps)
    if need > EPS and gap_pool > EPS:
        ratio = min(1.0, need / gap_pool)
        for k, g in enumerate(gaps):
            gaps[k] = g - g * (1 - CJK_LATIN_MIN_FRACTION) * ratio


def _stretch(prep: Prepared, s: int, e: int, cores: list[float], gaps: list[float], extra: list[float], need: float) -> float:
    """Spread ``need`` points: word spaces, Han–Latin spaces, then every justifiable gap (A7).

    Returns the share of each justifiable gap.
    """
    spaces = [k for k in range(e - s) if prep.atoms[s + k].kind is Kind.SPACE]
    for k in spaces:
        room = WORD_SPACE_MAX * prep.atoms[s + k].size - cores[k]
        grow = min(max(room, 0.0), need / len(spaces))
        cores[k] += grow
        need -= grow
    latin = [k for k in range(e - s) if gaps[k] > 0]  # A7 stretch 2: Han–Latin spaces up to ⅓ em
    for k in latin:
        room = CJK_LATIN_MAX * prep.atoms[s + k].size - gaps[k]
        grow = min(max(room, 0.0), need / len(latin))
        gaps[k] += grow
        need -= grow
    if need <= EPS:
        return 0.0
    slots = [k for k in range(e - s) if _justifiable(prep, s + k, e)]
    if not slots:  # only gaps next to connectors: better spaced there than ragged
        slots = [k for k in range(e - s) if not _before_dropped_space(prep, s + k, e)]
    if not slots:
        return 0.0
    share = need / len(slots)
    for k in slots:
        extra[k] += share
    return share


def _justifiable(prep: Prepared, i: int, e: int) -> bool:
    a, b = prep.atoms[i], prep.atoms[i + 1]
    return not _before_dropped_space(prep, i, e) and not no_justify_gap(a.kind, b.kind)


def _before_dropped_space(prep: Prepared, i: int, e: int) -> bool:
    """The gap before a line-end space, which is dropped, takes no justification."""
    return i + 1 == e and prep.atoms[e].kind in (Kind.SPACE, Kind.IDSPACE)
