"""Rules, boxes, tints and reversed type (issue 11 points 1 and 2).

The geometry of every rule type (layout/rules.py), the spec syntax, the PDF read back
with pikepdf (stroke widths, positions, dash patterns and caps, fill colours as CMYK,
overprint from the ExtGState) and with pypdfium2 (body baselines inside a box), and the
four preflight problems on crafted pages.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pikepdf
import pytest

from layout.decor import MAX_TINT_DARKNESS, MIN_REVERSED_TEXT_SIZE, WHITE, darkness
from layout.display import Box, GlyphRun, LineCap, Rule, StrokePath
from layout.furniture import RULE_WIDTH
from layout.geometry.grid import Rect
from layout.page import PageLayout, lay_out_page
from layout.render.pdf import render_pdf
from layout.rules import (
    DASH_MIN_OFF,
    DASH_MIN_ON,
    DEFAULT_RULE,
    DEFAULT_WEIGHT,
    DOT_PITCH,
    DOUBLE_GAP,
    THICK_THIN_GAP,
    THICK_THIN_THIN,
    RuleStyle,
    RuleType,
    box_items,
    rule_items,
    wave_amplitude,
)
from layout.spec.errors import SpecInvalid
from layout.spec.load import load_spec
from layout.spec.styles import BLACK
from tests.conftest import REPO
from tests.readback import read_chars

PAGE = REPO / "specs" / "regression" / "a3-rules-boxes-tints.yaml"
EXAMPLE = REPO / "examples" / "maonan" / "page.yaml"
RED = (0.0, 100.0, 100.0, 0.0)
TOL = 0.01


# --- geometry ------------------------------------------------------------------------

def _offset(item: Rule, y: float) -> float:
    """How far a horizontal rule's stroke lies above ``y`` (y down)."""
    assert abs(item.y0 - item.y1) < 1e-9
    return y - item.y0


@pytest.mark.parametrize(("kind", "weights", "offsets"), [
    (RuleType.THIN, [0.5], [0.0]),
    (RuleType.THICK, [1.5], [0.0]),
    (RuleType.DOUBLE, [0.5, 0.5], [(1 + DOUBLE_GAP) * 0.5 / 2, -(1 + DOUBLE_GAP) * 0.5 / 2]),
    (RuleType.THICK_THIN, [1.5, 1.5 * THICK_THIN_THIN], None),
    (RuleType.DOTTED, [1.0], [0.0]),
    (RuleType.DASHED, [0.5], [0.0]),
])
def test_straight_rule_strokes(kind: RuleType, weights: list[float], offsets: list[float] | None) -> None:
    style = RuleStyle(kind, DEFAULT_WEIGHT[kind])
    items = rule_items(style, 10.0, 100.0, 210.0, 100.0)
    assert all(isinstance(i, Rule) for i in items)
    assert [i.width for i in items] == pytest.approx(weights)
    got = [_offset(i, 100.0) for i in items]  # type: ignore[arg-type]
    if offsets is not None:
        assert got == pytest.approx(offsets)
    # the rule is centred on its line: its ink reaches as far above as below
    top = max(o + w / 2 for o, w in zip(got, weights, strict=True))
    bottom = min(o - w / 2 for o, w in zip(got, weights, strict=True))
    assert top == pytest.approx(-bottom)
    assert top - bottom == pytest.approx(style.thickness)
    assert all((i.x0, i.x1) == (10.0, 210.0) for i in items)  # type: ignore[union-attr]


def test_thick_thin_has_its_thick_stroke_above_and_a_gap() -> None:
    w = 1.5
    thick, thin = rule_items(RuleStyle(RuleType.THICK_THIN, w), 0.0, 50.0, 100.0, 50.0)
    assert isinstance(thick, Rule) and isinstance(thin, Rule)
    assert thick.width == w and thin.width == pytest.approx(w * THICK_THIN_THIN)
    assert thick.y0 < thin.y0  # above (y down)
    gap = (thin.y0 - thin.width / 2) - (thick.y0 + thick.width / 2)
    assert gap == pytest.approx(THICK_THIN_GAP * w)


