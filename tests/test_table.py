"""Tables (表格): read back from the rendered PDF — cells on the baseline grid, decimal
points aligned, header row, rules at the row boundaries, wrapped cells in reading order,
rows that do not fit reported, nothing lost — and the spec's errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from layout.display import GlyphRun, baseline_in_box
from layout.page import PageLayout, lay_out_page
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from layout.table import TableLayout
from tests.readback import Char, read_chars

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "specs" / "regression" / "tables.yaml"
#: How far apart (pt) the decimal points of one column may be read back.
DECIMAL_TOLERANCE = 0.05
#: Positions read back from the PDF agree with the layout to this (pt).
POSITION_TOLERANCE = 0.01

PRICE_TABLE = """
version: 1
page:
  size: A4
  margins: {top: 20mm, right: 15mm, bottom: 20mm, left: 15mm}
  columns: 5
  gutter: 4mm
  body: {size: 9pt, leading: 13.5pt}
blocks:
  - type: table
    id: prices
    frame: {column: 1, span: 3, line: 1, lines: LINES}
    title: 今日菜价
    columns:
      - {head: 品名, width: 2}
      - {head: 零售价, width: 1, align: decimal, decimals: 2}
      - {head: 涨跌, width: 1, align: decimal}
    rows:
      - [大白菜, 1.5, "+0.1"]
      - [猪肉, 16.8, "−1.25"]
      - [鸡蛋, 6, "0"]
      - [草鱼, 112.35, "+2"]
      - [荔枝, 9.9, "−10.05"]
      - [大米, 3.2, 持平]
