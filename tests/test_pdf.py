"""Render every example and regression page, read the PDF back, check contract §5."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from layout.page import PageLayout, lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO
from tests.readback import FLUSH_TOLERANCE, measure_page, read_chars, recovered_text

PAGES = sorted([*(REPO / "examples").glob("*/page.yaml"), *(REPO / "specs" / "regression").glob("*.yaml")])
IDS = [p.parent.name if p.name == "page.yaml" else p.stem for p in PAGES]


@cache
def rendered(path: Path) -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(path), probe=make_probe)
    return layout, render_pdf([layout])


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_layout_rules_read_back(path):
    layout, pdf = rendered(path)
    m = measure_page(layout, read_chars(pdf))
    assert m.body_lines > 10
    assert m.start_violations == [] and m.end_violations == []
    assert m.on_grid == m.body_lines  # every body baseline on the grid
    assert m.flush_lines / m.justified_lines >= 0.99, m.ragged[:5]
    unbalanced = {p.block for p in layout.problems if p.kind == "unbalanced"}
    for article in layout.articles:
        assert article.distribution.balanced or article.id in unbalanced or article.distribution.leftover


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_every_character_is_on_the_page_or_reported(path):
    layout, pdf = rendered(path)
    total, recovered, reported = recovered_text(layout, read_chars(pdf))
    assert total > 200
    assert recovered + reported == total


def test_example_page_is_clean_and_balanced():
    layout, _ = rendered(PAGES[IDS.index("maonan")])
    assert layout.ok and not layout.problems
    assert len(layout.articles) == 7 and len(layout.photos) == 1
    assert all(a.distribution.balanced and a.result.status == "ok" for a in layout.articles)


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_page_boxes(path):
    layout, pdf = rendered(path)
    page = layout.spec.page
    width, height = page.size
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        p = doc.pages[0]
        trim = [float(v) for v in p.obj.TrimBox]
        bleed = [float(v) for v in p.obj.BleedBox]
        media = [float(v) for v in p.obj.MediaBox]
    assert trim[2] - trim[0] == pytest.approx(width, abs=0.01) and trim[3] - trim[1] == pytest.approx(height, abs=0.01)
    assert bleed[0] == pytest.approx(trim[0] - page.bleed, abs=0.01)
    assert bleed[3] == pytest.approx(trim[3] + page.bleed, abs=0.01)
    assert media[0] <= bleed[0] and media[2] >= bleed[2]
    if page.crop_marks:
        assert trim[0] - media[0] >= page.bleed + 14  # room for the marks outside the bleed


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_fonts_embedded_and_colours_cmyk_only(path):
    _, pdf = rendered(path)
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        page = doc.pages[0]
        fonts = page.obj.Resources.Font
        faces = []
        for name in fonts.keys():
            font = fonts[name]
            # one composite font per face: Type 0, Identity-H, over an embedded TrueType subset
            assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H", name
            (cid,) = font.DescendantFonts
            assert cid.Subtype == "/CIDFontType2" and cid.CIDToGIDMap == "/Identity"
            assert "/FontFile2" in cid.FontDescriptor, f"{font.BaseFont} not embedded"
            tag, _, face = str(font.BaseFont)[1:].partition("+")
            assert len(tag) == 6 and tag.isupper() and face, f"{font.BaseFont} not subset"
            assert "/ToUnicode" in font
            faces.append(face)
        assert faces and len(faces) == len(set(faces)), faces
        ops = [str(op) for _, op in pikepdf.parse_content_stream(page)]
    assert not {"rg", "RG", "g", "G", "sc", "scn", "SC", "SCN", "cs", "CS"} & set(ops)
    assert "k" in ops


def test_body_text_is_100_percent_black():
    _, pdf = rendered(PAGES[IDS.index("maonan")])
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        fills = set()
        fill = None
        for operands, op in pikepdf.parse_content_stream(doc.pages[0]):
            if str(op) == "k":
                fill = tuple(float(v) for v in operands)
            elif str(op) in ("Tj", "TJ") and fill is not None:
                fills.add(fill)
    assert fills == {(0.0, 0.0, 0.0, 1.0)}


def test_same_bytes_on_a_second_render():
    path = PAGES[IDS.index("maonan")]
    first = render_pdf([lay_out_page(load_spec(path))])
    second = render_pdf([lay_out_page(load_spec(path))])
    assert first == second


def test_text_layer_reading_order_with_pdfplumber():
    """A real PDF parser gives the lead article's texts in reading order."""
    _, pdf = rendered(PAGES[IDS.index("maonan")])
    with pdfplumber.open(__import__("io").BytesIO(pdf)) as doc:
        text = "".join(c["text"] for c in doc.pages[0].chars)
    order = ["值班主任", "茂南区领导率队开展主题教育", "把基层党组织建设成为坚强战斗堡垒", "■通讯员郑伟业"[:3],
             "本报讯", "廖述毅一行到罗村社区督导小区微改造工作。", "茂南区第八期基层党建", "新闻热线：2963667"]
    positions = [text.find(s) for s in order]
    assert all(p >= 0 for p in positions), list(zip(order, positions, strict=True))
    assert positions == sorted(positions)


def test_no_stray_base14_font():
    _, pdf = rendered(PAGES[0])
    assert b"/Helvetica" not in pdf and b"/Times" not in pdf


def test_flush_tolerance_is_the_acceptance_bound():
    assert FLUSH_TOLERANCE == 0.5
