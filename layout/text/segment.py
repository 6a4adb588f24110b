"""Split text into unbreakable atoms (CLREQ A4, UAX #14 tailored for Chinese).

An atom is the smallest piece a line break may not split: one Han character, one
punctuation mark, a Latin word, a number with its prefix / postfix / decimal point, a
URL or e-mail address, a ``——`` dash or ``……`` ellipsis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from layout.text.clreq import DASH_UNITS, ELLIPSIS_UNITS, POSTFIXES, PREFIXES, Kind, punct_kind


@dataclass(frozen=True, slots=True)
class Atom:
    text: str
    kind: Kind


# Ordered: the first pattern that matches at a position wins.
_URL = r"(?:https?://|ftp://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff“”‘’]+[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff“”‘’.,;:!?)\]]"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_PREFIX = "[" + re.escape("".join(sorted(PREFIXES))) + "]"
_POSTFIX = "[" + re.escape("".join(sorted(POSTFIXES))) + "]"
# A digit group: 2024, 3.14, 1,000, 10:30, 1/2, 2023-12-06, 4·15 (a middle dot or colon
# between digits stays with them, unbreakable), with prefix and postfix signs;
# letters directly attached (5G, 100km, No.1) stay in the group.
_NUMBER = rf"{_PREFIX}?[0-9０-９]+(?:[.,:/\-·・][0-9０-９]+)*(?:[A-Za-z]+)?{_POSTFIX}*"
# A Latin word with inner apostrophes, hyphens and periods (e-mail-less abbreviations).
_LATIN = r"[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF][A-Za-z0-9\u0300-\u036F\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF'’\-]*(?:\.[A-Za-z]\.?)*"
_PATTERN = re.compile(
    "|".join(
        [
            f"(?P<url>{_URL})",
            f"(?P<email>{_EMAIL})",
            f"(?P<number>{_NUMBER})",
            f"(?P<latin>{_LATIN})",
            "(?P<dash>" + "|".join(map(re.escape, DASH_UNITS)) + ")",
            "(?P<ellipsis>" + "|".join(map(re.escape, ELLIPSIS_UNITS)) + ")",
        ]
    )
)
#: Non-ASCII characters that can start a pattern match; any other non-ASCII character
#: (a Han character, a full-width mark) is an atom of its own without trying the regex.
_PATTERN_STARTS = frozenset("—⸺―…⋯０１２３４５６７８９" + "".join(PREFIXES)) | frozenset(
    chr(c) for c in (*range(0xC0, 0x250), *range(0x370, 0x400), *range(0x400, 0x500))
)
_GROUP_KIND = {
    "url": Kind.URL, "email": Kind.URL, "number": Kind.NUMBER, "latin": Kind.LATIN,
    "dash": Kind.DASH, "ellipsis": Kind.ELLIPSIS,
}


def segment(text: str) -> tuple[Atom, ...]:
    """Split one paragraph (no newlines) into atoms."""
    atoms: list[Atom] = []
    pos = 0
    length = len(text)
    while pos < length:
        char = text[pos]
        match = _PATTERN.match(text, pos) if char in _PATTERN_STARTS or char.isascii() else None
        if match:
            atoms.append(Atom(match.group(), _GROUP_KIND[match.lastgroup or "latin"]))
            pos = match.end()
            continue
        end = _cluster_end(text, pos + 1)
        atoms.append(Atom(text[pos:end], _char_kind(char)))
        pos = end
    return tuple(atoms)


def _cluster_end(text: str, pos: int) -> int:
    """Keep combining marks, variation selectors and ZWJ sequences with their base."""
    while pos < len(text):
        char = text[pos]
        if unicodedata.combining(char) or 0xFE00 <= ord(char) <= 0xFE0F or char == "\u200d" \
                or 0xE0100 <= ord(char) <= 0xE01EF or 0x1F3FB <= ord(char) <= 0x1F3FF:
            pos += 1
            if char == "\u200d" and pos < len(text):
                pos += 1
            continue
        break
    return pos


def _char_kind(char: str) -> Kind:
    kind = punct_kind(char)
    if kind is not None:
        return kind
    if char == " ":
        return Kind.SPACE
    if char == "\u3000":
        return Kind.IDSPACE
    if char in "…⋯":
        return Kind.ELLIPSIS
    if _is_ideographic(char):
        return Kind.HAN
    return Kind.OTHER


def _is_ideographic(char: str) -> bool:
    codepoint = ord(char)
    return (
        0x2E80 <= codepoint <= 0x9FFF  # radicals, CJK symbols, kana, Han
        or 0xF900 <= codepoint <= 0xFAFF
        or 0xFF01 <= codepoint <= 0xFF60  # full-width forms
        or 0x20000 <= codepoint <= 0x323AF
        or 0x25A0 <= codepoint <= 0x27BF  # ■●★ and friends: set full width in Chinese text
        or 0x2100 <= codepoint <= 0x214F  # ℃ № ™
        or 0x2460 <= codepoint <= 0x24FF  # ①
    )
