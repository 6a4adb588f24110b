"""Column balancing in whole grid lines (contract §5)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.flow.balance import FlowItem, distribute


def lines(n: int) -> tuple[FlowItem, ...]:
    return tuple(FlowItem(1, 10, False, k) for k in range(n))


def subhead(height: int = 2, top: int = 1) -> FlowItem:
    return FlowItem(height, 5, True, "sub", top)


def column(first: int, last: int, holes: range = range(0)) -> tuple[int, ...]:
    return tuple(line for line in range(first, last + 1) if line not in holes)


def test_even_split_ends_on_one_line():
    result = distribute(lines(40), tuple(column(1, 50) for _ in range(4)))
    assert result.used == (10, 10, 10, 10) and result.ends == (10, 10, 10, 10) and not result.leftover


def test_remainder_goes_to_the_first_columns():
    result = distribute(lines(42), tuple(column(1, 50) for _ in range(4)))
    assert result.used == (11, 11, 10, 10)
    assert [p.column for p in result.placements] == sorted(p.column for p in result.placements)


def test_photo_hole_counts_as_filled_space():
    free = (column(1, 30, holes=range(1, 11)), column(1, 30), column(1, 30))
    result = distribute(lines(45), free)
    assert result.ends == (19, 18, 18) and result.used == (9, 18, 18)  # 3L − 10 = 45
    assert result.balanced


def test_overflow_keeps_order_and_counts_what_is_left():
    result = distribute(lines(25), (column(1, 10), column(1, 10)))
    assert result.used == (10, 10)
    assert result.lines_over == 5 and result.chars_over == 50
    assert [p.item.payload for p in result.placements] == list(range(20))


def test_subhead_never_last_in_a_column():
    items = lines(9) + (subhead(),) + lines(10)
    result = distribute(items, tuple(column(1, 40) for _ in range(2)))
    for c in range(2):
        in_column = [p for p in result.placements if p.column == c]
        assert not in_column[-1].item.keep_with_next
    assert not result.leftover


def test_subhead_at_a_column_top_drops_its_space_above():
    items = lines(10) + (subhead(2, 1),) + lines(9)
    result = distribute(items, tuple(column(1, 40) for _ in range(2)))
    sub = next(p for p in result.placements if p.item.keep_with_next)
    assert sub.column == 1 and sub.line == 1 and sub.height == 1
    assert result.balanced


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=300),
    columns=st.integers(min_value=1, max_value=8),
    height=st.integers(min_value=5, max_value=80),
    hole=st.tuples(st.integers(0, 7), st.integers(1, 60), st.integers(0, 30)),
)
def test_one_line_items_always_balance_within_one_line(n, columns, height, hole):
    hole_column, hole_start, hole_len = hole
    free = tuple(
        column(1, height, range(hole_start, hole_start + hole_len) if c == hole_column else range(0))
        for c in range(columns)
    )
    result = distribute(lines(n), free)
    capacity = sum(len(f) for f in free)
    assert sum(result.used) + result.lines_over == n
    assert result.lines_over == max(0, n - capacity)
    if not result.leftover:
        assert result.balanced and result.spread <= 1
