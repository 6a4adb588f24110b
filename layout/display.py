"""The display list: frozen drawing items in trim coordinates (pt, y down), in reading order.

Layout produces it; renderers (PDF, PNG, the recording dump) consume it.  It knows
nothing of reportlab or Pillow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layout.compose.justify import SetLine
from layout.fontdb import Face

CMYK = tuple[float, float, float, float]

#: Where the baseline sits in a line box: the ideographic em box is centred in the box,
#: and the baseline is 0.88 em below the em box's top (the Noto/Source Han em box runs
#: from −0.12 em to 0.88 em around the baseline).
BASELINE_IN_EM_BOX = 0.88


@dataclass(frozen=True, slots=True)
class GlyphRun:
    """Glyphs of one face on one baseline at a constant spacing."""

    face: Face
    size: float
    x: float  # first glyph origin
    baseline: float
    text: str
    char_space: float  # added after every glyph (PDF Tc)
    hscale: float  # horizontal scale, 1.0 = 100 %
    color: CMYK


@dataclass(frozen=True, slots=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: CMYK


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: CMYK | None
    stroke: CMYK | None
    cross: bool = False  # draw both diagonals (an empty or missing photo slot)


@dataclass(frozen=True, slots=True)
class Image:
    path: Path
    x: float
    y: float
    width: float
    height: float
    fit: str
    focus: tuple[float, float]


DisplayItem = GlyphRun | Rule | Box | Image


def baseline_in_box(top: float, box_height: float, size: float) -> float:
    """Baseline of text of ``size`` centred in a line box starting at ``top``."""
    return top + (box_height - size) / 2 + BASELINE_IN_EM_BOX * size


def line_runs(line: SetLine, x0: float, baseline: float, color: CMYK) -> list[GlyphRun]:
    """A set line's glyph runs (grouped once, when the line was set) placed at ``x0``, ``baseline``."""
    return [GlyphRun(r.face, r.size, x0 + r.x, baseline, r.text, r.char_space, r.hscale, color) for r in line.runs]
