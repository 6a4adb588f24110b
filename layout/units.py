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

_LENGTH = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|mm|cm|in|q|Q)?\s*$")


class UnitError(ValueError):
    """A length, size or leading that cannot be read."""


def parse_length(value: object) -> float:
    """Read ``12pt``, ``3mm``, ``1.5cm``, ``0.5in``, ``12q`` or a bare number (points)."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length such as 3mm or 9pt, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise UnitError(f"expected a length such as 3mm or 9pt, got {value!r}")
    match = _LENGTH.match(value)
    if not match:
        raise UnitError(f"expected a length such as 3mm or 9pt (units pt, mm, cm, in, q), got {value!r}")
    number, unit = match.groups()
    return float(number) * PT_PER_UNIT[(unit or "pt").lower()]


def parse_font_size(value: object) -> float:
    """Read a font size: a length or a Chinese size name such as ``五号``."""
    if isinstance(value, str) and value.strip() in SIZE_NAMES:
        return float(SIZE_NAMES[value.strip()])
    try:
        return parse_length(value)
    except UnitError:
        names = "、".join(SIZE_NAMES)
        raise UnitError(f"expected a font size (a length or one of {names}), got {value!r}") from None


def parse_leading(value: object, size: float) -> float:
    """Read a leading: a length, or a bare factor of the size (``1.5``) when below 4."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < LEADING_FACTOR_LIMIT:
        return float(value) * size
    if isinstance(value, str) and _is_bare_number(value) and float(value) < LEADING_FACTOR_LIMIT:
        return float(value) * size
    return parse_length(value)


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
