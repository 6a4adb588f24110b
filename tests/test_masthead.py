"""Masthead (报头) and ear (报眼), issue 11: the lunar date, the text layer, the artwork."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pikepdf
import pytest

from layout.display import Box, GlyphRun, PlacedPdf
from layout.lunar import lunar_date
from layout.page import lay_out_page
from layout.render.pdf import render_pdf
from layout.spec.errors import SpecInvalid
from layout.spec.load import load_spec
from tests.conftest import MINIMAL_PAGE, REPO

EXAMPLE = REPO / "examples" / "masthead" / "page.yaml"
TEMPLATE = REPO / "specs" / "templates" / "front-page.yaml"


@pytest.mark.parametrize(("day", "lunar"), [
    (dt.date(2024, 2, 10), "甲辰年正月初一"),  # Spring Festival 2024
    (dt.date(2022, 2, 1), "壬寅年正月初一"),
    (dt.date(2025, 1, 28), "甲辰年腊月廿九"),  # New Year's Eve 2025 (腊月 has 29 days)
    (dt.date(2023, 3, 22), "癸卯年闰二月初一"),  # a leap month
    (dt.date(2020, 5, 23), "庚子年闰四月初一"),
    (dt.date(2000, 1, 1), "己卯年冬月廿五"),
    (dt.date(2024, 9, 17), "甲辰年八月十五"),  # Mid-Autumn Festival
    (dt.date(2033, 12, 22), "癸丑年闰冬月初一"),  # the rare leap eleventh month
])
def test_lunar_dates_match_the_calendar(day, lunar):
    found = lunar_date(day)
    assert found is not None and found.text() == lunar


@pytest.mark.parametrize("day", [dt.date(1800, 1, 1), dt.date(2150, 1, 1)])
def test_lunar_date_outside_the_tables_is_left_out(day):
    assert lunar_date(day) is None


def _page_text(pdf: bytes) -> tuple[str, list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
        return "".join(c["text"] for c in chars), chars


def test_template_masthead_text_layer_reads_back():
    layout = lay_out_page(load_spec(TEMPLATE))
    text, chars = _page_text(render_pdf([layout]))
    # the set name, then the date, numbers and weather lines, in reading order
    parts = ["某某日报", "2024年2月10日", "星期六", "农历甲辰年正月初一", "第12345期", "国内统一连续出版物号CN44-0000",
             "邮发代号45-00", "天气晴", "今日导读"]
    flat = text.replace(" ", "")
    positions = [flat.find(p) for p in parts]
    assert all(p >= 0 for p in positions), list(zip(parts, positions, strict=True))
    assert positions == sorted(positions)
    (masthead,) = [s for s in layout.slots if s.id == "masthead"]
    frame = masthead.frame
    name = [c for c in chars if c["text"] in "某日报" and c["size"] > 40]
    assert len(name) == 4
    # the name is as large as the slot allows and stays inside the frame
    assert min(c["size"] for c in name) > frame.height * 0.5
    outer = layout.page.boxes.outer
    assert all(frame.x - 1 <= c["x0"] - outer and c["x1"] - outer <= frame.right + 1 for c in name)
    red = [i for i in masthead.display if isinstance(i, GlyphRun) and i.text == "某某日报"]
    assert red and red[0].color == (0.0, 100.0, 100.0, 0.0)


def test_masthead_lines_sit_on_the_last_grid_lines():
    layout = lay_out_page(load_spec(TEMPLATE))
    (masthead,) = [s for s in layout.slots if s.id == "masthead"]
    grid = layout.grid
    small = sorted({round(i.baseline, 3) for i in masthead.display if isinstance(i, GlyphRun) and i.size < 20})
    assert len(small) == 3  # date, numbers, weather
    lines = [(b - grid.type_area.y) / grid.pitch for b in small]
    assert [int(x) for x in lines] == [11, 12, 13]  # lines 12–14 of a 14-line frame


def test_artwork_is_placed_as_a_form_and_the_name_is_not_set(tmp_path):
    layout = lay_out_page(load_spec(EXAMPLE))
    (masthead,) = [s for s in layout.slots if s.id == "masthead"]
    placed = [i for i in masthead.display if isinstance(i, PlacedPdf)]
    assert len(placed) == 1 and not [p for p in layout.problems if p.block == "masthead"]
    item = placed[0]
    assert item.width / item.height == pytest.approx(432 / 108)  # the artwork's own ratio, fitted
    assert masthead.frame.x <= item.x and item.x + item.width <= masthead.frame.right + 1e-6
    pdf = render_pdf([layout])
    text, _ = _page_text(pdf)
    assert "某某日报" not in text.replace(" ", "")  # outlines, not text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xobjects = doc.pages[0].Resources.XObject
        forms = [xobjects[k] for k in xobjects.keys() if xobjects[k].Subtype == "/Form"]
        assert len(forms) == 1 and "/Font" not in forms[0].get("/Resources", {})


def test_missing_artwork_falls_back_to_the_name_in_type(write_spec):
    path = write_spec(MINIMAL_PAGE + """
