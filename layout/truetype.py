"""The one reader of TrueType files: what layout measures and what a PDF embeds.

Only the tables needed are touched (the table directory, ``head``, ``hhea``, ``maxp``,
``cmap``, ``loca``, ``hmtx``, ``glyf``), and lazily: opening a 15 MB CJK face parses the
directory, a few header fields and the cmap's group array (well under a millisecond);
advances are read per glyph when asked.  Every table but the outlines (``glyf``) is
read into memory once (bounded, a regular file only) rather than mapped, so that a font
truncated while a preview server runs can never crash it; the outlines are read when a
subset needs them, from the file checked to be the one first read (a font changed in
the meantime is a :class:`TrueTypeError`: render again).  Every offset
read from the file is checked against the file's length: a damaged or hostile font is a
:class:`TrueTypeError`, never an exception from deep inside.  The subset keeps the
hinting tables and renumbers glyphs in the order the document asks for them
(ISO/IEC 14496-22 (OpenType) for the table layouts).
"""

from __future__ import annotations

import os
import struct
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from layout.safeio import FONT_MAX_BYTES, UnreadableFile, open_regular

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
#: sfnt versions of a TrueType-outline file (OpenType's 1.0, and Apple's 'true').
TRUETYPE_VERSIONS = (b"\x00\x01\x00\x00", b"true")
#: Bytes of the offset table, and of each table directory entry, at the start of the file.
OFFSET_TABLE_BYTES = 12
TABLE_RECORD_BYTES = 16
#: Most glyphs a font (and so a subset) can have: glyph ids are 16-bit.
MAX_GLYPHS = 0xFFFF
#: What a damaged file raises from the standard library while a table is read.
_READ_ERRORS = (struct.error, IndexError, ValueError, OverflowError)

#: An array type code of 32-bit unsigned integers on this platform.
_U32 = next(code for code in "IL" if array(code).itemsize == 4)


class TrueTypeError(ValueError):
    """Not a TrueType-outline font this module can read."""


class _Outlines:
    """The ``glyf`` table of a font file, read on demand.

    A CJK face is 10–30 MB, nearly all of it outlines, of which a page embeds a few
    hundred.  No descriptor is kept between reads (an edition of hundreds of pages keeps
    hundreds of faces); each read — a subset reads in one :meth:`session` — opens the
    file again and checks it is still the one read at first (size, time, inode): a font
    changed in the meantime is refused, never mixed with what was read before.
    """

    def __init__(self, path: Path, fd: int):
        self.path = path
        info = os.fstat(fd)
        self.size = info.st_size
        self._identity = (info.st_size, info.st_mtime_ns, info.st_ino)
        self.offset = self.length = 0
        self._fd: int | None = fd  # open while the file is first read, and during a session

    def _pread(self, length: int, offset: int) -> bytes:
        assert self._fd is not None
        data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise TrueTypeError(f"{self.path.name}: the file is shorter than it was (changed while in use)")
        return data

    def without_glyf(self) -> tuple[bytes, _Outlines | None]:
        """The file's bytes but its ``glyf`` table, and self (None when the directory
        names no usable ``glyf``: then everything is read and checked as usual).  Closes
        the descriptor it was made with."""
        try:
            return self._without_glyf()
        finally:
            self.close()

    def _without_glyf(self) -> tuple[bytes, _Outlines | None]:
        """Header, directory and every table but ``glyf``, packed one after another (the
        directory's offsets rewritten to match): what lies between tables — padding, or
        hundreds of MB of it in a hostile file — is never read."""
        head = self._pread(min(self.size, OFFSET_TABLE_BYTES), 0)
        if len(head) < OFFSET_TABLE_BYTES or head[:4] not in TRUETYPE_VERSIONS:
            return head, None  # not a TrueType font (or a collection, CFF): said from its first bytes
        (count,) = struct.unpack_from(">H", head, 4)
        end = OFFSET_TABLE_BYTES + TABLE_RECORD_BYTES * count
        if end > self.size:
            return head, None  # its directory lies past its end: truncated
        packed = bytearray(self._pread(end, 0))
        outlines: _Outlines | None = None
        for i in range(count):
            record = OFFSET_TABLE_BYTES + TABLE_RECORD_BYTES * i
            tag, _, offset, length = struct.unpack_from(">4sIII", packed, record)
            if offset + length > self.size:
                return bytes(packed[:end]), None  # a table outside the file: said by the reader
            if tag == b"glyf":
                self.offset, self.length, outlines = offset, length, self
                continue  # read when a subset needs it; the directory keeps its place in the file
            packed += b"\0" * (-len(packed) % 4)
            struct.pack_into(">I", packed, record + 8, len(packed))
            packed += self._pread(length, offset)
        return bytes(packed), outlines

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @contextmanager
    def session(self) -> Iterator[None]:
        """The file open (and checked) for the reads inside."""
        if self._fd is not None:
            yield
            return
        try:
            fd = open_regular(self.path, FONT_MAX_BYTES)
        except UnreadableFile as exc:
            raise TrueTypeError(f"{self.path.name}: {exc.reason} (it changed while in use; render again)") from None
        try:
            info = os.fstat(fd)
            if (info.st_size, info.st_mtime_ns, info.st_ino) != self._identity:
                raise TrueTypeError(f"{self.path.name}: the file changed while in use; render again")
            self._fd = fd
            yield
        finally:
            self._fd = None
            os.close(fd)

    def read(self, start: int, length: int) -> bytes:
        """``length`` bytes at ``start`` in the ``glyf`` table."""
        with self.session():
            return self._pread(length, self.offset + start)


