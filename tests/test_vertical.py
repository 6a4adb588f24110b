"""Vertical headlines (竖排标题, issue 12): the vertical-forms table, line breaking, and the
regression page's PDF read back (glyphs of the vertical forms, positions down and right
to left, 纵中横 digits and turned words, the text layer, the body beside the strip)."""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from functools import cache

import pdfplumber
import pikepdf
import pytest
from fontTools.ttLib import TTFont

from layout.compose.vertical import VERTICAL_FORMS, Turn, break_lines, vertical_units
from layout.display import Box, PlacedGlyphs
from layout.fontdb import make_fontbook
from layout.page import PageLayout, lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.errors import SpecInvalid
from layout.spec.load import load_spec
from layout.text.clreq import CLOSING, OPENING, PAUSES, STOPS
from layout.vertical import is_vertical
from tests.conftest import MINIMAL_PAGE, REPO
from tests.readback import measure_page, read_chars, recovered_text

SPEC = REPO / "specs" / "regression" / "vertical-headlines.yaml"
#: Quotation marks become corner brackets in vertical text (GB/T 15834—2011 4.1.3.3).
QUOTES = {"“": "「", "”": "」", "‘": "『", "’": "』"}
POSITION_TOLERANCE = 0.01


@cache
def rendered() -> tuple[PageLayout, bytes]:
    layout = lay_out_page(load_spec(SPEC), probe=make_probe)
    return layout, render_pdf([layout])


def placed(layout: PageLayout, block: str) -> list[PlacedGlyphs]:
    article = next(a for a in layout.articles if a.id == block)
    return [item for item in article.display if isinstance(item, PlacedGlyphs)]


# -- the table ---------------------------------------------------------------------------

@pytest.mark.parametrize(("mark", "form"), sorted(VERTICAL_FORMS.items()))
def test_each_vertical_form_is_unicodes_vertical_variant_of_its_mark(mark: str, form: str) -> None:
    assert unicodedata.decomposition(form).startswith("<vertical>")
    assert 0xFE10 <= ord(form) <= 0xFE19 or 0xFE30 <= ord(form) <= 0xFE4F
    horizontal = QUOTES.get(mark, mark)
    assert unicodedata.normalize("NFKC", form) == unicodedata.normalize("NFKC", horizontal)


def test_the_shipped_noto_fonts_have_every_form_and_one_em_vertical_advances() -> None:
    for name in ("NotoSansSC-Bold.ttf", "NotoSerifSC-Regular.ttf"):
        font = TTFont(REPO / "fonts" / name, lazy=True)
        cmap, vmtx = font.getBestCmap(), font["vmtx"]
        em = font["head"].unitsPerEm
        for form in set(VERTICAL_FORMS.values()):
            assert ord(form) in cmap, (name, form)
            assert vmtx[cmap[ord(form)]][0] == em, (name, form)


# -- breaking lines ----------------------------------------------------------------------

TITLES = [
    "“一巩二优三提升”，活动举行12场",
    "茂南区：全力推进《乡村振兴》（试点）工作，成效显著！",
    "党建引领、多方联动，打造“红色物业”新格局。",
    "5G网络覆盖全区 用户达2024万",
]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("ems", [3, 5, 7, 11])
def test_lines_keep_kinsoku_and_lose_nothing(title: str, ems: int) -> None:
    size = 20.0
    resolve = make_fontbook().resolver("hei", "regular")
    units, missing = vertical_units(title, size, resolve, "basic", 3)
    lines = break_lines(title, units, ems * size)
    assert not missing
    drawn = "".join(c.text for line in lines for c in line.cells if not c.blank)
    assert drawn == "".join(title.split())
    for line in lines[1:]:
        assert line.cells[0].text[0] not in CLOSING | PAUSES | STOPS, [c.text for c in line.cells]
    for line in lines[:-1]:
        assert line.cells[-1].text[-1] not in OPENING, [c.text for c in line.cells]
    longest_unit = max(u.length for u in units)
    assert all(line.length <= max(ems * size, longest_unit) + 1e-6 for line in lines)


@pytest.mark.parametrize(("chars", "ems", "expected"), [(9, 8, [5, 4]), (10, 8, [5, 5]), (17, 8, [6, 6, 5])])
def test_lines_are_balanced_and_leave_no_lone_character(chars: int, ems: int, expected: list[int]) -> None:
    text = "党建引领多方联动打造红色物业新格局"[:chars]
    units, _ = vertical_units(text, 10.0, make_fontbook().resolver("hei", "regular"), "basic", 3)
    counts = [len(line.cells) for line in break_lines(text, units, ems * 10.0)]
    assert sorted(counts) == sorted(expected) and min(counts) > 1


