"""QR codes (``type: qr``): the symbol read back from the rendered page by a real decoder
(zxing-cpp), its module size, the newsprint limit, data too long to encode, the ink
(100 % K overprinting on a knock-out white box) and the caption under it.
"""

from __future__ import annotations

import io
import itertools
import json
import textwrap
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from layout.display import Box, FilledRects
from layout.page import PageLayout, lay_out_page
from layout.problems import ProblemKind
from layout.qr import MIN_MODULE, PAPER, encode, merged_runs
from layout.render.images import make_probe
from layout.render.pdf import pdf_boxes, render_pdf
from layout.spec.errors import SpecInvalid
from layout.spec.load import load_spec
from layout.spec.models import MAX_QR_DATA_CHARS
from layout.units import mm
from tests.conftest import MINIMAL_PAGE
from tests.readback import read_chars
from tests.test_cli import paiban

#: Resolution the page is rasterised at for the decoder.
DECODE_DPI = 300
#: Largest difference (pt) between a length in the PDF (written to ~7 digits) and layout's.
PDF_TOLERANCE = 0.01


def qr_page(tmp_path: Path, block: str, page: str = MINIMAL_PAGE, extra: str = "") -> Path:
    spec = tmp_path / "qr.yaml"
    spec.write_text(page.lstrip() + extra + "blocks:\n" + textwrap.indent(textwrap.dedent(block).strip(), "  ") + "\n",
                    encoding="utf-8")
    return spec


def laid_out(spec: Path) -> PageLayout:
    return lay_out_page(load_spec(spec), probe=make_probe)


def decoded(pdf: bytes, layout: PageLayout, index: int = 0) -> list[zxingcpp.Barcode]:
    """The barcodes zxing-cpp finds in the rasterised PDF, within the QR block's frame."""
    frame = layout.qrs[index].frame
    boxes = pdf_boxes(layout.page.boxes)
    scale = DECODE_DPI / 72
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
    ox, oy = boxes.origin
    left, top = (ox + frame.x) * scale, (oy + frame.y) * scale  # media and trim share the top-left offset
    region = image.crop((int(left), int(top), int(left + frame.width * scale) + 1, int(top + frame.height * scale) + 1))
    return zxingcpp.read_barcodes(region)


@pytest.mark.parametrize(("data", "level", "quiet", "caption", "extra"), [
    ("https://example.com/v/2024/0312", "M", 4, "扫码看视频", ""),
    ("https://example.com/v/2024/0312", "L", 2, None, ""),
    ("扫码看视频：茂名日报融媒体中心", "Q", 4, "扫码看视频", ""),
    ("20240312", "H", 4, None, ""),
    ("HTTPS://EXAMPLE.COM/A1", "M", 6, "扫码关注", "  bleed: 3mm\n  crop_marks: true\n"),
    ("https://example.com/" + "x" * 120, "M", 4, None, ""),
])
def test_the_printed_symbol_decodes_back_to_its_data(tmp_path, data, level, quiet, caption, extra):
    spec = qr_page(tmp_path, f"""
        - type: qr
          id: code
          frame: {{column: 2, span: 2, line: 4, lines: 24}}
          data: {json.dumps(data, ensure_ascii=False)}
          error_correction: {level}
          quiet_zone: {quiet}
          {'caption: ' + caption if caption else ''}
        """, page=MINIMAL_PAGE.replace("  body:", extra + "  body:"))
    layout = laid_out(spec)
    assert [p.kind for p in layout.problems] == []
    found = decoded(render_pdf([layout]), layout)
    assert [b.text for b in found] == [data]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    assert "LMQH".index(found[0].ec_level) >= "LMQH".index(level)  # the asked level, or higher
    assert layout.qrs[0].version == encode(data, level).version


def test_two_qr_codes_on_a_page_each_decode(tmp_path):
    spec = qr_page(tmp_path, """
        - {type: qr, id: one, frame: {column: 1, span: 1, line: 1, lines: 12}, data: "https://example.com/1"}
        - {type: qr, id: two, frame: {column: 4, span: 1, line: 30, lines: 12}, data: "https://example.com/2"}
        """)
    layout = laid_out(spec)
    pdf = render_pdf([layout])
    assert [b.text for b in decoded(pdf, layout, 0)] == ["https://example.com/1"]
    assert [b.text for b in decoded(pdf, layout, 1)] == ["https://example.com/2"]