"""


def _render(path: Path) -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(path))
    return layout, render_pdf([layout])


@pytest.fixture(scope="module")
def regression() -> tuple[PageLayout, bytes]:
    return _render(SPEC)


def _table(layout: PageLayout, block_id: str) -> TableLayout:
    return next(t for t in layout.tables if t.id == block_id)


def _inside(char: Char, table: TableLayout) -> bool:
    frame = table.frame
    return frame.x - 1 <= char.x <= frame.right + 1 and frame.y <= char.baseline <= frame.bottom


def _lines(pdf: bytes) -> list[dict]:  # type: ignore[type-arg]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return list(doc.pages[0].lines)


def test_every_cell_baseline_is_on_the_grid(regression):
    layout, pdf = regression
    grid = layout.grid
    chars = read_chars(pdf)
    body = layout.spec.page.body.size
    on_grid = {round(baseline_in_box(grid.line_y(k), grid.pitch, body), 2) for k in range(1, grid.n_lines + 1)}
    checked = 0
    for table in layout.tables:
        cells = [c for c in chars if _inside(c, table) and abs(c.size - body) < 0.01]
        assert cells, table.id
        off = [c for c in cells if not any(abs(c.baseline - b) <= POSITION_TOLERANCE for b in on_grid)]
        assert not off, f"{table.id}: {off[:3]}"
        checked += len(cells)
    assert checked > 300


def test_decimal_points_line_up_also_without_decimals(write_spec):
    path = write_spec(PRICE_TABLE.replace("LINES", "auto"))
    layout, pdf = _render(path)
    table = _table(layout, "prices")
    edges = table.column_x
    chars = [c for c in read_chars(pdf) if _inside(c, table)]
    runs = {r.text: r for r in layout.display if isinstance(r, GlyphRun)}
    for column, numbers in ((1, ["1.50", "16.80", "6.00", "112.35", "9.90", "3.20"]),
                            (2, ["+0.1", "−1.25", "0", "+2", "−10.05"])):
        inside = [c for c in chars if edges[column] < c.x < edges[column + 1]]
        by_row: dict[float, list[Char]] = {}
        for c in inside:
            by_row.setdefault(round(c.baseline, 1), []).append(c)
        texts = {"".join(c.text for c in sorted(row, key=lambda c: c.x)): row for row in by_row.values()}
        assert set(numbers) <= set(texts), (numbers, list(texts))
        axes = []
        for number in numbers:
            row = sorted(texts[number], key=lambda c: c.x)
            if "." in number:
                axes.append(next(c.x for c in row if c.text == "."))
            else:  # no decimals: the axis is where the point would be, after the last digit
                last = row[-1]
                run = runs[number]
                axes.append(last.x + run.face.advance(ord(last.text)) * run.size * run.hscale)
        assert max(axes) - min(axes) <= DECIMAL_TOLERANCE, (column, axes)
        assert edges[column] < min(axes) and max(axes) < edges[column + 1]
    # a cell without a number (持平) is centred in its column, not pushed to the axis
    word = sorted((c for c in chars if c.text in "持平" and edges[2] < c.x), key=lambda c: c.x)
    middle = (edges[2] + edges[3]) / 2
    assert abs((word[0].x + word[-1].x + word[-1].size) / 2 - middle) < 0.5


def test_header_row_is_set_above_the_first_row(regression):
    layout, pdf = regression
    table = _table(layout, "prices")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        frame = table.frame
        text = page.crop((frame.x, frame.y, frame.right, frame.bottom)).extract_text()
        fonts = {c["text"]: c["fontname"] for c in page.chars if frame.x <= c["x0"] <= frame.right
                 and frame.y <= c["top"] <= frame.bottom}
    lines = text.splitlines()
    head = next(k for k, line in enumerate(lines) if "品名" in line)
    assert lines[head].split() == ["品名", "产地", "零售价", "涨跌"]
    assert lines[head + 1].startswith("大白菜")
    assert fonts["品"] != fonts["白"]  # the header row is in its own face (hei), the cells in song


def test_rules_sit_at_the_row_boundaries(regression):
    layout, pdf = regression
    grid = layout.grid
    table = _table(layout, "results")
    rules = [r for r in _lines(pdf) if table.frame.x - 1 <= r["x0"] and r["x1"] <= table.frame.right + 1
             and table.frame.y - 1 <= r["top"] <= table.frame.bottom + 1]
    across = sorted((r for r in rules if abs(r["top"] - r["bottom"]) < 0.01), key=lambda r: r["top"])
    down = [r for r in rules if abs(r["x0"] - r["x1"]) < 0.01]
    rows = 7
    assert len(across) == rows + 2  # top, under the header, between the rows, bottom
    for rule in across:  # every rule on a grid line's top
        assert abs((rule["top"] - grid.type_area.y) / grid.pitch - round((rule["top"] - grid.type_area.y) / grid.pitch)) < 1e-3
        assert rule["stroking_color"] == (0.0, 0.0, 0.0, 1.0)  # 100 % K
    weights = [r["linewidth"] for r in across]
    assert weights == [1.0, 0.5] + [0.25] * (rows - 1) + [1.0]
    ys = [r["top"] for r in across]
    chars = [c for c in read_chars(pdf) if _inside(c, table) and c.size < 10]
    bands = Counter(next(k for k in range(len(ys) - 1) if ys[k] < c.baseline < ys[k + 1]) for c in chars)
    assert sorted(bands) == list(range(rows + 1))  # header and every row between two rules
    columns, sides = 4, 2
    assert len(down) == columns + sides
    assert {round(r["x0"], 2) for r in down} == {round(x, 2) for x in table.column_x}
    assert all(abs(r["top"] - ys[0]) < 0.01 and abs(r["bottom"] - ys[-1]) < 0.01 for r in down)


def test_wrapped_cells_read_in_order_and_rows_grow_by_whole_lines(regression):
    layout, pdf = regression
    grid = layout.grid
    table = _table(layout, "notice")
    spec_table = next(b for b in layout.spec.blocks if b.id == "notice")
    edges = table.column_x
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        chars = [c for c in page.chars if table.frame.y <= c["top"] <= table.frame.bottom]
    for row in spec_table.rows:
        for k, cell in enumerate(row):
            wanted = "".join(str(cell).split())
            column = "".join(c["text"] for c in chars if edges[k] <= c["x0"] < edges[k + 1])
            assert wanted in column, (wanted, column)
    # the long name wraps to three lines: its row is three grid lines, its number centred in them
    pdf_chars = read_chars(pdf)
    name = [c for c in pdf_chars if c.text == "冷"][0]
    three = sorted({round(c.baseline, 2) for c in pdf_chars if edges[1] < c.x < edges[2]
                    and abs(c.baseline - name.baseline) < 2 * grid.pitch})
    assert len(three) == 3 and all(abs(b - a - grid.pitch) < POSITION_TOLERANCE for a, b in zip(three, three[1:], strict=False))
    number = [c for c in pdf_chars if c.text == "3" and c.x < edges[1]][0]
    assert abs(number.baseline - three[1]) < POSITION_TOLERANCE


def _table_chars(layout: PageLayout) -> Counter[str]:
    """Every character a table's spec holds, as it is set (numbers with their decimals)."""
    from layout.table import cell_text

    wanted: Counter[str] = Counter()
    for block in layout.spec.blocks:
        if block.type != "table":
            continue
        texts = [block.title or "", block.note or "", block.source or ""] + [c.head or "" for c in block.columns]
        texts += [cell_text(v, c) for row in block.rows for v, c in zip(row, block.columns, strict=True)]
        wanted.update(ch for t in texts for ch in t if not ch.isspace())
    return wanted


