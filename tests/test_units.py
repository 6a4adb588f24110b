import pytest

from layout.units import PT_PER_MM, UnitError, parse_font_size, parse_leading, parse_length


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("12pt", 12.0), ("3mm", 3 * PT_PER_MM), ("1.5cm", 15 * PT_PER_MM), ("0.5in", 36.0),
        ("12q", 3 * PT_PER_MM), ("12Q", 3 * PT_PER_MM), (9, 9.0), (13.5, 13.5), ("9", 9.0), (" 4 mm ", 4 * PT_PER_MM),
    ],
)
def test_lengths(text, points):
    assert parse_length(text) == pytest.approx(points)


@pytest.mark.parametrize("bad", ["12px", "mm", "", "1.2.3pt", None, True, [1]])
def test_bad_lengths(bad):
    with pytest.raises(UnitError):
        parse_length(bad)


@pytest.mark.parametrize(
    ("name", "points"),
    [("初号", 42), ("小初", 36), ("一号", 26), ("小一", 24), ("二号", 22), ("小二", 18), ("三号", 16), ("小三", 15),
     ("四号", 14), ("小四", 12), ("五号", 10.5), ("小五", 9), ("六号", 7.5), ("小六", 6.5), ("七号", 5.5), ("八号", 5),
     ("10pt", 10)],
)
def test_chinese_sizes(name, points):
    assert parse_font_size(name) == pytest.approx(points)


def test_unknown_size_name_lists_the_names():
    with pytest.raises(UnitError, match="小五"):
        parse_font_size("大五")


@pytest.mark.parametrize(
    ("leading", "size", "points"),
    [(1.5, 9, 13.5), ("1.5", 9, 13.5), ("13.5pt", 9, 13.5), (13.5, 9, 13.5), ("5mm", 9, 5 * PT_PER_MM)],
)
def test_leading_factor_or_length(leading, size, points):
    assert parse_leading(leading, size) == pytest.approx(points)
