"""The feature page example (examples/feature, 茂南新闻·深度 第7版, issue 12's acceptance
page): it checks clean with all four headline forms, and read back from the rendered PDF —
the vertical lead headline reads in order with its original marks while the marks are drawn
in their vertical forms, its lines run right to left and 12 stands upright side by side; the
body around the inset headline is in reading order; the group title is set off by rules
from everything but its own articles; the column labels' colours are CMYK."""

from __future__ import annotations

import io
import re
from functools import cache

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from layout.compose.vertical import VERTICAL_FORMS
from layout.display import PlacedGlyphs
from layout.geometry.grid import Rect
from layout.page import PageLayout, lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO
from tests.test_rules import Drawn, read_drawing
from tests.test_vertical import _content_glyphs, _font_parts, _outline

PAGE = REPO / "examples" / "feature" / "page.yaml"
#: How far apart (pt) read-back positions that should coincide may be.
TOL = 0.05
RED = (0.0, 100.0, 100.0, 0.0)
BLACK = (0.0, 0.0, 0.0, 100.0)
WHITE = (0.0, 0.0, 0.0, 0.0)
#: The body size of the page (小五).
BODY_SIZE = 9.0


@cache
def rendered() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(PAGE), probe=make_probe)
    return layout, render_pdf([layout])


@cache
def drawing() -> Drawn:
    return read_drawing(rendered()[1])


@cache
def plumber_chars() -> tuple[dict, ...]:  # type: ignore[type-arg]
    """pdfplumber's characters in content-stream order, in trim coordinates (y down)."""
    with pdfplumber.open(io.BytesIO(rendered()[1])) as doc:
        page = doc.pages[0]
        left, top = page.trimbox[0], page.trimbox[1]
        return tuple({**c, "x0": c["x0"] - left, "x1": c["x1"] - left, "top": c["top"] - top} for c in page.chars)


def spec_block(block_id: str):  # type: ignore[no-untyped-def]
    return next(b for b in rendered()[0].spec.blocks if b.id == block_id)


def frame_of(block_id: str) -> Rect:
    layout = rendered()[0]
    return next(b.frame for b in (*layout.articles, *layout.photos) if b.id == block_id)


def squash(text: str) -> str:
    """Text as the text layer gives it: no inline markup, no spaces or line breaks."""
    return re.sub(r"\s|\u3000", "", text.replace("**", ""))


def inside(c: dict, rect: Rect, pad: float = 0.0) -> bool:  # type: ignore[type-arg]
    return rect.x - pad <= c["x0"] < rect.right + pad and rect.y - pad <= c["top"] < rect.bottom + pad


# -- the page -----------------------------------------------------------------------------

def test_the_page_checks_clean_with_every_headline_form() -> None:
    layout, _ = rendered()
    assert layout.ok and not layout.problems, [p.message for p in layout.problems]
    blocks = layout.spec.blocks
    forms = sorted(b.headline.form for b in blocks if b.type == "article" and b.headline is not None)
    assert "vertical" in forms and "inset" in forms
    groups = [b for b in blocks if b.type == "group_title"]
    assert len(groups) == 1 and 2 <= len(groups[0].articles) <= 3
    labels = {b.label.style: b.label.position for b in blocks if b.type == "article" and b.label is not None}
    assert set(labels) == {"box", "reverse", "ornament"} and "corner" in labels.values()
    assert {b.id: b.status for b in layout.blocks if b.type == "group_title"} == {"xiangcun": "ok"}


# -- the vertical headline (竖排) --------------------------------------------------------

def test_the_vertical_headline_reads_in_order_with_the_original_marks() -> None:
    _, pdf = rendered()
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pdfium_text = "".join(doc[0].get_textpage().get_text_range().split())
    finally:
        doc.close()
    plumber_text = "".join(c["text"] for c in plumber_chars())
    lead = spec_block("xiaodongjiang")
    for part in (lead.kicker, lead.title, lead.subtitle, lead.byline):
        assert squash(part) in pdfium_text and squash(part) in plumber_text, part
    # copying gives the horizontal marks: no vertical form reaches the text layer
    assert not set(VERTICAL_FORMS.values()) & set(pdfium_text + plumber_text)