class TrueTypeFile:
    """One TrueType font file: every table but ``glyf`` read into memory, the outlines
    read when a subset needs them; glyph lookups and subsetting.

    ``data`` is the file's header and directory with every table but ``glyf`` packed
    after it (the directory's offsets rewritten; the ``glyf`` record keeps its offset in
    the file); ``outlines`` reads bytes of the ``glyf`` table from the file as it was
    opened (None: ``glyf`` is in ``data`` like any table).
    """

    def __init__(self, path: Path, data: bytes, outlines: _Outlines | None = None):
        self.path = path
        self.data = data
        self._outlines = outlines
        try:
            self._read_tables(path, data)
        except TrueTypeError:
            raise
        except _READ_ERRORS as exc:
            raise TrueTypeError(f"{path.name}: damaged font ({exc})") from None

    @classmethod
    def open(cls, path: Path) -> TrueTypeFile:
        """Read ``path`` (a regular file, bounded) and parse it.

        Raises:
            TrueTypeError: unreadable, not a font, or damaged; the message says which.
        """
        try:
            source = _Outlines(path, open_regular(path, FONT_MAX_BYTES))
        except UnreadableFile as exc:
            raise TrueTypeError(f"{path.name}: {exc.reason}") from None
        data, outlines = source.without_glyf()
        if data[:4] == b"ttcf":
            raise TrueTypeError(f"{path.name}: a font collection (.ttc); name one TrueType file (.ttf)")
        if data[:4] == b"OTTO":
            raise TrueTypeError(f"{path.name}: CFF outlines (an .otf font) cannot be embedded; use a TrueType (.ttf) file")
        if data[:4] not in TRUETYPE_VERSIONS:
            raise TrueTypeError(f"{path.name}: not a TrueType font file (no TrueType signature at its start)")
        return cls(path, data, outlines)

    def _read_tables(self, path: Path, data: bytes) -> None:
        if len(data) < OFFSET_TABLE_BYTES:
            raise TrueTypeError(f"{path.name}: truncated ({len(data)} bytes; not a whole font)")
        (count,) = struct.unpack_from(">H", data, 4)
        if OFFSET_TABLE_BYTES + TABLE_RECORD_BYTES * count > len(data):
            raise TrueTypeError(f"{path.name}: truncated (its table directory of {count} tables lies past the end)")
        self.tables: dict[str, tuple[int, int]] = {}
        outlines = self._outlines
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, OFFSET_TABLE_BYTES + TABLE_RECORD_BYTES * i)
            if offset + length > (outlines.size if outlines is not None and tag == b"glyf" else len(data)):
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
        if self.n_glyphs == 0:
            raise TrueTypeError(f"{path.name}: no glyphs (maxp.numGlyphs is 0)")
        if not 1 <= self.n_hmetrics <= self.n_glyphs:
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
        except (struct.error, IndexError, OverflowError):
            return 0
        return glyph if 0 <= glyph < self.n_glyphs else 0

    def _check_glyph(self, glyph: int) -> None:
        if not 0 <= glyph < self.n_glyphs:
            raise TrueTypeError(f"{self.path.name}: no glyph {glyph} (the font has {self.n_glyphs})")

    def advance(self, codepoint: int) -> float | None:
        """Advance width of a character in em, or None when the font lacks it."""
        glyph = self.glyph_id(codepoint)
        if glyph == 0:
            return None
        return self.metrics(glyph)[0] / self.units_per_em

    def metrics(self, glyph: int) -> tuple[int, int]:
        """Advance width and left side bearing of a glyph, in font units.

        Raises:
            TrueTypeError: no such glyph.
        """
        self._check_glyph(glyph)  # the hmtx table's length was checked for n_glyphs at open
        hmtx = self.tables["hmtx"][0]
        if glyph < self.n_hmetrics:
            return struct.unpack_from(">Hh", self.data, hmtx + 4 * glyph)
        advance = struct.unpack_from(">H", self.data, hmtx + 4 * (self.n_hmetrics - 1))[0]
        lsb = struct.unpack_from(">h", self.data, hmtx + 4 * self.n_hmetrics + 2 * (glyph - self.n_hmetrics))[0]
        return advance, lsb

    def glyph_data(self, glyph: int) -> bytes:
        """The outline of a glyph as stored (empty for a damaged loca entry).

        Raises:
            TrueTypeError: no such glyph.
        """
        self._check_glyph(glyph)  # the loca table's length was checked for n_glyphs at open
        loca, glyf = self.tables["loca"][0], self.tables["glyf"][0]
        if self.long_loca:
            start, end = struct.unpack_from(">II", self.data, loca + 4 * glyph)
        else:
            start, end = (2 * v for v in struct.unpack_from(">HH", self.data, loca + 2 * glyph))
        if not start <= end <= self.tables["glyf"][1]:
            return b""  # a damaged loca entry: the glyph is drawn empty rather than read out of bounds
        if self._outlines is not None:
            return self._outlines.read(start, end - start)
        return self.data[glyf + start : glyf + end]

    def subset(self, glyphs: list[int]) -> bytes:
        """A font of ``glyphs`` (original ids), renumbered 0, 1, 2, … in that order.

        Components of composite glyphs are appended after them and the references
        rewritten; ``glyphs[0]`` should be 0 (.notdef).  A composite that refers to
        itself, directly or through others, is kept empty: a viewer or RIP following
        the loop would never finish.

        Raises:
            TrueTypeError: a glyph the font does not have, more than MAX_GLYPHS glyphs,
                or tables too damaged to copy.
        """
        try:
            if self._outlines is None:
                return self._subset(list(glyphs))
            with self._outlines.session():  # one open of the file for all the outlines
                return self._subset(list(glyphs))
        except TrueTypeError:
            raise
        except _READ_ERRORS as exc:
            raise TrueTypeError(f"{self.path.name}: damaged font ({exc})") from None

    def _subset(self, order: list[int]) -> bytes:
        for glyph in order:
            self._check_glyph(glyph)
        new_id: dict[int, int] = {}
        for index, glyph in enumerate(order):
            new_id.setdefault(glyph, index)
        outlines: list[bytes] = []
        components: list[list[int]] = []
        k = 0
        while k < len(order):  # components discovered on the way are appended to ``order``
            data = self.glyph_data(order[k])
            used: list[int] = []
            if len(data) >= 10 and struct.unpack_from(">h", data, 0)[0] < 0:
                data = self._remap_components(data, order, new_id, used)
            outlines.append(data)
            components.append(used)
            k += 1
        if len(order) > MAX_GLYPHS:
            raise TrueTypeError(f"{self.path.name}: a subset of {len(order):,} glyphs (at most {MAX_GLYPHS:,})")
        for index in _cyclic(components):
            outlines[index] = b""
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
        post = struct.pack(">I", 0x00030000) + bytes(self.table("post")[4:16]).ljust(12, b"\0") + b"\0" * 16 \
            if "post" in self.tables \
            else struct.pack(">I", 0x00030000) + b"\0" * 28
        tables = {
            "head": bytes(head), "hhea": bytes(hhea), "maxp": bytes(maxp), "hmtx": hmtx,
            "loca": struct.pack(f">{len(offsets)}I", *offsets), "glyf": bytes(glyf), "post": post,
        }
        for tag in COPIED_TABLES:
            if tag in self.tables:
                tables[tag] = bytes(self.table(tag))
        return _assemble(tables)

    def _remap_components(self, data: bytes, order: list[int], new_id: dict[int, int], used: list[int]) -> bytes:
        """The composite ``data`` with its components renumbered (new ones appended to
        ``order``, their new ids to ``used``); a component past the font's glyphs is
        taken as .notdef."""
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
            used.append(new_id[component])
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
        """A code point → glyph function from the best Unicode subtable (format 12, else 4);
        every subtable must lie inside the cmap table."""
        base, length = self.tables["cmap"]
        data = self.data[base : base + length]  # offsets in the cmap are relative to it: bounded by it
        name = self.path.name
        (count,) = struct.unpack_from(">H", data, 2)
        if 4 + 8 * count > length:
            raise TrueTypeError(f"{name}: damaged cmap ({count} subtables do not fit in it)")
        found: dict[int, int] = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
            if (platform, encoding) in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
                if offset + 2 > length:
                    raise TrueTypeError(f"{name}: damaged cmap (a subtable lies outside it)")
                fmt = struct.unpack_from(">H", data, offset)[0]
                found.setdefault(fmt, offset)
        try:
            if 12 in found:
                return _Format12(data, found[12])
            if 4 in found:
                return _Format4(data, found[4])
        except TrueTypeError as exc:
            raise TrueTypeError(f"{name}: damaged cmap ({exc})") from None
        raise TrueTypeError(f"{name}: no Unicode cmap (format 4 or 12)")


