"""The one reader of TrueType files: what layout measures and what a PDF embeds.

Only the tables needed are touched (the table directory, ``head``, ``hhea``, ``maxp``,
``cmap``, ``loca``, ``hmtx``, ``glyf``), and lazily: opening a 15 MB CJK face parses the
directory, a few header fields and the cmap's group array (well under a millisecond);
advances are read per glyph when asked.  The file is read into memory once (bounded, a
regular file only) rather than mapped, so that a font replaced while a preview server
runs can never change — or, truncated, crash — a face already in use.  Every offset
read from the file is checked against the file's length: a damaged or hostile font is a
:class:`TrueTypeError`, never an exception from deep inside.  The subset keeps the
hinting tables and renumbers glyphs in the order the document asks for them
(ISO/IEC 14496-22 (OpenType) for the table layouts).
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path

from layout.safeio import FONT_MAX_BYTES, UnreadableFile, read_regular

#: Composite glyph flags (OpenType ``glyf``): what follows each component reference.
ARG_1_AND_2_ARE_WORDS = 0x0001
WE_HAVE_A_SCALE = 0x0008
MORE_COMPONENTS = 0x0020
WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
WE_HAVE_A_TWO_BY_TWO = 0x0080
#: Tables copied into a subset as they are (hinting programs; naming and OS metrics).
COPIED_TABLES = ("cvt ", "fpgm", "prep", "name", "OS/2")
#: ``head.checkSumAdjustment`` makes the whole file sum to this (OpenType ``head``).
CHECKSUM_MAGIC = 0xB1B0AFBA


#: ``head.unitsPerEm`` outside this range is invalid (OpenType ``head``: 16 to 16384).
UNITS_PER_EM_RANGE = (16, 16384)
#: Tables every usable face has.
REQUIRED_TABLES = ("head", "hhea", "maxp", "cmap", "loca", "hmtx", "glyf")

#: An array type code of 32-bit unsigned integers on this platform.
_U32 = next(code for code in "IL" if array(code).itemsize == 4)


class TrueTypeError(ValueError):
    """Not a TrueType-outline font this module can read."""


class TrueTypeFile:
    """One TrueType font file, memory-mapped; glyph lookups and subsetting."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        self.data = data
        try:
            self._read_tables(path, data)
        except (struct.error, IndexError, ValueError) as exc:
            if isinstance(exc, TrueTypeError):
                raise
            raise TrueTypeError(f"{path.name}: damaged font ({exc})") from None

    @classmethod
    def open(cls, path: Path) -> TrueTypeFile:
        """Read ``path`` (a regular file, bounded) and parse it.

        Raises:
            TrueTypeError: unreadable, not a font, or damaged; the message says which.
        """
        try:
            data = read_regular(path, FONT_MAX_BYTES)
        except UnreadableFile as exc:
            raise TrueTypeError(f"{path.name}: {exc.reason}") from None
        if data[:4] == b"ttcf":
            raise TrueTypeError(f"{path.name}: a font collection (.ttc); name one TrueType file (.ttf)")
        if data[:4] == b"OTTO":
            raise TrueTypeError(f"{path.name}: CFF outlines (an .otf font) cannot be embedded; use a TrueType (.ttf) file")
        return cls(path, data)

    def _read_tables(self, path: Path, data: bytes) -> None:
        (count,) = struct.unpack_from(">H", data, 4)
        self.tables: dict[str, tuple[int, int]] = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            if offset + length > len(data):
                raise TrueTypeError(f"{path.name}: table {tag!r} lies outside the file (damaged font)")
            self.tables[tag.decode("latin-1")] = (offset, length)
        for tag in REQUIRED_TABLES:
            if tag not in self.tables:
                raise TrueTypeError(f"{path.name}: no {tag!r} table (not a TrueType-outline font)")
        head = self._need("head", 54)
        self.units_per_em = struct.unpack_from(">H", data, head + 18)[0]
        if not UNITS_PER_EM_RANGE[0] <= self.units_per_em <= UNITS_PER_EM_RANGE[1]:
            raise TrueTypeError(f"{path.name}: unitsPerEm {self.units_per_em} is invalid (16 to 16384)")
        self.bbox = struct.unpack_from(">4h", data, head + 36)
        self.long_loca = struct.unpack_from(">h", data, head + 50)[0] == 1
        hhea = self._need("hhea", 36)
        self.ascent, self.descent = struct.unpack_from(">hh", data, hhea + 4)
        self.n_hmetrics = struct.unpack_from(">H", data, hhea + 34)[0]
        self.n_glyphs = struct.unpack_from(">H", data, self._need("maxp", 6) + 4)[0]
        if not 1 <= self.n_hmetrics <= max(self.n_glyphs, 1):
            raise TrueTypeError(f"{path.name}: {self.n_hmetrics} horizontal metrics for {self.n_glyphs} glyphs")
        self._need("hmtx", 4 * self.n_hmetrics + 2 * (self.n_glyphs - self.n_hmetrics))
        self._need("loca", (4 if self.long_loca else 2) * (self.n_glyphs + 1))
        self.cap_height = self._cap_height()
        self.postscript_name = self._postscript_name() or path.stem
        self._lookup = self._cmap()

    def _need(self, tag: str, length: int) -> int:
        """The offset of a table at least ``length`` bytes long."""
        offset, actual = self.tables[tag]
        if actual < length:
            raise TrueTypeError(f"{self.path.name}: table {tag!r} is too short (damaged font)")
        return offset

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self.data[offset : offset + length]

    def glyph_id(self, codepoint: int) -> int:
        """The glyph of a character (0, .notdef, when the font lacks it or its cmap
        points past the font's glyphs)."""
        try:
            glyph = self._lookup(codepoint)
        except struct.error:
            return 0
        return glyph if glyph < self.n_glyphs else 0

    def advance(self, codepoint: int) -> float | None:
        """Advance width of a character in em, or None when the font lacks it."""
        glyph = self.glyph_id(codepoint)
        if glyph == 0:
            return None
        return self.metrics(glyph)[0] / self.units_per_em

    def metrics(self, glyph: int) -> tuple[int, int]:
        """Advance width and left side bearing of a glyph, in font units."""
        hmtx = self.tables["hmtx"][0]
        if glyph < self.n_hmetrics:
            return struct.unpack_from(">Hh", self.data, hmtx + 4 * glyph)
        advance = struct.unpack_from(">H", self.data, hmtx + 4 * (self.n_hmetrics - 1))[0]
        lsb = struct.unpack_from(">h", self.data, hmtx + 4 * self.n_hmetrics + 2 * (glyph - self.n_hmetrics))[0]
        return advance, lsb

    def glyph_data(self, glyph: int) -> bytes:
        loca, glyf = self.tables["loca"][0], self.tables["glyf"][0]
        if self.long_loca:
            start, end = struct.unpack_from(">II", self.data, loca + 4 * glyph)
        else:
            start, end = (2 * v for v in struct.unpack_from(">HH", self.data, loca + 2 * glyph))
        if not start <= end <= self.tables["glyf"][1]:
            return b""  # a damaged loca entry: the glyph is drawn empty rather than read out of bounds
        return self.data[glyf + start : glyf + end]

    def subset(self, glyphs: list[int]) -> bytes:
        """A font of ``glyphs`` (original ids), renumbered 0, 1, 2, … in that order.

        Components of composite glyphs are appended after them and the references
        rewritten; ``glyphs[0]`` should be 0 (.notdef).
        """
        order = list(glyphs)
        new_id: dict[int, int] = {}
        for index, glyph in enumerate(order):
            new_id.setdefault(glyph, index)
        outlines: list[bytes] = []
        k = 0
        while k < len(order):  # components discovered on the way are appended to ``order``
            data = self.glyph_data(order[k])
            if len(data) >= 10 and struct.unpack_from(">h", data, 0)[0] < 0:
                data = self._remap_components(data, order, new_id)
            outlines.append(data)
            k += 1
        glyf, offsets = bytearray(), []
        for data in outlines:
            offsets.append(len(glyf))
            glyf += data
            glyf += b"\0" * (-len(glyf) % 4)
        offsets.append(len(glyf))
        hmtx = b"".join(struct.pack(">Hh", *self.metrics(g)) for g in order)
        head = bytearray(self.table("head"))
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, set below
        head[50:52] = struct.pack(">h", 1)  # long loca
        hhea = bytearray(self.table("hhea"))
        hhea[34:36] = struct.pack(">H", len(order))
        maxp = bytearray(self.table("maxp"))
        maxp[4:6] = struct.pack(">H", len(order))
        post = struct.pack(">I", 0x00030000) + bytes(self.table("post")[4:16]) + b"\0" * 16 if "post" in self.tables \
            else struct.pack(">I", 0x00030000) + b"\0" * 28
        tables = {
            "head": bytes(head), "hhea": bytes(hhea), "maxp": bytes(maxp), "hmtx": hmtx,
            "loca": struct.pack(f">{len(offsets)}I", *offsets), "glyf": bytes(glyf), "post": post,
        }
        for tag in COPIED_TABLES:
            if tag in self.tables:
                tables[tag] = bytes(self.table(tag))
        return _assemble(tables)

    def _remap_components(self, data: bytes, order: list[int], new_id: dict[int, int]) -> bytes:
        out = bytearray(data)
        pos = 10
        flags = MORE_COMPONENTS
        while flags & MORE_COMPONENTS:
            if pos + 4 > len(out):
                break  # a truncated composite: keep what is there
            flags, component = struct.unpack_from(">HH", out, pos)
            if component >= self.n_glyphs:
                component = 0
            if component not in new_id:
                new_id[component] = len(order)
                order.append(component)
            struct.pack_into(">H", out, pos + 2, new_id[component])
            pos += 4 + (4 if flags & ARG_1_AND_2_ARE_WORDS else 2)
            if flags & WE_HAVE_A_SCALE:
                pos += 2
            elif flags & WE_HAVE_AN_X_AND_Y_SCALE:
                pos += 4
            elif flags & WE_HAVE_A_TWO_BY_TWO:
                pos += 8
        return bytes(out)

    def _postscript_name(self) -> str | None:
        """Name ID 6, as PDF ``BaseFont`` names want it (printable ASCII, no spaces)."""
        if "name" not in self.tables:
            return None
        base = self.tables["name"][0]
        count, strings = struct.unpack_from(">2H", self.data, base + 2)
        for i in range(count):
            platform, _, _, name_id, length, offset = struct.unpack_from(">6H", self.data, base + 6 + 12 * i)
            if name_id == 6 and platform in (1, 3):
                raw = self.data[base + strings + offset : base + strings + offset + length]
                text = raw.decode("utf-16-be" if platform == 3 else "latin-1", errors="replace")
                clean = "".join(c for c in text if 33 <= ord(c) <= 126 and c not in "()<>[]{}/%#")
                if clean:
                    return clean
        return None

    def _cap_height(self) -> int:
        if "OS/2" in self.tables:
            offset, length = self.tables["OS/2"]
            version = struct.unpack_from(">H", self.data, offset)[0]
            if version >= 2 and length >= 90:
                return int(struct.unpack_from(">h", self.data, offset + 88)[0])
        return self.ascent

    def _cmap(self) -> Callable[[int], int]:
        """A code point → glyph function from the best Unicode subtable (format 12, else 4)."""
        base = self.tables["cmap"][0]
        (count,) = struct.unpack_from(">H", self.data, base + 2)
        found: dict[int, int] = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", self.data, base + 4 + 8 * i)
            if (platform, encoding) in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
                fmt = struct.unpack_from(">H", self.data, base + offset)[0]
                found.setdefault(fmt, base + offset)
        if 12 in found:
            return _Format12(self.data, found[12])
        if 4 in found:
            return _Format4(self.data, found[4])
        raise TrueTypeError("no Unicode cmap (format 4 or 12)")


