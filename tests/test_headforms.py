"""Headline forms (issue 12 points 2–5): the inset headline (文包题), the group title
(组合标题), column labels (栏目名), and headlines that do not fit — read back from the PDF
(pdfplumber: characters in content-stream order; pikepdf: rules and fills as CMYK)."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from layout.display import GlyphRun
from layout.geometry.grid import Rect
from layout.page import PageLayout, lay_out_page
from layout.render.pdf import render_pdf
from layout.spec.errors import SpecInvalid
from layout.spec.load import load_spec
from tests.conftest import REPO
from tests.test_rules import Drawn, read_drawing

PAGE = REPO / "specs" / "regression" / "headline-forms.yaml"
RED = (0.0, 100.0, 100.0, 0.0)
BLACK = (0.0, 0.0, 0.0, 100.0)
TOL = 0.05
HEAD = """version: 1
page:
  size: A4
  margins: {top: 20mm, right: 15mm, bottom: 20mm, left: 15mm}
  columns: 4
  gutter: 4mm
  body: {font: song, size: 9pt, leading: 13.5pt}
blocks:
"""
#: A body whose characters say where they stand: 甲1 乙1 … in order, so reading order shows.
SENTENCES = "".join(f"第{n}句话在这里说完。" for n in range(1, 61))


@cache
def regression() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(PAGE))
    return layout, render_pdf([layout])


def _write(tmp_path: Path, blocks: str) -> Path:
    path = tmp_path / "page.yaml"
    path.write_text(HEAD + blocks, encoding="utf-8")
    return path


def _article(layout: PageLayout, block_id: str):  # type: ignore[no-untyped-def]
    return next(a for a in layout.articles if a.id == block_id)


def _chars(pdf: bytes) -> list[dict]:  # type: ignore[type-arg]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        left, top = page.trimbox[0], page.trimbox[1]
        return [{**c, "x0": c["x0"] - left, "top": c["top"] - top} for c in page.chars]


# --- 2. the inset headline -----------------------------------------------------------------

INSET = """- type: article
  id: a
  frame: {{column: 1, span: 4, line: 1, lines: {lines}}}
  columns: 3
  headline: {{form: inset, column: {column}, line: {line}, span: {span}}}
  title: 文包题
  body: {body}
