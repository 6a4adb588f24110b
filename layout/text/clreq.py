"""Chinese layout rules as data tables and small pure functions.

Sections cited are those of W3C *Requirements for Chinese Text Layout* (CLREQ,
https://www.w3.org/TR/clreq/) as condensed in shared/docs/cjk-newspaper-typography.md
(A2 classes, A3 prohibitions, A4 inseparables, A6 punctuation adjustment, A7
justification, A10 Han–Latin spacing).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Atom classes (CLREQ appendix A; JLREQ cl-12/13 for prefixes and postfixes)."""

    HAN = "han"  # ideographs and other full-width letters and symbols
    OPEN = "open"  # opening quotes and brackets
    CLOSE = "close"  # closing quotes and brackets
    PAUSE = "pause"  # 、，；： pause marks (点号, compressible: A7 stage 5)
    STOP = "stop"  # 。．？！ stop marks (not compressed mid-line by default: A7 stage 7)
    MIDDLE = "middle"  # interpuncts 间隔号 (fixed ½ em, centred: A5)
    CONNECTOR = "connector"  # ～ – and a lone —
    SOLIDUS = "solidus"  # / ／ 分隔号
    DASH = "dash"  # —— ⸺ (2 em, one unit: A4)
    ELLIPSIS = "ellipsis"  # …… ⋯⋯ (2 em, one unit: A4)
    LATIN = "latin"  # a Latin word
    NUMBER = "number"  # a digit group with its prefix / postfix / decimal point
    URL = "url"  # URLs and e-mail addresses
    SPACE = "space"  # U+0020: a Latin word space
    IDSPACE = "idspace"  # U+3000: an em space
    OTHER = "other"  # anything else (symbols, emoji, unknown scripts)


# A2: classes by code point.  ASCII forms are included because they arrive pasted
# from the web; they keep their proportional width (see measure.py).
OPENING = frozenset("“‘「『（〔［｛【〖〈《([{")
CLOSING = frozenset("”’」』）〕］｝】〗〉》)]}")
PAUSES = frozenset("、，；：,;:")
STOPS = frozenset("。．？！‼⁇.?!")
MIDDLES = frozenset("·・‧")
CONNECTORS = frozenset("～〜–—-~+")  # "+" too: AI+教育, 党建+ keep the plus with what it follows
SOLIDI = frozenset("/／")
PREFIXES = frozenset("￥＄￡＃€№$£¥#")  # JLREQ cl-12: glued to the following number
POSTFIXES = frozenset("％‰℃°′″¢%")  # JLREQ cl-13: glued to the preceding number
DASH_UNITS = ("——", "⸺", "――")
ELLIPSIS_UNITS = ("……", "⋯⋯")

_PUNCT_KIND: dict[str, Kind] = {}
for _chars, _kind in ((OPENING, Kind.OPEN), (CLOSING, Kind.CLOSE), (PAUSES, Kind.PAUSE), (STOPS, Kind.STOP),
                      (MIDDLES, Kind.MIDDLE), (CONNECTORS, Kind.CONNECTOR), (SOLIDI, Kind.SOLIDUS)):
    for _c in _chars:
        _PUNCT_KIND[_c] = _kind


def punct_kind(char: str) -> Kind | None:
    """The CLREQ class of a punctuation mark, or None (A2)."""
    return _PUNCT_KIND.get(char)


# A3: prohibition levels.  Kinds that may not start / end a line at each level.
_NO_START_BASIC = frozenset({Kind.CLOSE, Kind.PAUSE, Kind.STOP, Kind.MIDDLE, Kind.CONNECTOR})
_NO_END_BASIC = frozenset({Kind.OPEN})
NO_START: dict[str, frozenset[Kind]] = {
    "none": frozenset(),
    "basic": _NO_START_BASIC,
    "gb": _NO_START_BASIC,
    "strict": _NO_START_BASIC | {Kind.DASH, Kind.ELLIPSIS},
}
NO_END: dict[str, frozenset[Kind]] = {
    "none": frozenset(),
    "basic": _NO_END_BASIC,
    "gb": _NO_END_BASIC | {Kind.SOLIDUS},
    "strict": _NO_END_BASIC | {Kind.SOLIDUS},
}

#: Kinds that are Latin-like: they get Han–Latin spacing and stay whole (A4, A10).
WESTERN = frozenset({Kind.LATIN, Kind.NUMBER, Kind.URL})
#: Kinds whose neighbours get Han–Latin spacing (A10: not next to punctuation).
IDEOGRAPHIC = frozenset({Kind.HAN})


def break_allowed(before: Kind, after: Kind, level: str) -> bool:
    """May a line break fall between an atom of kind ``before`` and one of ``after``? (A3)

    A break never falls before a word space (the space stays at the end of the line
    and is dropped there) and always may after one.
    """
    if after is Kind.SPACE:
        return False
    if before is Kind.SPACE:
        return after not in NO_START[level]
    return after not in NO_START[level] and before not in NO_END[level]


