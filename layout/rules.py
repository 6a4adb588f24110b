"""Rules and boxes (栏线、花边、加框): the line types a newsroom uses, as display items.

Pure geometry: a :class:`RuleStyle` (type, weight, colour) and where the rule runs give
the strokes to draw.  Articles (boxes, column rules), the page (rules between articles)
and, later, inserts, tables and the masthead all draw their rules through here.

- 正线 ``thin`` and 粗线 ``thick``: one solid stroke of the weight;
- 双线 ``double``: two strokes of the weight, a gap of :data:`DOUBLE_GAP` weights between;
- 文武线 ``thick-thin``: a thick stroke of the weight and a thin one of
  :data:`THICK_THIN_THIN` of it, a gap of :data:`THICK_THIN_GAP` weights between; the
  thick one on the left of the direction of travel (above a rule drawn left to right,
  outside a box);
- 点线 ``dotted``: round dots of the weight, dashes of length 0 with round caps;
- 虚线 ``dashed``: butt-capped dashes;
- 波纹线 ``wavy``: a path of cubic curves, one per half wave.

Every line type is centred on the line it is drawn along: a double rule between two
articles sits in the middle of their gutter as a single one does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from layout.display import CMYK, DisplayItem, LineCap, PathStep, Rule, StrokePath
from layout.geometry.grid import Rect
from layout.spec.data import RuleSpec

#: 100 % K: rules overprint, like black text (see ``layout/display.py``).
RULE_BLACK: CMYK = (0.0, 0.0, 0.0, 100.0)


class RuleType(StrEnum):
    """The line types of a newspaper page; the value is the spec's name."""

    THIN = "thin"  # 正线
    THICK = "thick"  # 粗线
    DOUBLE = "double"  # 双线
    THICK_THIN = "thick-thin"  # 文武线
    DOTTED = "dotted"  # 点线
    DASHED = "dashed"  # 虚线
    WAVY = "wavy"  # 波纹线
    NONE = "none"  # no rule


#: Weight of each type when the spec gives none, pt: the 0.5 pt 正线 is what the page
#: has always drawn between articles (``layout/furniture.py`` RULE_WIDTH).
DEFAULT_WEIGHT: dict[RuleType, float] = {
    RuleType.THIN: 0.5, RuleType.THICK: 1.5, RuleType.DOUBLE: 0.5, RuleType.THICK_THIN: 1.5,
    RuleType.DOTTED: 1.0, RuleType.DASHED: 0.5, RuleType.WAVY: 0.5, RuleType.NONE: 0.0,
}
#: 双线: the gap between its two strokes, in weights.
DOUBLE_GAP = 1.0
#: 文武线: the thin stroke's weight as a fraction of the thick one's, and the gap, in thick weights.
THICK_THIN_THIN = 1 / 3
THICK_THIN_GAP = 0.75
#: 点线: distance between dot centres, in weights (a dot is as wide as the weight).
DOT_PITCH = 2.5
#: 虚线: dash and gap lengths in weights, and their least lengths (pt) so a hairline's
#: dashes still read as dashes.
DASH_ON, DASH_OFF = 6.0, 3.0
DASH_MIN_ON, DASH_MIN_OFF = 3.0, 1.5
#: 波纹线: amplitude (centre to crest) in weights, at least WAVE_MIN_AMPLITUDE pt; the
#: wavelength in amplitudes.
WAVE_AMPLITUDE, WAVE_MIN_AMPLITUDE = 2.0, 1.2
WAVE_LENGTH = 5.0
#: A cubic Bézier's control points at this fraction of a half wave from its ends draw
#: a near-sine arc (the crest at the middle, flat tangents there).
WAVE_CONTROL = 0.3642


@dataclass(frozen=True, slots=True)
class RuleStyle:
    """A rule as the spec asks for it: type, weight (pt) and CMYK colour."""

    type: RuleType = RuleType.THIN
    weight: float = DEFAULT_WEIGHT[RuleType.THIN]
    color: CMYK = RULE_BLACK

    @property
    def visible(self) -> bool:
        return self.type is not RuleType.NONE and self.weight > 0

    @property
    def thickness(self) -> float:
        """The whole rule across, pt: both strokes and the gap of a double rule, a wave's height."""
        w = self.weight
        if not self.visible:
            return 0.0
        if self.type is RuleType.DOUBLE:
            return w * (2 + DOUBLE_GAP)
        if self.type is RuleType.THICK_THIN:
            return w * (1 + THICK_THIN_THIN + THICK_THIN_GAP)
        if self.type is RuleType.WAVY:
            return 2 * wave_amplitude(w) + w
        return w


#: The 0.5 pt black 正线 drawn between articles unless the spec says otherwise.
DEFAULT_RULE = RuleStyle()
NO_RULE = RuleStyle(RuleType.NONE, 0.0)