@pytest.mark.parametrize(("text", "limit", "turns"), [
    ("12", 3, [Turn.SIDE_BY_SIDE]), ("123", 3, [Turn.SIDE_BY_SIDE]), ("1234", 3, [Turn.TURNED]),
    ("12", 1, [Turn.TURNED]), ("5G", 3, [Turn.SIDE_BY_SIDE]), ("Beijing", 3, [Turn.TURNED]),
    ("，", 3, [Turn.UPRIGHT]), ("中", 3, [Turn.UPRIGHT]),
])
def test_numbers_and_words_turn_or_stand_side_by_side(text: str, limit: int, turns: list[Turn]) -> None:
    units, _ = vertical_units(text, 10.0, make_fontbook().resolver("hei", "regular"), "basic", limit)
    assert [c.turn for u in units for c in u.cells] == turns


# -- the page, read back -----------------------------------------------------------------

def _content_glyphs(pdf: bytes) -> list[tuple[str, str, list[float]]]:
    """(font resource, 4-hex code, text matrix) of every shown glyph, in stream order."""
    out = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        font = ""
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                font = str(operands[0])[1:]
            elif op == "Tm":
                matrix = [float(v) for v in operands]
            elif op == "Tj":
                codes = bytes(operands[0]).hex().upper()
                out += [(font, codes[k:k + 4], matrix) for k in range(0, len(codes), 4)]
    return out


def _font_parts(pdf: bytes) -> dict[str, tuple[dict[str, str], TTFont]]:
    """Per font resource: its ToUnicode (code → text) and its embedded subset."""
    out = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for name, font in doc.pages[0].Resources.Font.items():
            cmap = font.ToUnicode.read_bytes().decode("ascii")
            unicode = {code: bytes.fromhex(text).decode("utf-16-be")
                       for code, text in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap)}
            program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
            out[name[1:]] = (unicode, TTFont(io.BytesIO(program)))
    return out


def _outline(font: TTFont, glyph: int) -> list[tuple[int, int]]:
    table = font["glyf"]
    return list(table[font.getGlyphOrder()[glyph]].getCoordinates(table)[0])


def test_vertical_punctuation_is_drawn_with_the_glyphs_of_the_vertical_forms() -> None:
    layout, pdf = rendered()
    parts = _font_parts(pdf)
    originals = {}
    checked = 0
    for resource, code, _ in _content_glyphs(pdf):
        unicode, subset = parts[resource]
        text = unicode[code]
        if text not in VERTICAL_FORMS or not subset["glyf"]:
            continue
        face_name = subset["name"].getDebugName(6).split("+")[-1]
        path = next(p for p in (REPO / "fonts").glob("*.ttf") if TTFont(p, lazy=True)["name"].getDebugName(6) == face_name)
        original = originals.setdefault(path, TTFont(path))
        cmap = original.getBestCmap()
        drawn = _outline(subset, int(code, 16))  # CID = glyph id of the subset (CIDToGIDMap /Identity)
        vertical = _outline(original, original.getGlyphID(cmap[ord(VERTICAL_FORMS[text])]))
        horizontal = _outline(original, original.getGlyphID(cmap[ord(text)]))
        if text in "，。、“”（）——…":  # headline marks; body punctuation stays horizontal
            if drawn == horizontal:
                continue  # the body's horizontal mark of the same face
            assert drawn == vertical and drawn != horizontal, text
            checked += 1
    assert checked >= 5  # ﹁ ﹂ ︐ in the title, ︱ ︱ in the subtitle


def test_headline_glyphs_run_down_and_lines_right_to_left() -> None:
    layout, pdf = rendered()
    title_size = 26.0
    chars = [c for c in read_chars(pdf) if abs(c.size - title_size) < 0.01]
    article = next(a for a in layout.articles if a.id == "right")
    glyphs = [g for item in placed(layout, "right") if item.size == title_size for g in item.glyphs]
    assert "".join(c.text for c in chars).startswith("".join(g.text for g in glyphs))
    line_x: list[float] = []
    previous = None
    for glyph in glyphs:
        if glyph.hscale < 1:  # a digit side by side with the next: same baseline, to the right
            continue
        if previous is not None and abs(glyph.x - previous.x) < POSITION_TOLERANCE:
            assert glyph.baseline > previous.baseline  # downwards within a line
        else:
            line_x.append(glyph.x)
        previous = glyph
    assert len(line_x) == 2 and line_x[1] < line_x[0]  # two lines, the second to the left
    assert article.frame.x < min(line_x) and max(line_x) < article.frame.right


