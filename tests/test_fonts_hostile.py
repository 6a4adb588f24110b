"""Hostile font files, made by code from a small real font: the reader refuses each with
a clear TrueTypeError or yields a face whose every call stays inside the contract, and
a spec naming one renders through the CLI with a named problem, never a traceback."""

from __future__ import annotations

import io
import json
import os
import resource
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.ttCollection import TTCollection

from layout.truetype import TrueTypeError, TrueTypeFile
from tests.conftest import MINIMAL_PAGE, REPO

#: Characters of the probe font: two Latin, two Han, and two composites (A + ring).
CHARS = {"A": "A", "B": "B", "标": "biao", "题": "ti", "Å": "Aring", "Ǻ": "Aring2"}
GLYPHS = [".notdef", "A", "B", "biao", "ti", "ring", "Aring", "Aring2"]
AID, ARING, ARING2 = GLYPHS.index("A"), GLYPHS.index("Aring"), GLYPHS.index("Aring2")
#: Every character the tests ask for: the font's own, others it lacks, astral ones.
ASKED = [ord(c) for c in CHARS] + [0, 0x20, 0x41 + 2, 0x4E00, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]
#: The most a check of one hostile font may take (CPU seconds of the CLI process).
CLI_SECONDS = 2.0
#: Wall-clock bound before a CLI run is called hung (the machine is shared).
CLI_TIMEOUT = 60
USABLE = None  # expected "message" of a case whose file opens


def _box(x0: int, y0: int, x1: int, y1: int, pen):  # type: ignore[no-untyped-def]
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()
    return pen


