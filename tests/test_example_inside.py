"""examples/inside: an inside page (茂南新闻 第6版) with a half-page ad placed from PDF,
read back from the rendered PDF: the ad is a Form XObject exactly over its slot with no
page text under it, the boxed 相关链接 is in its article's flow and reading order, the
datelines are in the bold face, the pull quote in 楷体."""

from __future__ import annotations

import io
from functools import cache

import pdfplumber
import pikepdf
import pytest

from layout.page import PageLayout, lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import page_boxes, render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO
from tests.readback import read_chars

SPEC = REPO / "examples" / "inside" / "page.yaml"
AD_PDF = REPO / "examples" / "inside" / "ads" / "half-page.pdf"
#: The largest text of the page outside the ad is the lead's 小初 title (36 pt); the
#: smallest of the ad is its address line (about 21 pt), so body, captions and footer
#: are all under this size.
SMALL_TEXT = 12.0
#: pdfplumber's names of the faces (subset prefix dropped).
HEI, SONG, KAI = "NotoSansSC-Bold", "NotoSerifSC-Regular", "LXGWWenKai-Regular"
#: Tolerance for positions read back from the PDF, pt.
TOL = 0.01


@cache
def rendered() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(SPEC), probe=make_probe)
    return layout, render_pdf([layout])


def _plumber_chars(pdf: bytes) -> list[dict]:  # type: ignore[type-arg]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return list(doc.pages[0].chars)


def _face(char: dict) -> str:  # type: ignore[type-arg]
    return str(char["fontname"]).split("+")[-1]


def _ad_slot(layout: PageLayout):  # type: ignore[no-untyped-def]
    (slot,) = [s for s in layout.slots if s.id == "half-page"]
    return slot


def _article_spec(article_id: str):  # type: ignore[no-untyped-def]
    (block,) = [b for b in rendered()[0].spec.blocks if b.id == article_id]
    return block


def _paragraphs(text: str) -> list[str]:
    """A body's or insert's paragraphs as set (a line break inside one joins its lines)."""
    return [p.replace("\n", "") for p in text.split("\n\n") if p.strip()]


def test_the_page_is_clean():
    layout, _ = rendered()
    assert layout.ok and not layout.problems
    assert [a.id for a in layout.articles] == ["gengxin", "luofeiyu", "kehou", "shequ"]
    assert len(layout.photos) == 1 and [s.id for s in layout.slots] == ["half-page"]
    assert all(a.result.status == "ok" for a in layout.articles)
    assert layout.chars_placed == layout.chars_total


def test_the_ad_is_the_lower_half_of_the_type_area_at_its_pdfs_size():
    layout, _ = rendered()
    grid, frame = layout.grid, _ad_slot(layout).frame
    area = grid.type_area
    assert frame.x == pytest.approx(area.x) and frame.width == pytest.approx(area.width)  # all 8 columns
    assert frame.bottom == pytest.approx(area.bottom - (area.height - grid.n_lines * grid.pitch))  # to the last line
    lines = round(frame.height / grid.pitch)
    assert abs(lines - grid.n_lines / 2) <= 1  # half the type area's lines
    with pikepdf.open(AD_PDF) as ad:  # the committed PDF is made at exactly the slot's size
        x0, y0, x1, y1 = (float(v) for v in ad.pages[0].MediaBox)
    assert x1 - x0 == pytest.approx(frame.width, abs=TOL) and y1 - y0 == pytest.approx(frame.height, abs=TOL)


def test_the_ad_is_a_form_xobject_placed_one_to_one_over_its_slot():
    layout, pdf = rendered()
    frame = _ad_slot(layout).frame
    boxes = page_boxes(layout)
    placed = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        matrix: list[float] = []
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "cm":
                matrix = [float(v) for v in operands]
            elif str(op) == "Do":
                form = page.Resources.XObject[str(operands[0])]
                if form.Subtype != "/Form":
                    continue
                fonts = form.Resources.Font
                embedded = ["/FontFile2" in fonts[k].FontDescriptor for k in fonts.keys()]
                placed.append(([float(v) for v in form.BBox], matrix, embedded))
    ((bbox, (a, b, c, d, e, f), embedded),) = placed  # the ad is the page's only form
    assert (b, c) == (0, 0) and a == pytest.approx(1.0, abs=1e-4) and d == pytest.approx(1.0, abs=1e-4)
    x0, y0, x1, y1 = bbox
    assert x0 * a + e == pytest.approx(boxes.origin[0] + frame.x, abs=TOL)
    assert y1 * d + f == pytest.approx(boxes.origin[1] + boxes.height - frame.y, abs=TOL)
    assert (x1 - x0) == pytest.approx(frame.width, abs=TOL) and (y1 - y0) == pytest.approx(frame.height, abs=TOL)
    assert embedded and all(embedded)  # the ad's own fonts travel with it, embedded