def test_digits_stand_side_by_side_and_long_numbers_turn() -> None:
    _, pdf = rendered()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
    text = "".join(c["text"] for c in chars)
    twelve = text.index("12场")
    one, two = chars[twelve], chars[twelve + 1]
    assert one["upright"] and two["upright"]
    assert abs(one["top"] - two["top"]) < POSITION_TOLERANCE and two["x0"] > one["x0"]
    natural = make_fontbook().face("hei").advance(ord("1")) * 26.0
    assert one["x1"] - one["x0"] < natural - 1  # scaled across (Tz): two digits in one em
    assert two["x1"] - one["x0"] <= 26.0 + POSITION_TOLERANCE
    year = text.index("2024万")
    digits = chars[year:year + 4]
    for c in digits:
        a, b, c_, d, _, _ = c["matrix"]
        assert (a, d) == (0, 0) and b < 0 < c_  # turned 90° clockwise: the baseline runs down
    assert [round(c["x0"], 2) for c in digits] == [round(digits[0]["x0"], 2)] * 4
    assert all(c2["top"] > c1["top"] for c1, c2 in zip(digits, digits[1:], strict=False))


def test_the_text_layer_reads_the_headline_in_order_with_the_original_marks() -> None:
    layout, pdf = rendered()
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pdfium_text = "".join(doc[0].get_textpage().get_text_range().split())
    finally:
        doc.close()
    with pdfplumber.open(io.BytesIO(pdf)) as plumber:
        plumber_text = "".join(c["text"] for c in plumber.pages[0].chars)
    for article in layout.spec.blocks:
        headline = "".join("".join((t or "").split()) for t in (article.kicker, article.title, article.subtitle))
        assert headline in pdfium_text and headline in plumber_text
    assert not set(VERTICAL_FORMS.values()) & set(pdfium_text + plumber_text)


def test_body_lines_stand_beside_the_strip_on_the_grid_with_nothing_lost() -> None:
    layout, pdf = rendered()
    chars = read_chars(pdf)
    measures = measure_page(layout, chars)
    assert measures.body_lines > 60 and measures.on_grid == measures.body_lines
    assert not measures.start_violations and not measures.end_violations
    total, recovered, _ = recovered_text(layout, chars)
    assert recovered == total
    body_size = layout.spec.page.body.size
    for article in layout.articles:
        block = next(b for b in layout.spec.blocks if b.id == article.id)
        assert is_vertical(block)
        xs = [g.x for item in placed(layout, article.id) for g in item.glyphs]
        strip_columns = [c for c in article.columns if c.x - 1 <= min(xs) and max(xs) <= c.x + c.width + 1]
        assert strip_columns and all(not c.free for c in strip_columns)  # the strip keeps its columns
        body = [c for c in chars if abs(c.size - body_size) < 0.01 and article.frame.y <= c.baseline
                <= article.frame.bottom and article.frame.x <= c.x <= article.frame.right]
        assert body and not any(s.x - 0.5 <= c.x <= s.x + s.width for s in strip_columns for c in body)
    assert not [p for p in layout.problems if p.severity == "error"]


def test_the_page_is_deterministic() -> None:
    layout, pdf = rendered()
    assert render_pdf([layout]) == pdf
    assert zlib.crc32(render_pdf([lay_out_page(load_spec(SPEC), probe=make_probe)])) == zlib.crc32(pdf)


# -- fitting -----------------------------------------------------------------------------

FIT_BLOCKS = """
styles:
  title: {{size: 36pt, max_lines: {max_lines}{min_size}}}
blocks:
  - type: article
    id: v
    frame: {{column: 1, span: 4, line: 1, lines: {lines}}}
    headline: {{form: vertical, span: {span}}}
    title: 党建引领多方联动打造红色物业新格局
    body: 正文。
"""