blocks:
  - type: masthead
    id: mh
    frame: {column: 1, span: 4, line: 1, lines: 8}
    name: 测试日报
    artwork: nothere.pdf
    date: 2024-02-10
""")
    layout = lay_out_page(load_spec(path))
    (problem,) = [p for p in layout.problems if p.block == "mh"]
    artwork_line = path.read_text(encoding="utf-8").splitlines().index("    artwork: nothere.pdf") + 1
    assert problem.kind == "missing_placed_file" and problem.line == artwork_line and "nothere.pdf" in problem.message_zh
    runs = [i.text for i in layout.slots[0].display if isinstance(i, GlyphRun)]
    assert "测试日报" in "".join(runs)


def test_a_narrow_masthead_breaks_the_numbers_line_between_items(write_spec):
    path = write_spec(MINIMAL_PAGE + """
blocks:
  - type: masthead
    id: mh
    frame: {column: 1, span: 2, line: 1, lines: 12}
    name: 日报
    issue: 12345
    cn: 44-0000
    postal: 45-00
""")
    layout = lay_out_page(load_spec(path))
    runs = [i for i in layout.slots[0].display if isinstance(i, GlyphRun) and i.size < 20]
    rows = {}
    for run in runs:
        rows.setdefault(round(run.baseline, 2), []).append(run)
    assert len(rows) == 2  # the three items do not fit one line of two columns: broken between them
    texts = ["".join(r.text for r in rows[b]) for b in sorted(rows)]
    assert texts[0].startswith("第12345期") and texts[1].startswith("邮发代号")
    frame = layout.slots[0].frame
    assert all(r.extent()[2] <= frame.right + 0.01 for r in runs)
    assert not [p for p in layout.problems if p.severity == "error"], [p.message for p in layout.problems]


def test_a_masthead_too_short_for_its_lines_overflows(write_spec):
    path = write_spec(MINIMAL_PAGE + """
blocks:
  - type: masthead
    id: mh
    frame: {column: 1, span: 4, line: 1, lines: 2}
    name: 日报
    date: 2024-02-10
    issue: 1
    weather: 晴
""")
    layout = lay_out_page(load_spec(path))
    kinds = [p.kind for p in layout.problems if p.block == "mh"]
    assert kinds.count("overflow") == 1  # (and the name squeezed into half a line is text_too_small)
    runs = [i for i in layout.slots[0].display if isinstance(i, GlyphRun)]
    assert all(layout.slots[0].frame.y <= r.baseline <= layout.slots[0].frame.bottom for r in runs)


def test_ear_text_that_does_not_fit_overflows_and_articles_flow_around_it(write_spec):
    path = write_spec(MINIMAL_PAGE + """