def content_ops(pdf: bytes) -> list[tuple[list[object], str]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [(list(operands), str(op)) for operands, op in pikepdf.parse_content_stream(document.pages[0])]


def module_paths(pdf: bytes) -> list[tuple[list[tuple[float, ...]], str, tuple[float, ...], bool]]:
    """Each filled path of the page: its rectangles (PDF space), fill operator, CMYK fill
    and overprint (from the graphics state in force)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        states = {str(name): bool(state.get("/op", False))
                  for name, state in document.pages[0].Resources.get("/ExtGState", {}).items()}
    paths, rects = [], []
    colour: tuple[float, ...] = ()
    overprint = False
    for operands, op in content_ops(pdf):
        if op == "k":
            colour = tuple(float(v) for v in operands)
        elif op == "gs":
            overprint = states[str(operands[0])]
        elif op == "re":
            rects.append(tuple(float(v) for v in operands))
        elif op in ("f", "f*", "F", "B", "b", "S"):
            if rects:
                paths.append((rects, op, colour, overprint))
            rects = []
    return paths


@pytest.mark.parametrize(("span", "lines", "quiet"), [(1, 12, 4), (2, 30, 4), (1, 30, 4), (3, 10, 2), (2, 14, 8)])
def test_module_size_is_the_largest_that_fits_with_the_quiet_zone(tmp_path, span, lines, quiet):
    data = "https://example.com/size"
    spec = qr_page(tmp_path, f"""
        - {{type: qr, id: code, frame: {{column: 1, span: {span}, line: 1, lines: {lines}}}, data: "{data}",
            quiet_zone: {quiet}}}
        """)
    layout = laid_out(spec)
    qr, symbol = layout.qrs[0], encode(data, "M")
    units = symbol.size + 2 * quiet
    # the square is as big as the frame's width or height (no caption: all of it) allows
    assert qr.module * units == pytest.approx(min(qr.frame.width, qr.frame.height))
    assert qr.symbol is not None and qr.symbol.width == pytest.approx(qr.module * units)
    assert qr.frame.x - 1e-6 <= qr.symbol.x and qr.symbol.right <= qr.frame.right + 1e-6
    assert qr.frame.y - 1e-6 <= qr.symbol.y and qr.symbol.bottom <= qr.frame.bottom + 1e-6
    # read back: the dark modules span exactly size × module, inset by the quiet zone
    pdf = render_pdf([layout])
    (rects, op, colour, overprint), = [p for p in module_paths(pdf) if p[2] == (0, 0, 0, 1)]
    x0 = min(r[0] for r in rects)
    x1 = max(r[0] + r[2] for r in rects)
    top = max(r[1] + r[3] for r in rects)
    bottom = min(r[1] for r in rects)
    boxes = pdf_boxes(layout.page.boxes)
    assert x1 - x0 == pytest.approx(symbol.size * qr.module, abs=PDF_TOLERANCE)
    assert top - bottom == pytest.approx(symbol.size * qr.module, abs=PDF_TOLERANCE)
    assert x0 - boxes.origin[0] == pytest.approx(qr.symbol.x + quiet * qr.module, abs=PDF_TOLERANCE)
    # every rectangle starts on a module edge and is a whole number of modules
    for x, y, w, h in rects:
        for length in (x - x0, top - (y + h), w, h):
            assert length / qr.module == pytest.approx(round(length / qr.module), abs=1e-3)


def test_modules_are_one_path_filled_once_in_overprinting_black_on_knocked_out_paper(tmp_path):
    spec = qr_page(tmp_path, """
        - {type: qr, id: code, frame: {column: 1, span: 2, line: 1, lines: 20}, data: "https://example.com/ink"}
        """)
    layout = laid_out(spec)
    pdf = render_pdf([layout])
    paths = module_paths(pdf)
    white = [p for p in paths if p[2] == (0, 0, 0, 0)]
    black = [p for p in paths if p[2] == (0, 0, 0, 1)]
    assert len(white) == 1 and len(black) == 1
    (box,), _, _, box_overprint = white[0]
    rects, op, _, overprint = black[0]
    assert box_overprint is False  # the paper knocks out what is under it
    assert overprint is True and op == "f"  # one nonzero fill of all the modules
    (item,) = [i for i in layout.display if isinstance(i, FilledRects)]
    assert len(rects) == len(item.rects)
    ops = [op for _, op in content_ops(pdf)]
    assert ops.count("f") == 1  # not one fill per module
    # the white box (symbol and quiet zone) comes first, the modules on it
    assert paths.index(white[0]) < paths.index(black[0])
    assert box[2] == pytest.approx(layout.qrs[0].symbol.width, abs=PDF_TOLERANCE)


@pytest.mark.parametrize("scale", [1.7, 3.3, 7.3])  # module edges fall between pixels
def test_no_seams_where_rectangles_abut(tmp_path, scale):
    """Along every edge where one rectangle of modules sits on another, the pixels (away
    from the ends, where the symbol's outline is) are as dark as the inside of a module."""
    spec = qr_page(tmp_path, """
        - {type: qr, id: code, frame: {column: 1, span: 1, line: 1, lines: 12}, data: "https://example.com/seam"}
        """)
    layout = laid_out(spec)
    (item,) = [i for i in layout.display if isinstance(i, FilledRects)]
    document = pypdfium2.PdfDocument(render_pdf([layout]))
    image = document[0].render(scale=scale).to_pil().convert("L")
    document.close()
    ox, oy = pdf_boxes(layout.page.boxes).origin
    inside = [image.getpixel((int((ox + x + w / 2) * scale), int((oy + y + h / 2) * scale))) for x, y, w, h in item.rects]
    ink = max(inside)
    seams = []
    for upper, lower in itertools.product(item.rects, repeat=2):
        if abs(upper[1] + upper[3] - lower[1]) > 1e-6:
            continue
        x0, x1 = max(upper[0], lower[0]), min(upper[0] + upper[2], lower[0] + lower[2])
        row = int((oy + lower[1]) * scale)
        seams += [image.getpixel((k, row)) for k in range(int((ox + x0) * scale) + 2, int((ox + x1) * scale) - 1)]
    assert len(seams) > 50  # the symbol has such edges
    assert max(seams) <= ink + 2, (max(seams), ink)


def one_column_page(width_mm: float) -> str:
    """A page whose single column (the type area) is ``width_mm`` wide."""
    return f"""
version: 1
page:
  size: [{width_mm + 30:.6f}mm, 280mm]
  margins: {{top: 20mm, right: 15mm, bottom: 18mm, left: 15mm}}
  columns: 1
  gutter: 0
  body: {{font: song, size: 9pt, leading: 13.5pt}}
"""


@pytest.mark.parametrize(("factor", "fires"), [(0.9, True), (0.99, True), (1.01, False), (1.5, False)])
def test_module_too_small_fires_below_the_limit_and_not_above(tmp_path, factor, fires):
    data = "https://example.com/limit"
    symbol = encode(data, "M")
    units = symbol.size + 8
    width_mm = units * (MIN_MODULE / mm(1)) * factor  # the frame's width sets the module
    spec = qr_page(tmp_path, f"""
        - {{type: qr, id: small, frame: {{column: 1, span: 1, line: 1, lines: 40}}, data: "{data}"}}
        """, page=one_column_page(width_mm))
    layout = laid_out(spec)
    assert layout.qrs[0].module == pytest.approx(MIN_MODULE * factor)
    found = [p for p in layout.problems if p.kind is ProblemKind.QR_MODULE_TOO_SMALL]
    assert bool(found) is fires
    assert not [p for p in layout.problems if p.kind is not ProblemKind.QR_MODULE_TOO_SMALL]
    if fires:
        (problem,) = found
        assert problem.severity == "error" and problem.block == "small"
        assert problem.details["module_mm"] == round(0.5 * factor, 3) and problem.details["min_module_mm"] == 0.5
        assert problem.details["modules"] == symbol.size
        assert problem.details["needed_mm"] == pytest.approx(units * 0.5, abs=0.05)
        assert f"{problem.details['needed_mm']:g} mm square" in problem.message
        assert f"{problem.details['needed_mm']:g} 毫米见方" in problem.message_zh
        # it is still drawn, and at 0.45 mm still decodes on screen: the limit is the press's
        assert any(isinstance(i, FilledRects) for i in layout.display)


def test_a_frame_of_two_lines_with_a_caption_is_reported_not_broken(tmp_path):
    spec = qr_page(tmp_path, """
        - {type: qr, id: strip, frame: {column: 1, span: 1, line: 1, lines: 2}, data: "https://example.com", caption: 扫码}
        """)
    layout = laid_out(spec)
    qr = layout.qrs[0]
    assert [p.kind for p in layout.problems] == [ProblemKind.QR_MODULE_TOO_SMALL]
    assert qr.symbol.height == pytest.approx(layout.grid.pitch * (1 - 0.25))  # one line, less the caption gap
    assert qr.result.status == "ok" and qr.chars_placed == 2


@pytest.mark.parametrize(("data", "level"), [
    ("a" * 1300, "H"),  # version 40-H holds 1,273 bytes
    ("长" * 1000, "L"),  # 3,000 bytes of UTF-8; 40-L holds 2,953
    ("1" * MAX_QR_DATA_CHARS, "M"),  # digits: all 7,089 fit only at L
])
def test_data_too_long_is_a_named_error_with_a_placeholder(tmp_path, data, level):
    spec = qr_page(tmp_path, f"""
        - {{type: qr, id: long, frame: {{column: 1, span: 2, line: 1, lines: 20}}, data: "{data}",
            error_correction: {level}}}
        """)
    out = tmp_path / "long.pdf"
    result = paiban("render", spec, "-o", out)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert out.read_bytes().startswith(b"%PDF")  # the page is still written, marked
    report = json.loads(paiban("check", spec, "--json").stdout)
    (problem,) = report["specs"][0]["problems"]
    assert problem["kind"] == "qr_data_too_long" and problem["block"] == "long"
    assert problem["bytes"] == len(data.encode("utf-8")) and problem["error_correction"] == level
    layout = laid_out(spec)
    assert layout.qrs[0].symbol is None
    assert [type(i) for i in layout.display] == [Box]
    assert layout.display[0].cross and layout.display[0].stroke == (0.0, 100.0, 0.0, 0.0)


def test_data_longer_than_any_symbol_is_a_spec_error(tmp_path):
    spec = qr_page(tmp_path, f"""
        - type: qr
          id: huge
          frame: {{column: 1, span: 2, line: 1, lines: 20}}
          data: "{'1' * (MAX_QR_DATA_CHARS + 1)}"
        """)
    result = paiban("check", spec)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{spec}:12: blocks[huge].data:") and f"at most {MAX_QR_DATA_CHARS} characters" in line


@pytest.mark.parametrize(("change", "message"), [
    ("error_correction: X", "must be one of L, M, Q, H"),
    ("quiet_zone: 1", "must be at least 2"),
    ("quiet_zone: 17", "must be at most 16"),
    ("data: ''", "must not be empty"),
    ("data: 12345", "expected text, got"),
    ("frame: {column: 1, span: 1, line: 1, lines: auto}", "needs a number of lines, not auto"),
    ("colour: red", "unknown key"),
    ("credit: 记者", "unknown key"),
])
def test_bad_qr_keys_are_spec_errors(tmp_path, change, message):
    key = change.split(":")[0]
    lines = {"id": "id: code", "frame": "frame: {column: 1, span: 1, line: 1, lines: 12}",
             "data": "data: https://example.com"}
    lines[key] = change
    block = "- type: qr\n" + "".join(f"  {v}\n" for v in lines.values())
    spec = qr_page(tmp_path, block)
    with pytest.raises(SpecInvalid) as caught:
        load_spec(spec)
    (error,) = caught.value.errors
    assert message in error.render("en"), error.render("en")
    assert error.render("zh") != error.render("en")


def test_caption_is_centred_under_the_symbol_unless_aligned(tmp_path):
    block = """
        - {type: qr, id: code, frame: {column: 2, span: 1, line: 3, lines: 12}, data: "https://example.com/c",
           caption: 扫码看视频%s}
        """
    for styles, centred in (("", True), (", styles: {caption: {align: left}}", False)):
        spec = qr_page(tmp_path, block % styles)
        layout = laid_out(spec)
        assert layout.problems == ()
        qr = layout.qrs[0]
        chars = [c for c in read_chars(render_pdf([layout])) if c.text in "扫码看视频"]
        assert "".join(c.text for c in chars) == "扫码看视频"
        left, right = chars[0].x, chars[-1].x + chars[-1].size  # trim coordinates; Han characters are 1 em
        middle = qr.frame.x + qr.frame.width / 2
        if centred:
            assert (left + right) / 2 == pytest.approx(middle, abs=0.5)
        else:
            assert left == pytest.approx(qr.frame.x, abs=0.5)
        # the symbol sits right above the caption, a quarter line away
        assert chars[0].baseline - chars[0].size > qr.symbol.bottom
        assert qr.symbol.bottom == pytest.approx(qr.frame.bottom - layout.grid.pitch * 1.25)


def test_article_text_flows_around_a_qr_code(tmp_path):
    spec = qr_page(tmp_path, """
        - {type: article, id: a, frame: {column: 1, span: 2, line: 1, lines: 30}, title: 标题, body: {placeholder: 600}}
        - {type: qr, id: code, frame: {column: 2, span: 1, line: 5, lines: 10}, data: "https://example.com/flow"}
        """)
    layout = laid_out(spec)
    qr = layout.qrs[0]
    chars = read_chars(render_pdf([layout]))
    inside = [c for c in chars if qr.frame.x <= c.x < qr.frame.right and qr.frame.y < c.baseline <= qr.frame.bottom]
    assert inside == []
    column = [c for c in chars if qr.frame.x <= c.x < qr.frame.right]
    assert any(c.baseline < qr.frame.y for c in column) and any(c.baseline > qr.frame.bottom for c in column)


def test_the_knock_out_box_makes_paper_over_a_dark_photo(tmp_path):
    (tmp_path / "dark.jpg").write_bytes(b"")
    Image.new("RGB", (1200, 1200), (40, 40, 40)).save(tmp_path / "dark.jpg")
    spec = qr_page(tmp_path, """
        - {type: photo, id: bg, frame: {column: 1, span: 2, line: 1, lines: 24}, src: dark.jpg}
        - {type: qr, id: code, frame: {column: 2, span: 1, line: 5, lines: 12}, data: "https://example.com/on-photo"}
        """)
    layout = laid_out(spec)
    pdf = render_pdf([layout])
    assert [b.text for b in decoded(pdf, layout)] == ["https://example.com/on-photo"]
    qr = layout.qrs[0]
    ox, oy = pdf_boxes(layout.page.boxes).origin
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=2).to_pil().convert("L")
    document.close()
    corner = image.getpixel((int((ox + qr.symbol.x + qr.module) * 2), int((oy + qr.symbol.y + qr.module) * 2)))
    photo = image.getpixel((int((ox + layout.photos[0].frame.x + 5) * 2), int((oy + layout.photos[0].frame.y + 5) * 2)))
    assert corner > 240 and photo < 100  # the quiet zone is paper; the photo around it is dark
    assert (0.0, 0.0, 0.0, 0.0) == PAPER


def test_qr_pages_are_byte_identical_on_every_render(tmp_path):
    spec = qr_page(tmp_path, """
        - {type: qr, id: code, frame: {column: 1, span: 1, line: 1, lines: 12}, data: "https://example.com/d", caption: 扫码}
        """)
    assert render_pdf([laid_out(spec)]) == render_pdf([laid_out(spec)])


def covered(rects: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    return [(r, c) for c0, r0, w, h in rects for r in range(r0, r0 + h) for c in range(c0, c0 + w)]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.lists(st.lists(st.integers(0, 1), min_size=n, max_size=n),
                                                       min_size=1, max_size=12)))
