"""The paragraphs of a Word .docx file, read with python-docx inside bounds.

A .docx is a zip of XML parts.  Before python-docx sees it the archive is checked: at
most ``DOCX_MAX_ENTRIES`` members, at most ``DOCX_MAX_UNPACKED`` bytes unpacked in all
and ``XML_PART_MAX`` bytes in any XML part, no encryption, only stored or deflated
members.  zipfile stops every member at its declared size, so the declared sizes bound
what is decompressed (a zip bomb is refused before any of it is inflated).
python-docx parses XML with lxml without resolving entities or reaching the network.

Nothing in the file is executed or followed: a macro-enabled document (.docm) is refused,
hyperlinks keep their text and lose their target, linked images, attached templates and
other external relationships are never fetched; tables, pictures, text boxes and
comments are left out (tables and pictures are counted in a note).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from layout.importer import ImportRefused, Note
from layout.importer.structure import Hint, Para, Run

#: A .docx of a story is tens of kB; with photos pasted in, tens of MB.
DOCX_MAX_BYTES = 64 * 1024 * 1024
#: Members of the archive: a document has a few dozen.
DOCX_MAX_ENTRIES = 2_000
#: Bytes unpacked in all: python-docx holds every part in memory.
DOCX_MAX_UNPACKED = 256 * 1024 * 1024
#: Bytes of one XML part unpacked: the text of a 300-page book is ~20 MB of document.xml.
XML_PART_MAX = 48 * 1024 * 1024
#: How many base styles are followed to find what a custom paragraph style is based on.
STYLE_DEPTH = 8

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Paragraph style names (case and spaces ignored) and what they make a paragraph; Word
#: writes the English built-in names whatever the interface language, WPS sometimes the
#: Chinese ones.
_STYLE_HINTS = {"title": Hint.TITLE, "标题": Hint.TITLE, "subtitle": Hint.SUBTITLE, "副标题": Hint.SUBTITLE,
                **{f"heading{n}": Hint.HEADING for n in range(1, 10)}, **{f"标题{n}": Hint.HEADING for n in range(1, 10)}}


def check_archive(data: bytes) -> None:
    """Refuse what is not a .docx-shaped zip, or would unpack to too much.

    Raises:
        ImportRefused
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused("an old Word .doc (or an encrypted .docx): save it as .docx (Word 2007 and later)",
                            "这是旧版 Word .doc 文件（或加密的 .docx）：请另存为 .docx 格式")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused("not a Word .docx file (not a zip archive)", "不是 Word .docx 文件（不是 zip 压缩包）") from None
    if len(members) > DOCX_MAX_ENTRIES:
        raise ImportRefused(f"not a plausible .docx: {len(members):,} members in the archive (at most {DOCX_MAX_ENTRIES:,})",
                            f"不像 .docx 文件：压缩包里有 {len(members):,} 个成员（最多 {DOCX_MAX_ENTRIES:,} 个）")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportRefused("the .docx is encrypted", ".docx 文件已加密")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(f"{member.filename}: an unusual compression method in the .docx",
                                f"{member.filename}：.docx 中使用了不常见的压缩方式")
        total += member.file_size
        if member.filename.lower().endswith((".xml", ".rels")) and member.file_size > XML_PART_MAX:
            raise ImportRefused(f"{member.filename} would unpack to {member.file_size:,} bytes (at most "
                                f"{XML_PART_MAX:,}): refused as a zip bomb",
                                f"{member.filename} 解压后有 {member.file_size:,} 字节（最多 {XML_PART_MAX:,}）：疑为压缩炸弹，拒绝读取")
    if total > DOCX_MAX_UNPACKED:
        raise ImportRefused(f"the .docx would unpack to {total:,} bytes (at most {DOCX_MAX_UNPACKED:,}): "
                            "refused as a zip bomb",
                            f".docx 解压后共 {total:,} 字节（最多 {DOCX_MAX_UNPACKED:,}）：疑为压缩炸弹，拒绝读取")
    names = {m.filename.lower() for m in members}
    if any(n.endswith("vbaproject.bin") for n in names):
        raise ImportRefused("a macro-enabled Word file: paiban reads no macros; save it as a plain .docx",
                            "这是含宏的 Word 文件：paiban 不读取宏；请另存为普通 .docx")
    if "word/document.xml" not in names:
        raise ImportRefused("not a Word .docx file (no word/document.xml in the archive)",
                            "不是 Word .docx 文件（压缩包中没有 word/document.xml）")