blocks:
  - type: ear
    id: ear
    frame: {column: 4, span: 1, line: 5, lines: 4}
    title: 导读
    text: 这是一段很长的报眼文字，放不进这么小的框里面，一定会超出几行。这是一段很长的报眼文字，放不进这么小的框里面。
  - type: article
    id: a
    frame: {column: 3, span: 2, line: 1, lines: 10}
    title: 标题
    body: {placeholder: 150}
""")
    layout = lay_out_page(load_spec(path))
    kinds = [p.kind for p in layout.problems if p.block == "ear"]
    assert kinds == ["overflow"]
    ear = layout.slots[0]
    assert any(isinstance(i, Box) and i.stroke is not None for i in ear.display)  # its box
    # no body text inside the ear's frame: it flows around it, as around a photo
    runs = [i for i in layout.articles[0].display if isinstance(i, GlyphRun) and i.size == 9]
    assert runs
    inside = [r for r in runs if r.x < ear.frame.right and r.extent()[2] > ear.frame.x + 0.5
              and ear.frame.y < r.baseline < ear.frame.bottom]
    assert not inside


@pytest.mark.parametrize(("block", "message"), [
    ("type: ear\n    id: e\n    frame: {column: 1, line: 1, lines: 4}\n    text: 字\n    src: x.jpg", "either text"),
    ("type: ear\n    id: e\n    frame: {column: 1, line: 1, lines: 4}", "needs text"),
    ("type: masthead\n    id: m\n    frame: {column: 1, line: 1, lines: auto}\n    name: 报", "not auto"),
    ("type: masthead\n    id: m\n    frame: {column: 1, line: 1, lines: 4}\n    name: 报\n    font: nosuch", "nosuch"),
    ("type: masthead\n    id: m\n    frame: {column: 1, line: 1, lines: 4}\n    name: 报\n    date: 2024-13-01", "date"),
    ("type: ad\n    id: a\n    frame: {column: 1, line: 1, lines: 4}", "src"),
])
def test_bad_blocks_are_spec_errors_with_their_line(write_spec, block, message):
    path = write_spec(MINIMAL_PAGE + "blocks:\n  - " + block + "\n")
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    text = str(caught.value)
    assert message in text and f"{path}:" in text and ":0:" not in text


def test_the_pages_rule_runs_under_the_masthead_and_over_an_ad(tmp_path):
    """Mastheads and ads meet adjacent blocks with the page's rule (a 文武线 under the
    masthead here); a bordered ear is boxed and gets none."""
    from layout.display import Rule
    from layout.page import lay_out_page
    from layout.spec.load import load_spec

    spec = tmp_path / "p.yaml"
    spec.write_text("""version: 1
page: {size: A4, margins: {top: 20mm, right: 15mm, bottom: 20mm, left: 15mm}, columns: 5, gutter: 4mm,
       body: {size: 9pt, leading: 13.5pt}}
rules: {between: {type: thick-thin}}
blocks:
  - {type: masthead, id: masthead, frame: {column: 1, span: 4, line: 1, lines: 8}, name: 某某日报, date: 2026-11-30}
  - {type: ear, id: ear, frame: {column: 5, span: 1, line: 1, lines: 8}, text: 今日导读。}
  - {type: article, id: story, frame: {column: 1, span: 5, line: 9, lines: 20}, title: 标题, body: 本报讯　正文。}
""", encoding="utf-8")
    layout = lay_out_page(load_spec(spec))
    masthead = layout.slots[0].frame
    story = layout.articles[0].frame
    under = [r for r in layout.display if isinstance(r, Rule) and r.y0 == r.y1 and masthead.y < r.y0 <= story.y + 3]
    assert len(under) == 2  # thick + thin
    assert len({r.width for r in under}) == 2  # the thick and the thin line of the 文武线
    assert all(r.x0 == masthead.x and r.x1 == masthead.right for r in under)  # not under the boxed ear
