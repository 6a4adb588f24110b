"""The TrueType reader and subsetter behind the PDF's fonts, checked against fontTools."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from layout.truetype import CHECKSUM_MAGIC, TrueTypeError, TrueTypeFile

REPO = Path(__file__).resolve().parent.parent
FONTS = sorted((REPO / "fonts").glob("*.ttf"))
SAMPLE = "中华人民共和国，。、“”《》——……ABCxyz0123456789¨´−∕〓" + "".join(
    chr(c) for c in range(0x4E00, 0x4E00 + 400, 7))


@pytest.mark.parametrize("path", FONTS, ids=[p.stem for p in FONTS])
def test_glyph_ids_match_fonttools(path):
    ours = TrueTypeFile.open(path)
    theirs = TTFont(path, lazy=True)
    cmap = theirs.getBestCmap()
    for char in SAMPLE + "\U0001F600\uE000":
        name = cmap.get(ord(char))
        expected = theirs.getGlyphID(name) if name else 0
        assert ours.glyph_id(ord(char)) == expected, char
    assert ours.units_per_em == theirs["head"].unitsPerEm
    assert ours.n_glyphs == theirs["maxp"].numGlyphs


@pytest.mark.parametrize("path", FONTS[:1] + [p for p in FONTS if "WenKai" in p.name], ids=lambda p: p.stem)
def test_subset_keeps_outlines_metrics_and_checksums(path):
    source = TrueTypeFile.open(path)
    original = TTFont(path, lazy=True)
    order = original.getGlyphOrder()
    chars = [c for c in SAMPLE if source.glyph_id(ord(c))]
    wanted = [0, *(source.glyph_id(ord(c)) for c in chars)]
    data = source.subset(wanted)
    subset = TTFont(io.BytesIO(data), checkChecksums=2)  # a wrong table checksum raises
    assert sum(int.from_bytes(data[i:i + 4], "big") for i in range(0, len(data), 4)) & 0xFFFFFFFF == CHECKSUM_MAGIC
    assert subset["maxp"].numGlyphs >= len(wanted)
    new_order = subset.getGlyphOrder()
    for new, old in enumerate(wanted):
        theirs, ours = original["glyf"][order[old]], subset["glyf"][new_order[new]]
        assert original["hmtx"][order[old]] == subset["hmtx"][new_order[new]], chars[new - 1] if new else ".notdef"
        if theirs.isComposite():
            # components renumbered into the subset, same offsets
            assert [c.x for c in theirs.components] == [c.x for c in ours.components]
            for component in ours.components:
                assert component.glyphName in new_order
        else:
            assert theirs.getCoordinates(original["glyf"])[0] == ours.getCoordinates(subset["glyf"])[0]


def _synthetic_font(tmp_path: Path) -> Path:
    """A 4-glyph font with only a format 4 cmap and one composite glyph (A + ring)."""
    builder = FontBuilder(1000, isTTF=True)
    names = [".notdef", "A", "ring", "Aring"]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord("A"): "A", 0x02DA: "ring", 0x00C5: "Aring"})
    glyphs = {}
    for name, box in ((".notdef", (50, 0, 450, 700)), ("A", (0, 0, 600, 700)), ("ring", (200, 750, 400, 950))):
        pen = TTGlyphPen(None)
        x0, y0, x1, y1 = box
        pen.moveTo((x0, y0))
        pen.lineTo((x0, y1))
        pen.lineTo((x1, y1))
        pen.lineTo((x1, y0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    pen = TTGlyphPen(glyphs)
    pen.addComponent("A", (1, 0, 0, 1, 0, 0))
    pen.addComponent("ring", (1, 0, 0, 1, 20, 10))
    glyphs["Aring"] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({n: (600, 0) for n in names})
    builder.setupHorizontalHeader(ascent=900, descent=-100)
    builder.setupNameTable({"familyName": "Probe", "styleName": "Regular", "psName": "Probe-Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.font["cmap"].tables = [t for t in builder.font["cmap"].tables if t.format == 4]
    path = tmp_path / "probe.ttf"
    builder.save(path)
    return path


def test_format_4_cmap_and_composite_glyph(tmp_path):
    font = TrueTypeFile.open(_synthetic_font(tmp_path))
    assert [font.glyph_id(c) for c in (ord("A"), 0x02DA, 0x00C5, ord("B"))] == [1, 2, 3, 0]
    assert font.postscript_name == "Probe-Regular"
    subset = TTFont(io.BytesIO(font.subset([0, 3])), checkChecksums=2)
    # the composite's two components came along, appended after it and renumbered
    assert subset["maxp"].numGlyphs == 4
    order = subset.getGlyphOrder()
    composite = subset["glyf"][order[1]]
    assert composite.isComposite()
    assert sorted(order.index(c.glyphName) for c in composite.components) == [2, 3]
    assert [(c.x, c.y) for c in composite.components] == [(0, 0), (20, 10)]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x00\x00\x00\x01", b"not a font at all" * 10])
def test_unreadable_files_raise_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.ttf"
    path.write_bytes(content)
    with pytest.raises((TrueTypeError, ValueError)):
        TrueTypeFile.open(path)


def test_padding_between_tables_is_never_read(tmp_path):
    """A font whose file runs on for 200 MB past its tables (sparse, costs no disk): only
    its tables are read, and it still works."""
    path = tmp_path / "padded.ttf"
    path.write_bytes(_synthetic_font(tmp_path).read_bytes())
    with path.open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)
    font = TrueTypeFile.open(path)
    assert len(font.data) < 64 * 1024
    assert font.glyph_id(ord("A")) == 1 and font.subset([0, 1])