def test_the_vertical_headlines_marks_are_drawn_in_their_vertical_forms() -> None:
    _, pdf = rendered()
    lead = spec_block("xiaodongjiang")
    expected = sum(ch in VERTICAL_FORMS for part in (lead.kicker, lead.title, lead.subtitle) for ch in part)
    assert expected >= 7  # the title's comma, the subtitle's dash and its quotation marks
    parts = _font_parts(pdf)
    originals: dict[str, TTFont] = {}
    vertical = 0
    for resource, code, _ in _content_glyphs(pdf):
        unicode, subset = parts[resource]
        text = unicode[code]
        if text not in VERTICAL_FORMS or not subset["glyf"]:
            continue
        face = subset["name"].getDebugName(6).split("+")[-1]
        path = next(p for p in (REPO / "fonts").glob("*.ttf") if TTFont(p, lazy=True)["name"].getDebugName(6) == face)
        original = originals.setdefault(str(path), TTFont(path))
        cmap = original.getBestCmap()
        drawn = _outline(subset, int(code, 16))
        if drawn == _outline(original, original.getGlyphID(cmap[ord(VERTICAL_FORMS[text])])):
            vertical += 1
    # every mark of the vertical headline, and no mark of the horizontal text, in a vertical form
    assert vertical == expected


def test_the_vertical_title_runs_down_right_to_left_with_12_upright() -> None:
    layout, _ = rendered()
    lead = next(a for a in layout.articles if a.id == "xiaodongjiang")
    placed = [item for item in lead.display if isinstance(item, PlacedGlyphs)]
    size = max(item.size for item in placed)
    title = [g for item in placed if item.size == size for g in item.glyphs]
    assert "".join(g.text for g in title) == squash(spec_block("xiaodongjiang").title)
    chars = [c for c in plumber_chars() if abs(c["size"] - size) < 0.01]
    text = "".join(c["text"] for c in chars)
    assert text == "".join(g.text for g in title)
    # 12 (纵中横): the two digits upright side by side, on one baseline, within one em
    k = text.index("12")
    one, two = chars[k], chars[k + 1]
    assert one["upright"] and two["upright"]
    assert abs(one["top"] - two["top"]) < TOL and two["x0"] > one["x0"] and two["x1"] - one["x0"] <= size + TOL
    # the title runs down one line, one em a character (the two digits sharing theirs)
    column = [c for i, c in enumerate(chars) if i != k + 1]
    assert all(c["x0"] == pytest.approx(column[0]["x0"], abs=TOL) for c in column)
    assert all(b["top"] - a["top"] == pytest.approx(size, abs=TOL) for a, b in zip(column, column[1:], strict=False))
    # lines right to left: the kicker right of the title, the subtitle and then the byline left of it
    spec = spec_block("xiaodongjiang")
    all_chars = plumber_chars()
    text_all = "".join(c["text"] for c in all_chars)

    def span_of(part: str) -> list[dict]:  # type: ignore[type-arg]
        start = text_all.index(squash(part))
        return list(all_chars[start:start + len(squash(part))])

    kicker, subtitle, byline = span_of(spec.kicker), span_of(spec.subtitle), span_of(spec.byline)
    assert min(c["x0"] for c in kicker) >= one["x0"] + size - TOL
    assert max(c["x1"] for c in subtitle) <= one["x0"] + TOL
    assert max(c["x1"] for c in byline) <= min(c["x0"] for c in subtitle) + TOL
    # each of them runs down too
    for part in (kicker, subtitle, byline):
        assert all(b["top"] > a["top"] for a, b in zip(part, part[1:], strict=False))
    # the strip stands at the frame's right, beside the body's text columns
    strip = [*chars, *kicker, *subtitle, *byline]
    assert all(c["x1"] <= lead.frame.right + TOL for c in strip)
    ids = {id(c) for c in strip}
    body = [c for c in all_chars if abs(c["size"] - BODY_SIZE) < 0.01 and inside(c, lead.frame) and id(c) not in ids]
    assert body and max(c["x1"] for c in body) < min(c["x0"] for c in strip)


# -- the inset headline (文包题) ---------------------------------------------------------