# A6.1: adjacent full-width marks.  The blank facing the other mark is removed, so a
# pair whose frames total 2 em is set in 1.5 em.  Returned: (trim right of first,
# trim left of second) in em, for quanjiao (全角式) setting.
_CLOSING_LIKE = frozenset({Kind.CLOSE, Kind.PAUSE, Kind.STOP})
HALF = 0.5


def adjacent_trim(first: Kind, second: Kind) -> tuple[float, float]:
    """Blank removed between two adjacent full-width marks (A6.1)."""
    if first in _CLOSING_LIKE and second in _CLOSING_LIKE:
        return (HALF, 0.0)  # ）。  。”  ，”
    if first in _CLOSING_LIKE and second is Kind.OPEN:
        return (HALF, 0.0)  # ）（  ，“  。（  → 1.5 em
    if first is Kind.OPEN and second is Kind.OPEN:
        return (0.0, HALF)  # （“  《〈
    if first in _CLOSING_LIKE and second is Kind.MIDDLE:
        return (HALF, 0.0)  # ）·
    if first is Kind.MIDDLE and second is Kind.OPEN:
        return (0.0, HALF)  # ·（
    return (0.0, 0.0)


def blank_sides(kind: Kind) -> tuple[float, float]:
    """Blank (left, right) of a full-width mark's em box, mainland position (A5)."""
    if kind is Kind.OPEN:
        return (HALF, 0.0)
    if kind in _CLOSING_LIKE:
        return (0.0, HALF)
    return (0.0, 0.0)


def mid_line_shrink(kind: Kind) -> float:
    """How much of a full-width mark's blank justification may take mid-line (A7).

    Stages 4 and 5 (bracket outer blanks; commas, 顿号, semicolons, colons) are on;
    stage 7 (。？！) is off, as most styles forbid it.
    """
    if kind in (Kind.OPEN, Kind.CLOSE, Kind.PAUSE):
        return HALF
    return 0.0


def no_justify_gap(before: Kind, after: Kind) -> bool:
    """Gaps next to connectors and solidi take no justification space (A7 stretch 3), nor
    the cut between two pieces of a URL broken for being longer than the line (A4)."""
    fixed = (Kind.CONNECTOR, Kind.SOLIDUS)
    return before in fixed or after in fixed or (before is Kind.URL and after is Kind.URL)


def wants_cjk_latin_space(before: Kind, after: Kind) -> bool:
    """A10: a narrow space between Han characters and Latin letters or digits."""
    return (before in IDEOGRAPHIC and after in WESTERN) or (before in WESTERN and after in IDEOGRAPHIC)


@dataclass(frozen=True, slots=True)
class PunctuationStyle:
    """How full-width marks are set (CLREQ A6.3; the ctex/xeCJK presets).

    ``half_mid``: kinds set in ½ em everywhere (their blank removed); ``trim_end``: a
    mark at a line end loses its blank (A6.2, GB/T 15834 §5.1.10); ``trim_start``: an
    opening mark at a line start loses its blank; ``pairs``: adjacent marks share one
    blank (A6.1).
    """

    half_mid: frozenset[Kind]
    trim_end: bool
    trim_start: bool
    pairs: bool


PUNCTUATION_STYLES: dict[str, PunctuationStyle] = {
    # 全角式: every mark a full em (pairs compressed), line edges left as they are
    "quanjiao": PunctuationStyle(frozenset(), trim_end=False, trim_start=False, pairs=True),
    # 行末半角 (xeCJK hangmobanjiao): full width inside the line, ½ em at its ends.  The
    # default: mainland newspapers set pause and stop marks full width and end a line
    # flush with the ink (GB/T 15834 §5.1.10), so justified columns have straight edges.
    "line_end_half": PunctuationStyle(frozenset(), trim_end=True, trim_start=True, pairs=True),
    # 开明式: 。？！ full width, every other mark ½ em
    "kaiming": PunctuationStyle(frozenset({Kind.OPEN, Kind.CLOSE, Kind.PAUSE}), trim_end=True, trim_start=True,
                                pairs=True),
    # 半角式: every adjustable mark ½ em
    "banjiao": PunctuationStyle(frozenset({Kind.OPEN, Kind.CLOSE, Kind.PAUSE, Kind.STOP}), trim_end=True,
                                trim_start=True, pairs=True),
    # no adjustment at all (Taiwan/Hong Kong practice, centred marks)
    "none": PunctuationStyle(frozenset(), trim_end=False, trim_start=False, pairs=False),
}
DEFAULT_PUNCTUATION = "line_end_half"
#: Marks that may hang into the gutter at a line end when hanging is allowed (A9).
HANGABLE = frozenset("、，。")


#: The minimum a Han–Latin space may shrink to, as a fraction of its natural value (A10).
CJK_LATIN_MIN_FRACTION = 0.5
#: How far a word space may grow before inter-character expansion starts (A7 stretch 1), em.
WORD_SPACE_MAX = 0.5
#: How far a Han–Latin space may grow before inter-character expansion starts (A7 stretch 2), em.
CJK_LATIN_MAX = 1 / 3
