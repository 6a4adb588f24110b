"""Copy import (``paiban import``): a reporter's .docx or .txt file becomes one article
block of the page spec (YAML), ready to paste under a page's ``blocks:``.

Stages, one module each: ``decode`` (the text encoding of a .txt file), ``word`` (the
paragraphs and inline bold/italic of a .docx, read with python-docx inside size bounds),
``structure`` (which paragraph is the kicker, title, subtitle, byline, a subhead or body
text, by the conventions documented in docs/cli.md), ``emit`` (the YAML text).
"""

from __future__ import annotations

from dataclasses import dataclass


class ImportRefused(Exception):
    """A file that cannot be imported; the reason in English and in Chinese."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


@dataclass(frozen=True, slots=True)
class Note:
    """Something the import did or left out that the desk should know, in both languages."""

    en: str
    zh: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


#: A .txt of copy: a long feature is 20 kB; 4 MiB is a book.
TEXT_MAX_BYTES = 4 * 1024 * 1024
#: The zip signature: a .docx (or any zip) whatever its name.
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class Imported:
    """An imported article block: its YAML, what the file's encoding was, and notes."""

    yaml: str
    source_kind: str  # "docx" or the text encoding detected ("UTF-8", "GB18030", ...)
    notes: tuple[Note, ...]


def import_file(path: str, block_id: str) -> Imported:
    """One reporter's file (.docx, or text in any of the encodings ``decode`` knows) as
    an article block.

    Raises:
        ImportRefused: unreadable, too large, not text, a zip bomb, no text in it.
    """
    from layout.importer.decode import decode
    from layout.importer.emit import block_yaml
    from layout.importer.structure import Para, Run, structure
    from layout.importer.word import DOCX_MAX_BYTES, read_docx
    from layout.safeio import UnreadableFile, read_regular

    is_docx = path.lower().endswith((".docx", ".docm", ".doc"))
    try:
        data = read_regular(path, DOCX_MAX_BYTES if is_docx else TEXT_MAX_BYTES)
    except UnreadableFile as exc:
        raise ImportRefused(f"cannot read it: {exc.reason}", f"无法读取：{_reason_zh(exc.reason)}") from None
    notes: list[Note] = []
    if is_docx or data.startswith(ZIP_MAGIC) or data.startswith(b"\xd0\xcf\x11\xe0"):
        paras, notes = read_docx(data)
        kind = "docx"
    else:
        text, encoding = decode(data)
        paras = [Para((Run(line),)) for line in text.splitlines()]
        kind = encoding.value
    article = structure(paras)
    if not article.title and not article.body:
        raise ImportRefused("no text in it", "文件中没有文字")
    if not article.title:
        notes.append(Note("no title found: the title is empty", "未找到标题：标题为空"))
    return Imported(block_yaml(article, block_id, path), kind, (*notes, *article.notes))


def _reason_zh(reason: str) -> str:
    """The Chinese of ``safeio``'s reasons (they are written in English)."""
    for en, zh in _REASONS_ZH:
        reason = reason.replace(en, zh)
    return reason


#: ``safeio``'s wording, piece by piece, in Chinese.
_REASONS_ZH = (("no such file", "文件不存在"), ("a folder, not a file", "这是文件夹，不是文件"),
               ("not a regular file", "不是普通文件"), ("(a folder)", "（文件夹）"), ("(a named pipe)", "（命名管道）"),
               ("(a device)", "（设备）"), ("(a socket)", "（套接字）"), ("(not a plain file)", "（特殊文件）"),
               ("too large (more than", "文件过大（超过"), ("too large (", "文件过大（"), ("bytes; at most", "字节；最多"),
               (" bytes)", " 字节）"), ("cannot open it (", "无法打开（"), ("cannot read it (", "无法读取（"))
