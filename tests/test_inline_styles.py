"""Inline character styles in body text (issue 11): markup → spans, composition in the
styled faces, and the PDF read back (faces, CMYK fills, emphasis dots, text order)."""

from __future__ import annotations

import io
import time

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.compose.paragraph import ComposedCodec, ParagraphStyle, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.compose.styled import atom_styles, compose_marked
from layout.display import EMPHASIS_DOT_DEPTH, EMPHASIS_DOT_RADIUS, Dots, GlyphRun
from layout.fontdb import make_fontbook
from layout.memo import Memo
from layout.page import lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.render.record import record
from layout.spec.load import load_spec
from layout.text.markup import (
    MAX_MARKUP_CHARS,
    PLAIN,
    RED,
    InlineFamily,
    InlineStyle,
    has_markup,
    parse_inline,
    plain_text,
)

HEI = InlineStyle(family=InlineFamily.HEI)
KAI = InlineStyle(family=InlineFamily.KAI)
DOTS = InlineStyle(dots=True)
REDS = InlineStyle(color=RED)


def spans(text: str) -> list[tuple[str, InlineStyle]]:
    return [(s.text, s.style) for s in parse_inline(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("**本报讯**　记者", [("本报讯", HEI), ("　记者", PLAIN)]),
    ("前*楷体*后", [("前", PLAIN), ("楷体", KAI), ("后", PLAIN)]),
    ("是==着重==的", [("是", PLAIN), ("着重", DOTS), ("的", PLAIN)]),
    ("秉持[“人民”]{.red}理念", [("秉持", PLAIN), ("“人民”", REDS), ("理念", PLAIN)]),
    ('[青]{color="100 0 0 0"}', [("青", InlineStyle(color=(100.0, 0.0, 0.0, 0.0)))]),
    ('[青]{color="100,0,0,0"}', [("青", InlineStyle(color=(100.0, 0.0, 0.0, 0.0)))]),
    ("[重点]{.hei .red .dots}", [("重点", InlineStyle(InlineFamily.HEI, RED, True))]),
    ("[宋]{.song}", [("宋", InlineStyle(family=InlineFamily.SONG))]),
    # CJK-friendly: full-width punctuation inside the marks, Han outside
    ("**“引语”**后文", [("“引语”", HEI), ("后文", PLAIN)]),
    ("文*“引语”*文", [("文", PLAIN), ("“引语”", KAI), ("文", PLAIN)]),
    ("句末。*楷体。*下句", [("句末。", PLAIN), ("楷体。", KAI), ("下句", PLAIN)]),
    # nesting: the inner face wins, colour and dots are inherited
    ("[**粗红**]{.red}后", [("粗红", InlineStyle(InlineFamily.HEI, RED)), ("后", PLAIN)]),
    ("==甲 **乙**==", [("甲 ", DOTS), ("乙", InlineStyle(InlineFamily.HEI, None, True))]),
    ("[外[内]{.red}]{.kai}", [("外", KAI), ("内", InlineStyle(InlineFamily.KAI, RED))]),
    ("***三***", [("三", HEI)]),
    # malformed or unknown: literal, exactly as typed
    ("**未闭合", [("**未闭合", PLAIN)]),
    ("*未闭合", [("*未闭合", PLAIN)]),
    ("==未闭合", [("==未闭合", PLAIN)]),
    ("[未知]{.foo}", [("[未知]{.foo}", PLAIN)]),
    ("[未知]{ .red  .foo }后", [("[未知]{ .red  .foo }后", PLAIN)]),
    ("[未知]{#id}", [("[未知]{#id}", PLAIN)]),
    ("[颜色]{color=red}", [("[颜色]{color=red}", PLAIN)]),
    ('[颜色]{color="0 100 100"}', [('[颜色]{color="0 100 100"}', PLAIN)]),
    ('[颜色]{color="0 100 100 101"}', [('[颜色]{color="0 100 100 101"}', PLAIN)]),
    ('[颜色]{color="nan 0 0 0"}', [('[颜色]{color="nan 0 0 0"}', PLAIN)]),
    ("[文字]{.red", [("[文字]{.red", PLAIN)]),
    ("[文字]{}", [("[文字]{}", PLAIN)]),
    ("===三个===", [("===三个===", PLAIN)]),
    ("a == b", [("a == b", PLAIN)]),
    ("** 空格 **", [("** 空格 **", PLAIN)]),
    ("5\\*3", [("5*3", PLAIN)]),
    ("[外[未知]{.foo}]{.red}", [("外[未知]{.foo}", REDS)]),
    # only the constructs above: block and other inline rules stay text
    ("# 标题 **粗**", [("# 标题 ", PLAIN), ("粗", HEI)]),
    ("> 引用 1. 列表 **粗**", [("> 引用 1. 列表 ", PLAIN), ("粗", HEI)]),
    ("__下划__ _斜_ [链接](http://x) <b>h</b> &amp; `c` ~~s~~ **粗**",
     [("__下划__ _斜_ [链接](http://x) <b>h</b> &amp; `c` ~~s~~ ", PLAIN), ("粗", HEI)]),
    ("", []),
    ("没有标记的段落。", [("没有标记的段落。", PLAIN)]),
])
def test_markup_parses_to_spans(text, expected):
    assert spans(text) == expected


