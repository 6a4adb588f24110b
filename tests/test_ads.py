"""Advertisements (广告), issue 11: supplied PDF pages placed as Form XObjects, preflight,
PDF/X-1a kept, determinism; image ads through the photo path."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image as PILImage

from layout.display import Box, Image, PlacedPdf
from layout.page import lay_out_page
from layout.render.pdf import page_boxes, render_pdf
from layout.render.png import render_png
from layout.render.record import nums, record
from layout.spec.load import load_spec
from layout.supplied import AD_SIZE_TOLERANCE
from tests.adpdfs import AD_FONT, FAULTS, make_ad
from tests.conftest import MINIMAL_PAGE

#: Each fault of tests/adpdfs.py and the problem it must raise.
FAULT_KINDS = {"rgb": "pdf_not_cmyk", "font": "pdf_font_not_embedded", "transparency": "pdf_transparency",
               "ink": "pdf_ink_limit"}
PREFLIGHT_KINDS = {*FAULT_KINDS.values(), "ad_size_mismatch", "unreadable_pdf", "missing_placed_file"}
#: The ad slot of the tests: page columns 1–2, grid lines 10–29 of MINIMAL_PAGE.
AD_BLOCK = """
blocks:
  - type: ad
    id: ad
    frame: {column: 1, span: 2, line: 10, lines: 20}
    src: %s
"""


def _slot(write_spec, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The ad slot's rectangle, from a layout of the spec with a stand-in ad."""
    make_ad(tmp_path / "probe.pdf", 100, 100)
    layout = lay_out_page(load_spec(write_spec(MINIMAL_PAGE + AD_BLOCK % "probe.pdf", "probe.yaml")))
    return layout.slots[0].frame


@pytest.fixture
def ad_page(write_spec, tmp_path):  # type: ignore[no-untyped-def]
    """Write an ad PDF at the slot's size (or ``scale`` times it) and a spec placing it."""
    slot = _slot(write_spec, tmp_path)

    def make(fault: str | None = None, scale: float = 1.0, trim: bool = False, name: str = "ad.pdf"):  # type: ignore[no-untyped-def]
        make_ad(tmp_path / name, slot.width * scale, slot.height, fault=fault, trim=trim)
        return write_spec(MINIMAL_PAGE + AD_BLOCK % name), slot

    return make


def _ad_problems(layout) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p.kind.value for p in layout.problems if p.block == "ad")


def test_a_clean_ad_raises_no_problem(ad_page):
    spec, _ = ad_page()
    layout = lay_out_page(load_spec(spec))
    assert _ad_problems(layout) == []
    assert [type(i) for i in layout.slots[0].display] == [PlacedPdf]


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_raises_its_own_problem_and_the_page_still_renders(ad_page, fault):
    spec, _ = ad_page(fault)
    layout = lay_out_page(load_spec(spec))
    assert _ad_problems(layout) == [FAULT_KINDS[fault]]
    (problem,) = [p for p in layout.problems if p.block == "ad"]
    assert problem.message and problem.message_zh and problem.line == spec.read_text().splitlines().index(
        "    src: ad.pdf") + 1
    pdf = render_pdf([layout])
    with pikepdf.open(io.BytesIO(pdf)) as doc:  # still placed, as delivered
        assert any(k.startswith("/Ad") for k in doc.pages[0].Resources.XObject.keys())


@pytest.mark.parametrize(("scale", "reported"), [(1.0, False), (1 + 0.9 * AD_SIZE_TOLERANCE / 300, False),
                                                 (0.9, True), (1.2, True)])
def test_size_mismatch_is_reported_past_the_tolerance_and_scaled_to_fit(ad_page, scale, reported):
    spec, slot = ad_page(scale=scale)
    layout = lay_out_page(load_spec(spec))
    assert ("ad_size_mismatch" in _ad_problems(layout)) == reported
    (item,) = layout.slots[0].display
    assert isinstance(item, PlacedPdf)
    assert item.width <= slot.width + 1e-6 and item.height <= slot.height + 1e-6
    assert item.width / item.height == pytest.approx(slot.width * scale / slot.height)
    assert item.x + item.width / 2 == pytest.approx(slot.x + slot.width / 2)  # centred


