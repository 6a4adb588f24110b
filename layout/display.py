"""The display list: frozen drawing items in trim coordinates (pt, y down), in reading order.

Layout produces it; renderers (PDF, PNG, the recording dump) consume it.  It knows
nothing of reportlab or Pillow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layout.compose.justify import SetLine
from layout.compose.prepare import Prepared
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


def line_runs(prep: Prepared, line: SetLine, x0: float, baseline: float, color: CMYK) -> list[GlyphRun]:
    """Turn a set line into glyph runs: consecutive glyphs at constant spacing share a run."""
    runs: list[GlyphRun] = []
    pending: list[tuple[float, str]] = []  # (x, char) of the run being built
    key: tuple[Face, float, float] | None = None
    spacing: float | None = None
    for placed in line.placed:
        atom = prep.atoms[placed.index]
        if atom.text.isspace() or not atom.text:
            continue
        x = x0 + placed.glyph_x
        this_key = (atom.face, atom.size, atom.hscale)
        for char in atom.text:
            if pending and key == this_key:
                last_x, last_char = pending[-1]
                gap = x - last_x - atom.face.advance(ord(last_char)) * atom.size * atom.hscale
                if spacing is None or abs(gap - spacing) < SPACING_TOLERANCE:
                    spacing = gap if spacing is None else spacing
                    pending.append((x, char))
                    x += (atom.face.advance(ord(char)) * atom.hscale) * atom.size + placed.tracking
                    continue
            if pending and key is not None:
                runs.append(_run(key, pending, spacing or 0.0, baseline, color))
            pending, key, spacing = [(x, char)], this_key, None
            x += (atom.face.advance(ord(char)) * atom.hscale) * atom.size + placed.tracking
    if pending and key is not None:
        runs.append(_run(key, pending, spacing or 0.0, baseline, color))
    return runs


#: Glyph spacings closer than this (pt) are one run; far below a device pixel.
SPACING_TOLERANCE = 1e-3


def _run(key: tuple[Face, float, float], glyphs: list[tuple[float, str]], spacing: float, baseline: float,
         color: CMYK) -> GlyphRun:
    face, size, hscale = key
    return GlyphRun(face, size, glyphs[0][0], baseline, "".join(c for _, c in glyphs), spacing, hscale, color)
