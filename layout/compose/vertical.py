"""Vertical headlines (竖排标题): the headline group set top to bottom, lines right to left.

Characters advance one em down the line (the shipped fonts' ``vmtx`` advance of every
ideograph and vertical form is one em).  Punctuation takes its vertical presentation
form (:data:`VERTICAL_FORMS`), drawn upright: the forms already sit where CLREQ puts
vertical punctuation (the comma and period in the top-right quadrant of the em box).
A mark the font has no form for is turned 90° clockwise, or, for the comma and period
whose place matters, moved into the top-right quadrant.  Latin words and long numbers
are turned 90° clockwise; numbers of up to ``upright_digits`` characters stand upright
side by side in one em (纵中横).  Lines are broken as horizontal headlines are: at
phrase boundaries where possible, balanced (fewest lines, then the shortest longest
line), never before a closing mark or after an opening one (kinsoku), and shrunk step
by step down to the style's ``min_size`` to fit ``max_lines``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from layout.compose.headline import (
    ELEMENT_SPACE,
    ROLE_ORDER,
    TooLong,
    _partition,
    _phrase_spans,
    _shrink_ladder,
    headline_text,
)
from layout.fontdb import Face
from layout.spec.styles import TextStyle
from layout.text.clreq import NO_END, NO_START, Kind
from layout.text.measure import MISSING_MARK, Resolver
from layout.text.segment import Atom, segment
from layout.units import EPS

#: Horizontal mark → its vertical presentation form.  The forms are Unicode's "Vertical
#: Forms" (U+FE10–FE19) and "CJK Compatibility Forms" (U+FE30–FE4F); each is the
#: ``<vertical>`` compatibility variant of the mark it stands for (UnicodeData.txt), the
#: ASCII brackets sharing the forms of the full-width ones.  Quotation marks follow
#: GB/T 15834—2011 4.1.3.3 and CLREQ 3.1.6: vertical text quotes with corner brackets,
#: “” as ﹁﹂ and ‘’ as ﹃﹄.
VERTICAL_FORMS: dict[str, str] = {
    "，": "︐", "、": "︑", "。": "︒", "：": "︓", "；": "︔", "！": "︕", "？": "︖",
    "〖": "︗", "〗": "︘", "…": "︙", "‥": "︰", "—": "︱", "–": "︲", "＿": "︳",
    "（": "︵", "）": "︶", "(": "︵", ")": "︶", "｛": "︷", "｝": "︸", "{": "︷", "}": "︸",
    "〔": "︹", "〕": "︺", "【": "︻", "】": "︼", "《": "︽", "》": "︾", "〈": "︿", "〉": "﹀",
    "「": "﹁", "」": "﹂", "『": "﹃", "』": "﹄", "［": "﹇", "］": "﹈", "[": "﹇", "]": "﹈",
    "“": "﹁", "”": "﹂", "‘": "﹃", "’": "﹄",
}
#: Marks whose place in the em box matters more than their direction: without a vertical
#: form they are moved from the bottom-left into the top-right quadrant (CLREQ 3.1.x),
#: by this offset in em (right, up).
QUADRANT_MARKS = frozenset("，、。．")
QUADRANT_SHIFT = (0.5, 0.5)
#: A character narrower than this, in em, is proportional (Latin, ASCII signs): turned
#: 90° clockwise rather than stood upright in an em of its own.
FULL_WIDTH_EM = 0.9
#: Where the horizontal baseline sits in the em box, from its top, in em (see
#: ``layout/display.py``: the em box runs from 0.88 em above to 0.12 em below it).
BASELINE_IN_EM = 0.88


class Turn(Enum):
    UPRIGHT = "upright"  # stood in an em box of its own, centred across the line
    TURNED = "turned"  # turned 90° clockwise: its baseline runs down the line
    SIDE_BY_SIDE = "side_by_side"  # characters upright side by side in one em (纵中横)


@dataclass(frozen=True, slots=True)
class Cell:
    """One unit down the line: a character, a turned word, or a group side by side."""

    text: str  # as written (what the text layer reads)
    drawn: str  # the characters whose glyphs are drawn, one for each of ``text``
    face: Face
    turn: Turn
    advance: float  # pt down the line
    widths: tuple[float, ...]  # horizontal advance of each drawn glyph, pt
    shift: tuple[float, float] = (0.0, 0.0)  # em, right and up (a mark without a vertical form)
    blank: bool = False  # a space: dropped at a line's ends


@dataclass(frozen=True, slots=True)
class Unit:
    """Cells no line break may split (an atom, glued to its neighbours by kinsoku)."""

    cells: tuple[Cell, ...]
    start: int  # offset in the text
    end: int

    @property
    def length(self) -> float:
        return sum(c.advance for c in self.cells)


@dataclass(frozen=True, slots=True)
class VLine:
    cells: tuple[Cell, ...]

    @property
    def length(self) -> float:
        return sum(c.advance for c in self.cells)

    @property
    def chars(self) -> int:
        return sum(len(c.text) for c in self.cells if not c.blank)


@dataclass(frozen=True, slots=True)
class VElement:
    role: str
    style: TextStyle
    lines: tuple[VLine, ...]  # right to left
    missing: tuple[str, ...]

    @property
    def chars(self) -> int:
        return sum(line.chars for line in self.lines)

    @property
    def width(self) -> float:
        return len(self.lines) * self.style.leading


@dataclass(frozen=True, slots=True)
class VerticalHeadline:
    elements: tuple[VElement, ...]  # right to left: kicker, title, subtitle, byline
    spaces: tuple[float, ...]  # pt between neighbouring elements
    too_long: tuple[TooLong, ...]
    shrunk: tuple[tuple[str, float, float], ...]
    length: float  # pt down the page of the longest line

    @property
    def width(self) -> float:
        return sum(e.width for e in self.elements) + sum(self.spaces)


def set_vertical(texts: dict[str, str | None], styles: dict[str, TextStyle], length: float,
                 resolver_for: Callable[[TextStyle], Resolver], kinsoku: str, upright_digits: int) -> VerticalHeadline:
    """Set the present elements of the group in lines of at most ``length`` pt."""
    elements: list[VElement] = []
    too_long: list[TooLong] = []
    shrunk: list[tuple[str, float, float]] = []
    for role in ROLE_ORDER:
        text = (texts.get(role) or "").strip()
        if not text:
            continue
        base = styles[role]
        text, dropped = _within_reach(headline_text(text), base, length)
        element = _fit(role, text, base, length, resolver_for(base), kinsoku, upright_digits)
        elements.append(element)
        if element.style.size != base.size:
            shrunk.append((role, base.size, element.style.size))
        lines = len(element.lines) + (math.ceil(len(dropped) * element.style.size / max(length, 1.0)) if dropped else 0)
        if (role != "byline" or dropped) and lines > element.style.max_lines:
            over = sum(line.chars for line in element.lines[element.style.max_lines:]) + len("".join(dropped.split()))
            too_long.append(TooLong(role, lines, element.style.max_lines, over, element.style.size))
    spaces = tuple(ELEMENT_SPACE * min(a.style.size, b.style.size) for a, b in zip(elements, elements[1:], strict=False))
    longest = max((line.length for e in elements for line in e.lines), default=0.0)
    return VerticalHeadline(tuple(elements), spaces, tuple(too_long), tuple(shrunk), longest)


#: Lines of an element composed past its ``max_lines`` before the rest is only counted.
COMPOSE_MARGIN_LINES = 10


def _within_reach(text: str, style: TextStyle, length: float) -> tuple[str, str]:
    """The part of a text that can matter at its smallest size (one em a character at
    most: a turned word is never shorter than a fifth of an em a letter), and the rest."""
    smallest = min(style.size, style.min_size or style.size)
    per_line = max(1, int(length / (smallest * 0.2)))
    limit = (min(style.max_lines, 1000) + COMPOSE_MARGIN_LINES) * per_line
    return text[:limit], text[limit:]


def _fit(role: str, text: str, style: TextStyle, length: float, resolve: Resolver, kinsoku: str,
         upright_digits: int) -> VElement:
    """The element at the largest size of its ladder whose lines fit ``max_lines`` (the
    smallest size when none does); a byline is never shrunk."""
    ladder = _shrink_ladder(style) if role != "byline" else [style]
    element = None
    for current in ladder:  # a title has few characters: composing is cheap, every size is tried
        units, missing = vertical_units(text, current.size, resolve, kinsoku, upright_digits)
        element = VElement(role, current, break_lines(text, units, length), tuple(missing))
        if len(element.lines) <= current.max_lines:
            return element
    assert element is not None
    return element


def vertical_units(text: str, size: float, resolve: Resolver, kinsoku: str,
                   upright_digits: int) -> tuple[list[Unit], list[str]]:
    """The text's cells at ``size``, grouped into units a line break may not split."""
    missing: list[str] = []
    atoms = segment(text)
    units: list[Unit] = []
    offset = 0
    previous: Kind | None = None
    for atom in atoms:
        cells = tuple(_cells(atom, size, resolve, upright_digits, missing))
        start, offset = offset, offset + len(atom.text)
        glued = previous is not None and units and not _may_break(previous, atom.kind, kinsoku)
        if glued:
            last = units[-1]
            units[-1] = Unit(last.cells + cells, last.start, offset)
        else:
            units.append(Unit(cells, start, offset))
        previous = atom.kind
    return units, missing