def test_nothing_is_lost(regression):
    layout, pdf = regression
    printed = Counter(c.text for c in read_chars(pdf) if any(_inside(c, t) for t in layout.tables))
    wanted = _table_chars(layout)
    assert printed == wanted
    assert sum(t.chars_total for t in layout.tables) == sum(t.chars_placed for t in layout.tables) == sum(wanted.values())


def _check_json(path: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = subprocess.run([sys.executable, "-m", "layout", "check", "--json", str(path)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("short_by", [1, 3])
def test_a_frame_too_short_reports_the_rows_over(write_spec, short_by):
    fits = write_spec(PRICE_TABLE.replace("LINES", "auto"), "fits.yaml")
    _, report = _check_json(fits)
    needed = report["specs"][0]["blocks"][0]["lines_needed"]
    path = write_spec(PRICE_TABLE.replace("LINES", str(needed - short_by)))
    code, report = _check_json(path)
    assert code == 1
    block = report["specs"][0]["blocks"][0]
    assert (block["type"], block["status"], block["lines_capacity"], block["lines_needed"]) == \
        ("table", "overflow", needed - short_by, needed)
    problem = next(p for p in report["specs"][0]["problems"] if p["kind"] == "table_rows_over")
    layout, pdf = _render(path)
    spec_rows = next(b for b in layout.spec.blocks if b.id == "prices").rows
    dropped = spec_rows[len(spec_rows) - short_by:]
    dropped_chars = sum(len("".join(str(v).split())) for row in dropped for v in row)
    # the 零售价 column prints 2 decimals: 1.5 is "1.50" (one character more than str())
    dropped_chars += sum(2 - len(str(row[1]).partition(".")[2]) + (0 if "." in str(row[1]) else 1) for row in dropped)
    assert (problem["rows_over"], problem["lines_over"], problem["chars_over"]) == (short_by, short_by, dropped_chars)
    printed = "".join(c.text for c in read_chars(pdf))
    assert all(str(row[0]) in printed for row in spec_rows[: len(spec_rows) - short_by])
    assert not any(str(row[0]) in printed for row in dropped)
    table = layout.tables[0]
    assert table.chars_total - table.chars_placed == dropped_chars
    zh = subprocess.run([sys.executable, "-m", "layout", "check", "--lang", "zh", str(path)], cwd=REPO,
                        capture_output=True, text=True, timeout=120)
    assert f"表格 prices：{short_by} 行" in zh.stderr


def test_a_column_too_narrow_for_one_character_is_an_error(write_spec):
    path = write_spec(PRICE_TABLE.replace("LINES", "auto").replace("span: 3", "span: 1")
                      .replace("{head: 品名, width: 2}", "{head: 品名, width: 30mm}"))
    code, report = _check_json(path)
    assert code == 1
    narrow = [p for p in report["specs"][0]["problems"] if p["kind"] == "table_column_too_narrow"]
    assert [p["column"] for p in narrow] == [2, 3]
    assert all(p["text_width"] < p["char_size"] for p in narrow)
    layout = lay_out_page(load_spec(path))
    # every character still drawn (squeezed columns overlap, so the PDF's text layer may merge some)
    drawn = Counter(ch for r in layout.display if isinstance(r, GlyphRun) for ch in r.text)
    assert not _table_chars(layout) - drawn


@pytest.mark.parametrize(("change", "words"), [
    (("- [大米, 3.2, 持平]", "- [大米, 3.2]"), ["row 6 has 2 cells, the table has 3 columns"]),
    (("- [大米, 3.2, 持平]", "- [大米, 3.2, 1.0]"), ["row 6, column 3", "write it in quotes"]),
    (("{head: 涨跌, width: 1, align: decimal}", "{head: 涨跌, width: 0, align: decimal}"), ["weight must be positive"]),
    (("{head: 涨跌, width: 1, align: decimal}", "{head: 涨跌, width: 1, align: decimals}"), ["did you mean `decimal`"]),
    (("{head: 涨跌, width: 1, align: decimal}", "{head: 涨跌, widht: 1}"), ["did you mean `width`"]),
    (("title: 今日菜价", "title: 今日菜价\n    rules: {rows: thick}"), ["rules.rows"]),
])
def test_spec_errors_name_their_line(write_spec, change, words):
    path = write_spec(PRICE_TABLE.replace("LINES", "auto").replace(*change))
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(path)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}:")
    assert all(w in result.stderr for w in words), result.stderr


def test_row_and_column_counts_are_bounded(write_spec):
    from layout.spec.models import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS

    rows = "\n".join(f"      - [x{k}]" for k in range(MAX_TABLE_ROWS + 1))
    columns = "\n".join("      - {width: 1}" for _ in range(MAX_TABLE_COLUMNS + 1))
    for body, limit in ((f"    columns: [{{head: a}}]\n    rows:\n{rows}\n", MAX_TABLE_ROWS),
                        (f"    columns:\n{columns}\n", MAX_TABLE_COLUMNS)):
        path = write_spec(PRICE_TABLE.split("    title:")[0].replace("LINES", "auto") + body)
        result = subprocess.run([sys.executable, "-m", "layout", "check", str(path)], cwd=REPO,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and f"expected {limit} values, got {limit + 1}" in result.stderr, result.stderr


def test_a_table_beside_an_article_gets_the_pages_rule_between(tmp_path):
    """Tables meet their neighbours like articles: the page's rule in the gutter between."""
    from layout.display import Rule
    from layout.page import lay_out_page
    from layout.spec.load import load_spec
    from tests.conftest import MINIMAL_PAGE

    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: a, frame: {column: 1, span: 2, line: 1, lines: 12}, title: 甲, body: 正文。}
  - type: table
    id: t
    frame: {column: 3, span: 2, line: 1, lines: 12}
    columns: [{head: 品名}, {head: 价格, align: decimal, decimals: 2}]
    rows: [[白菜, 1.5], [猪肉, 16.8]]
""", encoding="utf-8")
    layout = lay_out_page(load_spec(spec))
    article, table = layout.articles[0].frame, layout.tables[0].frame
    x = article.right + layout.grid.gutter / 2
    between = [i for i in layout.display if isinstance(i, Rule) and abs(i.x0 - x) < 0.01 and abs(i.x1 - x) < 0.01]
    assert len(between) == 1
    assert between[0].y0 == max(article.y, table.y) and between[0].y1 == min(article.bottom, table.bottom)
