"""Each face of a document embedded once, as a composite font (ISO 32000-1 §9.7).

A Type 0 font with the ``Identity-H`` encoding over a ``CIDFontType2`` descendant: text
is drawn as 2-byte codes, one per character, numbered in the order the document first
uses them; the embedded TrueType subset has its glyphs in that same order (CID = glyph
id, ``CIDToGIDMap /Identity``), ``/W`` gives every advance, and a ``ToUnicode`` CMap maps
each code back to its character so that the text can be searched and copied.

Compared with reportlab's own TrueType embedding (a new 8-bit simple font for every 256
characters), one font per face means one font program, one widths array and one string
per glyph run, and nothing to parse at start-up beyond the table directory.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from layout.fontdb import Face, FontError, open_face
from layout.memo import Memo
from layout.truetype import TrueTypeFile

#: zlib level for font programs and CMaps: 6 is zlib's default balance (level 9 saves
#: ~1 % on CJK glyph outlines at twice the time).
FLATE_LEVEL = 6
#: Entries per ``beginbfchar`` block: the CMap format allows at most 100.
BFCHAR_BLOCK = 100
#: PDF font flags: symbolic (ISO 32000-1 Table 123), as for any CID-keyed TrueType font.
FLAG_SYMBOLIC = 4
#: Dominant vertical stem width; not in a TrueType file, and only a hint to viewers.
STEM_V = 80
#: Prefix of our font resource names, apart from reportlab's own F1, F2, …
RESOURCE_PREFIX = "PB"


@dataclass(slots=True)
class _Embedded:
    """One face's characters in this document, in the order of first use (CID 1, 2, …)."""

    face: Face
    resource: str
    # character -> 4 hex digits; a glyph drawn for another character (a vertical form
    # standing for its horizontal mark) is keyed (glyph's character, character)
    codes: dict[str | tuple[str, str], str] = field(default_factory=dict)

    def encode_glyph(self, glyph: str, text: str) -> str:
        """The code of ``glyph`` (one character) read back as ``text``."""
        key: str | tuple[str, str] = glyph if glyph == text else (glyph, text)
        code = self.codes.get(key)
        if code is None:
            code = self.codes[key] = f"{len(self.codes) + 1:04X}"
        return code

    def encode(self, text: str) -> str:
        codes = self.codes
        try:
            return "".join([codes[c] for c in text])
        except KeyError:
            for char in text:
                if char not in codes:
                    codes[char] = f"{len(codes) + 1:04X}"
            return "".join([codes[c] for c in text])


class DocumentFonts:
    """The fonts of one PDF document; reportlab calls :meth:`addObjects` when saving."""

    def __init__(self, memo: Memo | None = None) -> None:
        self._faces: dict[Path, _Embedded] = {}
        self._memo = memo if memo is not None else Memo()

    def encode(self, face: Face, text: str) -> tuple[str, str]:
        """The resource name of ``face`` and ``text`` as a hex string of its codes."""
        embedded = self._faces.get(face.path)
        if embedded is None:
            embedded = self._faces[face.path] = _Embedded(face, f"{RESOURCE_PREFIX}{len(self._faces) + 1}")
        return embedded.resource, embedded.encode(text)

    def encode_glyph(self, face: Face, glyph: str, text: str) -> tuple[str, str]:
        """The resource name of ``face`` and the code of the glyph of ``glyph`` that the
        text layer reads as ``text`` (its ToUnicode entry): a vertical form (︐) is drawn
        but copied and searched as its horizontal mark (，)."""
        embedded = self._faces.get(face.path)
        if embedded is None:
            embedded = self._faces[face.path] = _Embedded(face, f"{RESOURCE_PREFIX}{len(self._faces) + 1}")
        return embedded.resource, embedded.encode_glyph(glyph, text)

    def addObjects(self, doc) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - reportlab's name
        fonts = doc.idToObject["BasicFonts"].dict
        for embedded in self._faces.values():
            fonts[embedded.resource] = doc.Reference(_type0(doc, embedded, self._memo), embedded.resource)


