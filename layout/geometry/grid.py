"""The page grid of contract §2: type area, page columns and baseline-grid lines.

All coordinates are points from the top-left corner of the trim box, y downwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from layout.spec.data import FrameRef, PageSettings
from layout.units import EPS


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x < other.right - EPS and other.x < self.right - EPS
            and self.y < other.bottom - EPS and other.y < self.bottom - EPS
        )

    def x_overlaps(self, x0: float, x1: float) -> bool:
        return self.x < x1 - EPS and x0 < self.right - EPS


@dataclass(frozen=True, slots=True)
class PageGrid:
    width: float  # trim width
    height: float  # trim height
    type_area: Rect
    columns: int
    gutter: float
    column_width: float
    pitch: float  # baseline-grid pitch = body leading
    n_lines: int  # whole grid lines in the type area

    def column_x(self, column: int) -> float:
        """Left edge of page column ``column`` (1-based)."""
        return self.type_area.x + (column - 1) * (self.column_width + self.gutter)

    def line_y(self, line: int) -> float:
        """Top of grid line ``line`` (1-based); line n+1's top is line n's bottom."""
        return self.type_area.y + (line - 1) * self.pitch

    def frame_rect(self, frame: FrameRef, lines: int | None = None) -> Rect:
        """The rectangle a frame covers; ``lines`` replaces an ``auto`` height."""
        count = lines if lines is not None else frame.lines
        assert isinstance(count, int)
        x0 = self.column_x(frame.column)
        x1 = self.column_x(frame.column + frame.span - 1) + self.column_width
        return Rect(x0, self.line_y(frame.line), x1 - x0, count * self.pitch)


def make_grid(page: PageSettings, pitch: float) -> PageGrid:
    """Build the grid from the page settings and the body leading (the pitch)."""
    width, height = page.size
    m = page.margins
    area = Rect(m.left, m.top, width - m.left - m.right, height - m.top - m.bottom)
    column_width = (area.width - (page.columns - 1) * page.gutter) / page.columns
    n_lines = math.floor(area.height / pitch + EPS) if pitch > 0 else 0
    return PageGrid(width, height, area, page.columns, page.gutter, column_width, pitch, n_lines)