@pytest.mark.parametrize(("weight", "dash", "cap"), [
    (1.0, (0.0, DOT_PITCH * 1.0), LineCap.ROUND),
    (2.0, (0.0, DOT_PITCH * 2.0), LineCap.ROUND),
])
def test_dotted_is_round_dots(weight: float, dash: tuple[float, ...], cap: LineCap) -> None:
    (rule,) = rule_items(RuleStyle(RuleType.DOTTED, weight), 0, 0, 100, 0)
    assert isinstance(rule, Rule) and rule.dash == pytest.approx(dash) and rule.cap is cap


@pytest.mark.parametrize("weight", [0.25, 0.5, 2.0])
def test_dashed_is_butt_dashes_never_shorter_than_the_minimum(weight: float) -> None:
    (rule,) = rule_items(RuleStyle(RuleType.DASHED, weight), 0, 0, 100, 0)
    assert isinstance(rule, Rule) and rule.cap is LineCap.BUTT and len(rule.dash) == 2
    on, off = rule.dash
    assert on >= DASH_MIN_ON and off >= DASH_MIN_OFF and on > off


@pytest.mark.parametrize(("x0", "y0", "x1", "y1"), [(0, 10, 200, 10), (50, 0, 50, 333), (0, 0, 3, 0)])
def test_wavy_rule_is_curves_between_the_ends_within_its_amplitude(x0, y0, x1, y1) -> None:
    style = RuleStyle(RuleType.WAVY, 0.5)
    (path,) = rule_items(style, x0, y0, x1, y1)
    assert isinstance(path, StrokePath) and not path.closed and path.width == 0.5
    assert path.start == (x0, y0) and path.steps[-1][-2:] == pytest.approx((x1, y1))
    assert all(len(s) == 6 for s in path.steps) and len(path.steps) >= 1
    amplitude = wave_amplitude(0.5)
    horizontal = y0 == y1
    for step in path.steps:  # control points reach 4/3 of the crest: the curve's crest is the amplitude
        for cx, cy in (step[0:2], step[2:4]):
            across = abs(cy - y0) if horizontal else abs(cx - x0)
            assert across == pytest.approx(amplitude * 4 / 3)


def test_default_rule_is_the_rule_drawn_between_articles_before() -> None:
    assert rule_items(DEFAULT_RULE, 5, 6, 5, 80) == (Rule(5, 6, 5, 80, RULE_WIDTH, BLACK),)
    assert rule_items(RuleStyle(RuleType.NONE, 1.0), 0, 0, 10, 0) == ()


def test_double_box_is_two_nested_closed_rectangles() -> None:
    rect = Rect(100, 200, 300, 150)
    outer, inner = box_items(RuleStyle(RuleType.DOUBLE, 1.0, RED), rect)
    half = (1 + DOUBLE_GAP) / 2
    for path, off in ((outer, half), (inner, -half)):
        assert isinstance(path, StrokePath) and path.closed and path.color == RED
        xs = [path.start[0], *(s[0] for s in path.steps)]
        ys = [path.start[1], *(s[1] for s in path.steps)]
        assert (min(xs), min(ys), max(xs), max(ys)) == pytest.approx(
            (rect.x - off, rect.y - off, rect.right + off, rect.bottom + off))


# --- spec syntax ---------------------------------------------------------------------

BASE = """\
version: 1
page:
  size: A4
  margins: {top: 20mm, right: 15mm, bottom: 20mm, left: 15mm}
  columns: 4
  gutter: 4mm
  body: {size: 9pt, leading: 13.5pt}
"""


def _spec(tmp_path: Path, blocks: str, extra: str = "") -> Path:
    path = tmp_path / "page.yaml"
    path.write_text(BASE + extra + "blocks:\n" + blocks, encoding="utf-8")
    return path


@pytest.mark.parametrize(("written", "kind"), [
    ("文武线", "thick-thin"), ("thick-thin", "thick-thin"), ("点线", "dotted"), ("{type: 波纹线}", "wavy"),
    ("none", "none"), ("{type: double, weight: 1mm}", "double"),
])
def test_rule_shorthand_and_chinese_names(tmp_path: Path, written: str, kind: str) -> None:
    path = _spec(tmp_path, f"- {{type: article, id: a, frame: {{column: 1, line: 1, lines: 5}}, title: 标, rule: {written}}}\n")
    (article,) = load_spec(path).spec.blocks
    assert article.rule is not None and article.rule.type == kind


