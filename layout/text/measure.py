"""Give every atom its face and widths (CLREQ A5 positions, A6 blanks, A10 spacing).

Full-width punctuation is set in its em box whatever the glyph's own advance (LXGW
WenKai's curly quotes are 0.35 em wide, Noto's em dash 0.89 em): the box width, the
trimmable blank on each side and where the glyph sits inside the box are decided here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from layout.fontdb import Face
from layout.pickling import by_fields
from layout.text.clreq import Kind, blank_sides
from layout.text.segment import Atom

#: The mark drawn for a character that no font has (〓, the geta mark of Chinese
#: typesetting); it is also reported as missing_glyph, never left as an empty box.
MISSING_MARK = "\u3013"

#: Curly quotes are shared with Latin; they are full width next to Chinese text (A2 caveat).
SHARED_QUOTES = frozenset("“”‘’")
#: ASCII punctuation keeps its proportional advance and gets no blank trimming.
_PROPORTIONAL_PUNCT = frozenset(",.;:?!()[]{}-~/")
#: Fixed widths in em (A5): interpunct and GB solidus ½ em, dash and ellipsis 2 em.
MIDDLE_WIDTH = 0.5
SOLIDUS_WIDTH = 0.5
UNIT_WIDTH = 1.0  # one em per character of —— and ……
HALF_WIDTH = 0.5  # a mark set without its blank half

Resolver = Callable[[str], Face | None]


@dataclass(frozen=True, slots=True)
class MeasuredAtom:
    """An atom with its face and widths in points at its size."""

    text: str  # what is drawn (a missing character becomes MISSING_MARK)
    source: str  # what the spec said
    kind: Kind
    face: Face
    size: float
    width: float  # natural box width mid-line, blanks included
    blank_left: float  # trimmable blank at the box's left (opening marks)
    blank_right: float  # trimmable blank at the box's right (closing, pause and stop marks)
    glyph_offset: float  # from the untrimmed box's left edge to the first glyph's origin
    hscale: float  # horizontal glyph scale (dashes stretched to their em boxes)
    chars: int  # characters that count for copyfitting (no spaces)

    __reduce__ = by_fields  # fast to send between an edition's worker processes



@dataclass(frozen=True, slots=True)
class Measured:
    atoms: tuple[MeasuredAtom, ...]
    missing: tuple[str, ...]  # characters that no font has, in order of appearance


def measure(atoms: tuple[Atom, ...], size: float, resolve: Resolver,
            half: frozenset[Kind] = frozenset()) -> Measured:
    """Measure a paragraph's atoms at ``size`` with faces from ``resolve``.

    ``half``: kinds of full-width marks set in ½ em (the punctuation style, A6.3).
    """
    out: list[MeasuredAtom] = []
    missing: list[str] = []
    # A front end's resolver (fontdb.FontResolver) remembers its measured atoms; a plain
    # function (a test's synthetic font) gets a table for this call only.
    memo: dict[tuple[object, ...], MeasuredAtom] = getattr(resolve, "measured", None)
    if memo is None:
        memo = {}
    for index, atom in enumerate(atoms):
        chinese = atom.text in SHARED_QUOTES and _in_chinese_context(atoms, index)
        key = (atom.text, atom.kind, size, chinese, half)
        measured = memo.get(key)
        if measured is None:
            before = len(missing)
            face, text = _face_for(atom.text, resolve, missing)
            measured = _measure_one(atom, text, face, size, chinese, atom.kind in half)
            if len(missing) == before:  # an atom with a missing character is reported every time
                memo[key] = measured
        out.append(measured)
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    return Measured(tuple(out), tuple(missing))


def measure_mixed(atoms: tuple[Atom, ...], size: float, resolvers: Sequence[Resolver],
                  half: frozenset[Kind] = frozenset()) -> Measured:
    """Like :func:`measure`, each atom with faces from its own resolver (``resolvers[i]``
    for ``atoms[i]``): text with inline styles, where a span is set in another family.
    Context (a shared quote between Chinese characters) is read across spans."""
    out: list[MeasuredAtom] = []
    missing: list[str] = []
    memos: dict[int, dict[tuple[object, ...], MeasuredAtom]] = {}
    for index, (atom, resolve) in enumerate(zip(atoms, resolvers, strict=True)):
        memo = memos.get(id(resolve))
        if memo is None:
            found = getattr(resolve, "measured", None)
            memo = memos[id(resolve)] = found if found is not None else {}
        chinese = atom.text in SHARED_QUOTES and _in_chinese_context(atoms, index)
        key = (atom.text, atom.kind, size, chinese, half)
        measured = memo.get(key)
        if measured is None:
            before = len(missing)
            face, text = _face_for(atom.text, resolve, missing)
            measured = _measure_one(atom, text, face, size, chinese, atom.kind in half)
            if len(missing) == before:
                memo[key] = measured
        out.append(measured)
    for memo in memos.values():
        if len(memo) > MEMO_LIMIT:
            memo.clear()
    return Measured(tuple(out), tuple(missing))


#: Measured atoms are immutable values: the same text in the same fonts, size and
#: context is measured once per resolver (a page repeats most of its ~800 characters).
MEMO_LIMIT = 200_000


def _face_for(text: str, resolve: Resolver, missing: list[str]) -> tuple[Face, str]:
    face = resolve(text[0])
    if face is not None and all(face.has(ord(c)) for c in text):
        return face, text
    drawn = []
    for char in text:
        if resolve(char) is None and not _is_format_char(char):
            missing.append(char)
            drawn.append(MISSING_MARK)
        elif not _is_format_char(char):
            drawn.append(char)
    face = resolve(drawn[0] if drawn else MISSING_MARK) or resolve(MISSING_MARK)
    if face is None:
        raise LookupError("no font has the missing-glyph mark 〓")
    # Keep only what this face can draw; the rest was reported as missing above.
    return face, "".join(c if face.has(ord(c)) else MISSING_MARK for c in drawn) or MISSING_MARK


def _is_format_char(char: str) -> bool:
    """Zero-width joiners and variation selectors are never drawn on their own."""
    codepoint = ord(char)
    return char == "\u200d" or 0xFE00 <= codepoint <= 0xFE0F or 0xE0100 <= codepoint <= 0xE01EF


def _in_chinese_context(atoms: tuple[Atom, ...], index: int) -> bool:
    """A shared curly quote is Chinese when a neighbour is Chinese (A2 caveat)."""
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(atoms) and atoms[j].text in SHARED_QUOTES:
            j += step
        if 0 <= j < len(atoms) and _is_chinese(atoms[j]):
            return True
    return False


def _is_chinese(atom: Atom) -> bool:
    return atom.kind in (Kind.HAN, Kind.IDSPACE, Kind.DASH, Kind.ELLIPSIS) or (
        atom.kind in (Kind.OPEN, Kind.CLOSE, Kind.PAUSE, Kind.STOP) and _full_width_code(atom.text)
    )


def _full_width_code(text: str) -> bool:
    return len(text) == 1 and text not in _PROPORTIONAL_PUNCT and text not in SHARED_QUOTES


def _measure_one(atom: Atom, text: str, face: Face, size: float, chinese: bool, half: bool) -> MeasuredAtom:
    kind = atom.kind
    advance = sum(face.advance(ord(c)) for c in text)
    chars = sum(1 for c in atom.text if not c.isspace() and not _is_format_char(c))
    full = kind in (Kind.OPEN, Kind.CLOSE, Kind.PAUSE, Kind.STOP) and (
        _full_width_code(atom.text) or (atom.text in SHARED_QUOTES and chinese)
    )
    width, offset, hscale = advance, 0.0, 1.0
    left = right = 0.0
    if full and half:
        width = HALF_WIDTH  # the blank half removed everywhere (开明式, 半角式)
        offset = (HALF_WIDTH - advance) if (kind is Kind.OPEN and advance < 0.9) else (
            -HALF_WIDTH if kind is Kind.OPEN else 0.0)
    elif full:
        width = 1.0
        left, right = blank_sides(kind)
        # A glyph narrower than the box sits on its ink side (A5): opening marks right.
        offset = (1.0 - advance) if (kind is Kind.OPEN and advance < 0.9) else 0.0
    elif kind is Kind.MIDDLE or (kind is Kind.SOLIDUS and atom.text == "／"):
        width = MIDDLE_WIDTH if kind is Kind.MIDDLE else SOLIDUS_WIDTH
        offset = (width - advance) / 2
    elif kind in (Kind.DASH, Kind.ELLIPSIS) or (kind is Kind.CONNECTOR and atom.text in "—～"):
        width = UNIT_WIDTH * (2 if atom.text in ("⸺", "――") else len(atom.text))
        hscale = width / advance if kind is not Kind.CONNECTOR and advance > 0 else 1.0
        offset = (width - advance * hscale) / 2
    elif kind is Kind.IDSPACE:
        width = 1.0
    return MeasuredAtom(
        text=text, source=atom.text, kind=kind, face=face, size=size,
        width=width * size, blank_left=left * size, blank_right=right * size,
        glyph_offset=offset * size, hscale=hscale, chars=chars,
    )