def _ushorts(data: bytes, offset: int, count: int) -> list[int]:
    return list(struct.unpack_from(f">{count}H", data, offset))


class _Format12:
    """Segmented coverage: groups of consecutive code points → consecutive glyphs."""

    def __init__(self, data: bytes, offset: int):
        (groups,) = struct.unpack_from(">I", data, offset + 12)
        values = array(_U32, data[offset + 16 : offset + 16 + 12 * groups])  # a CJK face has ~20,000 groups
        if len(values) != 3 * groups:
            raise TrueTypeError("truncated cmap")
        if sys.byteorder == "little":
            values.byteswap()
        self.starts, self.ends, self.glyphs = values[0::3], values[1::3], values[2::3]

    def __call__(self, codepoint: int) -> int:
        i = bisect_right(self.starts, codepoint) - 1
        if i >= 0 and codepoint <= self.ends[i]:
            return int(self.glyphs[i] + codepoint - self.starts[i])
        return 0


class _Format4:
    """Segment mapping to delta values (BMP only)."""

    def __init__(self, data: bytes, offset: int):
        segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
        self.data = data
        self.ends = _ushorts(data, offset + 14, segments)
        self.starts = _ushorts(data, offset + 16 + 2 * segments, segments)
        self.deltas = _ushorts(data, offset + 16 + 4 * segments, segments)
        self.range_base = offset + 16 + 6 * segments
        self.ranges = _ushorts(data, self.range_base, segments)

    def __call__(self, codepoint: int) -> int:
        i = bisect_left(self.ends, codepoint)
        if i >= len(self.ends) or self.starts[i] > codepoint:
            return 0
        if not self.ranges[i]:
            return (codepoint + self.deltas[i]) & 0xFFFF
        address = self.range_base + 2 * i + self.ranges[i] + 2 * (codepoint - self.starts[i])
        glyph = struct.unpack_from(">H", self.data, address)[0]
        return (glyph + self.deltas[i]) & 0xFFFF if glyph else 0


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _assemble(tables: dict[str, bytes]) -> bytes:
    """An sfnt file of ``tables``: directory sorted by tag, 4-byte aligned, checksums set."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    offset = 12 + 16 * count
    directory, body = bytearray(), bytearray()
    head_at = 0
    for tag in tags:
        data = tables[tag]
        if tag == "head":
            head_at = offset
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(data), offset, len(data))
        body += data + b"\0" * (-len(data) % 4)
        offset += len(data) + (-len(data) % 4)
    font = bytearray(header + directory + body)
    adjustment = (CHECKSUM_MAGIC - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_at + 8 : head_at + 12] = struct.pack(">I", adjustment)
    return bytes(font)


