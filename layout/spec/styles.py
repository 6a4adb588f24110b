"""The built-in style sheet and the spec's ``styles:`` overrides (contract §4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from layout.spec.data import ROLES, PageSpec, Role, StyleOverride
from layout.units import SIZE_NAMES, parse_leading

#: 100 % K: body text and rules on newsprint are single-channel black (typography D1).
BLACK = (0.0, 0.0, 0.0, 100.0)


@dataclass(frozen=True, slots=True)
class TextStyle:
    """Everything the composer and renderer need to set one role's text."""

    family: str
    weight: str  # "regular" or "bold"
    size: float  # pt
    leading: float  # pt
    color: tuple[float, float, float, float]  # CMYK percent
    align: str  # left, center, right, justify, distribute
    max_lines: int
    punctuation: str | None = None  # None: the page's typography.punctuation
    min_size: float | None = None  # headlines may shrink to this size to fit max_lines
    overprint: bool | None = None  # None: 100 % K overprints, other colours knock out


StyleSheet = dict[str, TextStyle]

# Built-in defaults per role, relative to nothing but the Chinese size table; the body
# role takes the page's body settings. Sizes follow typography reference B5/B6.
_DEFAULTS: dict[str, TextStyle] = {
    "kicker": TextStyle("kai", "regular", SIZE_NAMES["四号"], 1.3, BLACK, "center", 2),
    "title": TextStyle("hei", "regular", SIZE_NAMES["小一"], 1.2, BLACK, "center", 2),
    "subtitle": TextStyle("kai", "regular", SIZE_NAMES["小三"], 1.3, BLACK, "center", 2),
    "byline": TextStyle("kai", "regular", 0.0, 0.0, BLACK, "left", 2),
    "subhead": TextStyle("hei", "regular", 0.0, 0.0, BLACK, "center", 2),
    "caption": TextStyle("kai", "regular", 0.0, 0.0, BLACK, "justify", 6),
    "credit": TextStyle("kai", "regular", 0.0, 0.0, BLACK, "right", 1),
    "header": TextStyle("kai", "regular", SIZE_NAMES["小五"], 1.2, BLACK, "left", 1),
    "footer": TextStyle("kai", "regular", SIZE_NAMES["小五"], 1.2, BLACK, "center", 1),
    "label": TextStyle("hei", "regular", SIZE_NAMES["小四"], 1.2, BLACK, "left", 1),  # 栏目名 (layout/label.py)
    "jump": TextStyle("kai", "regular", 0.0, 0.0, BLACK, "right", 1),  # 下转第N版 / 上接第M版 (layout/jump.py)
}
# size 0.0 above means "the body size"; leading 0.0 means "the grid pitch" (body leading),
# so bylines, subheads and captions sit on the baseline grid; otherwise a factor of the size.


def build_stylesheet(spec: PageSpec) -> StyleSheet:
    """Resolve every role to a :class:`TextStyle`: defaults, page body, then overrides."""
    body_size = spec.page.body.size
    body = TextStyle(
        spec.page.body.font, "regular", body_size, parse_leading(spec.page.body.leading, body_size),
        BLACK, "justify", 1_000_000,
    )
    sheet: StyleSheet = {"body": body}
    for role, default in _DEFAULTS.items():
        size = default.size or body_size
        leading = default.leading * size if default.leading else body.leading
        sheet[role] = replace(default, size=size, leading=leading)
    for role in ROLES:
        override = spec.styles.get(role)  # type: ignore[call-overload]
        if override is not None:
            sheet[role] = _apply(sheet[role], override)
    return sheet


def with_overrides(sheet: StyleSheet, overrides: Mapping[Role, StyleOverride]) -> StyleSheet:
    """A block's own style sheet: the page's, with the block's ``styles:`` on top."""
    if not overrides:
        return sheet
    out = dict(sheet)
    for role, override in overrides.items():
        out[role] = _apply(sheet[role], override)
    return out


def override_style(style: TextStyle, override: StyleOverride | None) -> TextStyle:
    """``style`` with one ``styles:``-like override on top (an insert's ``text_style``)."""
    return style if override is None else _apply(style, override)


def _apply(style: TextStyle, override: StyleOverride) -> TextStyle:
    size = override.size if override.size is not None else style.size
    if override.leading is not None:
        leading = parse_leading(override.leading, size)
    elif override.size is not None:
        leading = style.leading / style.size * size  # keep the factor when only the size changes
    else:
        leading = style.leading
    return TextStyle(
        family=override.font or style.family,
        weight=override.weight or style.weight,
        size=size,
        leading=leading,
        color=override.color or style.color,
        align=override.align or style.align,
        max_lines=override.max_lines or style.max_lines,
        punctuation=override.punctuation or style.punctuation,
        min_size=override.min_size if override.min_size is not None else style.min_size,
        overprint=override.overprint if override.overprint is not None else style.overprint,
    )
