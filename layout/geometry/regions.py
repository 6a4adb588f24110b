"""An article's text columns and the grid lines free for body text in each.

Inside an article the frame width is divided into ``columns`` text columns separated
by the page gutter (contract §2).  A photo frame that overlaps a text column, even in
part, takes its grid lines away from that column: text flows above and below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from layout.geometry.grid import Rect


@dataclass(frozen=True, slots=True)
class TextColumn:
    x: float
    width: float
    free: tuple[int, ...]  # grid lines (1-based, page numbering) free for body text


@dataclass(frozen=True, slots=True)
class Hole:
    """Grid lines first..last (inclusive) of a photo frame over x0..x1."""

    x0: float
    x1: float
    first: int
    last: int


def text_columns(frame: Rect, columns: int, gutter: float, lines: range, holes: tuple[Hole, ...]) -> tuple[TextColumn, ...]:
    """Split ``frame`` into text columns; ``lines`` are the grid lines available for body."""
    width = (frame.width - (columns - 1) * gutter) / columns
    out = []
    for c in range(columns):
        x = frame.x + c * (width + gutter)
        blocked = {
            line
            for hole in holes
            if hole.x0 < x + width - 1e-4 and x < hole.x1 - 1e-4
            for line in range(hole.first, hole.last + 1)
        }
        out.append(TextColumn(x, width, tuple(line for line in lines if line not in blocked)))
    return tuple(out)
