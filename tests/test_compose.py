"""Line breaking and justification with synthetic metrics (Han 1 em, ASCII ½ em, size 10 pt)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.compose.paragraph import ParagraphStyle, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.text.clreq import NO_END, NO_START
from tests.conftest import resolve, set_text

SIZE = 10.0


def compose(text: str, chars: int, align: str = "justify", **config):  # type: ignore[no-untyped-def]
    config.setdefault("composer", "first-fit")
    style = ParagraphStyle(SIZE, align, ComposeConfig(**config))
    return compose_paragraph(text, style, chars * SIZE, resolve)


@pytest.mark.parametrize(
    ("text", "chars", "lines"),
    [
        # CLREQ A8 worked example: ，may not start line 2 and push-in has nothing to shrink -> push-out
        ("一二三四五六七八九十一二三，四五", 13, ["一二三四五六七八九十一二", "三，四五"]),
        # with a 、 on the line, push-in compresses it and keeps ，on line 1
        ("一二三四五六七、九十一二三，四五", 13, ["一二三四五六七、九十一二三，", "四五"]),
        # an opening quote never ends a line
        ("一二三四五六七八九十一二“三四”", 13, ["一二三四五六七八九十一二", "“三四”"]),
        # —— and …… are never split; below strict they may start a line
        ("一二三四五六七八九十一二——三四", 13, ["一二三四五六七八九十一二", "——三四"]),
        ("一二三四五六七八九十一二……三四", 13, ["一二三四五六七八九十一二", "……三四"]),
        # numbers with their postfix and URLs stay whole
        ("一二三四五六七八九十一增长30%", 13, ["一二三四五六七八九十一增长", "30%"]),
        ("见https://ab.cd/ef。", 20, ["见https://ab.cd/ef。"]),
        # a full stop at the line end is set in ½ em, so 12 Han + 。 + 1 Han do not fit, 12 + 。 do
        ("一二三四五六七八九十一二。四", 13, ["一二三四五六七八九十一二。", "四"]),
        # 。” after a full line: push-in needs 1 em of shrink; two 、 give it
        ("一二三、五六七、九十一二三。”四", 13, ["一二三、五六七、九十一二三。”", "四"]),
        # one 、 gives only ½ em: push-out carries 三。” down
        ("一二三四五六七、九十一二三。”四", 13, ["一二三四五六七、九十一二", "三。”四"]),
    ],
)
def test_line_breaks(text, chars, lines):
    assert set_text(text, chars, SIZE) == lines


def test_strict_level_keeps_dash_off_the_line_start():
    assert set_text("一二三四五六七八九十一二——三四", 13, SIZE, kinsoku="strict") == ["一二三四五六七八九十一", "二——三四"]


def test_every_non_final_line_fills_the_measure_exactly():
    text = "本报讯　日前，茂南区举行第八期基层党建“一巩二优三提升”活动。区委常委、组织部部长杨华靖参加活动。" * 3
    composed = compose(text, 11, first_indent=2)
    assert len(composed.lines) > 5
    for line in composed.lines[:-1]:
        assert line.used == pytest.approx(11 * SIZE, abs=1e-6)
    last = composed.lines[-1]
    assert last.last and last.used < 11 * SIZE and last.expansion == 0


def test_first_line_indent_two_em():
    composed = compose("一二三四五六七八九十", 20, first_indent=2)
    assert composed.lines[0].placed[0].box_x == pytest.approx(2 * SIZE)


def test_adjacent_marks_take_one_and_a_half_em():
    composed = compose("中。”文", 20, align="left")
    xs = [p.box_x for p in composed.lines[0].placed]
    assert xs[3] - xs[1] == pytest.approx(1.5 * SIZE)


def test_opening_bracket_at_line_start_loses_its_blank():
    composed = compose("一二三四五六七八九十一二（三四）", 13)
    second = composed.lines[1].placed[0]
    assert composed.prep.atoms[second.index].source == "（"
    assert second.box_x == 0 and second.box_width == pytest.approx(0.5 * SIZE)
    assert second.glyph_x == pytest.approx(-0.5 * SIZE)  # the glyph's blank half hangs outside


def test_han_latin_space_only_when_asked():
    plain = compose("第4章介绍了API", 20, align="left").lines[0]
    spaced = compose("第4章介绍了API", 20, align="left", cjk_latin_space=0.25).lines[0]
    assert spaced.used - plain.used == pytest.approx(3 * 0.25 * SIZE)  # 第|4, 4|章, 了|API


def test_line_end_full_stop_is_half_width_and_flush():
    composed = compose("一二三四五六七八九十一二。四", 13)
    first = composed.lines[0]
    last_box = first.placed[-1]
    assert last_box.box_width == pytest.approx(0.5 * SIZE)
    assert last_box.box_x + last_box.box_width == pytest.approx(13 * SIZE)


def test_impossible_prohibition_is_flagged_not_hidden():
    composed = compose("一" + "，" * 30, 13)
    assert any(line.emergency for line in composed.lines)
    assert sum(line.chars for line in composed.lines) == 31


def test_overlong_url_is_broken_after_a_slash_and_letter_spaced():
    url = "https://example.org/very/long/path/name"
    composed = compose("见" + url, 12)
    pieces = ["".join(composed.prep.atoms[p.index].text for p in line.placed) for line in composed.lines]
    assert "".join(pieces) == "见" + url
    assert all(len(p) <= 24 for p in pieces)
    assert any(p.endswith("/") for p in pieces[:-1])
    for line in composed.lines[:-1]:
        assert line.used == pytest.approx(12 * SIZE, abs=1e-6)


ALPHABET = "中文排版测试一二三四五，。、；：？！“”‘’（）《》——……AB12 "


@pytest.mark.parametrize("composer", ["first-fit", "total-fit"])
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=120), chars=st.integers(min_value=4, max_value=20))
def test_invariants_over_mixed_text(composer, text, chars):
    """No prohibited line start or end unless flagged; non-final lines fill; nothing lost."""
    composed = compose(text, chars, first_indent=2, composer=composer)
    atoms = composed.prep.atoms
    placed = [p.index for line in composed.lines for p in line.placed]
    assert placed == list(range(len(atoms)))  # every atom placed once, in order
    for k, line in enumerate(composed.lines):
        first, last = atoms[line.placed[0].index], atoms[line.placed[-1].index]
        if line.emergency or (k > 0 and composed.lines[k - 1].emergency):
            continue
        if k > 0:
            assert first.kind not in NO_START["basic"], (text, k)
        if k < len(composed.lines) - 1:
            assert last.kind not in NO_END["basic"], (text, k)
            wide = any(atoms[p.index].width > chars * SIZE for p in line.placed)
            visible = [p for p in line.placed if not atoms[p.index].source.isspace()]
            if len(visible) > 1 and not wide:
                assert line.used == pytest.approx(chars * SIZE, abs=1e-6), (text, k)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET + "Latin words and 3.14 ", min_size=1, max_size=160),
       chars=st.integers(min_value=3, max_value=24), hanging=st.booleans())
def test_total_fit_pruning_never_changes_the_breaks(text, chars, hanging):
    """The first pass skips very loose lines; its answer must be the full search's."""
    from layout.compose.totalfit import _search, _Tables

    composed = compose(text, chars, first_indent=2, composer="total-fit", hanging=hanging, cjk_latin_space=0.25)
    tables = _Tables.of(composed.prep)
    full = _search(tables, chars * SIZE, prune=False)
    pruned = _search(tables, chars * SIZE, prune=True)
    assert full is not None
    if pruned is not None:  # None: the cut may have mattered, and break_total_fit searches again
        n = tables.n
        assert pruned[0][n] == full[0][n]
        node, path_full, path_pruned = n, [], []
        while node > 0:
            path_full.append(node)
            node = full[1][node]
        node = n
        while node > 0:
            path_pruned.append(node)
            node = pruned[1][node]
        assert path_pruned == path_full, text