def probe_font(cff: bool = False) -> bytes:
    """A real, valid 8-glyph font (format 4 cmap only, two composite glyphs)."""
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(GLYPHS)
    builder.setupCharacterMap({ord(c): name for c, name in CHARS.items()})
    boxes = {".notdef": (50, 0, 450, 700), "A": (0, 0, 600, 700), "B": (50, 0, 550, 700),
             "biao": (40, -80, 960, 820), "ti": (60, -60, 940, 800), "ring": (200, 750, 400, 950)}
    if cff:
        charstrings = {}
        for name in GLYPHS:
            pen = T2CharStringPen(600, None)
            charstrings[name] = _box(*boxes.get(name, (0, 0, 600, 700)), pen).getCharString()
        builder.setupCFF("Probe-Regular", {"FullName": "Probe"}, charstrings, {})
    else:
        glyphs = {name: _box(*box, TTGlyphPen(None)).glyph() for name, box in boxes.items()}
        for name in ("Aring", "Aring2"):
            pen = TTGlyphPen(glyphs)
            pen.addComponent("A", (1, 0, 0, 1, 0, 0))
            pen.addComponent("ring", (1, 0, 0, 1, 20, 10))
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (1000 if name in ("biao", "ti") else 600, 0) for name in GLYPHS})
    builder.setupHorizontalHeader(ascent=900, descent=-100)
    builder.setupNameTable({"familyName": "Probe", "styleName": "Regular", "psName": "Probe-Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.font["cmap"].tables = [t for t in builder.font["cmap"].tables if t.format == 4]
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


BASE = probe_font()


# --- editing an sfnt by its table directory --------------------------------------------


def directory(data: bytes) -> dict[str, tuple[int, int, int]]:
    """tag -> (offset, length, position of its directory record)."""
    (count,) = struct.unpack_from(">H", data, 4)
    found = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        found[tag.decode("latin-1")] = (offset, length, 12 + 16 * i)
    return found


def poke(data: bytes, tag: str, at: int, fmt: str, *values: int) -> bytes:
    """``data`` with ``values`` packed at byte ``at`` of table ``tag``."""
    out = bytearray(data)
    struct.pack_into(fmt, out, directory(data)[tag][0] + at, *values)
    return bytes(out)


def record(data: bytes, tag: str, offset: int, length: int) -> bytes:
    """``data`` with the directory record of ``tag`` pointing elsewhere."""
    out = bytearray(data)
    struct.pack_into(">II", out, directory(data)[tag][2] + 8, offset, length)
    return bytes(out)


#: Bytes after an appended table: glyph id 5 over and over, so that a reader looking past
#: the table (but inside the file) finds a plausible glyph instead of failing.
TRAILER = struct.pack(">H", 5) * 0x8000


def with_table(data: bytes, tag: str, table: bytes) -> bytes:
    """``data`` with table ``tag`` replaced by ``table`` (appended, with TRAILER after it)."""
    padded = data + b"\0" * (-len(data) % 4)
    return record(padded, tag, len(padded), len(table)) + table + TRAILER


def loca_entry(data: bytes, glyph: int) -> tuple[int, int]:
    """Byte position (in the file) and glyf offset of a glyph's loca entry."""
    long_loca = struct.unpack_from(">h", data, directory(data)["head"][0] + 50)[0] == 1
    at = directory(data)["loca"][0] + (4 if long_loca else 2) * glyph
    value = struct.unpack_from(">I" if long_loca else ">H", data, at)[0]
    return at, value if long_loca else 2 * value


def set_component(data: bytes, composite: int, component: int) -> bytes:
    """The first component reference of ``composite`` changed to ``component``."""
    _, start = loca_entry(data, composite)
    out = bytearray(data)
    struct.pack_into(">H", out, directory(data)["glyf"][0] + start + 12, component)
    return bytes(out)


def loca_past_glyf(data: bytes) -> bytes:
    at, _ = loca_entry(data, AID + 1)  # the end of glyph A
    long_loca = struct.unpack_from(">h", data, directory(data)["head"][0] + 50)[0] == 1
    out = bytearray(data)
    struct.pack_into(">I" if long_loca else ">H", out, at, 0xFFFF_FFF0 if long_loca else 0xFFF0)
    return bytes(out)


def cmap4(range_offset: int | None = None, glyph_array: tuple[int, int] = (AID, AID + 1),
          delta_han: int | None = None) -> bytes:
    """A hand-made format 4 cmap: A-B through the glyph id array (idRangeOffset), 标 and
    题 and the composites through deltas, and the closing 0xFFFF segment."""
    segments = [  # (start, end, delta, uses the glyph id array)
        (0x41, 0x42, 0, True),
        (0xC5, 0xC5, (ARING - 0xC5) & 0xFFFF, False),
        (0x1FA, 0x1FA, (ARING2 - 0x1FA) & 0xFFFF, False),
        (ord("标"), ord("标"), ((delta_han or GLYPHS.index("biao")) - ord("标")) & 0xFFFF, False),
        (ord("题"), ord("题"), ((delta_han or GLYPHS.index("ti")) - ord("题")) & 0xFFFF, False),
        (0xFFFF, 0xFFFF, 1, False),
    ]
    n = len(segments)
    ranges = [(2 * n - 2 * i if range_offset is None else range_offset) if uses else 0
              for i, (_, _, _, uses) in enumerate(segments)]
    body = struct.pack(f">{n}H", *(s[1] for s in segments)) + b"\0\0"
    body += struct.pack(f">{n}H", *(s[0] for s in segments))
    body += struct.pack(f">{n}H", *(s[2] for s in segments))
    body += struct.pack(f">{n}H", *ranges) + struct.pack(">2H", *glyph_array)
    sub = struct.pack(">7H", 4, 14 + len(body), 0, 2 * n, 8, 2, 2 * n - 8) + body
    return struct.pack(">HH", 0, 1) + struct.pack(">HHI", 3, 1, 12) + sub


def collection() -> bytes:
    ttc = TTCollection()
    ttc.fonts = [TTFont(io.BytesIO(BASE)), TTFont(io.BytesIO(BASE))]
    out = io.BytesIO()
    ttc.save(out)
    return out.getvalue()


def last_table_end(data: bytes) -> int:
    return max(offset + length for offset, length, _ in directory(data).values())


#: Cut points through the whole file, the last one inside its last table.
CUTS = [round(k * (last_table_end(BASE) - 1) / 19) for k in range(20)]

#: Cases that are not regular files: the spec's font check says "no font file" for them.
NOT_REGULAR = frozenset({"FIFO", "folder", "link to /dev/zero"})

#: name -> (the file's bytes, or a maker of the path, and a fragment of the refusal, or USABLE).
Maker = Callable[[Path], None]
CASES: dict[str, tuple[bytes | Maker, str | None]] = {
    "valid": (BASE, USABLE),
    "handmade cmap": (with_table(BASE, "cmap", cmap4()), USABLE),
    "unitsPerEm 0": (poke(BASE, "head", 18, ">H", 0), "unitsPerEm 0 is invalid"),
    "unitsPerEm 65535": (poke(BASE, "head", 18, ">H", 65535), "unitsPerEm 65535 is invalid"),
    # 70000 does not fit the 16-bit field: a writer that wraps it leaves 4464, a valid size
    "unitsPerEm 70000 wrapped": (poke(BASE, "head", 18, ">H", 70000 & 0xFFFF), USABLE),
    "table past the end": (record(BASE, "glyf", len(BASE) + 64, 16), "lies outside the file"),
    "table longer than the file": (record(BASE, "hmtx", directory(BASE)["hmtx"][0], 1 << 31), "lies outside"),
    "table directory past the end": (BASE[:4] + struct.pack(">H", 4000) + BASE[6:], "truncated"),
    "no head table": (BASE.replace(b"head", b"hexd", 1), "no 'head' table"),
    "head too short": (record(BASE, "head", directory(BASE)["head"][0], 20), "'head' is too short"),
    "cmap idRangeOffset outside the table": (with_table(BASE, "cmap", cmap4(range_offset=0xFFF0)), USABLE),
    "cmap glyph array past numGlyphs": (with_table(BASE, "cmap", cmap4(glyph_array=(500, 0xFFFF))), USABLE),
    "cmap deltas past numGlyphs": (with_table(BASE, "cmap", cmap4(delta_han=60000)), USABLE),
    "cmap subtable outside the table": (poke(BASE, "cmap", 8, ">I", 0x7FFF_0000), "damaged cmap"),
    "cmap with 65535 subtables": (poke(BASE, "cmap", 2, ">H", 0xFFFF), "damaged cmap"),
    "cmap format 4 with 32767 segments": (with_table(BASE, "cmap", cmap4()[:18] + b"\xff\xfe" + cmap4()[20:]),
                                          "truncated format 4"),
    "numberOfHMetrics 0": (poke(BASE, "hhea", 34, ">H", 0), "0 horizontal metrics"),
    "numberOfHMetrics > numGlyphs": (poke(BASE, "hhea", 34, ">H", len(GLYPHS) + 1), "horizontal metrics for"),
    "numGlyphs 0": (poke(BASE, "maxp", 4, ">H", 0), "no glyphs"),
    "numGlyphs 65535": (poke(BASE, "maxp", 4, ">H", 0xFFFF), "too short"),
    "loca past glyf": (loca_past_glyf(BASE), USABLE),
    "composite referencing itself": (set_component(BASE, ARING, ARING), USABLE),
    "composites referencing each other": (set_component(set_component(BASE, ARING, ARING2), ARING2, ARING), USABLE),
    "composite referencing glyph 9999": (set_component(BASE, ARING, 9999), USABLE),
    "OTF (CFF outlines)": (probe_font(cff=True), "CFF outlines"),
    "TTC collection": (collection(), "font collection"),
    "text file": (b"This is not a font.\n" * 40, "not a TrueType font"),
    "empty file": (b"", "not a TrueType font"),
    "FIFO": (lambda path: os.mkfifo(path), "not a regular file"),
    "folder": (lambda path: path.mkdir(), "not a regular file"),
    "link to /dev/zero": (lambda path: path.symlink_to("/dev/zero"), "not a regular file"),
    **{f"truncated at {cut}": (BASE[:cut], "") for cut in CUTS},
}


def make(tmp_path: Path, name: str, content: bytes | Maker) -> Path:
    path = tmp_path / "fonts" / "hostile.ttf"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        content(path)
    return path


def test_the_probe_font_and_its_handmade_cmap_are_read_as_fonttools_reads_them(tmp_path):
    """The damage is done to a font that works: every case differs from it in one thing."""
    for data in (BASE, with_table(BASE, "cmap", cmap4())):
        (tmp_path / "f.ttf").write_bytes(data)
        font, theirs = TrueTypeFile.open(tmp_path / "f.ttf"), TTFont(io.BytesIO(data))
        cmap = theirs.getBestCmap()
        assert [font.glyph_id(c) for c in ASKED] == [theirs.getGlyphID(cmap[c]) if c in cmap else 0 for c in ASKED]
        assert font.glyph_id(ord("B")) == AID + 1  # through the glyph id array
    assert len(set(CUTS)) == 20 and max(CUTS) < last_table_end(BASE)


def exercise(font: TrueTypeFile) -> None:
    """Every call layout and the PDF writer make; only TrueTypeError may come out."""
    gids = [font.glyph_id(c) for c in ASKED]
    assert all(0 <= g < font.n_glyphs for g in gids)
    for c in ASKED:
        advance = font.advance(c)
        assert advance is None or advance >= 0
    for wanted in ([0], [0, *gids], list(range(font.n_glyphs)), [0, ARING, ARING2, ARING]):
        try:
            font.subset([g for g in wanted if g < font.n_glyphs])
        except TrueTypeError:
            pass
    for bad in (font.n_glyphs, -1, 1 << 20):
        with pytest.raises(TrueTypeError):
            font.subset([0, bad])
        with pytest.raises(TrueTypeError):
            font.metrics(bad)


@pytest.mark.parametrize("name", CASES)
def test_opening_refuses_clearly_or_yields_a_font_that_keeps_the_contract(tmp_path, name):
    content, refusal = CASES[name]
    path = make(tmp_path, name, content)
    try:
        font = TrueTypeFile.open(path)
    except TrueTypeError as exc:
        assert refusal is not USABLE, f"a usable case was refused: {exc}"
        assert str(exc).startswith(f"{path.name}: ") and refusal in str(exc)
        assert "\n" not in str(exc) and "Traceback" not in str(exc)
        return
    assert refusal is USABLE, f"{name} was opened, expected a refusal with {refusal!r}"
    exercise(font)


def test_damaged_cmaps_miss_the_characters_instead_of_reading_elsewhere(tmp_path):
    cases = {
        "outside": (cmap4(range_offset=0xFFF0), {ord("A"): 0, ord("B"): 0, ord("标"): GLYPHS.index("biao")}),
        "ids": (cmap4(glyph_array=(500, 0xFFFF)), {ord("A"): 0, ord("B"): 0, ord("Å"): ARING}),
        "deltas": (cmap4(delta_han=60000), {ord("标"): 0, ord("题"): 0, ord("A"): AID}),
    }
    for name, (table, expected) in cases.items():
        (tmp_path / f"{name}.ttf").write_bytes(with_table(BASE, "cmap", table))
        font = TrueTypeFile.open(tmp_path / f"{name}.ttf")
        assert {c: font.glyph_id(c) for c in expected} == expected, name
        assert font.advance(ord("A")) in (None, 0.6)


@pytest.mark.parametrize("links", [[(ARING, ARING)], [(ARING, ARING2), (ARING2, ARING)]], ids=["self", "mutual"])
def test_a_composite_loop_is_cut_in_the_subset(tmp_path, links):
    data = BASE
    for composite, component in links:
        data = set_component(data, composite, component)
    (tmp_path / "loop.ttf").write_bytes(data)
    font = TrueTypeFile.open(tmp_path / "loop.ttf")
    subset = TTFont(io.BytesIO(font.subset([0, ARING, ARING2, AID])))
    order, glyf = subset.getGlyphOrder(), subset["glyf"]
    for name in order:  # fontTools walks every component: a loop would never finish
        glyph = glyf[name]
        if glyph.isComposite():
            seen, todo = {name}, [c.glyphName for c in glyph.components]
            while todo:
                child = todo.pop()
                assert child not in seen, f"{name} reaches itself"
                seen.add(child)
                if glyf[child].isComposite():
                    todo += [c.glyphName for c in glyf[child].components]
    assert glyf[order[3]].numberOfContours == 1  # the plain glyph A is untouched
    assert any(glyf[order[k]].numberOfContours == 0 for k in (1, 2))  # the glyph closing the loop is empty


def test_a_component_past_the_glyphs_becomes_notdef(tmp_path):
    (tmp_path / "far.ttf").write_bytes(set_component(BASE, ARING, 9999))
    font = TrueTypeFile.open(tmp_path / "far.ttf")
    subset = TTFont(io.BytesIO(font.subset([0, ARING])))
    order = subset.getGlyphOrder()
    assert [c.glyphName for c in subset["glyf"][order[1]].components][0] == order[0]


def check_with(tmp_path: Path) -> tuple[int, dict, str, float]:  # type: ignore[type-arg]
    """``paiban check --json`` on a spec whose title style uses the hostile font."""
    spec = tmp_path / "page.yaml"
    spec.write_text((MINIMAL_PAGE + """
fonts:
  mine: fonts/hostile.ttf
styles:
  title: {font: mine}
blocks:
  - type: article
    id: lead
    frame: {column: 1, span: 2, line: 1, lines: 20}
    title: 标题ABÅǺ
    body: |
      第一段。
""").lstrip("\n"), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "layout", "check", "--json", str(spec)], cwd=REPO,
                          capture_output=True, text=True, timeout=CLI_TIMEOUT)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, report, done.stderr, min(cpu, wall)


@pytest.mark.parametrize("name", CASES)
def test_a_spec_naming_the_font_is_checked_with_a_named_problem(tmp_path, name):
    content, refusal = CASES[name]
    make(tmp_path, name, content)
    status, report, stderr, seconds = check_with(tmp_path)
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert status in (0, 1), stderr
    assert seconds < CLI_SECONDS
    (page,) = report["specs"]
    fonts = [p for p in page["problems"] if p["kind"] == "missing_font"]
    if refusal is USABLE:
        assert fonts == []
    else:
        assert status == 1
        assert [(p["family"], p["file"]) for p in fonts] == [("mine", "fonts/hostile.ttf")]
        wanted = "no font file fonts/hostile.ttf" if name in NOT_REGULAR else refusal
        assert wanted in fonts[0]["message"]


@pytest.mark.parametrize("name", [name for name, (_, refusal) in CASES.items() if refusal is USABLE])
def test_a_usable_damaged_font_is_embedded_by_render(tmp_path, name):
    """``check`` never subsets: ``render`` embeds the font's glyphs (loops cut, far
    components as .notdef) and writes a PDF whose font program fontTools can read."""
    import pikepdf

    make(tmp_path, name, CASES[name][0])
    check_with(tmp_path)  # writes the spec
    out = tmp_path / "page.pdf"
    done = subprocess.run([sys.executable, "-m", "layout", "render", str(tmp_path / "page.yaml"), "-o", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=CLI_TIMEOUT)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    with pikepdf.open(out) as pdf:
        programs = [TTFont(io.BytesIO(obj.FontFile2.read_bytes())) for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj
                    and "Probe" in str(obj.get("/FontName", ""))]
    (program,) = programs
    assert program["maxp"].numGlyphs >= 2  # .notdef and at least one of the title's glyphs
