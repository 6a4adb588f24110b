"""The shipped fonts: TrueType outlines, licences beside them, and the promised coverage."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from layout.fontdb import BUILTIN_FACES, FONT_DIR, make_fontbook
from tests.conftest import REPO


def gbk() -> list[str]:
    chars = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return chars


GBK = gbk()
TYGF = (REPO / "layout" / "data" / "tygf-8105.txt").read_text(encoding="utf-8").split()
SYMBOLS = "■●★☆◆▲№℃‰※→①⑴⒈Ⅰ％＋－×÷±≤≥°′″§·—…、。，“”‘’《》【】（）￥"


def test_gbk_and_8105_are_complete():
    assert len(TYGF) == 8105
    han = [c for c in GBK if 0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF or 0xF900 <= ord(c) <= 0xFAFF]
    assert len(han) > 20900


@pytest.mark.parametrize("family", ["song", "hei", "kai"])
def test_every_gbk_and_8105_character_prints_in_every_family(family):
    book = make_fontbook()
    missing = [c for c in [*GBK, *TYGF, *SYMBOLS] if book.resolve(family, "regular", c) is None]
    assert missing == []


@pytest.mark.parametrize("name", sorted({f for faces in BUILTIN_FACES.values() for f in faces.values()}))
def test_faces_are_truetype_with_licences(name):
    font = TTFont(FONT_DIR / name, lazy=True)
    assert "glyf" in font and "CFF " not in font
    assert font["OS/2"].fsType & 0x2 == 0  # embedding not restricted
    cmap = font.getBestCmap()
    if name.startswith("Noto"):
        assert sum(1 for c in GBK if ord(c) in cmap) >= len(GBK) - 1  # all but ≒, which WenKai has
        assert all(ord(c) in cmap for c in TYGF)
    licence = {"Noto": "OFL-NotoSansSC.txt" if "Sans" in name else "OFL-NotoSerifSC.txt", "LXGW": "OFL-LXGWWenKai.txt"}
    assert (FONT_DIR / licence[name[:4]]).read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1
