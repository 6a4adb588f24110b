"""Atoms wider than the measure (a long URL, word or number) cut into pieces that fit (A4).

A pasted 4,000-character token must be cut in time linear in its length: each piece is
found by one running sum of advances, never by re-measuring every prefix (which was
cubic: 70 s for 4,000 letters).
"""

from __future__ import annotations

import re

from layout.text.clreq import NO_START, Kind
from layout.text.measure import MeasuredAtom, Resolver, measure
from layout.text.segment import Atom

#: Where an over-long URL or word may be broken (A4: after / . - _ @ ?), never adding a hyphen.
URL_BREAK_AFTER = frozenset("/.-_@?&=")
_URL_SEGMENT = re.compile(r"[^/.\-_@?&=]*[/.\-_@?&=]|[^/.\-_@?&=]+")


def split_oversize(atoms: tuple[MeasuredAtom, ...], width: float, resolve: Resolver) -> tuple[MeasuredAtom, ...]:
    """Break a URL, word or number longer than the measure into pieces that fit (A4)."""
    if all(a.width <= width or len(a.text) == 1 for a in atoms):
        return atoms
    out: list[MeasuredAtom] = []
    for index, atom in enumerate(atoms):
        if atom.width <= width or len(atom.text) == 1:
            out.append(atom)
            continue
        cut = pieces(atom.text, atom, width)
        following = atoms[index + 1] if index + 1 < len(atoms) else None
        if following is not None and following.kind in NO_START["basic"]:
            cut = _room_for_mark(cut, atom, width, following.width - following.blank_right)
        for piece in cut:
            out.extend(measure((Atom(piece, atom.kind),), atom.size, resolve).atoms)
    return tuple(out)


def _room_for_mark(cut: list[str], atom: MeasuredAtom, width: float, mark: float) -> list[str]:
    """When the last piece fills its line, its last character becomes a piece of its own,
    so that a closing or stop mark after the token (which may not start a line, A3) has a
    line to end: ``…aaaa`` / ``a。`` rather than ``…aaaa`` / ``。``."""
    last = cut[-1]
    if len(cut) < 2 or len(last) < 2 or advance_of(last, atom) + mark <= width:
        return cut
    if advance_of(last[-1], atom) + mark > width:
        return cut  # not even one character and the mark fit a line: nothing to gain
    return [*cut[:-1], last[:-1], last[-1]]


def pieces(text: str, atom: MeasuredAtom, width: float) -> list[str]:
    """A URL or e-mail address cut after every / . - _ @ ? & = (A4), so that the line
    breaker can choose where it breaks; a word, or a segment still longer than the line,
    is cut into the longest pieces that fit (at least one character each)."""
    segments = _URL_SEGMENT.findall(text) if atom.kind is Kind.URL else [text]
    out: list[str] = []
    for part in segments:
        start = 0
        while len(part) - start > 1:
            cut = _longest_fit(part, start, atom, width)
            if cut is None:  # the rest fits whole
                break
            out.append(part[start:cut])
            start = cut
        if start < len(part):
            out.append(part[start:])
    return out


def _longest_fit(part: str, start: int, atom: MeasuredAtom, width: float) -> int | None:
    """End of the longest piece from ``start`` that fits ``width`` (at least one character),
    or None when ``part[start:]`` fits whole.

    One running sum finds the first character that overflows; the answer is then checked
    with :func:`advance` on the piece itself, so that it is the exact answer of "the longest
    prefix whose advance fits" whatever the rounding of a running sum.
    """
    advance, size = atom.face.advance, atom.size
    total = 0.0
    for k in range(start, len(part)):
        total += advance(ord(part[k]))
        if total * size > width:
            cut = max(k, start + 1)  # the first character goes alone if it does not fit
            if advance_of(part[start : k + 1], atom) > width and (
                    cut == start + 1 or advance_of(part[start:cut], atom) <= width):
                return cut
            return _longest_fit_exact(part, start, atom, width)
    if advance_of(part[start:], atom) > width:  # rounding put the last character over
        return _longest_fit_exact(part, start, atom, width)
    return None


def _longest_fit_exact(part: str, start: int, atom: MeasuredAtom, width: float) -> int | None:
    """The same answer by measuring prefixes one by one (quadratic; only for a piece whose
    running sum sits on the measure within rounding, which the check above catches)."""
    rest = part[start:]
    if advance_of(rest, atom) <= width:
        return None
    if advance_of(rest[:1], atom) > width:
        return start + 1
    return start + max(k for k in range(1, len(rest) + 1) if advance_of(rest[:k], atom) <= width)


def advance_of(text: str, atom: MeasuredAtom) -> float:
    """Natural width of ``text`` in ``atom``'s face and size, pt."""
    return sum(atom.face.advance(ord(c)) for c in text) * atom.size