def _placed_forms(pdf: bytes):  # type: ignore[no-untyped-def]
    """(name, form, matrix) of each placed form on page 1: the ``cm`` before its ``Do``."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        xobjects = page.Resources.XObject
        matrix = None
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) == "cm":
                matrix = [float(v) for v in operands]
            elif str(op) == "Do" and str(operands[0]).startswith("/Ad"):
                form = xobjects[str(operands[0])]
                fonts = form.Resources.get("/Font", {})
                embedded = {}
                for key in fonts.keys():
                    font = fonts[key]  # reportlab writes a TrueType subset as a simple font
                    described = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
                    embedded[str(font.BaseFont)] = "/FontFile2" in described.FontDescriptor
                found.append((str(operands[0]), [float(v) for v in form.BBox], matrix, str(form.Subtype), embedded))
    return found


@pytest.mark.parametrize("trim", [False, True])
def test_the_ad_is_a_form_xobject_with_its_fonts_placed_on_the_slot(ad_page, trim):
    spec, slot = ad_page(trim=trim)
    layout = lay_out_page(load_spec(spec))
    pdf = render_pdf([layout])
    ((name, bbox, matrix, subtype, fonts),) = _placed_forms(pdf)
    assert subtype == "/Form"
    assert fonts and all(fonts.values()) and any(AD_FONT.stem in f for f in fonts)  # its own font, embedded
    boxes = page_boxes(layout)
    x0, y0, x1, y1 = bbox
    a, b, c, d, e, f = matrix
    assert (b, c) == (0, 0) and a == pytest.approx(1.0, abs=1e-4) and d == pytest.approx(1.0, abs=1e-4)  # 1:1
    # the ad's box (its trim, when it has one) lands exactly on the slot
    assert x0 * a + e == pytest.approx(boxes.origin[0] + slot.x, abs=0.01)
    assert y1 * d + f == pytest.approx(boxes.origin[1] + boxes.height - slot.y, abs=0.01)
    assert (x1 - x0) * a == pytest.approx(slot.width, abs=0.01) and (y1 - y0) * d == pytest.approx(slot.height, abs=0.01)
    if trim:
        assert x0 > 0 and y0 > 0  # bounded by the TrimBox: the ad's bleed is clipped


def test_the_page_stays_pdfx_with_an_ad(ad_page):
    spec, _ = ad_page()
    pdf = render_pdf([lay_out_page(load_spec(spec))])
    assert pdf.startswith(b"%PDF-1.3")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        (intent,) = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
        assert str(doc.trailer.Info.GTS_PDFXVersion) == "PDF/X-1a:2001"
        page = doc.pages[0]
        assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
        operators = {str(op) for _, op in pikepdf.parse_content_stream(page)}
        (form,) = [page.Resources.XObject[k] for k in page.Resources.XObject.keys()]
        operators |= {str(op) for _, op in pikepdf.parse_content_stream(form)}
        assert not {"rg", "RG", "gs"} & operators and "k" in operators
        assert "/ExtGState" not in form.Resources and "/Group" not in form


def test_two_renders_give_the_same_bytes_and_the_id_follows_the_content(ad_page):
    spec, _ = ad_page()
    first = render_pdf([lay_out_page(load_spec(spec))])
    second = render_pdf([lay_out_page(load_spec(spec))])
    assert first == second
    with pikepdf.open(io.BytesIO(first)) as doc:  # the /ID is made from the content, not the clock
        assert [len(bytes(i)) for i in doc.trailer.ID] == [16, 16]
    other = ad_page(name="other.pdf", scale=0.5)[0]  # another ad: other bytes, other /ID
    third = render_pdf([lay_out_page(load_spec(other))])
    with pikepdf.open(io.BytesIO(first)) as a, pikepdf.open(io.BytesIO(third)) as b:
        assert bytes(a.trailer.ID[1]) != bytes(b.trailer.ID[1])


def test_an_edition_places_the_ad_on_its_own_page(ad_page, write_spec, tmp_path):
    spec, _ = ad_page()
    plain = write_spec(MINIMAL_PAGE + "blocks: []\n", "plain.yaml")
    pdf = render_pdf([lay_out_page(load_spec(plain)), lay_out_page(load_spec(spec))])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        first, second = doc.pages
        assert "/XObject" not in first.Resources
        assert any(k.startswith("/Ad") for k in second.Resources.XObject.keys())


def test_the_png_preview_shows_the_ad(ad_page):
    spec, slot = ad_page()
    layout = lay_out_page(load_spec(spec))
    dpi = 50
    image = PILImage.open(io.BytesIO(render_png(layout, dpi=dpi)))
    scale = dpi / 72
    outer = layout.page.boxes.outer
    # inside the ad's frame line, in its tint (0/20/60/0: a light orange-yellow)
    r, g, b = image.getpixel((round((outer + slot.x + 20) * scale), round((outer + slot.y + 20) * scale)))
    assert r > 200 and 150 < g < 240 and b < 170
    # and the margin beside it is paper white
    assert image.getpixel((round((outer + slot.x - 20) * scale), round((outer + slot.y + 20) * scale))) == (255, 255, 255)


@pytest.mark.parametrize(("content", "kind"), [
    (b"not a pdf at all", "unreadable_pdf"),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "unreadable_pdf"),
    (None, "missing_placed_file"),
])
def test_a_broken_or_missing_pdf_is_a_named_problem_and_a_placeholder(write_spec, tmp_path, content, kind):
    if content is not None:
        (tmp_path / "ad.pdf").write_bytes(content)
    spec = write_spec(MINIMAL_PAGE + AD_BLOCK % "ad.pdf")
    layout = lay_out_page(load_spec(spec))
    assert _ad_problems(layout) == [kind]
    (item,) = layout.slots[0].display
    assert isinstance(item, Box) and item.cross
    render_pdf([layout])  # renders, without the ad


def test_a_page_past_the_end_is_unreadable(write_spec, tmp_path):
    make_ad(tmp_path / "ad.pdf", 100, 100)
    spec = write_spec(MINIMAL_PAGE + AD_BLOCK % "ad.pdf" + "    page: 3\n")
    (problem,) = [p for p in lay_out_page(load_spec(spec)).problems if p.block == "ad"]
    assert problem.kind == "unreadable_pdf" and "no page 3" in problem.message


def test_cli_check_reports_the_preflight_and_never_a_traceback(ad_page, tmp_path):
    spec, _ = ad_page("rgb")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    broken = spec.with_name("broken.yaml")
    broken.write_text(spec.read_text().replace("ad.pdf", "broken.pdf"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "layout", "check", "--json", str(spec), str(broken)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    kinds = [[p["kind"] for p in s["problems"] if p.get("block") == "ad"] for s in report["specs"]]
    assert kinds == [["pdf_not_cmyk"], ["unreadable_pdf"]]
    out = tmp_path / "out.pdf"
    rendered = subprocess.run([sys.executable, "-m", "layout", "render", str(broken), "-o", str(out)],
                              capture_output=True, text=True)
    assert rendered.returncode == 1 and out.is_file() and "Traceback" not in rendered.stderr


def test_an_image_ad_goes_the_photo_way_fitted_whole(write_spec, tmp_path):
    PILImage.new("RGB", (600, 400), (200, 30, 30)).save(tmp_path / "ad.jpg", quality=90)
    spec = write_spec(MINIMAL_PAGE.replace("blocks: []", "") + AD_BLOCK % "ad.jpg")
    layout = lay_out_page(load_spec(spec))
    (item,) = layout.slots[0].display
    assert isinstance(item, Image) and item.fit == "contain"
    pdf = render_pdf([layout])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        images = [v for v in doc.pages[0].Resources.XObject.values() if v.Subtype == "/Image"]
        assert images and all(i.ColorSpace == "/DeviceCMYK" for i in images)


def test_the_dump_names_the_placed_page(ad_page, tmp_path):
    spec, slot = ad_page()
    layout = lay_out_page(load_spec(spec))
    lines = [line for line in record([layout.page], root=tmp_path).splitlines() if line.startswith("pdf ")]
    assert lines == [f"pdf ad.pdf page 1 {nums(slot.x, slot.y, slot.width, slot.height)}"]


def test_pdfium_draws_the_form(ad_page):
    spec, _ = ad_page()
    pdf = render_pdf([lay_out_page(load_spec(spec))])
    doc = pdfium.PdfDocument(pdf)
    try:
        kinds = [obj.type for obj in doc[0].get_objects(max_depth=0)]
    finally:
        doc.close()
    assert pdfium.raw.FPDF_PAGEOBJ_FORM in kinds


def test_a_warm_render_takes_the_preflight_from_the_disk_tier(ad_page, tmp_path, monkeypatch):
    """The preflight of a placed PDF is kept on disk: the next process neither opens the
    file with qpdf nor walks it, and finds the same problems."""
    from layout import pdfcheck
    from layout.memo import front_end_memo

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PAIBAN_CONFIG_DIR", str(tmp_path / "config"))
    spec, _ = ad_page(fault="rgb")
    opened: list[Path] = []
    real = pdfcheck._inspect
    monkeypatch.setattr(pdfcheck, "_inspect", lambda path, page: opened.append(path) or real(path, page))
    first = front_end_memo()
    assert first.disk is not None
    cold = _ad_problems(lay_out_page(load_spec(spec), memo=first))
    assert cold == ["pdf_not_cmyk"] and len(opened) == 1
    warm = _ad_problems(lay_out_page(load_spec(spec), memo=front_end_memo()))
    assert warm == cold and len(opened) == 1