def _inset_box() -> Rect:
    """The thin rule boxing the inset headline, read from the drawing."""
    frame = frame_of("kuangkeng")
    boxes = [s for s in drawing().strokes if s.closed and s.color == pytest.approx(BLACK)
             and s.width == pytest.approx(0.5) and inside({"x0": s.points[0][0], "top": s.points[0][1]}, frame, 1)]
    assert len(boxes) == 1
    xs = [p[0] for p in boxes[0].points]
    ys = [p[1] for p in boxes[0].points]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def test_the_body_around_the_inset_headline_reads_in_order() -> None:
    layout, _ = rendered()
    article = next(a for a in layout.articles if a.id == "kuangkeng")
    frame, photo, box = article.frame, frame_of("kuangkeng-photo"), _inset_box()
    spec = spec_block("kuangkeng")
    # the box stands in the article's 2nd and 3rd text columns, well below the frame's top
    columns = article.columns
    assert box.x == pytest.approx(columns[1].x, abs=3) and box.right == pytest.approx(columns[2].x + columns[2].width, abs=3)
    assert box.y > frame.y + 5 * layout.grid.pitch
    headline = "".join(c["text"] for c in plumber_chars() if inside(c, box) and c["size"] > BODY_SIZE + 1)
    assert headline == squash(spec.kicker + spec.title)
    body = [c for c in plumber_chars() if abs(c["size"] - BODY_SIZE) < 0.01 and inside(c, frame, 1)
            and not inside(c, box, 1) and not inside(c, photo, 1)]
    expected = squash(spec.body)
    # nothing lost, nothing added, in content-stream order ...
    assert "".join(c["text"] for c in body) == expected

    def column_of(c: dict) -> int:  # type: ignore[type-arg]
        return next(k for k, col in enumerate(columns) if col.x - BODY_SIZE <= c["x0"] < col.x + col.width + 1)

    # ... and in the natural order: column by column, top to bottom, over the box
    natural = sorted(body, key=lambda c: (column_of(c), round(c["top"], 1), c["x0"]))
    assert "".join(c["text"] for c in natural) == expected
    # text above and below the box in its columns; none in its clear lines
    for k in (1, 2):
        col = [c for c in body if column_of(c) == k]
        assert any(c["top"] < box.y for c in col) and any(c["top"] > box.bottom for c in col)
        gap = [c for c in col if box.y - layout.grid.pitch < c["top"] + BODY_SIZE and c["top"] < box.bottom + layout.grid.pitch - BODY_SIZE]
        assert gap == []


# -- the group title (组合标题) ----------------------------------------------------------

def _horizontal(y: float, x0: float, x1: float) -> list:  # type: ignore[type-arg]
    return [s for s in drawing().strokes if len(s.points) == 2 and all(abs(p[1] - y) < 0.5 for p in s.points)
            and min(p[0] for p in s.points) < x1 - 1 and max(p[0] for p in s.points) > x0 + 1]


def _vertical(x: float, y0: float, y1: float) -> list:  # type: ignore[type-arg]
    return [s for s in drawing().strokes if len(s.points) == 2 and all(abs(p[0] - x) < 0.5 for p in s.points)
            and min(p[1] for p in s.points) < y1 - 1 and max(p[1] for p in s.points) > y0 + 1]


def test_the_group_title_is_set_off_by_rules_from_all_but_its_articles() -> None:
    layout, _ = rendered()
    grid = layout.grid
    group = next(b for b in layout.spec.blocks if b.type == "group_title")
    members = [frame_of(i) for i in group.articles]
    left, right = min(f.x for f in members), max(f.right for f in members)
    top = frame_of("xiaodongjiang").bottom  # the group title starts under the lead
    first = min(f.y for f in members)
    # the group title's own lines, centred over its articles
    title = [c for c in plumber_chars() if top < c["top"] < first and c["size"] > 20 and c["x1"] <= right]
    assert "".join(c["text"] for c in title) == squash(group.title)
    middle = (min(c["x0"] for c in title) + max(c["x1"] for c in title)) / 2
    assert middle == pytest.approx((left + right) / 2, abs=2)
    # a rule over the whole group (to the lead above), one down its right-hand side (to the
    # 记者手记 beside it, from the group title's top) ...
    over = sorted((min(p[0] for p in s.points), max(p[0] for p in s.points)) for s in drawing().strokes
                  if len(s.points) == 2 and s.points[0][1] == pytest.approx(s.points[1][1])
                  and top - 1 <= s.points[0][1] <= top + grid.pitch)
    covered = [(x0, x1) for x0, x1 in over if x1 > left and x0 < right]
    assert covered and covered[0][0] <= left + TOL and covered[-1][1] >= right - TOL
    # (broken only at the gutters between the articles above it)
    assert all(b[0] - a[1] <= grid.gutter + TOL for a, b in zip(covered, covered[1:], strict=False))
    assert _vertical(right + grid.gutter / 2, top, first)
    # ... none between the group title and its own articles
    assert _horizontal(first, left, right) == []
    # ... and the usual rules between the group's articles, each with its own title
    for a in members[:-1]:
        assert _vertical(a.right + grid.gutter / 2, a.y, a.bottom)
    for block_id in group.articles:
        spec, frame = spec_block(block_id), frame_of(block_id)
        own = "".join(c["text"] for c in plumber_chars() if inside(c, frame) and c["size"] > 20)
        assert own == squash(spec.title)