def _may_break(before: Kind, after: Kind, level: str) -> bool:
    """Kinsoku (CLREQ A3): no line starts with a closing or pause mark, none ends with an
    opening one; a space is always a place to break (and is dropped there)."""
    if before in (Kind.SPACE, Kind.IDSPACE) or after in (Kind.SPACE, Kind.IDSPACE):
        return True
    return after not in NO_START[level] and before not in NO_END[level]


def _cells(atom: Atom, size: float, resolve: Resolver, upright_digits: int, missing: list[str]) -> list[Cell]:
    text = atom.text
    if atom.kind in (Kind.LATIN, Kind.URL, Kind.SPACE) or (atom.kind is Kind.NUMBER and len(text) > upright_digits):
        face, drawn = _drawable(text, resolve, missing)
        widths = tuple(face.advance(ord(c)) * size for c in drawn)
        return [Cell(text, drawn, face, Turn.TURNED, sum(widths), widths, blank=atom.kind is Kind.SPACE)]
    if atom.kind is Kind.NUMBER and len(text) > 1:
        face, drawn = _drawable(text, resolve, missing)
        widths = tuple(face.advance(ord(c)) * size for c in drawn)
        return [Cell(text, drawn, face, Turn.SIDE_BY_SIDE, size, widths)]
    return [_char_cell(char, size, resolve, missing, atom.kind is Kind.IDSPACE) for char in text]