def test_no_page_text_runs_under_the_ad():
    layout, pdf = rendered()
    frame = _ad_slot(layout).frame
    chars = read_chars(pdf)
    inside = [ch for ch in chars if frame.y < ch.baseline < frame.bottom and frame.x <= ch.x < frame.right]
    assert "冬季家电惠民节" in "".join(ch.text for ch in inside)  # the form's own text is there
    assert all(ch.size > SMALL_TEXT for ch in inside), [ch for ch in inside if ch.size <= SMALL_TEXT][:5]
    small = [ch for ch in chars if ch.size <= SMALL_TEXT]
    assert len(small) > 3000
    assert not [ch for ch in small if frame.y < ch.baseline < frame.bottom]


def test_the_related_links_box_is_in_its_articles_flow_and_reading_order():
    layout, pdf = rendered()
    block = _article_spec("luofeiyu")
    (insert,) = block.inserts
    paragraphs = _paragraphs(insert.text)
    text = "".join(ch["text"] for ch in _plumber_chars(pdf))
    ending = "为乡村振兴注入更多“鲜”动力。"  # the body's last sentence
    positions = [text.find(s) for s in (ending, "【相关链接】", *paragraphs, "红旗街道打造")]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    # on the page: in the article's last text column, under its last body line, boxed
    (article,) = [a for a in layout.articles if a.id == "luofeiyu"]
    last = article.columns[-1]
    chars = read_chars(pdf)
    joined = "".join(ch.text for ch in chars)
    start = joined.index("【相关链接】")
    stop = joined.index(paragraphs[-1]) + len(paragraphs[-1])
    boxed = chars[start:stop]
    body_end = chars[joined.index(ending) + len(ending) - 1]
    assert all(last.x - TOL <= ch.x < last.x + last.width for ch in boxed)
    assert min(ch.baseline for ch in boxed) > body_end.baseline
    assert max(ch.baseline for ch in boxed) < article.frame.bottom
    boxes = page_boxes(layout)
    origin_x = boxes.origin[0]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:  # pdfplumber measures from the media box's top left
        page = doc.pages[0]
        top_offset = page.height - boxes.height - boxes.origin[1]
        rects = [r for r in page.rects if r["x0"] - origin_x >= article.frame.x - TOL
                 and r["x1"] - origin_x <= article.frame.right + TOL and r["bottom"] - top_offset <= article.frame.bottom]
    assert len(rects) == 1  # one box, around the label and the text
    (rect,) = rects
    x0, x1 = rect["x0"] - origin_x, rect["x1"] - origin_x
    top, bottom = rect["top"] - top_offset, rect["bottom"] - top_offset
    assert all(x0 < ch.x < x1 and top < ch.baseline - ch.size < ch.baseline < bottom for ch in boxed)


@pytest.mark.parametrize("article_id", ["gengxin", "luofeiyu", "kehou", "shequ"])
def test_each_dateline_is_bold_and_the_text_after_it_song(article_id):
    layout, pdf = rendered()
    body = _article_spec(article_id).body
    first = _paragraphs(body)[0]
    assert first.startswith("**本报讯**　")
    after = first.removeprefix("**本报讯**　")[:8]
    chars = _plumber_chars(pdf)
    text = "".join(ch["text"] for ch in chars)
    start = text.index("本报讯" + after)  # the blank after 本报讯 is a gap, not a character
    assert [_face(ch) for ch in chars[start:start + 3]] == [HEI] * 3
    assert {_face(ch) for ch in chars[start + 3:start + 3 + len(after)]} == {SONG}


def test_the_pull_quote_is_kai_and_larger_than_the_body():
    layout, pdf = rendered()
    (quote,) = _article_spec("kehou").inserts
    (wanted,) = _paragraphs(quote.text)
    chars = _plumber_chars(pdf)
    text = "".join(ch["text"] for ch in chars)
    start = text.index(wanted)
    run = chars[start:start + len(wanted)]
    assert {_face(ch) for ch in run} == {KAI}
    assert min(ch["size"] for ch in run) > layout.spec.page.body.size


def test_the_page_with_its_ad_stays_pdfx_1a_and_cmyk():
    _, pdf = rendered()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.check_pdf_syntax() == [] and doc.pdf_version == "1.3"
        assert str(doc.trailer.Info.GTS_PDFXVersion) == "PDF/X-1a:2001"
        page = doc.pages[0]
        operators = {str(op) for _, op in pikepdf.parse_content_stream(page)}
        forms = [page.Resources.XObject[k] for k in page.Resources.XObject.keys()
                 if page.Resources.XObject[k].Subtype == "/Form"]
        for form in forms:
            operators |= {str(op) for _, op in pikepdf.parse_content_stream(form)}
            assert "/ExtGState" not in form.Resources and "/Group" not in form  # no transparency
        images = [page.Resources.XObject[k] for k in page.Resources.XObject.keys()
                  if page.Resources.XObject[k].Subtype == "/Image"]
        states = page.Resources.get("/ExtGState", {})
        state_keys = {str(key) for name in states.keys() for key in states[name].keys()}
    assert forms and images  # the ad and the photo
    assert all(str(i.ColorSpace) in ("/DeviceCMYK", "/DeviceGray") for i in images)
    assert not {"rg", "RG", "sc", "scn"} & operators and {"k", "K"} & operators
    assert state_keys <= {"/OP", "/op", "/OPM"}  # graphics states set overprint only, never alpha