def test_merged_runs_cover_every_dark_module_once_and_no_light_one(matrix):
    rects = merged_runs(matrix)
    cells = covered(rects)
    assert len(cells) == len(set(cells))  # no overlaps
    assert set(cells) == {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
    runs = sum(1 for row in matrix for c, v in enumerate(row) if v and (c == 0 or not row[c - 1]))
    assert len(rects) <= runs  # never more than one rectangle per row run


@pytest.mark.parametrize("data", ["https://example.com/v/2024/0312", "扫码看视频", "x" * 500])
def test_real_symbols_merge_to_far_fewer_rectangles_than_modules(data):
    symbol = encode(data, "M")
    rects = merged_runs(symbol.matrix)
    dark = sum(map(sum, symbol.matrix))
    assert set(covered(rects)) == {(r, c) for r, row in enumerate(symbol.matrix) for c, v in enumerate(row) if v}
    assert len(rects) < dark / 2


@pytest.mark.parametrize(("data", "mode"), [("中国", "byte"), ("扫码看视频", "byte"), ("HELLO 123", "alphanumeric")])
def test_encoding_is_qr_never_micro_and_utf8_for_chinese(data, mode):
    symbol = encode(data, "L")
    assert symbol is not None and symbol.version >= 1 and symbol.size == 17 + 4 * symbol.version
    image = Image.new("L", ((symbol.size + 8) * 8,) * 2, 255)
    for r, row in enumerate(symbol.matrix):
        for c, v in enumerate(row):
            if v:
                image.paste(0, ((c + 4) * 8, (r + 4) * 8, (c + 5) * 8, (r + 5) * 8))
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == data and found.format == zxingcpp.BarcodeFormat.QRCode
    assert symbol.mode == mode


def test_every_qr_code_of_the_regression_page_decodes():
    from tests.conftest import REPO

    spec = REPO / "specs" / "regression" / "qr-codes.yaml"
    layout = laid_out(spec)
    pdf = render_pdf([layout])
    blocks = {b.id: b for b in layout.spec.blocks}
    assert len(layout.qrs) == 3
    for index, qr in enumerate(layout.qrs):
        assert [b.text for b in decoded(pdf, layout, index)] == [blocks[qr.id].data]
        assert qr.module >= MIN_MODULE