def _type0(doc, embedded: _Embedded, memo: Memo) -> PDFDictionary:  # type: ignore[no-untyped-def]
    # The very file layout measured (a face read again only if it came without one).
    font = embedded.face.file or open_face(embedded.face.path).file
    if font is None:  # cannot happen: open_face always reads the file (or raises FontError)
        raise FontError(f"{embedded.face.path.name}: no font file to embed")
    # the drawn character of each code, and what the text layer reads for it
    chars = [key if isinstance(key, str) else key[0] for key in embedded.codes]
    read = tuple((key if isinstance(key, str) else key[1], code) for key, code in embedded.codes.items())
    glyphs = tuple(font.glyph_id(ord(c)) for c in chars)
    # A re-render (preview, watch) of the same page embeds the same subsets, and cutting
    # and compressing them is most of the PDF's cost: kept in the memo by font and glyphs.
    packed, length, tag = memo.get(("font program", font, glyphs), lambda: _program(font, glyphs))
    name = f"{tag}+{font.postscript_name}"
    scale = 1000 / font.units_per_em
    descriptor = PDFDictionary({
        "Type": PDFName("FontDescriptor"), "FontName": PDFName(name), "Flags": FLAG_SYMBOLIC,
        "FontBBox": PDFArray([round(v * scale) for v in font.bbox]), "ItalicAngle": 0,
        "Ascent": round(font.ascent * scale), "Descent": round(font.descent * scale),
        "CapHeight": round(font.cap_height * scale), "StemV": STEM_V,
        "FontFile2": doc.Reference(_packed_stream(packed, {"Length1": length})),
    })
    widths = [embedded.face.advance(ord(c)) * 1000 for c in chars]  # formatted by reportlab (fp_str)
    descendant = PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("CIDFontType2"), "BaseFont": PDFName(name),
        "CIDSystemInfo": PDFDictionary({"Registry": PDFString("Adobe"), "Ordering": PDFString("Identity"),
                                        "Supplement": 0}),
        "FontDescriptor": doc.Reference(descriptor), "DW": 1000,
        "W": PDFArray([1, PDFArray(widths)]), "CIDToGIDMap": PDFName("Identity"),
    })
    return PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("Type0"), "BaseFont": PDFName(name),
        "Encoding": PDFName("Identity-H"), "DescendantFonts": PDFArray([doc.Reference(descendant)]),
        "ToUnicode": doc.Reference(_packed_stream(_to_unicode_kept(read, memo), {})),
    })


def _program(font: TrueTypeFile, glyphs: tuple[int, ...]) -> tuple[bytes, int, str]:
    """The subset of ``glyphs`` (after .notdef) compressed, its length, and its tag."""
    program = font.subset([0, *glyphs])
    # The subset tag (six capitals) is derived from the subset itself: deterministic.
    digest = hashlib.sha1(program).digest()
    return zlib.compress(program, FLATE_LEVEL), len(program), "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _packed_stream(packed: bytes, entries: dict[str, object]) -> PDFStream:
    dictionary = PDFDictionary({**entries, "Filter": PDFName("FlateDecode")})
    return PDFStream(dictionary, packed, filters=[])


def _to_unicode_kept(codes: tuple[tuple[str, str], ...], memo: Memo) -> bytes:
    return memo.get(("to unicode", codes), lambda: _to_unicode(codes))


def _to_unicode(codes: tuple[tuple[str, str], ...]) -> bytes:
    """The ToUnicode CMap, compressed: each 2-byte code to its character in UTF-16BE (§9.10.3)."""
    blocks = []
    for start in range(0, len(codes), BFCHAR_BLOCK):
        block = codes[start : start + BFCHAR_BLOCK]
        lines = "\n".join(f"<{code}> <{char.encode('utf-16-be').hex().upper()}>" for char, code in block)
        blocks.append(f"{len(block)} beginbfchar\n{lines}\nendbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return zlib.compress(cmap.encode("ascii"), FLATE_LEVEL)
