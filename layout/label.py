"""A column label (栏目名/题花) of an article: a short name such as 茂南观察 or 记者手记,
set in a ruled box, on a tint, reversed out of a solid band, or after a bar ornament.

The label stands either before the title (on its first line; the title is set narrower
and shifted right by the label's width) or in the frame's top-left corner on whole grid
lines of its own.  It is drawn with the same primitives as boxes and tints
(``layout/rules.py``, :class:`layout.display.Box`): no ornament glyph a font may lack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layout.compose.paragraph import Composed, compose_paragraph
from layout.context import LayoutContext
from layout.decor import WHITE
from layout.display import CMYK, Box, DisplayItem, baseline_in_box, line_runs
from layout.geometry.grid import Rect
from layout.rules import RULE_BLACK, RuleStyle, RuleType, box_items, rule_items
from layout.spec.data import Label
from layout.spec.styles import TextStyle
from layout.units import EPS

#: The colour each style takes when the label gives none: black box, a light grey tint
#: (text on it stays readable, see ``layout/decor.py`` MAX_TINT_DARKNESS), a red band
#: (套红) to reverse out of, a red bar.
DEFAULT_COLOUR: dict[str, CMYK] = {
    "box": RULE_BLACK, "tint": (0.0, 0.0, 0.0, 15.0), "reverse": (0.0, 100.0, 100.0, 0.0),
    "ornament": (0.0, 100.0, 100.0, 0.0),
}
#: Space between the text and the box's left and right edges, in em of the label's size.
PAD_SIDE_EM = 0.4
#: Space between the text's line box and the box's top and bottom edges, in em.
PAD_TOP_EM = 0.15
#: The box's rule (style box), pt.
BOX_RULE_WEIGHT = 0.75
#: Ornament: the solid bar before the text, its width in em; the gap after it, in em;
#: the rule under the text, pt.
BAR_WIDTH_EM = 0.35
BAR_GAP_EM = 0.35
ORNAMENT_RULE_WEIGHT = 1.0
#: Space between a label before the title and the title, in em of the title's size.
TITLE_GAP_EM = 0.5
#: A measure wide enough to set a label on one line (it is never broken).
UNBROKEN_WIDTH = 10_000.0


@dataclass(frozen=True, slots=True)
class SetLabel:
    spec: Label
    style: TextStyle
    composed: Composed
    text_width: float  # pt
    width: float  # the whole label (box, or bar and text), pt
    height: float  # pt
    colour: CMYK

    @property
    def chars(self) -> int:
        return self.composed.chars

    @property
    def lead(self) -> float:
        """Space before the text inside the label: the padding, or the bar and its gap."""
        size = self.style.size
        if self.spec.style == "ornament":
            return (BAR_WIDTH_EM + BAR_GAP_EM) * size
        return PAD_SIDE_EM * size


def set_label(label: Label, ctx: LayoutContext) -> SetLabel:
    """The label's text on one line in the ``label`` style, and the label's size."""
    style = ctx.styles["label"]
    composed = compose_paragraph(" ".join(label.text.split()), ctx.paragraph(style, align="left"), UNBROKEN_WIDTH,
                                 ctx.resolver(style))
    line = composed.lines[0] if composed.lines else None
    text_width = line.used - line.placed[0].box_x if line is not None and line.placed else 0.0
    size = style.size
    height = style.leading + 2 * PAD_TOP_EM * size
    if label.style == "ornament":
        width = (BAR_WIDTH_EM + BAR_GAP_EM) * size + text_width
    else:
        width = text_width + 2 * PAD_SIDE_EM * size
    colour = label.color if label.color is not None else DEFAULT_COLOUR[label.style]
    return SetLabel(label, style, composed, text_width, width, height, colour)


def title_shift(label: SetLabel, title: TextStyle) -> float:
    """How far a label before the title pushes the title right: its width and a gap."""
    return label.width + TITLE_GAP_EM * title.size


def corner_lines(label: SetLabel, pitch: float) -> int:
    """Whole grid lines a corner label takes: its height, and at least a quarter line clear below."""
    return math.ceil((label.height + pitch / 4) / pitch - EPS)


def draw_label(label: SetLabel, x: float, top: float) -> tuple[DisplayItem, ...]:
    """The label with its top-left corner at (``x``, ``top``): the fill or rules under the text, then the text."""
    style, size, kind = label.style, label.style.size, label.spec.style
    out: list[DisplayItem] = []
    text_colour: CMYK = RULE_BLACK
    overprint: bool | None = None
    if kind == "box":
        out += box_items(RuleStyle(RuleType.THIN, BOX_RULE_WEIGHT, label.colour),
                         Rect(x, top, label.width, label.height))
        text_colour = label.colour
    elif kind == "tint":
        out.append(Box(x, top, label.width, label.height, label.colour, None))
    elif kind == "reverse":
        out.append(Box(x, top, label.width, label.height, label.colour, None))
        text_colour, overprint = WHITE, False  # knocked out of the band: white never overprints
    else:  # ornament: a solid bar, the text, a rule under it
        out.append(Box(x, top, BAR_WIDTH_EM * size, label.height, label.colour, None))
        y = top + label.height - ORNAMENT_RULE_WEIGHT / 2
        out += rule_items(RuleStyle(RuleType.THIN, ORNAMENT_RULE_WEIGHT, label.colour), x, y, x + label.width, y)
    if label.composed.lines:
        line = label.composed.lines[0]
        text_x = x + label.lead - (line.placed[0].box_x if line.placed else 0.0)
        baseline = baseline_in_box(top + PAD_TOP_EM * size, style.leading, size)
        out += line_runs(line, text_x, baseline, text_colour, overprint)
    return tuple(out)