def wave_amplitude(weight: float) -> float:
    return max(WAVE_AMPLITUDE * weight, WAVE_MIN_AMPLITUDE)


def _strokes(style: RuleStyle) -> list[tuple[float, float]]:
    """(offset to the left of travel, weight) of each parallel stroke, centred on the line."""
    w = style.weight
    if style.type is RuleType.DOUBLE:
        half = (w + DOUBLE_GAP * w) / 2
        return [(half, w), (-half, w)]
    if style.type is RuleType.THICK_THIN:
        thin = w * THICK_THIN_THIN
        total = w + THICK_THIN_GAP * w + thin
        return [(total / 2 - w / 2, w), (-(total / 2 - thin / 2), thin)]
    return [(0.0, w)]


def _dash(style: RuleStyle) -> tuple[tuple[float, ...], LineCap]:
    w = style.weight
    if style.type is RuleType.DOTTED:
        return (0.0, DOT_PITCH * w), LineCap.ROUND
    if style.type is RuleType.DASHED:
        return (max(DASH_ON * w, DASH_MIN_ON), max(DASH_OFF * w, DASH_MIN_OFF)), LineCap.BUTT
    return (), LineCap.BUTT


def rule_items(style: RuleStyle, x0: float, y0: float, x1: float, y1: float) -> tuple[DisplayItem, ...]:
    """The strokes of a rule from (x0, y0) to (x1, y1), trim coordinates (pt, y down).

    A solid 正线 is one :class:`Rule` exactly as the page drew before rule styles.
    """
    length = math.hypot(x1 - x0, y1 - y0)
    if not style.visible or length <= 0:
        return ()
    if style.type is RuleType.WAVY:
        return (wave_path(style, x0, y0, x1, y1),)
    nx, ny = (y1 - y0) / length, -(x1 - x0) / length  # left of travel (y down)
    dash, cap = _dash(style)
    return tuple(Rule(x0 + nx * off, y0 + ny * off, x1 + nx * off, y1 + ny * off, weight, style.color, dash, cap)
                 for off, weight in _strokes(style))


def wave_path(style: RuleStyle, x0: float, y0: float, x1: float, y1: float) -> StrokePath:
    """A wavy rule: whole half waves (at least one) stretched to fill the length exactly,
    so both ends sit on the line."""
    length = math.hypot(x1 - x0, y1 - y0)
    amplitude = wave_amplitude(style.weight)
    halves = max(1, round(length / (WAVE_LENGTH * amplitude / 2)))
    step = length / halves
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = uy, -ux

    def at(along: float, across: float) -> tuple[float, float]:
        return (x0 + ux * along + nx * across, y0 + uy * along + ny * across)

    steps: list[PathStep] = []
    for k in range(halves):
        a = k * step
        crest = amplitude * (4 / 3) * (1 if k % 2 == 0 else -1)  # control points at 4/3 the crest reach it
        c1 = at(a + WAVE_CONTROL * step, crest)
        c2 = at(a + (1 - WAVE_CONTROL) * step, crest)
        end = at(a + step, 0.0)
        steps.append((*c1, *c2, *end))
    return StrokePath((x0, y0), tuple(steps), style.weight, style.color)


def box_items(style: RuleStyle, rect: Rect) -> tuple[DisplayItem, ...]:
    """A box (加框) along ``rect``'s edges, its strokes centred on them: closed paths with
    mitred corners for straight types (a 双线 box is two nested rectangles, a 文武线 box
    has its thick stroke outside), four wavy sides for 波纹线."""
    if not style.visible or rect.width <= 0 or rect.height <= 0:
        return ()
    x0, y0, x1, y1 = rect.x, rect.y, rect.right, rect.bottom
    if style.type is RuleType.WAVY:
        sides = ((x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0))
        return tuple(wave_path(style, *side) for side in sides)
    dash, cap = _dash(style)
    out: list[DisplayItem] = []
    for off, weight in _strokes(style):  # clockwise (y down): left of travel is outside
        a, b, c, d = x0 - off, y0 - off, x1 + off, y1 + off
        if c - a > 0 and d - b > 0:
            out.append(StrokePath((a, b), ((c, b), (c, d), (a, d)), weight, style.color, True, dash, cap))
    return tuple(out)


def rule_style(spec: RuleSpec | None, default: RuleStyle) -> RuleStyle:
    """The spec's rule (type, weight or the type's default, colour or 100 % K), or ``default``."""
    if spec is None:
        return default
    kind = RuleType(spec.type)
    weight = spec.weight if spec.weight is not None else DEFAULT_WEIGHT[kind]
    return RuleStyle(kind, weight, spec.color if spec.color is not None else RULE_BLACK)