def read_docx(data: bytes) -> tuple[list[Para], list[Note]]:
    """The body's paragraphs in order, and notes on what was left out.

    Raises:
        ImportRefused: not a readable .docx, too large unpacked, macro-enabled, or
            python-docx is not installed.
    """
    check_archive(data)
    try:
        import docx  # noqa: F401 - the optional extra: pip install 'paiban[import]'
    except ImportError:
        raise ImportRefused("reading .docx needs python-docx: pip install 'paiban[import]'",
                            "读取 .docx 需要 python-docx：请执行 pip install 'paiban[import]'") from None
    try:
        return _read(data)
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted bytes: any failure is bad input
        raise ImportRefused(f"cannot read it as a .docx ({exc.__class__.__name__}: {str(exc)[:200]})",
                            f"无法作为 .docx 读取（{exc.__class__.__name__}：{str(exc)[:200]}）") from None


def _read(data: bytes) -> tuple[list[Para], list[Note]]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (ValueError, PackageNotFoundError, KeyError) as exc:
        if "macroEnabled" in str(exc):
            raise ImportRefused("a macro-enabled Word file: paiban reads no macros; save it as a plain .docx",
                                "这是含宏的 Word 文件：paiban 不读取宏；请另存为普通 .docx") from None
        raise ImportRefused("not a Word document (.docx)", "不是 Word 文档（.docx）") from None
    styles = _Styles(document)
    paras: list[Para] = []
    tables = pictures = 0
    for element in _body_elements(document.element.body):
        if element.tag == f"{_W}tbl":
            tables += 1
            continue
        paragraph = Paragraph(element, document)
        pictures += len(element.findall(f".//{_W}drawing")) + len(element.findall(f".//{_W}pict"))
        paras += _paragraphs(paragraph, element, styles)
    notes = []
    if tables:
        notes.append(Note(f"{tables} table(s) left out: set them as a table block", f"已略去 {tables} 个表格：请用表格块排"))
    if pictures:
        notes.append(Note(f"{pictures} picture(s) left out: place them as photo blocks",
                          f"已略去 {pictures} 张图片：请用图片块放置"))
    return paras, notes


def _body_elements(body: Any) -> list[Any]:
    """Paragraphs and tables of the body in order, also inside content controls (w:sdt)."""
    out = []
    for child in body.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            out.append(child)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out += _body_elements(content)
    return out


def _paragraphs(paragraph: Any, element: Any, styles: _Styles) -> list[Para]:
    """One Word paragraph as paragraphs of copy: a line break (Shift+Enter) starts a new
    one.  Runs inside hyperlinks, fields and tracked insertions count; deleted text
    (w:delText), field codes (w:instrText) and text boxes do not."""
    from docx.text.run import Run as DocxRun

    hint = styles.hint(element.style)
    lines: list[list[Run]] = [[]]
    for r in element.iter(f"{_W}r"):
        if next(r.iterancestors(f"{_W}p"), None) is not element:  # a text box's paragraph inside a drawing
            continue
        font = DocxRun(r, paragraph).font
        style_bold, style_italic = styles.character(r.style)
        bold = bool(style_bold if font.bold is None else font.bold)
        italic = bool(style_italic if font.italic is None else font.italic)
        for child in r.iterchildren():
            if child.tag == f"{_W}t":
                lines[-1].append(Run(child.text or "", bold, italic))
            elif child.tag == f"{_W}tab":
                lines[-1].append(Run(" ", bold, italic))
            elif child.tag in (f"{_W}br", f"{_W}cr"):
                lines.append([])
    return [Para(tuple(runs), hint) for runs in lines]


class _Styles:
    """What a document's styles say, looked up once per style id (python-docx's lookup
    scans every style of the document each time: ~2 ms, per run)."""

    def __init__(self, document: Any) -> None:
        self._part = document.part
        self._characters: dict[str | None, tuple[bool | None, bool | None]] = {}
        self._hints: dict[str | None, Hint] = {}

    def character(self, style_id: str | None) -> tuple[bool | None, bool | None]:
        """Bold and italic of a run's character style (not the paragraph style's: a
        heading is not bold text); None where the style says nothing."""
        if style_id not in self._characters:
            from docx.enum.style import WD_STYLE_TYPE

            style = self._part.get_style(style_id, WD_STYLE_TYPE.CHARACTER) if style_id is not None else None
            self._characters[style_id] = (style.font.bold, style.font.italic) if style is not None else (None, None)
        return self._characters[style_id]

    def hint(self, style_id: str | None) -> Hint:
        """What a paragraph style makes a paragraph, following its base styles."""
        if style_id not in self._hints:
            from docx.enum.style import WD_STYLE_TYPE

            self._hints[style_id] = _hint(self._part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH))
        return self._hints[style_id]


def _hint(style: Any) -> Hint:
    for _ in range(STYLE_DEPTH):
        if style is None:
            break
        hint = _STYLE_HINTS.get("".join((style.name or "").split()).lower())
        if hint is not None:
            return hint
        style = style.base_style
    return Hint.BODY