def _ushorts(data: bytes, offset: int, count: int) -> list[int]:
    return list(struct.unpack_from(f">{count}H", data, offset))


class _Format12:
    """Segmented coverage: groups of consecutive code points → consecutive glyphs."""

    def __init__(self, data: bytes, offset: int):
        if offset + 16 > len(data):
            raise TrueTypeError("truncated format 12 subtable")
        (groups,) = struct.unpack_from(">I", data, offset + 12)
        if offset + 16 + 12 * groups > len(data):
            raise TrueTypeError(f"truncated format 12 subtable ({groups:,} groups do not fit)")
        values = array(_U32, data[offset + 16 : offset + 16 + 12 * groups])  # a CJK face has ~20,000 groups
        if sys.byteorder == "little":
            values.byteswap()
        self.starts, self.ends, self.glyphs = values[0::3], values[1::3], values[2::3]

    def __call__(self, codepoint: int) -> int:
        i = bisect_right(self.starts, codepoint) - 1
        if i >= 0 and self.starts[i] <= codepoint <= self.ends[i]:  # unsorted groups: a miss, not a bad id
            return int(self.glyphs[i] + codepoint - self.starts[i])
        return 0


class _Format4:
    """Segment mapping to delta values (BMP only)."""

    def __init__(self, data: bytes, offset: int):
        if offset + 14 > len(data):
            raise TrueTypeError("truncated format 4 subtable")
        segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
        if offset + 16 + 8 * segments > len(data):
            raise TrueTypeError(f"truncated format 4 subtable ({segments:,} segments do not fit)")
        self.data = data  # the cmap table only: glyph ids are read from inside it
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
        if address + 2 > len(self.data):
            return 0  # idRangeOffset points past the cmap: damaged, the character is missing
        glyph = struct.unpack_from(">H", self.data, address)[0]
        return (glyph + self.deltas[i]) & 0xFFFF if glyph else 0


def _cyclic(components: list[list[int]]) -> set[int]:
    """Composites (by index) whose references close a loop: the glyph from which a
    depth-first walk meets one of its own ancestors again (iterative: no recursion
    limit, linear in the references)."""
    state = [0] * len(components)  # 0 unseen, 1 on the current path, 2 done
    closing: set[int] = set()
    for root in range(len(components)):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, 0)]
        while stack:
            glyph, k = stack[-1]
            if k == len(components[glyph]):
                state[glyph] = 2
                stack.pop()
                continue
            stack[-1] = (glyph, k + 1)
            child = components[glyph][k]
            if state[child] == 1:
                closing.add(glyph)
            elif state[child] == 0:
                state[child] = 1
                stack.append((child, 0))
    return closing


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