@pytest.mark.parametrize(("written", "message"), [
    ("{type: dottted}", "did you mean `dotted`"),
    ("{type: thin, weight: 30pt}", "must be at most 20"),
    ("{type: thin, color: [0, 0, 0, 120]}", "percentages from 0 to 100"),
    ("{type: thin, width: 1pt}", "unknown key"),
])
def test_bad_rules_are_spec_errors_with_a_line(tmp_path: Path, written: str, message: str) -> None:
    path = _spec(tmp_path, f"- type: article\n  id: a\n  frame: {{column: 1, line: 1, lines: 5}}\n  title: 标\n"
                           f"  rule: {written}\n")
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    text = str(caught.value)
    assert f"{path}:13:" in text and message in text, text


# --- the regression page, read back --------------------------------------------------

@dataclass
class Stroke:
    points: list[tuple[float, float]]  # trim coordinates, y down
    width: float
    dash: tuple[float, ...]
    cap: int
    color: tuple[float, ...]  # CMYK percent
    overprint: bool
    curves: int = 0
    closed: bool = False


@dataclass
class Drawn:
    strokes: list[Stroke] = field(default_factory=list)
    fills: list[tuple[tuple[float, float, float, float], tuple[float, ...], bool]] = field(default_factory=list)
    text: list[tuple[tuple[float, ...], bool]] = field(default_factory=list)  # fill colour, overprint per Tj