"""


@pytest.mark.parametrize(("column", "line", "span"), [(2, 5, 1), (1, 1, 2), (2, 8, 2), (3, 3, 1)])
def test_body_flows_around_an_inset_headline_in_reading_order(tmp_path: Path, column: int, line: int,
                                                              span: int) -> None:
    layout = lay_out_page(load_spec(_write(tmp_path, INSET.format(lines="auto", column=column, line=line, span=span,
                                                                   body=SENTENCES))))
    assert [p.kind for p in layout.problems if p.severity != "note"] == []
    pdf = render_pdf([layout])
    grid, article = layout.grid, _article(layout, "a")
    chars = [c for c in _chars(pdf) if abs(c["size"] - 9.0) < 0.1]
    # nothing lost, in reading order: pdfplumber's content-stream order reads the body as written
    assert "".join(c["text"] for c in chars) == SENTENCES
    # and the same order is the natural one: column by column, top to bottom
    columns = article.columns
    def column_of(c: dict) -> int:  # type: ignore[type-arg]
        return next(k for k, col in enumerate(columns) if col.x - 10 <= c["x0"] < col.x + col.width + 1)
    natural = sorted(chars, key=lambda c: (column_of(c), round(c["top"], 1), c["x0"]))
    assert "".join(c["text"] for c in natural) == SENTENCES
    # every baseline on the grid
    baselines = {round((c["top"] + c["size"] * 0.88 - grid.type_area.y) % grid.pitch, 1) for c in chars}
    assert len({round(c["top"], 2) % 1 for c in chars}) >= 1 and len(baselines) <= 2  # one offset (±rounding)
    # the headline's box and its clear lines hold no body text; the title sits inside the box
    x0 = columns[column - 1].x
    x1 = columns[column + span - 2].x + columns[column + span - 2].width
    top_line = article.frame.y + (line - 1) * grid.pitch
    title = [r for r in article.display if isinstance(r, GlyphRun) and r.size > 20]
    assert title
    box_top = min(r.baseline - r.size for r in title)
    box_bottom = max(r.baseline for r in title)
    assert all(x0 - 1 <= r.x and r.x + r.size * len(r.text) <= x1 + 1 for r in title)
    hole = Rect(x0, top_line, x1 - x0, box_bottom + grid.pitch - top_line)
    inside = [c for c in chars if hole.x - 1 < c["x0"] < hole.right - 1 and hole.y < c["top"] < hole.bottom]
    assert inside == [] and box_top >= top_line - TOL
    # text above the box in its columns when it does not start at the frame's top
    above = [c for c in chars if x0 - 1 < c["x0"] < x1 - 1 and c["top"] < top_line]
    assert bool(above) == (line > 1)


def test_top_form_is_the_default_byte_for_byte(tmp_path: Path) -> None:
    plain = "- type: article\n  id: a\n  frame: {column: 1, span: 4, line: 1, lines: 20}\n  title: 标题\n" \
            "  body: {placeholder: 300}\n"
    top = plain + "  headline: {form: top}\n"
    a = lay_out_page(load_spec(_write(tmp_path, plain)))
    b = lay_out_page(load_spec(_write(tmp_path, top)))
    assert a.display == b.display
    assert render_pdf([a]) == render_pdf([b])


def test_inset_headline_in_an_auto_frame_is_kept_inside(tmp_path: Path) -> None:
    layout = lay_out_page(load_spec(_write(tmp_path, INSET.format(lines="auto", column=2, line=2, span=1,
                                                                   body="短短一句。"))))
    article = _article(layout, "a")
    title = [r for r in article.display if isinstance(r, GlyphRun) and r.size > 20]
    assert max(r.baseline for r in title) < article.frame.bottom


@pytest.mark.parametrize(("blocks", "message"), [
    ("- type: article\n  id: a\n  frame: {column: 1, line: 1, lines: 9}\n  title: 标\n  headline: {form: inset}\n",
     "an inset headline needs column and line"),
    ("- type: article\n  id: a\n  frame: {column: 1, span: 2, line: 1, lines: 9}\n  title: 标\n"
     "  headline: {form: inset, column: 2, line: 1, span: 2}\n", "the article has 2 text columns"),
    ("- type: article\n  id: a\n  frame: {column: 1, line: 1, lines: 9}\n  title: 标\n  headline: {column: 1}\n",
     "with form: top leave them out"),
    ("- type: group_title\n  id: g\n  frame: {column: 1, line: 1, lines: auto}\n  title: 标\n  articles: [nobody]\n",
     "'nobody' is not the id of an article"),
    ("- type: article\n  id: a\n  frame: {column: 1, line: 1, lines: 9}\n  title: 标\n"
     "  label: {text: 茂南观察, style: glow}\n", "label.style"),
])
def test_bad_headline_forms_are_named(tmp_path: Path, blocks: str, message: str) -> None:
    path = _write(tmp_path, blocks)
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    text = str(caught.value)
    assert re.search(rf"{re.escape(str(path))}:\d+:", text) and message in text, text


# --- 3. the group title ----------------------------------------------------------------------

def _rules_at(drawn: Drawn, y: float, x0: float, x1: float) -> list:  # type: ignore[type-arg]
    """Horizontal strokes on ``y`` that overlap x0..x1."""
    return [s for s in drawn.strokes if len(s.points) == 2 and abs(s.points[0][1] - y) < 0.5
            and abs(s.points[1][1] - y) < 0.5 and min(p[0] for p in s.points) < x1 - 1
            and max(p[0] for p in s.points) > x0 + 1]


def _vertical_at(drawn: Drawn, x: float, y0: float, y1: float) -> list:  # type: ignore[type-arg]
    return [s for s in drawn.strokes if len(s.points) == 2 and abs(s.points[0][0] - x) < 0.5
            and abs(s.points[1][0] - x) < 0.5 and min(p[1] for p in s.points) < y1 - 1
            and max(p[1] for p in s.points) > y0 + 1]


def test_group_title_over_its_articles_is_set_off_by_rules() -> None:
    layout, pdf = regression()
    grid = layout.grid
    drawn = read_drawing(pdf)
    g1, g2, right, inset = (_article(layout, i) for i in ("g1", "g2", "right", "inset"))
    group_top, group_bottom = inset.frame.bottom, g1.frame.y
    chars = [c for c in _chars(pdf) if c["size"] > 20]
    title = "".join(c["text"] for c in chars if group_top < c["top"] < group_bottom and c["x0"] < g2.frame.right)
    assert title == "茂南多措并举激活发展新动能"
    kicker = "".join(c["text"] for c in _chars(pdf) if group_top < c["top"] < group_bottom and 12 < c["size"] < 20
                     and c["x0"] < g2.frame.right)
    assert kicker == "聚焦乡村振兴"
    # a rule above the group (between it and the article over it) ...
    assert _rules_at(drawn, group_top, g1.frame.x, g2.frame.right)
    # ... one beside it (the gutter to the right-hand article), down the group title too ...
    x = g2.frame.right + grid.gutter / 2
    assert right.frame.x == pytest.approx(g2.frame.right + grid.gutter, abs=TOL)
    assert _vertical_at(drawn, x, group_top, group_bottom)
    # ... and none between the group title and its own articles
    assert _rules_at(drawn, group_bottom, g1.frame.x, g2.frame.right) == []
    # the group's articles keep their own titles and the rule between them
    assert _vertical_at(drawn, g1.frame.right + grid.gutter / 2, g1.frame.y, g1.frame.bottom)
    result = next(b for b in layout.blocks if b.id == "group")
    assert result.type == "group_title" and result.status == "ok"


def test_group_title_auto_frame_takes_whole_lines(tmp_path: Path) -> None:
    blocks = ("- type: group_title\n  id: g\n  frame: {column: 1, span: 4, line: 1, lines: auto}\n  title: 组合标题\n"
              "  articles: [a]\n- type: article\n  id: a\n  frame: {column: 1, span: 4, line: 4, lines: 10}\n"
              "  title: 子稿\n  body: 正文。\n")
    layout = lay_out_page(load_spec(_write(tmp_path, blocks)))
    result = next(b for b in layout.blocks if b.id == "g")
    assert result.lines_capacity == result.lines_needed >= 2


# --- 4. column labels ------------------------------------------------------------------------

def test_labels_colours_read_back_as_cmyk() -> None:
    layout, pdf = regression()
    drawn = read_drawing(pdf)
    side, g1, g2, right = (_article(layout, i).frame for i in ("side", "g1", "g2", "right"))

    def fills_in(frame: Rect, colour: tuple[float, ...]) -> list:  # type: ignore[type-arg]
        return [f for f in drawn.fills if f[1] == pytest.approx(colour)
                and frame.x - TOL <= f[0][0] and f[0][0] + f[0][2] <= frame.right + TOL
                and frame.y - TOL <= f[0][1] < frame.bottom]

    # reverse: a red band (knocked out), the text on it white and knocked out
    bands = fills_in(side, RED)
    assert len(bands) == 1 and not bands[0][2]
    white = [t for t in drawn.text if t[0] == pytest.approx((0, 0, 0, 0))]
    assert white and all(not overprint for _, overprint in white)
    # tint: a 15 % K tint
    assert len(fills_in(g2, (0.0, 0.0, 0.0, 15.0))) == 1
    # ornament: a red bar and a red 1 pt rule under the label
    bar = fills_in(right, RED)
    assert len(bar) == 1 and bar[0][0][0] == pytest.approx(right.x, abs=TOL)
    under = [s for s in drawn.strokes if s.color == pytest.approx(RED) and s.width == pytest.approx(1.0)
             and right.x - TOL <= s.points[0][0] <= right.right]
    assert len(under) == 1
    # box: a closed 0.75 pt black box in g1's corner, its text inside it
    boxes = [s for s in drawn.strokes if s.closed and s.width == pytest.approx(0.75) and s.color == pytest.approx(BLACK)
             and g1.x - 1 <= s.points[0][0] <= g1.x + 1]
    assert len(boxes) == 1
    bx0, by0 = boxes[0].points[0]
    bx1, by1 = boxes[0].points[2]
    label = "".join(c["text"] for c in _chars(pdf) if bx0 < c["x0"] < bx1 and by0 < c["top"] < by1)
    assert label == "茂南观察"


def test_label_before_the_title_shifts_the_title_right(tmp_path: Path) -> None:
    base = "- type: article\n  id: a\n  frame: {column: 1, span: 2, line: 1, lines: 20}\n  title: 一线见闻\n" \
           "  styles: {title: {align: left}}\n  body: 正文。\n"
    plain = lay_out_page(load_spec(_write(tmp_path, base)))
    labelled = lay_out_page(load_spec(_write(tmp_path, base + "  label: {text: 记者手记, style: reverse}\n")))
    chars = [c for c in _chars(render_pdf([labelled]))]
    label = [c for c in chars if c["text"] in "记者手记" and c["non_stroking_color"] == (0, 0, 0, 0)]
    title = [c for c in chars if c["text"] in "一线见闻" and c["size"] > 20]
    plain_title = [c for c in _chars(render_pdf([plain])) if c["text"] in "一线见闻" and c["size"] > 20]
    assert len(label) == 4 and len(title) == 4
    assert min(c["x0"] for c in title) > max(c["x1"] for c in label)  # beside, to the right
    assert min(c["x0"] for c in title) > min(c["x0"] for c in plain_title) + 40  # shifted by the label
    # on the title's first line: the label's middle within the title's line box
    label_mid = sum(c["top"] + c["size"] / 2 for c in label) / 4
    assert min(c["top"] for c in title) <= label_mid <= max(c["bottom"] for c in title)
    assert _article(labelled, "a").headline_lines == _article(plain, "a").headline_lines


# --- 5. headlines that do not fit ----------------------------------------------------------

@pytest.mark.parametrize(("blocks", "kind", "block"), [
    (INSET.format(lines=10, column=1, line=9, span=1, body="正文。"), "headline_no_room", "a"),
    ("- type: group_title\n  id: g\n  frame: {column: 1, span: 2, line: 1, lines: 1}\n  kicker: 引题\n"
     "  title: 组合标题\n  articles: [a]\n- type: article\n  id: a\n  frame: {column: 1, span: 2, line: 2, "
     "lines: 9}\n  title: 子稿\n  body: 正文。\n", "headline_no_room", "g"),
    (INSET.format(lines=30, column=1, line=1, span=1, body="正文。").replace(
        "title: 文包题", "title: 一个很长很长的文包题标题一直写下去也写不完还要再写很多很多字才算完"), "headline_too_long", "a"),
    ("- type: group_title\n  id: g\n  frame: {column: 1, span: 1, line: 1, lines: auto}\n"
     "  title: 一个很长很长的组合标题一直写下去也写不完还要再写很多很多字\n  articles: [a]\n- type: article\n  id: a\n"
     "  frame: {column: 1, span: 2, line: 20, lines: 9}\n  title: 子稿\n  body: 正文。\n", "headline_too_long", "g"),
])
def test_a_headline_that_does_not_fit_is_reported(tmp_path: Path, blocks: str, kind: str, block: str) -> None:
    layout = lay_out_page(load_spec(_write(tmp_path, blocks)))
    found = [p for p in layout.problems if p.kind == kind]
    assert found and found[0].block == block and found[0].severity == "error"
    assert found[0].message_zh and re.search(r"[\u4e00-\u9fff]{2}", found[0].message_zh)


@pytest.mark.parametrize("where", ["inset", "group"])
def test_inset_and_group_headlines_shrink_to_min_size(tmp_path: Path, where: str) -> None:
    title = "茂南区第八期基层党建活动举行"
    styles = "  styles: {title: {size: 一号, min_size: 四号, max_lines: 1}}\n"
    if where == "inset":
        blocks = INSET.format(lines=30, column=1, line=1, span=2, body="正文。").replace("title: 文包题", f"title: {title}")
        blocks += styles
    else:
        blocks = (f"- type: group_title\n  id: a\n  frame: {{column: 1, span: 2, line: 1, lines: auto}}\n"
                  f"  title: {title}\n  articles: [b]\n{styles}- type: article\n  id: b\n"
                  "  frame: {column: 3, span: 2, line: 1, lines: 9}\n  title: 子稿\n  body: 正文。\n")
    layout = lay_out_page(load_spec(_write(tmp_path, blocks)))
    shrunk = [p for p in layout.problems if p.kind == "headline_shrunk" and p.block == "a"]
    assert shrunk and shrunk[0].details["size"] < shrunk[0].details["asked"]
    assert not [p for p in layout.problems if p.kind == "headline_too_long"]
    runs = [r for r in layout.display if isinstance(r, GlyphRun) and r.size == shrunk[0].details["size"]]
    assert "".join(r.text for r in runs) == title  # on one line, nothing lost
    assert len({r.baseline for r in runs}) == 1
