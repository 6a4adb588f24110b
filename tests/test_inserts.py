"""Inserts in an article's flow (编者按, 提要, 相关链接, 背景资料, 引语), read back from the PDF.

Each insert's text uses characters the body never does, so the rendered characters
say where it went: its lines on the grid, the body around it in reading order, a
spanning insert splitting the columns; the report counts its lines and characters.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pdfplumber
import pytest

from layout.cli import main
from layout.display import baseline_in_box
from layout.page import PageLayout, lay_out_page
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import MINIMAL_PAGE
from tests.readback import Char, read_chars

#: Body paragraphs, each of one character repeated: where a character is drawn says
#: which paragraph it belongs to.  The insert's text uses none of them.
PARAS = "甲乙丙丁戊己"
PARA_CHARS = 90
INSERT_TEXT = "星辰大海" * 12  # 48 characters, in a 9 pt column of ~10 characters: several lines
INSERT_CHARS = set("星辰大海")


def body(paras: str = PARAS, length: int = PARA_CHARS) -> str:
    return "\n\n".join(p * length for p in paras)


def article(inserts: str, lines: int | str = 40, span: int = 3, paras: str = PARAS, length: int = PARA_CHARS) -> str:
    return MINIMAL_PAGE + f"""
blocks:
  - type: article
    id: a
    frame: {{column: 1, span: {span}, line: 1, lines: {lines}}}
    title: 标题
    body: |
{_indent(body(paras, length), 6)}
""" + (f"    inserts:\n{_indent(inserts, 6)}\n" if inserts else "")


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line if line else "" for line in text.splitlines())


def laid_out(path: Path) -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(path))
    return layout, render_pdf([layout])


def on_grid(layout: PageLayout, char: Char) -> bool:
    """Whether the character's baseline is a grid line's baseline for its size."""
    grid = layout.grid
    line = round((char.baseline - grid.type_area.y) / grid.pitch - 0.5)
    return any(abs(char.baseline - baseline_in_box(grid.line_y(n), grid.pitch, char.size)) < 0.01
               for n in (line, line + 1, line + 2))


def column_of(layout: PageLayout, char: Char) -> int:
    article = layout.articles[0]
    return max(k for k, c in enumerate(article.columns) if char.x >= c.x - 0.5)


@pytest.mark.parametrize(("kind", "title"), [("related", "【相关链接】"), ("background", "【背景资料】"),
                                             ("editor_note", "编者按："), ("summary", "提要：")])
def test_insert_lines_sit_on_the_grid(write_spec, kind, title):
    path = write_spec(article(f"- kind: {kind}\n  at: 2\n  text: {INSERT_TEXT}"))
    layout, pdf = laid_out(path)
    chars = read_chars(pdf)
    inserted = [c for c in chars if c.text in INSERT_CHARS | set(title)]
    assert len([c for c in inserted if c.text in INSERT_CHARS]) == len(INSERT_TEXT)
    assert all(on_grid(layout, c) for c in inserted), [c for c in inserted if not on_grid(layout, c)][:3]
    assert "".join(c.text for c in chars).count(title) == 1


def test_pull_quote_is_a_sub_grid_between_rules_on_the_grid(write_spec):
    path = write_spec(article("- kind: quote\n  at: 1\n  text: “星辰大海星辰大海星辰大海。”"))
    layout, pdf = laid_out(path)
    quote = [c for c in read_chars(pdf) if c.text in INSERT_CHARS]
    baselines = sorted({round(c.baseline, 3) for c in quote})
    assert len(baselines) >= 2 and quote[0].size > layout.spec.page.body.size
    steps = {round(b - a, 3) for a, b in zip(baselines, baselines[1:], strict=False)}
    assert steps == {round(1.4 * quote[0].size, 3)}  # its own leading, not the grid pitch
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        rules = [r for r in doc.pages[0].lines if abs(r["top"] - r["bottom"]) < 0.01 and r["linewidth"] == 1.0]
    assert len(rules) == 2
    grid = layout.grid
    for rule in rules:  # through the middle of a grid line
        position = (rule["top"] - grid.type_area.y) / grid.pitch
        assert abs(position - round(position - 0.5) - 0.5) < 0.01
    top, bottom = sorted(r["top"] for r in rules)
    assert top < min(baselines) - quote[0].size and max(baselines) < bottom


def test_body_reads_in_order_around_a_column_insert(write_spec):
    path = write_spec(article(f"- kind: related\n  at: 2\n  text: {INSERT_TEXT}"))
    layout, pdf = laid_out(path)
    chars = [c for c in read_chars(pdf) if c.text in PARAS or c.text in INSERT_CHARS]
    # reading order on the page: column by column, top to bottom
    order = sorted(chars, key=lambda c: (column_of(layout, c), round(c.baseline, 2), c.x))
    sequence = "".join(dict.fromkeys("星" if c.text in INSERT_CHARS else c.text for c in order))
    assert sequence == "甲乙星丙丁戊己"
    with pdfplumber.open(io.BytesIO(pdf)) as doc:  # the text layer, as a PDF parser reads it
        text = "".join(c["text"] for c in doc.pages[0].chars)
    positions = [text.find(s) for s in ("甲", "乙", "【相关链接】", "星辰大海", "丙", "己")]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_a_spanning_insert_splits_the_columns(write_spec):
    path = write_spec(article(f"- kind: editor_note\n  at: 2\n  text: {INSERT_TEXT * 2}"))
    layout, pdf = laid_out(path)
    chars = read_chars(pdf)
    note = [c for c in chars if c.text in INSERT_CHARS]
    above = [c for c in chars if c.text in "甲乙"]
    below = [c for c in chars if c.text in "丙丁戊己"]
    article_layout = layout.articles[0]
    frame_left = article_layout.columns[0].x
    frame_right = article_layout.columns[-1].x + article_layout.columns[-1].width
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        boxes = [r for r in doc.pages[0].rects if r["stroke"]]
    assert len(boxes) == 1
    box = boxes[0]
    assert abs(box["x0"] - frame_left) < 0.01 and abs(box["x1"] - frame_right) < 0.01  # the frame's width
    assert max(c.baseline for c in above) < box["top"] < min(c.baseline for c in note)
    assert max(c.baseline for c in note) < box["bottom"] < min(c.baseline for c in below)
    # the part above is balanced across the columns: all of them, ending within one grid line
    ends = {}
    for c in above:
        ends[column_of(layout, c)] = max(ends.get(column_of(layout, c), 0.0), c.baseline)
    assert len(ends) == len(article_layout.columns)
    assert max(ends.values()) - min(ends.values()) <= layout.grid.pitch + 0.01
    assert len({column_of(layout, c) for c in note}) == len(article_layout.columns)  # it crosses them
    assert len({column_of(layout, c) for c in below}) == len(article_layout.columns)


def check_json(path: Path, capsys) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["check", "--json", str(path)])
    return code, json.loads(capsys.readouterr().out)["specs"][0]


def insert_height(pdf: bytes, layout: PageLayout, title: bool = True) -> int:
    """Grid lines an insert takes, from the PDF: its text lines, its label, a line of clearance each side."""
    lines = {round(c.baseline, 2) for c in read_chars(pdf) if c.text in INSERT_CHARS}
    return len(lines) + int(title) + 2


@pytest.mark.parametrize(("inserts", "span"), [
    (f"- kind: related\n  at: 2\n  text: {INSERT_TEXT}", "column"),
    (f"- kind: editor_note\n  at: 1\n  title: ''\n  text: {INSERT_TEXT}", "frame"),
])
def test_check_json_counts_the_insert_in_the_capacity(write_spec, capsys, inserts, span):
    plain_path = write_spec(article(""), "plain.yaml")
    path = write_spec(article(inserts), "insert.yaml")
    _, plain = check_json(plain_path, capsys)
    code, found = check_json(path, capsys)
    layout, pdf = laid_out(path)
    height = insert_height(pdf, layout, title="title: ''" not in inserts)
    columns = len(layout.articles[0].columns) if span == "frame" else 1
    block, plain_block = found["blocks"][0], plain["blocks"][0]
    assert code == 0 and block["status"] in ("ok", "underfull")
    assert block["lines_capacity"] == plain_block["lines_capacity"]
    assert block["lines_needed"] - plain_block["lines_needed"] == height * columns
    assert sum(block["columns_used"]) - sum(plain_block["columns_used"]) == height * columns


def test_an_insert_that_does_not_fit_is_reported_and_nothing_is_lost(write_spec, capsys):
    # a frame of 14 lines: the body fits without the insert, not with it
    path = write_spec(article(f"- kind: related\n  at: 1\n  text: {INSERT_TEXT * 3}", lines=16, length=30))
    code, found = check_json(path, capsys)
    assert code == 1
    kinds = {p["kind"]: p for p in found["problems"]}
    over, insert = kinds["overflow"], kinds["insert_overflow"]
    layout = lay_out_page(load_spec(path))
    set_insert = next(i for i in layout.articles[0].distribution.leftover if i.chars > 100)
    assert insert["insert"] == 0 and insert["insert_kind"] == "related"
    assert insert["lines_over"] == set_insert.height and insert["chars_over"] == set_insert.chars
    assert insert["column_lines"] < set_insert.height and "taller than a text column" in insert["message"]
    assert over["lines_over"] >= insert["lines_over"] and over["chars_over"] >= insert["chars_over"]
    assert layout.chars_placed + over["chars_over"] == layout.chars_total
    plain = lay_out_page(load_spec(write_spec(article("", lines=16, length=30), "plain.yaml")))
    assert layout.chars_total - plain.chars_total == len(INSERT_TEXT * 3) + len("【相关链接】")


@pytest.mark.parametrize("inserts", [
    f"- kind: editor_note\n  at: 3\n  text: {INSERT_TEXT * 4}",  # spanning, in the middle
    f"- kind: related\n  at: 0\n  text: {INSERT_TEXT}\n- kind: quote\n  at: 4\n  text: {INSERT_TEXT[:12]}",
])
def test_characters_placed_and_reported_add_up(write_spec, inserts):
    path = write_spec(article(inserts, lines=16))
    layout, pdf = laid_out(path)
    reported = sum(p.details["chars_over"] for p in layout.problems if p.kind == "overflow")
    assert reported > 0
    assert layout.chars_placed + reported == layout.chars_total
    drawn = [c for c in read_chars(pdf) if c.text in PARAS or c.text in INSERT_CHARS or c.text in "编者按：【相关链接】"]
    headline = len("标题")
    assert len(drawn) == layout.chars_placed - headline


def test_the_tint_is_cmyk_behind_the_text(write_spec):
    path = write_spec(article(f"- kind: background\n  tint: [0, 0, 0, 15]\n  text: {INSERT_TEXT}"))
    layout, pdf = laid_out(path)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        fills = [r for r in doc.pages[0].rects if r["fill"]]
    assert [tuple(r["non_stroking_color"]) for r in fills] == [(0, 0, 0, 0.15)]
    text = [c for c in read_chars(pdf) if c.text in INSERT_CHARS]
    tint = fills[0]
    assert all(tint["x0"] < c.x < tint["x1"] and tint["top"] < c.baseline < tint["bottom"] for c in text)


def test_inserts_at_an_empty_list_change_no_byte(write_spec, tmp_path):
    plain = render_pdf([lay_out_page(load_spec(write_spec(article(""))))])
    (tmp_path / "other").mkdir()
    empty = tmp_path / "other" / "page.yaml"  # the same name: the document title is the spec's name
    empty.write_text(article("").replace("    title: 标题\n", "    title: 标题\n    inserts: []\n"), encoding="utf-8")
    assert "inserts: []" in empty.read_text(encoding="utf-8")
    assert render_pdf([lay_out_page(load_spec(empty))]) == plain


def test_an_insert_past_the_last_paragraph_goes_at_the_end(write_spec, capsys):
    path = write_spec(article(f"- kind: related\n  at: 9\n  text: {INSERT_TEXT}"))
    code, found = check_json(path, capsys)
    warning = next(p for p in found["problems"] if p["kind"] == "insert_past_end")
    assert (warning["at"], warning["paragraphs"], warning["severity"]) == (9, len(PARAS), "warning")
    layout, pdf = laid_out(path)
    chars = [c for c in read_chars(pdf) if c.text in "己" or c.text in INSERT_CHARS]
    last_body = max((column_of(layout, c), c.baseline) for c in chars if c.text == "己")
    assert min((column_of(layout, c), c.baseline) for c in chars if c.text in INSERT_CHARS) > last_body


@pytest.mark.parametrize(("insert", "line", "says"), [
    ("- kind: editors_note\n  text: x", 0, "editor_note"),
    ("- kind: related\n  txt: x", 1, "text"),
    ("- kind: related\n  tint: [0, 0, 0, 120]\n  text: x", 1, "0 to 100"),
    ("- kind: related\n  at: -1\n  text: x", 1, "at least 0"),
    ("- kind: related\n  at: middle\n  text: x", 1, "end"),
    ("- kind: related\n  border: double\n  text: x", 1, "box"),
    ("- kind: related\n  text_style: {font: fangsong}\n  text: x", 1, "unknown font family"),
])
def test_bad_inserts_are_spec_errors_with_their_line(write_spec, capsys, insert, line, says):
    path = write_spec(article(insert))
    code = main(["check", str(path)])
    err = capsys.readouterr().err
    spec_lines = path.read_text(encoding="utf-8").splitlines()
    first = spec_lines.index("    inserts:") + 2  # the insert's first line (1-based)
    assert code == 2 and "Traceback" not in err
    assert f"{path}:{first + line}:" in err and says in err, err


def test_a_wire_file_pasted_into_an_insert_is_counted_not_composed(write_spec):
    text = "星辰大海。" * 200_000  # a million characters
    path = write_spec(article(f"- kind: related\n  at: 1\n  text: {text}"))
    started = time.monotonic()
    layout = lay_out_page(load_spec(path))
    elapsed = time.monotonic() - started
    plain = lay_out_page(load_spec(write_spec(article(""), "plain.yaml")))
    over = next(p for p in layout.problems if p.kind == "overflow")
    insert = next(p for p in layout.problems if p.kind == "insert_overflow")
    assert layout.chars_total - plain.chars_total == len(text) + len("【相关链接】")
    assert insert.details["chars_over"] == len(text) + len("【相关链接】") == over.details["chars_over"]
    assert layout.chars_placed == plain.chars_placed  # the body is set as if the insert were not there
    assert elapsed < 20, elapsed  # composing it all would take minutes
