"""The service page example (examples/service, 便民服务 第8版): it checks clean, and read back
from the rendered PDF the price list's retail prices sit on one decimal axis, and the
public notice's issuing office and date are right-aligned to the notice's text edge."""

from __future__ import annotations

from functools import cache

import pytest

from layout.display import GlyphRun
from layout.page import PageLayout, lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO
from tests.readback import Char, read_chars

PAGE = REPO / "examples" / "service" / "page.yaml"
#: How far apart (pt) read-back positions that should coincide may be.
TOLERANCE = 0.05
#: The issuing office and date of the 停水通告, as the spec writes them.
SIGN_OFF = ("茂名市城区供水有限公司", "2026年11月28日")


@cache
def rendered() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(PAGE), probe=make_probe)
    return layout, render_pdf([layout])


def _rows(chars: list[Char]) -> dict[float, list[Char]]:
    rows: dict[float, list[Char]] = {}
    for c in chars:
        rows.setdefault(round(c.baseline, 1), []).append(c)
    return {b: sorted(row, key=lambda c: c.x) for b, row in sorted(rows.items())}


def _right_edge(row: list[Char], layout: PageLayout) -> float:
    """The right edge of a read-back line: its last character's origin plus its advance."""
    last = row[-1]
    run = next(r for r in layout.display if isinstance(r, GlyphRun) and last.text in r.text and r.size == last.size)
    return last.x + run.face.advance(ord(last.text)) * run.size * run.hscale


def test_the_page_checks_clean():
    layout, _ = rendered()
    assert layout.ok and not layout.problems, [p.message for p in layout.problems]
    kinds = {"article": len(layout.articles), "photo": len(layout.photos), "qr": len(layout.qrs),
             "table": len(layout.tables)}
    assert kinds == {"article": 9, "photo": 1, "qr": 2, "table": 5}


def test_price_list_decimal_points_line_up():
    layout, pdf = rendered()
    table = next(t for t in layout.tables if t.id == "caijia")
    spec = next(b for b in layout.spec.blocks if b.id == "caijia")
    left, right = table.column_x[2], table.column_x[3]  # the 零售价 column
    inside = [c for c in read_chars(pdf)
              if left < c.x < right and table.frame.y < c.baseline <= table.frame.bottom]
    rows = {b: "".join(c.text for c in row) for b, row in _rows(inside).items()}
    prices = [text for text in rows.values() if any(ch.isdigit() for ch in text)]
    # every body row is printed with two decimals (1.8 -> 1.80), in spec order
    assert prices == [f"{float(row[2]):.2f}" for row in spec.rows]
    points = [next(c.x for c in row if c.text == ".") for row in _rows(inside).values() if any(c.text == "." for c in row)]
    assert len(points) == len(spec.rows)
    assert max(points) - min(points) <= TOLERANCE, points
    assert left < min(points) and max(points) < right
    # two-digit prices (14.80) start a digit further left than one-digit ones (1.80)
    starts = {text: row[0].x for text, row in ((rows[b], r) for b, r in _rows(inside).items()) if text in prices}
    assert starts["14.80"] < starts["1.80"] - 1


def test_notice_sign_off_is_right_aligned_after_the_text():
    layout, pdf = rendered()
    notice = next(a for a in layout.articles if a.id == "tingshui")
    frame = notice.frame
    chars = [c for c in read_chars(pdf) if frame.x < c.x < frame.right and frame.y < c.baseline < frame.bottom]
    rows = _rows(chars)
    lines = {"".join(c.text for c in row): (b, row) for b, row in rows.items()}
    for text in SIGN_OFF:
        assert text in lines, list(lines)
    (office_y, office), (date_y, date) = (lines[t] for t in SIGN_OFF)
    edges = [_right_edge(office, layout), _right_edge(date, layout)]
    assert abs(edges[0] - edges[1]) <= TOLERANCE, edges
    # flush with the notice's justified body text, i.e. its right text column's edge
    # (lines ending in a Han character: a line-end mark is set half width, line_end_half)
    body_edge = max(_right_edge(row, layout) for row in rows.values()
                    if row[-1].size == office[-1].size and "\u4e00" <= row[-1].text <= "\u9fff")
    assert edges[0] == pytest.approx(body_edge, abs=TOLERANCE)
    # and well right of the column's start: not flush left
    assert office[0].x > frame.x + frame.width / 2
    # under the last paragraph, office above date
    closing = next(b for text, (b, _) in lines.items() if "特此通告" in text)
    assert closing < office_y < date_y