def _char_cell(char: str, size: float, resolve: Resolver, missing: list[str], blank: bool) -> Cell:
    form = VERTICAL_FORMS.get(char)
    if form is not None:
        face = resolve(char)
        form_face = face if face is not None and face.has(ord(form)) else resolve(form)
        if form_face is not None:
            return Cell(char, form, form_face, Turn.UPRIGHT, size, (form_face.advance(ord(form)) * size,))
    face, drawn = _drawable(char, resolve, missing)
    width = face.advance(ord(drawn)) * size
    if char in QUADRANT_MARKS:
        return Cell(char, drawn, face, Turn.UPRIGHT, size, (width,), QUADRANT_SHIFT)
    if form is not None or (width < FULL_WIDTH_EM * size and not blank):  # brackets, dashes; proportional signs
        return Cell(char, drawn, face, Turn.TURNED, width, (width,))
    return Cell(char, drawn, face, Turn.UPRIGHT, size, (width,), blank=blank)


def _drawable(text: str, resolve: Resolver, missing: list[str]) -> tuple[Face, str]:
    """A face for ``text`` and what it draws of it: a character no font has is reported
    and drawn as 〓."""
    face = resolve(text[0])
    if face is not None and all(face.has(ord(c)) for c in text):
        return face, text
    drawn = []
    for char in text:
        if resolve(char) is None:
            missing.append(char)
            drawn.append(MISSING_MARK)
        else:
            drawn.append(char)
    face = resolve(drawn[0]) or resolve(MISSING_MARK)
    if face is None:
        raise LookupError("no font has the missing-glyph mark 〓")
    return face, "".join(c if face.has(ord(c)) else MISSING_MARK for c in drawn)


