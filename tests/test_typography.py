"""Punctuation styles, hanging punctuation and the total-fit composer (issue 3)."""

from __future__ import annotations

import pytest

from layout.compose.paragraph import ParagraphStyle, compose_paragraph
from layout.compose.prepare import ComposeConfig
from tests.conftest import resolve

SIZE = 10.0


def compose(text: str, chars: float, align: str = "left", **config):  # type: ignore[no-untyped-def]
    return compose_paragraph(text, ParagraphStyle(SIZE, align, ComposeConfig(**config)), chars * SIZE, resolve)


def boxes(text: str, **config) -> list[float]:
    line = compose(text, 40, **config).lines[0]
    return [p.box_width / SIZE for p in line.placed]


@pytest.mark.parametrize(
    ("style", "widths"),
    [
        # 中 ， 文 。 （ 文 ） 文 。  — the last 。 ends the line
        ("line_end_half", [1, 1, 1, 0.5, 1, 1, 1, 1, 0.5]),  # 。（ share a blank (A6.1)
        ("quanjiao", [1, 1, 1, 0.5, 1, 1, 1, 1, 1]),  # no trimming at the line end
        ("kaiming", [1, 0.5, 1, 1, 0.5, 1, 0.5, 1, 0.5]),
        ("banjiao", [1, 0.5, 1, 0.5, 0.5, 1, 0.5, 1, 0.5]),
        ("none", [1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ],
)
def test_punctuation_styles(style, widths):
    assert boxes("中，文。（文）文。", punctuation=style) == pytest.approx(widths)


def test_adjacent_marks_not_compressed_without_adjustment():
    assert boxes("中。”文", punctuation="none") == [1, 1, 1, 1]
    assert boxes("中。”文", punctuation="quanjiao") == [1, 0.5, 1, 1]


def test_opening_quote_after_indent_is_trimmed_or_not():
    trimmed = compose("“中文”", 20, first_indent=2).lines[0].placed[0]
    kept = compose("“中文”", 20, first_indent=2, trim_after_indent=False).lines[0].placed[0]
    assert trimmed.box_width == pytest.approx(0.5 * SIZE) and kept.box_width == pytest.approx(SIZE)
    assert trimmed.box_x == kept.box_x == pytest.approx(2 * SIZE)


def test_hanging_keeps_the_comma_on_the_line_instead_of_pushing_out():
    text = "一二三四五六七八九十一二三，四五"
    plain = compose(text, 13, composer="first-fit")
    hung = compose(text, 13, composer="first-fit", hanging=True)
    assert len(plain.lines[0].placed) == 12  # push-out
    first = hung.lines[0]
    assert len(first.placed) == 14 and first.hang
    last = first.placed[-1]
    assert last.box_x == pytest.approx(13 * SIZE)  # the comma sits in the gutter, half an em wide
    assert last.box_x + last.box_width == pytest.approx(13.5 * SIZE)


def test_two_marks_never_hang():
    composed = compose("一二三四五六七八九十一二三。”四五", 13, composer="first-fit", hanging=True)
    assert not any(line.hang for line in composed.lines)


def test_total_fit_avoids_the_loose_line_first_fit_leaves():
    # first-fit puts 11 characters before the long word and spreads them; total-fit balances
    text = "一二三四五六七八九十一二三四五六七八九十一ABCDEFGHIJKLMNOPQRST二三四五六七八九十一二三四五"
    first = compose(text, 14, "justify", composer="first-fit")
    total = compose(text, 14, "justify", composer="total-fit")
    worst = lambda c: max(line.expansion for line in c.lines[:-1])  # noqa: E731
    assert worst(total) < worst(first)


def test_total_fit_avoids_a_lone_last_character():
    text = "排版、十二试四四中九文排，十七版十七八六排一六四排排。"
    first = compose(text, 13, "justify", composer="first-fit")
    total = compose(text, 13, "justify", composer="total-fit")
    last = lambda c: "".join(c.prep.atoms[p.index].source for p in c.lines[-1].placed)  # noqa: E731
    assert last(first) == "排。"  # one character and its mark alone: 孤字
    assert len(last(total)) > 2


def test_total_fit_never_strands_a_character_on_its_own_line():
    """Regression: a rigid one-atom line must cost more than any justified line."""
    text = ("观众可登录官方网站https://www.gba-ai-summit.example.org/2023/agenda查询议程，"
            "或发送邮件至contact@gba-ai-summit.example.org咨询。")
    composed = compose(text, 13, "justify", composer="total-fit", first_indent=2)
    for line in composed.lines[:-1]:
        atoms = [composed.prep.atoms[p.index] for p in line.placed]
        assert not (len(atoms) == 1 and len(atoms[0].text) == 1), [a.text for a in atoms]
        assert line.used == pytest.approx(13 * SIZE, abs=1e-6)


def test_no_justification_space_inside_a_broken_url():
    text = "见" + "https://example.org/" + "a" * 30 + "/b.html。"
    composed = compose(text, 12, "justify", composer="first-fit")
    for line in composed.lines:
        kinds = [composed.prep.atoms[p.index].kind.value for p in line.placed]
        if kinds.count("url") > 1 and len(kinds) == kinds.count("url"):
            assert line.expansion == 0  # URL pieces are set solid; the line is letter-spaced if at all
