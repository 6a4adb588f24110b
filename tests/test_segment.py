"""Atoms: nothing a line break may split (CLREQ A4)."""

import pytest

from layout.text.clreq import Kind
from layout.text.segment import segment


def atoms(text: str) -> list[tuple[str, str]]:
    return [(a.text, a.kind.value) for a in segment(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中文", [("中", "han"), ("文", "han")]),
        ("增长30%。", [("增", "han"), ("长", "han"), ("30%", "number"), ("。", "stop")]),
        ("￥5与3.14", [("￥5", "number"), ("与", "han"), ("3.14", "number")]),
        ("1,000人", [("1,000", "number"), ("人", "han")]),
        ("10:30开会", [("10:30", "number"), ("开", "han"), ("会", "han")]),
        ("22℃左右", [("22℃", "number"), ("左", "han"), ("右", "han")]),
        ("2023-12-06", [("2023-12-06", "number")]),
        ("“4·15”国家安全教育日", [("“", "open"), ("4·15", "number"), ("”", "close"), ("国", "han"), ("家", "han"),
                              ("安", "han"), ("全", "han"), ("教", "han"), ("育", "han"), ("日", "han")]),
        ("改革——发展", [("改", "han"), ("革", "han"), ("——", "dash"), ("发", "han"), ("展", "han")]),
        ("等等……", [("等", "han"), ("等", "han"), ("……", "ellipsis")]),
        ("COVID-19疫情", [("COVID-19", "latin"), ("疫", "han"), ("情", "han")]),
        ("it’s fine", [("it’s", "latin"), (" ", "space"), ("fine", "latin")]),
        ("见https://a.example.org/x?y=1。", [("见", "han"), ("https://a.example.org/x?y=1", "url"), ("。", "stop")]),
        ("发至news@example.com。", [("发", "han"), ("至", "han"), ("news@example.com", "url"), ("。", "stop")]),
        ("“引号”", [("“", "open"), ("引", "han"), ("号", "han"), ("”", "close")]),
        ("《书》、（括）", [("《", "open"), ("书", "han"), ("》", "close"), ("、", "pause"), ("（", "open"),
                          ("括", "han"), ("）", "close")]),
        ("阿·卜", [("阿", "han"), ("·", "middle"), ("卜", "han")]),
        ("本报讯　日前", [("本", "han"), ("报", "han"), ("讯", "han"), ("\u3000", "idspace"), ("日", "han"), ("前", "han")]),
        ("e\u0301t", [("e\u0301t", "latin")]),
    ],
)
def test_segment(text, expected):
    assert atoms(text) == expected


def test_combining_mark_stays_with_its_base_in_han_text():
    result = segment("中\u0301文")
    assert [a.text for a in result] == ["中\u0301", "文"]
    assert result[0].kind is Kind.HAN


def test_emoji_with_modifier_is_one_atom():
    assert [a.text for a in segment("好👍🏽")] == ["好", "👍🏽"]