# -- column labels (栏目名) ---------------------------------------------------------------

def _fills(frame: Rect, colour: tuple[float, ...]) -> list:  # type: ignore[type-arg]
    return [f for f in drawing().fills if f[1] == pytest.approx(colour)
            and frame.x - TOL <= f[0][0] and f[0][0] + f[0][2] <= frame.right + TOL and frame.y - TOL <= f[0][1] < frame.bottom]


def _label_chars(rect: Rect) -> list[dict]:  # type: ignore[type-arg]
    return [c for c in plumber_chars() if inside(c, rect) and abs(c["size"] - 12) < 0.01]


def test_the_column_labels_colours_read_back_as_cmyk() -> None:
    # 茂南观察: a red 0.75 pt box before the title, its text red, knocked out
    guancha = frame_of("guancha")
    boxes = [s for s in drawing().strokes if s.closed and s.width == pytest.approx(0.75) and s.color == pytest.approx(RED)
             and inside({"x0": s.points[0][0], "top": s.points[0][1]}, guancha, 1)]
    assert len(boxes) == 1 and not boxes[0].overprint
    xs, ys = [p[0] for p in boxes[0].points], [p[1] for p in boxes[0].points]
    box = Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    assert box.x == pytest.approx(guancha.x, abs=1)
    text = _label_chars(box)
    assert "".join(c["text"] for c in text) == "茂南观察"
    assert all(tuple(100 * v for v in c["non_stroking_color"]) == pytest.approx(RED) for c in text)
    # the title is on the label's line, to the right of the box
    title = [c for c in plumber_chars() if inside(c, guancha) and c["size"] > 20]
    assert min(c["x0"] for c in title) > box.right and title[0]["top"] < box.bottom
    # 记者手记: reversed out of a red band, the text white and knocked out
    shouji = frame_of("shouji")
    bands = _fills(shouji, RED)
    assert len(bands) == 1 and not bands[0][2]
    (bx, by, bw, bh), _, _ = bands[0]
    text = _label_chars(Rect(bx, by, bw, bh))
    assert "".join(c["text"] for c in text) == "记者手记"
    assert all(tuple(100 * v for v in c["non_stroking_color"]) == pytest.approx(WHITE) for c in text)
    # 生态答卷: in the corner of the inset-headline story, a red bar at the frame's left
    # edge and a red 1 pt rule under black text
    kuangkeng = frame_of("kuangkeng")
    bars = _fills(kuangkeng, RED)
    assert len(bars) == 1 and bars[0][0][0] == pytest.approx(kuangkeng.x, abs=TOL)
    assert bars[0][0][1] < kuangkeng.y + 2 * rendered()[0].grid.pitch
    under = [s for s in drawing().strokes if s.color == pytest.approx(RED) and s.width == pytest.approx(1.0)
             and inside({"x0": s.points[0][0], "top": s.points[0][1]}, kuangkeng, 1)]
    assert len(under) == 1
    corner = [c for c in plumber_chars() if abs(c["size"] - 12) < 0.01 and inside(c, kuangkeng)
              and c["top"] < under[0].points[0][1]]
    assert "".join(c["text"] for c in corner) == "生态答卷"
    assert all(tuple(100 * v for v in c["non_stroking_color"]) == pytest.approx(BLACK) for c in corner)
