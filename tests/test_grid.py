"""Page geometry straight from contract §2."""

import pytest

from layout.geometry.grid import make_grid
from layout.spec.data import FrameRef
from layout.spec.models import PageSettings, to_data
from layout.units import mm


def settings(**over):  # type: ignore[no-untyped-def]
    data = {"size": ["350mm", "500mm"], "margins": {"top": "22mm", "right": "17mm", "bottom": "20mm", "left": "17mm"},
            "columns": 8, "gutter": "4mm", "body": {"font": "song", "size": "9pt", "leading": "13.5pt"}}
    data.update(over)
    return to_data(PageSettings.model_validate(data))


def test_contract_example_geometry():
    grid = make_grid(settings(), 13.5)
    type_width = mm(350 - 34)
    assert grid.column_width == pytest.approx((type_width - 7 * mm(4)) / 8)
    assert grid.column_x(1) == pytest.approx(mm(17))
    assert grid.column_x(3) == pytest.approx(mm(17) + 2 * (grid.column_width + mm(4)))
    assert grid.n_lines == int(mm(500 - 42) // 13.5)
    assert grid.line_y(1) == pytest.approx(mm(22))
    assert grid.line_y(11) == pytest.approx(mm(22) + 10 * 13.5)


def test_frame_rect_covers_columns_and_lines():
    grid = make_grid(settings(), 13.5)
    rect = grid.frame_rect(FrameRef(column=2, span=3, line=5, lines=10))
    assert rect.x == pytest.approx(grid.column_x(2))
    assert rect.right == pytest.approx(grid.column_x(4) + grid.column_width)
    assert rect.y == pytest.approx(grid.line_y(5))
    assert rect.bottom == pytest.approx(grid.line_y(15))
