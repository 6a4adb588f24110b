"""Lengths, Chinese size names (字号) and leading factors (contract §3).

Every length inside paiban is a float in PostScript points (1/72 in).
"""

from __future__ import annotations

import re

PT_PER_IN = 72.0
PT_PER_MM = PT_PER_IN / 25.4
PT_PER_UNIT = {
    "pt": 1.0,
    "mm": PT_PER_MM,
    "cm": 10 * PT_PER_MM,
    "in": PT_PER_IN,
    "q": 0.25 * PT_PER_MM,  # 级 (Q): a quarter millimetre
}

#: Chinese size names in points (shared/docs/cjk-newspaper-typography.md B1; contract §3).
SIZE_NAMES: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
    "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5,
}

#: Named trim sizes in mm, width × height (contract §3; typography reference B2).
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "broadsheet": (390.0, 540.0),  # 对开
    "tabloid": (270.0, 390.0),  # 四开
}

#: Tolerance for comparing lengths in points (well below a printer's dot).
EPS = 1e-4

#: Longest text read as a length ("  12.5 mm  " is 10); longer text is not one.
_MAX_LENGTH_TEXT = 64
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|mm|cm|in|q|Q)?\s*$")


#: Longest length a spec may give, in points (5 m): ten broadsheets laid end to end, so no
#: page, margin or gutter comes near it, while 1e308 or a 400-digit number is refused
#: before any arithmetic overflows.
MAX_LENGTH_PT = 5000 * PT_PER_MM
#: Characters of a wrong value shown in a message (a pasted article is not echoed whole).
SHOWN_CHARS = 40


class UnitError(ValueError):
    """A length, size or leading that cannot be read; ``zh`` says it in Chinese."""

    def __init__(self, message: str, zh: str = ""):
        super().__init__(message)
        self.zh = zh or message


def shown(value: object) -> str:
    """``repr(value)``, cut to :data:`SHOWN_CHARS` characters."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _bounded(points: float | int, given: object) -> float:
    """``points`` as a float once it is known to be a length paiban can work with."""
    if points != points or not -MAX_LENGTH_PT <= points <= MAX_LENGTH_PT:  # NaN fails both
        raise UnitError(f"a length must be a finite number of at most 5000 mm, got {shown(given)}",
                        f"长度必须是不超过 5000 mm 的有限数，实际是 {shown(given)}")
    return float(points)


def parse_length(value: object) -> float:
    """Read ``12pt``, ``3mm``, ``1.5cm``, ``0.5in``, ``12q`` or a bare number (points)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise UnitError(f"expected a length such as 3mm or 9pt, got {shown(value)}",
                        f"应为长度，如 3mm 或 9pt，实际是 {shown(value)}")
    if isinstance(value, (int, float)):
        return _bounded(value, value)
    match = _LENGTH.match(value) if len(value) <= _MAX_LENGTH_TEXT else None
    if not match:
        raise UnitError(f"expected a length such as 3mm or 9pt (units pt, mm, cm, in, q), got {shown(value)}",
                        f"应为长度，如 3mm 或 9pt（单位 pt、mm、cm、in、q），实际是 {shown(value)}")
    number, unit = match.groups()
    return _bounded(float(number) * PT_PER_UNIT[(unit or "pt").lower()], value)


def parse_font_size(value: object) -> float:
    """Read a font size: a length or a Chinese size name such as ``五号``."""
    if isinstance(value, str) and value.strip() in SIZE_NAMES:
        return float(SIZE_NAMES[value.strip()])
    try:
        return parse_length(value)
    except UnitError:
        names = "、".join(SIZE_NAMES)
        raise UnitError(f"expected a font size (a length or one of {names}), got {shown(value)}",
                        f"应为字号（长度或 {names} 之一），实际是 {shown(value)}") from None


def parse_leading(value: object, size: float) -> float:
    """Read a leading: a length, or a bare factor of the size (``1.5``) when below 4."""
    factor = leading_factor(value)
    return factor * size if factor is not None else parse_length(value)


def leading_factor(value: object) -> float | None:
    """The factor when ``value`` is a bare factor of the size (a number below 4), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < LEADING_FACTOR_LIMIT:
        return _bounded(value, value)
    if isinstance(value, str) and len(value) <= _MAX_LENGTH_TEXT and _is_bare_number(value) \
            and float(value) < LEADING_FACTOR_LIMIT:
        return float(value)
    return None


#: A bare leading below this is a factor of the size (1.5 = 150 %); at or above it, points.
#: No body leading is under 4 pt, and no sane factor is 4 or more.
LEADING_FACTOR_LIMIT = 4.0


def _is_bare_number(text: str) -> bool:
    match = _LENGTH.match(text)
    return match is not None and match.group(2) is None


def fits(length: float, room: float) -> bool:
    """True when ``length`` fits into ``room`` within :data:`EPS`."""
    return length <= room + EPS


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * PT_PER_MM