def _f(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def read_drawing(pdf: bytes) -> Drawn:
    """Strokes, filled rectangles and the colour of every text show, interpreting the
    page's content stream (reportlab draws in the trim-offset user space, no nested cm)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        trim = [float(v) for v in page.TrimBox]
        height, left, top = trim[3] - trim[1], trim[0], trim[3]
        gstates = {str(k): v for k, v in page.Resources.get("/ExtGState", {}).items()}
        out = Drawn()
        width, dash, cap = 1.0, (), 0
        stroke_c, fill_c = (0.0,) * 4, (0.0,) * 4
        op_stroke = op_fill = False
        path: list[tuple[float, float]] = []
        curves, closed = 0, False
        rect: tuple[float, float, float, float] | None = None

        def pt(x: object, y: object) -> tuple[float, float]:
            return (_f(x) - left, top - _f(y))

        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "w":
                width = _f(operands[0])
            elif name == "d":
                dash = tuple(_f(v) for v in operands[0])
            elif name == "J":
                cap = int(operands[0])
            elif name == "K":
                stroke_c = tuple(_f(v) * 100 for v in operands)
            elif name == "k":
                fill_c = tuple(_f(v) * 100 for v in operands)
            elif name == "gs":
                state = gstates[str(operands[0])]
                op_stroke = bool(state.get("/OP", op_stroke))
                op_fill = bool(state.get("/op", op_fill))
            elif name in ("m", "l"):
                path.append(pt(*operands))
            elif name == "c":
                path.append(pt(operands[4], operands[5]))
                curves += 1
            elif name == "h":
                closed = True
            elif name == "re":
                x, y, w, h = (_f(v) for v in operands)
                rect = (x - left, top - y - h, w, h)
                path += [(rect[0], rect[1]), (rect[0] + w, rect[1] + h)]
                closed = True
            elif name in ("f", "f*") and rect is not None:
                out.fills.append((rect, fill_c, op_fill))
            elif name == "S":
                out.strokes.append(Stroke(path, width, dash, cap, stroke_c, op_stroke, curves, closed))
            elif name == "Tj":
                out.text.append((fill_c, op_fill))
            if name in ("S", "f", "f*", "n"):
                path, curves, closed, rect = [], 0, False, None
        assert height > 0
        return out


@cache
def page() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(PAGE))
    return layout, render_pdf([layout])


def _article(layout: PageLayout, block_id: str):
    return next(a for a in layout.articles if a.id == block_id)


def _strokes_near(drawn: Drawn, x0: float, y0: float, x1: float, y1: float) -> list[Stroke]:
    """Strokes whose ends both lie within 4 pt of the segment's ends."""
    def near(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return math.hypot(a[0] - b[0], a[1] - b[1]) < 4.0
    return [s for s in drawn.strokes if s.points and near(s.points[0], (x0, y0)) and near(s.points[-1], (x1, y1))]


def test_regression_page_is_clean() -> None:
    layout, _ = page()
    assert [p.kind for p in layout.problems if p.severity != "note"] == []


@pytest.mark.parametrize(("upper_or_left", "other", "vertical", "kind", "weight", "color"), [
    ("a", "b", True, RuleType.THICK, 1.5, BLACK),  # b's rule: 粗线
    ("b", "c", True, RuleType.THICK_THIN, 1.5, BLACK),  # c's rule: 文武线
    ("a", "d", False, RuleType.DOUBLE, 0.5, BLACK),  # d's rule: 双线
    ("b", "e", False, RuleType.WAVY, 0.5, BLACK),  # e's rule: 波纹线
    ("c", "f", False, RuleType.DOTTED, 1.0, (100.0, 0.0, 0.0, 0.0)),  # f's rule: 点线, cyan
])
def test_rules_between_articles_read_back(upper_or_left, other, vertical, kind, weight, color) -> None:
    layout, pdf = page()
    drawn = read_drawing(pdf)
    grid = layout.grid
    a, b = _article(layout, upper_or_left).frame, _article(layout, other).frame
    if vertical:  # in the middle of the gutter, over the height both share
        x = a.right + grid.gutter / 2
        y0, y1 = max(a.y, b.y), min(a.bottom, b.bottom)
        found = _strokes_near(drawn, x, y0, x, y1)
    else:  # on the grid line between them
        y = b.y
        found = _strokes_near(drawn, b.x, y, b.right, y)
    assert found, f"no rule between {upper_or_left} and {other}"
    style = RuleStyle(kind, weight)
    assert all(s.color == pytest.approx(color) for s in found)
    assert all(s.overprint == (color == BLACK) for s in found)
    if kind is RuleType.WAVY:
        assert len(found) == 1 and found[0].curves >= 10 and found[0].width == pytest.approx(weight)
        return
    expected = rule_items(style, 0, 0, 100, 0)
    assert sorted(s.width for s in found) == pytest.approx(sorted(i.width for i in expected))  # type: ignore[union-attr]
    assert {s.dash for s in found} == {tuple(i.dash) for i in expected}  # type: ignore[union-attr]
    assert {s.cap for s in found} == {int(i.cap) for i in expected}  # type: ignore[union-attr]
    # each stroke's offset from the line, to the left of travel: up for a rule drawn left to
    # right, right for one drawn downwards (the PDF's flipped y read back into trim space)
    across = sorted((s.points[0][0] - x) if vertical else (y - s.points[0][1]) for s in found)
    assert across == pytest.approx(sorted(-i.y0 for i in expected), abs=TOL)  # type: ignore[union-attr]


def test_dotted_and_dashed_patterns_in_the_pdf() -> None:
    _, pdf = page()
    drawn = read_drawing(pdf)
    dots = [s for s in drawn.strokes if s.dash and s.dash[0] == 0]
    dashes = [s for s in drawn.strokes if s.dash and s.dash[0] > 0]
    assert dots and all(s.cap == 1 and s.dash == pytest.approx((0, DOT_PITCH * s.width)) for s in dots)
    assert dashes and all(s.cap == 0 for s in dashes)
    # the dashed column rule of article a runs in the middle of its gutter
    layout, _ = page()
    left, right = _article(layout, "a").columns
    x = (left.x + left.width + right.x) / 2
    assert any(abs(s.points[0][0] - x) < TOL and abs(s.points[-1][0] - x) < TOL for s in dashes)


def test_box_tint_and_band_read_back() -> None:
    layout, pdf = page()
    drawn = read_drawing(pdf)
    frame = _article(layout, "lead").frame
    tints = [f for f in drawn.fills if f[1] == pytest.approx((0, 0, 0, 10))]
    assert len(tints) == 1
    (x, y, w, h), _, overprint = tints[0]
    assert (x, y, w, h) == pytest.approx((frame.x, frame.y, frame.width, frame.height), abs=TOL)
    assert not overprint  # a tint knocks out
    bands = [f for f in drawn.fills if f[1] == pytest.approx(RED)]
    assert len(bands) == 1 and bands[0][0][1] == pytest.approx(frame.y, abs=TOL)
    assert bands[0][0][3] == pytest.approx(_article(layout, "lead").headline_lines * layout.grid.pitch, abs=TOL)
    boxes = [s for s in drawn.strokes if s.closed and s.color == pytest.approx(RED)]
    assert len(boxes) == 2 and all(s.width == 0.75 and not s.overprint for s in boxes)
    half = (1 + DOUBLE_GAP) * 0.75 / 2
    lefts = sorted(min(p[0] for p in s.points) for s in boxes)
    assert lefts == pytest.approx([frame.x - half, frame.x + half], abs=TOL)


def test_reversed_title_is_white_and_knocks_out() -> None:
    layout, pdf = page()
    runs = [i for a in layout.articles if a.id == "lead" for i in a.display if isinstance(i, GlyphRun)]
    title = [r for r in runs if r.size > layout.grid.pitch]
    assert title and all(r.color == WHITE and not r.overprint for r in title)
    drawn = read_drawing(pdf)
    white = [t for t in drawn.text if t[0] == pytest.approx((0, 0, 0, 0))]
    assert white and all(not overprint for _, overprint in white)
    assert len(white) == len(title)
    # and the body text is still 100 % K overprinting
    assert any(t[0] == pytest.approx((0, 0, 0, 100)) and t[1] for t in drawn.text)


def test_body_inside_the_box_stays_on_the_grid_and_inside_the_inset() -> None:
    layout, pdf = page()
    grid = layout.grid
    # Han characters only: an opening quote at a line start has its origin half an em to the left
    chars = [c for c in read_chars(pdf) if abs(c.size - 9.0) < 0.1 and "\u4e00" <= c.text <= "\u9fff"]
    lead, side = _article(layout, "lead").frame, _article(layout, "side").frame

    def inside(c, r: Rect) -> bool:
        return r.x - 1 <= c.x <= r.right and r.y <= c.baseline <= r.bottom

    lead_chars = [c for c in chars if inside(c, lead)]
    side_chars = [c for c in chars if inside(c, side)]
    assert len(lead_chars) > 500 and side_chars
    offsets = {round((c.baseline - grid.type_area.y) % grid.pitch, 2) for c in lead_chars + side_chars}
    assert len(offsets) == 1  # the boxed article's baselines are the page's
    side_inset = 2.0 * 72 / 25.4
    assert min(c.x for c in lead_chars) >= lead.x + side_inset - TOL
    # one grid line free above the box's bottom edge
    assert max(c.baseline for c in lead_chars) < lead.bottom - grid.pitch


def test_existing_pages_have_no_dash_or_cap_operators() -> None:
    """A page without rule styles draws exactly as before: solid, butt caps, no new operators."""
    layout = lay_out_page(load_spec(EXAMPLE))
    with pikepdf.open(io.BytesIO(render_pdf([layout]))) as doc:
        ops = {str(op) for _, op in pikepdf.parse_content_stream(doc.pages[0])}
    assert "d" not in ops and "J" not in ops
    assert not any(isinstance(i, StrokePath) or (isinstance(i, Rule) and (i.dash or i.cap)) for i in layout.display)


# --- preflight -----------------------------------------------------------------------

ARTICLE = "- type: article\n  id: x\n  frame: {column: 1, span: 2, line: 1, lines: auto}\n  title: 标题\n" \
          "  body: {placeholder: 200}\n"


@pytest.mark.parametrize(("extra", "kind"), [
    ("  styles: {body: {color: [0, 0, 0, 0], overprint: true}}\n  tint: [0, 0, 0, 100]\n", "white_overprint"),
    ("  band: {color: [0, 0, 0, 100], reverse: true}\n  byline: ■通讯员　张三\n  styles: {byline: {size: 7pt}}\n",
     "reversed_text_too_small"),
    ("  tint: [0, 0, 0, 40]\n", "tint_too_dark"),
    ("  tint: [0, 60, 0, 0]\n", "tint_too_dark"),
    ("  tint: [80, 80, 80, 10]\n", "tint_ink_limit"),
    ("  band: {color: [100, 100, 100, 0], reverse: true}\n", "tint_ink_limit"),
])
def test_problems_fire_on_crafted_pages(tmp_path: Path, extra: str, kind: str) -> None:
    layout = lay_out_page(load_spec(_spec(tmp_path, ARTICLE + extra)))
    found = [p for p in layout.problems if p.kind == kind]
    assert len(found) == 1, [p.kind for p in layout.problems]
    assert found[0].block == "x" and found[0].message and found[0].message_zh


@pytest.mark.parametrize("extra", [
    "  tint: [0, 0, 0, 10]\n  band: {color: [0, 100, 100, 0], reverse: true}\n",
    "  box: {rule: {type: thick-thin}}\n  tint: [10, 0, 0, 20]\n",
    "  styles: {body: {overprint: false}}\n  tint: [0, 0, 0, 20]\n",
    "  band: {color: [0, 0, 0, 15]}\n",
])
def test_problems_stay_quiet_on_clean_pages(tmp_path: Path, extra: str) -> None:
    layout = lay_out_page(load_spec(_spec(tmp_path, ARTICLE + extra)))
    kinds = {"white_overprint", "reversed_text_too_small", "tint_too_dark", "tint_ink_limit"}
    assert not [p.kind for p in layout.problems if p.kind in kinds]


def test_ink_limit_follows_the_page_setting(tmp_path: Path) -> None:
    extra = "  tint: [60, 60, 60, 20]\n"  # 200 % ink
    low = lay_out_page(load_spec(_spec(tmp_path, ARTICLE + extra, "output: {ink_limit: 180}\n")))
    assert [p.details["ink"] for p in low.problems if p.kind == "tint_ink_limit"] == [200.0]
    high = lay_out_page(load_spec(_spec(tmp_path, ARTICLE + extra, "output: {ink_limit: 220}\n")))
    assert not [p for p in high.problems if p.kind == "tint_ink_limit"]


@pytest.mark.parametrize(("color", "expected"), [
    ((0, 0, 0, 10), 10.0), ((0, 100, 0, 0), 72.0), ((0, 0, 100, 0), 7.0), ((100, 100, 100, 100), 100.0),
])
def test_darkness(color, expected) -> None:
    assert darkness(color) == pytest.approx(expected)
    assert (darkness(color) > MAX_TINT_DARKNESS) == (expected > MAX_TINT_DARKNESS)


def test_reversed_size_threshold_is_named() -> None:
    assert 6.0 < MIN_REVERSED_TEXT_SIZE <= 12.0


def test_box_keeps_text_on_whole_grid_lines(tmp_path: Path) -> None:
    plain = lay_out_page(load_spec(_spec(tmp_path, ARTICLE)))
    boxed = lay_out_page(load_spec(_spec(tmp_path, ARTICLE + "  box: {inset: {lines: 2, side: 3mm}}\n")))
    p, b = plain.articles[0], boxed.articles[0]
    # the same text, two grid lines lower, the columns 3 mm narrower on each side
    assert b.distribution.placements[0].line - p.distribution.placements[0].line == 2
    assert b.columns[0].x - p.columns[0].x == pytest.approx(3 * 72 / 25.4)
    assert b.columns[-1].x + b.columns[-1].width == pytest.approx(p.columns[-1].x + p.columns[-1].width - 3 * 72 / 25.4)
    pitch = boxed.grid.pitch
    assert (b.frame.height / pitch) == pytest.approx(round(b.frame.height / pitch))
    last = max(b.distribution.ends)
    assert b.frame.bottom == pytest.approx(boxed.grid.line_y(last) + 3 * pitch)  # the last line + 2 free ones
    assert any(isinstance(i, StrokePath) and i.closed for i in b.display)
    assert not any(isinstance(i, Box) for i in p.display)


def test_outlines_after_a_dotted_rule_are_solid_again() -> None:
    """The PDF's dash and cap are graphics state: a box outline or crop marks drawn after a
    dotted rule must not inherit its dots."""
    from layout.display import CropMarks, PageBoxes, PageDescription

    layout = lay_out_page(load_spec(EXAMPLE))
    dotted = rule_items(RuleStyle(RuleType.DOTTED, 1.0), 10, 10, 100, 10)
    outline = Box(20, 20, 50, 50, None, BLACK)
    marks = CropMarks(((0.0, -5.0, 0.0, -10.0),), 0.25, (100.0, 100.0, 100.0, 100.0))
    boxes = PageBoxes(200, 200, 0, 12)
    description = PageDescription(boxes, (*dotted, outline, marks), "t", layout.press)
    drawn = read_drawing(render_pdf([description]))
    assert [(s.dash, s.cap) for s in drawn.strokes] == [((0.0, 2.5), 1), ((), 0), ((), 0)]