def break_lines(text: str, units: Sequence[Unit], length: float) -> tuple[VLine, ...]:
    """Lines of at most ``length`` pt: between phrases where that takes no more lines,
    else between any units; balanced (fewest lines, then the shortest longest line)."""
    if not units:
        return ()
    cuts = {p for a, b in _phrase_spans(text) for p in (a, b)}
    # a phrase boundary inside a unit (after ” glued to the ， that follows) starts the next unit
    phrase_starts = [k for k, u in enumerate(units) if k == 0 or any(units[k - 1].start < c <= u.start for c in cuts)]
    by_unit = _balanced(units, list(range(len(units))), length)
    by_phrase = _balanced(units, phrase_starts, length) if len(phrase_starts) > 1 else None
    chosen = by_phrase if by_phrase is not None and (by_unit is None or len(by_phrase) <= len(by_unit)) else by_unit
    if chosen is None:  # a unit longer than the line: one unit a line, so it overruns but nothing is lost
        chosen = [(k, k + 1) for k in range(len(units))]
    lines = [_trimmed([c for u in units[i:j] for c in u.cells]) for i, j in chosen]
    return tuple(VLine(tuple(cells)) for cells in lines if cells)


def _balanced(units: Sequence[Unit], starts: list[int], length: float) -> list[tuple[int, int]] | None:
    """Runs of units starting at ``starts`` (a line starts only there) that fit ``length``."""
    bounds = [*starts, len(units)]
    run_lengths: dict[tuple[int, int], float] = {}

    def run(i: int, j: int) -> float:
        key = (i, j)
        if key not in run_lengths:
            cells = _trimmed([c for u in units[bounds[i]:bounds[j]] for c in u.cells])
            run_lengths[key] = sum(c.advance for c in cells)
        return run_lengths[key]

    parts = _partition(len(starts), length, run)
    return None if parts is None else [(bounds[i], bounds[j]) for i, j in parts]


def _trimmed(cells: list[Cell]) -> list[Cell]:
    """A line's cells without the spaces at its ends."""
    start, end = 0, len(cells)
    while start < end and cells[start].blank:
        start += 1
    while end > start and cells[end - 1].blank:
        end -= 1
    return cells[start:end]


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph placed: its character, what it stands for, origin, scale and turn."""

    glyph: str
    text: str
    face: Face
    size: float
    x: float
    baseline: float
    hscale: float
    turned: bool


def place_line(line: VLine, centre_x: float, top: float, size: float) -> list[Glyph]:
    """The glyphs of a line whose axis is at ``centre_x``, starting ``top`` pt down."""
    out: list[Glyph] = []
    y = top
    for cell in line.cells:
        if cell.turn is Turn.UPRIGHT:
            width = cell.widths[0]
            dx, dy = cell.shift
            if not cell.blank:
                out.append(Glyph(cell.drawn, cell.text, cell.face, size, centre_x - width / 2 + dx * size,
                                 y + BASELINE_IN_EM * size - dy * size, 1.0, False))
        elif cell.turn is Turn.SIDE_BY_SIDE:
            natural = sum(cell.widths)
            scale = min(1.0, size / natural) if natural > 0 else 1.0
            x = centre_x - natural * scale / 2
            for glyph, text, width in zip(cell.drawn, cell.text, cell.widths, strict=True):
                out.append(Glyph(glyph, text, cell.face, size, x, y + BASELINE_IN_EM * size, scale, False))
                x += width * scale
        else:  # turned 90° clockwise: the em box's bottom (0.12 em below the baseline) to the left
            baseline_x = centre_x - size / 2 + (1 - BASELINE_IN_EM) * size
            down = y
            for glyph, text, width in zip(cell.drawn, cell.text, cell.widths, strict=True):
                if not (cell.blank and glyph.isspace()):
                    out.append(Glyph(glyph, text, cell.face, size, baseline_x, down, 1.0, True))
                down += width
        y += cell.advance
    return out


def lines_fit(headline: VerticalHeadline, width: float) -> bool:
    """Whether the group's lines fit across a strip ``width`` pt wide."""
    return headline.width <= width + EPS