#: The page: 4 columns of 113.7 pt, 13.5 pt grid lines; the title: 17 characters at
#: 36 pt (612 pt down), lines 43.2 pt apart (two lines 86.4 pt across, three 129.6 pt).
@pytest.mark.parametrize(("lines", "span", "max_lines", "min_size", "kinds"), [
    (50, 1, 1, "", set()),  # 675 pt down: one line
    (30, 1, 1, "", {"headline_too_long"}),  # 405 pt: two lines, one allowed
    (30, 1, 1, ", min_size: 12pt", {"headline_shrunk"}),  # one line at 23 pt
    (30, 1, 3, "", set()),  # two lines fit across one column
    (20, 1, 3, "", {"vertical_headline_too_wide"}),  # 270 pt: three lines, wider than one column
    (20, 2, 3, "", set()),  # a strip of two columns takes them
])
def test_a_vertical_headline_that_does_not_fit_is_reported(write_spec, lines: int, span: int, max_lines: int,
                                                           min_size: str, kinds: set[str]) -> None:
    path = write_spec(MINIMAL_PAGE.lstrip() + FIT_BLOCKS.format(lines=lines, span=span, max_lines=max_lines, min_size=min_size))
    layout = lay_out_page(load_spec(path), probe=make_probe)
    found = {p.kind for p in layout.problems} & {"headline_too_long", "headline_shrunk", "vertical_headline_too_wide"}
    assert found == kinds


@pytest.mark.parametrize(("headline", "message"), [
    ("{form: vertical, span: 3}", "the strip takes 3 page columns; the frame has 2"),
    ("{form: vertical, column: 2, span: 2}", "column 2 puts the strip outside the frame's 2 columns"),
    ("{form: sideways}", "headline.form"),
    ("{form: vertical, upright_digits: 9}", "upright_digits"),
])
def test_a_bad_vertical_headline_is_a_spec_error(write_spec, headline: str, message: str) -> None:
    path = write_spec(MINIMAL_PAGE.lstrip() + f"""
blocks:
  - {{type: article, id: v, frame: {{column: 1, span: 2, line: 1, lines: 10}}, headline: {headline}, title: 甲, body: 正文。}}
""")
    with pytest.raises(SpecInvalid) as raised:
        load_spec(path)
    texts = [str(e) for e in raised.value.errors]
    assert any(re.match(rf"{re.escape(str(path))}:\d+: .*{re.escape(message)}", t) for t in texts), texts
    assert all(e.message_zh for e in raised.value.errors)


def test_a_reversed_band_lies_behind_the_strip_and_small_reversed_type_is_reported(write_spec) -> None:
    path = write_spec(MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: v, frame: {column: 1, span: 3, line: 1, lines: 20}, headline: {form: vertical, side: left},
     band: {color: [0, 100, 100, 0], reverse: true}, kicker: 小字引题, title: 竖排主题, body: 正文。,
     styles: {kicker: {size: 7pt}}}
""")
    layout = lay_out_page(load_spec(path), probe=make_probe)
    article = layout.articles[0]
    bands = [i for i in article.display if isinstance(i, Box) and i.fill == (0.0, 100.0, 100.0, 0.0)]
    glyphs = [g for item in placed(layout, "v") for g in item.glyphs]
    assert len(bands) == 1 and bands[0].x == article.frame.x and bands[0].width < article.frame.width / 2
    assert all(bands[0].x <= g.x <= bands[0].x + bands[0].width for g in glyphs)
    assert all(item.color == (0.0, 0.0, 0.0, 0.0) and not item.overprint for item in placed(layout, "v"))
    assert "reversed_text_too_small" in {p.kind for p in layout.problems if p.block == "v"}


@pytest.mark.parametrize(("headline", "extra", "expected"), [
    ("{form: vertical, line: 3}", "", "line do not go with form: vertical"),
    ("{form: vertical, rule: thin}", "", "rule do not go with form: vertical"),
    ("{form: inset, column: 1, line: 2, width: 20mm}", "", "width do not go with form: inset"),
    ("{form: inset, column: 1, line: 2, upright_digits: 2}", "", "upright_digits do not go with form: inset"),
    ("{form: top, side: left}", "", "with form: top leave them out"),
    ("{form: vertical}", "\n    label: {text: 茂南观察}", "not with a vertical one"),
])
def test_keys_of_one_headline_form_are_refused_with_another(tmp_path, headline, extra, expected):
    """The three forms share one ``headline:`` mapping: a key of another form is an error
    with its line, never silently ignored."""
    from layout.spec.load import SpecInvalid
    from tests.conftest import MINIMAL_PAGE

    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + f"""
blocks:
  - type: article
    id: a
    frame: {{column: 1, span: 2, line: 1, lines: 20}}
    headline: {headline}{extra}
    title: 标题
    body: 正文。
""", encoding="utf-8")
    with pytest.raises(SpecInvalid) as raised:
        load_spec(spec)
    (error,) = raised.value.errors
    assert expected in error.text("en") and error.line > 0 and error.text("zh") != error.text("en")
