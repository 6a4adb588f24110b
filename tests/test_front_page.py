"""The front-page example (examples/front, 茂名日报 第1版) read back from its PDF: the page is
clean, its QR code decodes, the commentary's box, tint and reversed band are CMYK, every
dateline 本报讯 is in the bold 黑体, the masthead is the artwork placed as a Form XObject
with the computed date line, and the file stays PDF/X-1a.
"""

from __future__ import annotations

import io
import re
from functools import cache

import pdfplumber
import pikepdf
import pytest
import yaml

from layout.display import PlacedPdf
from layout.page import PageLayout, lay_out_page
from layout.qr import MIN_MODULE
from layout.render.images import make_probe
from layout.render.pdf import pdf_boxes, render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO
from tests.test_qr import decoded

FRONT = REPO / "examples" / "front" / "page.yaml"
#: Largest difference (pt) between a position in the PDF (written to ~7 digits) and layout's.
PDF_TOLERANCE = 0.01
#: The face of `**…**` spans (黑体): Noto Sans SC Bold.
BOLD_FACE = "NotoSansSC-Bold"


@cache
def front() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(FRONT), probe=make_probe)
    return layout, render_pdf([layout])


@cache
def plumbed() -> tuple[tuple[float, float], list[dict], list[dict]]:
    """The trim's top-left in pdfplumber's coordinates, the page's characters and rectangles."""
    layout, pdf = front()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        return pdf_boxes(layout.page.boxes).origin, list(page.chars), list(page.rects)


def article(layout: PageLayout, block_id: str):  # type: ignore[no-untyped-def]
    (found,) = [a for a in layout.articles if a.id == block_id]
    return found


def cmyk(value: object) -> tuple[float, ...]:
    return tuple(round(float(v), 4) for v in value)  # type: ignore[attr-defined]


def test_front_page_is_clean_full_and_balanced():
    layout, _ = front()
    assert layout.ok and not layout.problems
    assert layout.chars_placed == layout.chars_total
    kinds = sorted(b.type for b in layout.spec.blocks)
    assert kinds == sorted(["masthead", "ear", "qr", "photo", "photo", *["article"] * 6])
    for a in layout.articles:
        assert a.result.status == "ok" and a.distribution.balanced, a.id


def test_the_qr_code_decodes_to_its_link_with_modules_above_the_newsprint_minimum():
    layout, pdf = front()
    (qr,) = layout.qrs
    (block,) = [b for b in layout.spec.blocks if b.id == qr.id]
    assert [found.text for found in decoded(pdf, layout)] == [block.data]
    assert block.data.startswith("https://www.example.cn/")
    assert qr.module >= MIN_MODULE


def test_commentary_box_tint_and_band_are_cmyk_over_its_frame():
    layout, _ = front()
    (ox, oy), chars, rects = plumbed()
    (spec,) = [b for b in layout.spec.blocks if b.id == "commentary"]
    frame = article(layout, "commentary").frame

    def at(rect: dict) -> tuple[float, float, float, float]:  # in trim coordinates
        return rect["x0"] - ox, rect["top"] - oy, rect["x1"] - ox, rect["bottom"] - oy

    tints = [r for r in rects if r["fill"] and cmyk(r["non_stroking_color"]) == cmyk(c / 100 for c in spec.tint)]
    assert len(tints) == 1
    whole = (frame.x, frame.y, frame.right, frame.y + frame.height)
    assert at(tints[0]) == pytest.approx(whole, abs=PDF_TOLERANCE)  # the tint fills the whole frame
    band_colour = cmyk(c / 100 for c in spec.band.color)
    bands = [r for r in rects if r["fill"] and cmyk(r["non_stroking_color"]) == band_colour]
    assert len(bands) == 1
    bx0, by0, bx1, by1 = at(bands[0])
    assert (bx0, by0, bx1) == pytest.approx((frame.x, frame.y, frame.right), abs=PDF_TOLERANCE)
    assert frame.y < by1 < frame.y + frame.height / 3  # over the headline only
    assert rects.index(bands[0]) > rects.index(tints[0])  # drawn over the tint
    boxes = [r for r in rects if r["stroke"] and cmyk(r["stroking_color"]) == cmyk(c / 100 for c in spec.box.rule.color)]
    assert len(boxes) == 1
    assert at(boxes[0]) == pytest.approx(whole, abs=PDF_TOLERANCE)
    # the title is reversed: white type knocked out of the band, inside it
    text = "".join(c["text"] for c in chars)
    start = text.index(spec.title[:6])
    title = chars[start:start + 6]
    assert all(cmyk(c["non_stroking_color"]) == (0, 0, 0, 0) for c in title)
    assert all(by0 < c["top"] - oy and c["bottom"] - oy < by1 for c in title)


def test_every_dateline_is_set_in_the_bold_hei_face():
    _, chars, _ = plumbed()
    text = "".join(c["text"] for c in chars)
    starts = [m.start() for m in re.finditer("本报讯", text)]
    blocks = yaml.safe_load(FRONT.read_text(encoding="utf-8"))["blocks"]
    written = sum(str(b.get("body", "")).count("**本报讯**") for b in blocks)
    assert written >= 6 and len(starts) == written  # every one on the page, none elsewhere
    for start in starts:
        assert {c["fontname"].split("+")[-1] for c in chars[start:start + 3]} == {BOLD_FACE}
        # and the body text right after it is the regular 宋体 again
        assert chars[start + 3]["fontname"].split("+")[-1] != BOLD_FACE


def test_masthead_is_the_artwork_placed_as_a_form_xobject_with_its_date_lines():
    layout, pdf = front()
    (masthead,) = [s for s in layout.slots if s.id == "masthead"]
    placed = [i for i in masthead.display if isinstance(i, PlacedPdf)]
    assert len(placed) == 1
    item = placed[0]
    frame = masthead.frame
    assert frame.x <= item.x and item.x + item.width <= frame.right + PDF_TOLERANCE
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        forms = [x for x in doc.pages[0].Resources.XObject.values() if x.Subtype == "/Form"]
        assert len(forms) == 1
        content = forms[0].read_bytes()
        assert b"0 1 1 0 k" in content and b" Tf" not in content  # red outlines, no font
    _, chars, _ = plumbed()
    text = "".join(c["text"] for c in chars)
    # 2026-11-30 is a Monday, the 22nd day of the tenth lunar month of 丙午 (new moon 9 Nov 2026)
    # (spaces are positioning, not drawn characters)
    assert "2026年11月30日星期一农历丙午年十月廿二" in text
    assert "第12876期" in text and "CN44-0123" in text and "邮发代号45-56" in text


def test_front_page_stays_pdfx_1a():
    _, pdf = front()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.pdf_version == "1.3"
        assert str(doc.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2001"
        page = doc.pages[0]
        images = list(page.get_images().values())
        assert len(images) == 2  # the two photos
        for image in images:
            assert str(image.ColorSpace) in ("/DeviceCMYK", "/DeviceGray")
        for state in page.Resources.get("/ExtGState", {}).values():
            assert not {"/ca", "/CA", "/SMask", "/BM"} & set(state.keys())
        for font in page.Resources.Font.values():
            assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