MARKUP_ALPHABET = st.sampled_from(list("*=[]{}.#\\ 　“”，。甲乙redotskaiheicolr\"0") + ["**", "==", "]{.red}", "]{"])


@settings(max_examples=300, deadline=None)
@given(st.lists(MARKUP_ALPHABET, max_size=40).map("".join))
def test_any_text_parses_without_error_and_keeps_its_characters(text):
    result = parse_inline(text)
    joined = plain_text(result)
    # markup removed, never text added: the drawn text is a subsequence of what was typed
    it = iter(text)
    assert all(char in it for char in joined)
    assert all(span.text for span in result)


@given(st.text(alphabet=st.characters(blacklist_characters="*=]"), max_size=60))
def test_text_without_trigger_characters_is_left_alone(text):
    assert not has_markup(text)
    assert plain_text(parse_inline(text)) == text


def test_a_paragraph_too_long_for_markup_stays_literal():
    text = "**甲**" + "乙" * MAX_MARKUP_CHARS
    assert spans(text) == [(text, PLAIN)]


@pytest.mark.parametrize("unit", ["*[==", "[a]{", "*a**", "==a", "[" , "]{.red}"])
def test_hostile_markup_parses_in_linear_time(unit):
    small, large = (unit * (n // len(unit)) for n in (MAX_MARKUP_CHARS // 8, MAX_MARKUP_CHARS))
    timings = []
    for text in (small, large):
        start = time.perf_counter()
        parse_inline(text)
        timings.append(time.perf_counter() - start)
    assert timings[1] < 2.0
    assert timings[1] < 8 * 4 * timings[0] + 0.05  # 8 × the input: far from 64 × (quadratic)


def test_a_word_takes_the_style_of_its_first_character():
    result = atom_styles(parse_inline("**本报讯**2021年**ab**cd"))
    assert [(atom.text, style) for atom, style in result] == [
        ("本", HEI), ("报", HEI), ("讯", HEI), ("2021", PLAIN), ("年", PLAIN), ("abcd", HEI)]


# --- composition -------------------------------------------------------------------

TEXT = ("运用法治思维和法治方式化解信访矛盾，是尊重和体现人民群众主体地位、依法保障人民群众权益的客观要求，"
        "是新时代信访工作实现高质量发展的必由之路。Legal aid 2021 年共办理 6029 宗。")
STYLE = ParagraphStyle(10.5, "justify", ComposeConfig(first_indent=2.0))
WIDTH = 10.5 * 13.3


@pytest.fixture(scope="module")
def fonts():
    return make_fontbook(memo=Memo())


def families(fonts):
    return lambda family: fonts.resolver(family.value, "regular")


def breaks(composed):
    return [(line.placed[0].index, line.placed[-1].index) for line in composed.lines]


@pytest.mark.parametrize(("mark", "family"), [("**", "hei"), ("*", "kai")])
def test_a_styled_paragraph_breaks_like_the_text_set_in_its_font(fonts, mark, family):
    styled = compose_marked(f"{mark}{TEXT}{mark}", STYLE, WIDTH, fonts.resolver("song", "regular"), families(fonts))
    reference = compose_paragraph(TEXT, STYLE, WIDTH, fonts.resolver(family, "regular"))
    plain = compose_paragraph(TEXT, STYLE, WIDTH, fonts.resolver("song", "regular"))
    assert len(styled.lines) == len(reference.lines)
    assert breaks(styled) == breaks(reference)
    assert [line.used for line in styled.lines] == pytest.approx([line.used for line in reference.lines])
    assert {run.face.name for line in styled.lines for run in line.runs} == \
        {run.face.name for line in reference.lines for run in line.runs}
    latin = [a.width for a in styled.prep.atoms if a.text == "Legal"]
    assert latin != [a.width for a in plain.prep.atoms if a.text == "Legal"]  # not measured in song


def test_a_mixed_paragraph_is_measured_in_each_face(fonts):
    text = "**Legal aid 2021**" + TEXT + "*Legal aid 2021*"
    styled = compose_marked(text, STYLE, WIDTH, fonts.resolver("song", "regular"), families(fonts))
    prep = styled.prep
    hei, kai, song = (fonts.face(f, "regular") for f in ("hei", "kai", "song"))
    first, last = prep.atoms[0], prep.atoms[-1]
    assert first.text == "Legal" and first.face == hei and last.text == "2021" and last.face == kai
    assert first.width == pytest.approx(sum(hei.advance(ord(c)) for c in "Legal") * 10.5)
    assert prep.atoms[5].face == song
    for line in styled.lines[:-1]:  # justified lines end on the measure, whatever their faces
        assert line.used == pytest.approx(WIDTH, abs=1e-6)


def test_text_without_markup_composes_exactly_as_before(fonts):
    resolve = fonts.resolver("song", "regular")
    for text in (TEXT, TEXT + "5*3 a == b [x]{y} [z]"):  # lone marks are not markup
        assert compose_marked(text, STYLE, WIDTH, resolve, families(fonts)) == compose_paragraph(
            text, STYLE, WIDTH, resolve)


def test_colour_and_dots_reach_the_set_lines(fonts):
    text = "前[红色文字]{.red}中==着重，号==后" + TEXT
    composed = compose_marked(text, STYLE, WIDTH, fonts.resolver("song", "regular"), families(fonts))
    runs = composed.lines[0].runs
    assert [(r.text, r.color) for r in runs if r.color is not None] == [("红色文字", RED)]
    assert "".join(r.text for r in runs).startswith("前红色文字中着重，号后")
    dots = composed.lines[0].dots
    assert len(dots) == 3  # 着 重 号, none under the comma
    face = fonts.face("song", "regular")
    placed = {composed.prep.atoms[p.index].text: p for p in composed.lines[0].placed}
    for char, dot in zip("着重号", dots, strict=True):
        assert dot.x == pytest.approx(placed[char].glyph_x + face.advance(ord(char)) * 10.5 / 2)


def test_styled_compositions_survive_the_disk_codec(fonts, tmp_path):
    resolve = fonts.resolver("song", "regular")
    text = "**本报讯**[红]{.red}==着重==*楷体*" + TEXT
    composed = compose_marked(text, STYLE, WIDTH, resolve, families(fonts))
    codec = ComposedCodec(resolve)
    again = codec.decode(codec.encode(composed))
    assert again == composed
    assert again.lines[0].dots and any(r.color == RED for r in again.lines[0].runs)


def test_the_cache_key_covers_the_markup(tmp_path):
    from layout.memo import DiskCache

    memo = Memo(DiskCache(tmp_path / "cache", b"k" * 32))
    fonts = make_fontbook(memo=memo)
    resolve = fonts.resolver("song", "regular")
    faces = {}
    for mark in ("**", "*", ""):
        composed = compose_marked(f"{mark}{TEXT}{mark}", STYLE, WIDTH, resolve, families(fonts))
        faces[mark] = composed.lines[0].runs[0].face.name
    assert faces == {"**": "paiban-NotoSansSC-Bold", "*": "paiban-LXGWWenKai-Regular",
                     "": "paiban-NotoSerifSC-Regular"}


# --- the page and its PDF ----------------------------------------------------------

PAGE = """
version: 1
page:
  size: [120mm, 160mm]
  margins: {top: 10mm, right: 10mm, bottom: 10mm, left: 10mm}
  columns: 1
  gutter: 4mm
  body: {font: song, size: 10.5pt, leading: 17pt}
blocks:
  - type: article
    id: styled
    frame: {column: 1, span: 1, line: 1, lines: auto}
    title: 行内字式
    body: |
      **本报讯**　运用法治思维化解信访矛盾，*“是尊重人民群众主体地位的客观要求”*，==信访，工作==法治化是[必由之路]{.red}。

      [青色]{color="100 0 0 0"}与[重点]{.hei .red .dots}收尾。
"""
DOTTED = "信访工作重点"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("inline") / "page.yaml"
    path.write_text(PAGE, encoding="utf-8")
    layout = lay_out_page(load_spec(path), probe=make_probe)
    return layout, render_pdf([layout])


def _chars(pdf: bytes):
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        p = doc.pages[0]
        return p.height, list(p.chars), list(p.curves), p.extract_text()


def test_styled_page_is_clean(page):
    layout, _ = page
    assert layout.ok and not layout.problems


@pytest.mark.parametrize(("chars", "font"), [
    ("本报讯", "NotoSansSC-Bold"), ("重点", "NotoSansSC-Bold"), ("是尊重人民群众主体地位的客观要求", "LXGWWenKai-Regular"),
    ("运用法治思维化解信访矛盾", "NotoSerifSC-Regular"), ("必由之路", "NotoSerifSC-Regular"),
])
def test_styled_runs_are_in_their_faces(page, chars, font):
    _, pdf = page
    _, drawn, _, _ = _chars(pdf)
    text = "".join(c["text"] for c in drawn)
    start = text.index(chars)
    assert all(c["fontname"].split("+")[-1] == font for c in drawn[start:start + len(chars)])


@pytest.mark.parametrize(("chars", "cmyk"), [
    ("必由之路", (0.0, 1.0, 1.0, 0.0)), ("重点", (0.0, 1.0, 1.0, 0.0)), ("青色", (1.0, 0.0, 0.0, 0.0)),
    ("运用法治", (0.0, 0.0, 0.0, 1.0)), ("收尾", (0.0, 0.0, 0.0, 1.0)),
])
def test_coloured_runs_are_cmyk_fills(page, chars, cmyk):
    _, pdf = page
    _, drawn, _, _ = _chars(pdf)
    text = "".join(c["text"] for c in drawn)
    start = text.index(chars)
    assert all(tuple(c["non_stroking_color"]) == cmyk for c in drawn[start:start + len(chars)])


def test_emphasis_dots_are_centred_under_their_characters(page):
    _, pdf = page
    height, drawn, curves, _ = _chars(pdf)
    text = "".join(c["text"] for c in drawn)
    targets = [drawn[text.index("信访，工作") + k] for k in (0, 1, 3, 4)] + \
        [drawn[text.index("重点") + k] for k in (0, 1)]
    assert "".join(c["text"] for c in targets) == DOTTED
    dots = [c for c in curves if c["fill"]]
    assert len(dots) == len(DOTTED)  # none under the comma, none elsewhere
    for char in targets:
        size = char["size"]
        baseline = height - char["matrix"][5]
        centre = (char["x0"] + char["x1"]) / 2
        matches = [d for d in dots if abs((d["x0"] + d["x1"]) / 2 - centre) < 0.05
                   and abs((d["top"] + d["bottom"]) / 2 - (baseline + EMPHASIS_DOT_DEPTH * size)) < 0.05]
        assert len(matches) == 1, char["text"]
        dot = matches[0]
        assert dot["top"] > baseline  # below the baseline
        assert dot["x1"] - dot["x0"] == pytest.approx(2 * EMPHASIS_DOT_RADIUS * size, abs=0.05)
        assert tuple(dot["non_stroking_color"]) == tuple(char["non_stroking_color"])  # in the text's ink


def test_text_layer_keeps_reading_order(page):
    _, pdf = page
    *_, extracted = _chars(pdf)
    squashed = "".join(extracted.split())
    expected = ("本报讯运用法治思维化解信访矛盾，“是尊重人民群众主体地位的客观要求”，信访，工作法治化是必由之路。"
                "青色与重点收尾。")
    assert expected in squashed


def test_display_list_has_dots_after_their_line(page):
    layout, _ = page
    items = layout.display
    dots = [i for i, item in enumerate(items) if isinstance(item, Dots)]
    assert dots and all(isinstance(items[i - 1], (GlyphRun, Dots)) for i in dots)
    assert "dots r 0.84 cmyk 0 100 100 0 op 0 " in record([layout.page])
