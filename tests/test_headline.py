"""Headlines and headings: phrase breaks, balanced lines, grid lines taken, too long."""

from __future__ import annotations

import pytest

from layout.compose.headline import set_headline
from layout.compose.paragraph import ParagraphStyle, compose_balanced
from layout.compose.prepare import ComposeConfig
from layout.spec.styles import BLACK, TextStyle
from tests.conftest import resolve

SIZE = 10.0


def style(align: str = "center", max_lines: int = 2) -> TextStyle:
    return TextStyle("song", "regular", SIZE, 1.2 * SIZE, BLACK, align, max_lines)


def title_lines(text: str, chars: int, max_lines: int = 3) -> list[str]:
    styles = {"title": style(max_lines=max_lines)}
    block = set_headline({"title": text}, styles, chars * SIZE, 13.5, lambda s: resolve, ComposeConfig())
    element = block.elements[0]
    return ["".join(p.prep.atoms[x.index].source for x in line.placed) for p in element.parts for line in p.lines]


@pytest.mark.parametrize(
    ("text", "chars", "lines"),
    [
        ("杜绝污水随意排放　改善村庄人居环境", 12, ["杜绝污水随意排放", "改善村庄人居环境"]),
        ("杜绝污水随意排放 改善村庄人居环境", 12, ["杜绝污水随意排放", "改善村庄人居环境"]),  # a plain space too
        ("茂南区第八期基层党建“一巩二优三提升”活动举行", 16, ["茂南区第八期基层党建", "“一巩二优三提升”活动举行"]),
        ("大力弘扬宪法精神　建设社会主义法治文化", 13, ["大力弘扬宪法精神", "建设社会主义法治文化"]),
        ("把基层党组织建设成为坚强战斗堡垒", 20, ["把基层党组织建设成为坚强战斗堡垒"]),
    ],
)
def test_titles_break_between_phrases(text, chars, lines):
    assert title_lines(text, chars) == lines


def test_balanced_heading_leaves_no_lone_character():
    para = ParagraphStyle(SIZE, "center", ComposeConfig())
    composed = compose_balanced("加强领导强化保障落实普法工作责任", para, 15 * SIZE, resolve)
    counts = [len(line.placed) for line in composed.lines]
    assert len(counts) == 2 and max(counts) - min(counts) <= 1
    for line in composed.lines:  # centred in the full measure
        left = line.placed[0].box_x
        assert left + line.used - left == pytest.approx(line.used)
        assert left == pytest.approx((15 * SIZE - (line.used - left)) / 2)


def test_headline_takes_whole_grid_lines_and_reports_too_long():
    styles = {"kicker": style(), "title": style(max_lines=1)}
    texts = {"kicker": "引题", "title": "一二三四五六七八九十一二三四五六七八九十"}
    block = set_headline(texts, styles, 12 * SIZE, 13.5, lambda s: resolve, ComposeConfig())
    assert isinstance(block.lines, int) and block.lines * 13.5 >= 3 * 1.2 * SIZE
    (item,) = block.too_long
    assert (item.role, item.lines, item.allowed, item.chars_over) == ("title", 2, 1, 10)  # balanced 10 + 10


def test_title_with_min_size_shrinks_in_steps_until_it_fits():
    big = TextStyle("song", "regular", 14.0, 16.8, BLACK, "center", 1, min_size=10.0)
    text = "一二三四五六七八九十一二"  # 12 characters: 168 pt at 14 pt, 120 pt at 10 pt
    block = set_headline({"title": text}, {"title": big}, 125.0, 13.5, lambda s: resolve, ComposeConfig())
    assert block.too_long == () and block.shrunk == (("title", 14.0, 10.0),)
    assert block.elements[0].style.size == 10.0


def test_distributed_one_line_title_fills_the_frame():
    spread = TextStyle("song", "regular", SIZE, 12.0, BLACK, "distribute", 1)
    block = set_headline({"title": "短标题"}, {"title": spread}, 100.0, 13.5, lambda s: resolve, ComposeConfig())
    line = block.elements[0].parts[0].lines[0]
    assert line.placed[0].box_x == 0 and line.used == pytest.approx(100.0)
