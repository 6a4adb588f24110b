"""The text encoding of a .txt file of copy: by its byte-order mark, else strict UTF-8,
else GB18030 (a superset of GBK and GB2312, what Chinese Windows saves as "ANSI").

Binary junk is refused rather than imported as mojibake: a NUL character (binary data,
or UTF-16 saved without a BOM), or more than a small share of control or private-use
characters after decoding (GB18030 decodes much random data without error, mostly into
rare and private-use characters).
"""

from __future__ import annotations

import codecs
import unicodedata
from enum import StrEnum

from layout.importer import ImportRefused

#: Most control characters (other than tab, line and page breaks) and private-use
#: characters a text may hold, as a share of its characters: real copy has none, a stray
#: one from a pasted web page is forgiven.
JUNK_MAX_SHARE = 0.01
#: Characters looked at when judging junk: enough for a verdict, and linear in any case.
JUNK_SAMPLE_CHARS = 200_000


class Encoding(StrEnum):
    UTF8 = "UTF-8"
    UTF8_BOM = "UTF-8 with BOM"
    UTF16LE = "UTF-16LE (BOM)"
    UTF16BE = "UTF-16BE (BOM)"
    GB18030 = "GB18030"


#: Byte-order marks and what they say, longest first.
_BOMS = ((codecs.BOM_UTF8, Encoding.UTF8_BOM, "utf-8"), (codecs.BOM_UTF16_LE, Encoding.UTF16LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, Encoding.UTF16BE, "utf-16-be"))
#: Whitespace controls that plain text holds.
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a")  # \x1a: the DOS end-of-file mark some editors still write


_NUL = ("not text: it holds NUL characters (a binary file, or UTF-16 saved without a BOM)",
        "不是文本文件：含有 NUL 字符（二进制文件，或不带 BOM 的 UTF-16）")


def decode(raw: bytes) -> tuple[str, Encoding]:
    """The text and its encoding.

    Raises:
        ImportRefused: not text in any of the encodings, or binary junk.
    """
    text, encoding = _decode(raw)
    _refuse_junk(text)
    return text, encoding


def _decode(raw: bytes) -> tuple[str, Encoding]:
    for bom, encoding, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), encoding
            except UnicodeDecodeError:
                raise ImportRefused(f"it starts with a {encoding.value.split()[0]} byte-order mark but is not "
                                    f"{encoding.value.split()[0]} text",
                                    f"文件以 {encoding.value.split()[0]} 字节顺序标记开头，内容却不是该编码的文本") from None
    if b"\x00" in raw:  # no text encoding but UTF-16/32 has NUL bytes, and those need a BOM here
        raise ImportRefused(_NUL[0], _NUL[1])
    try:
        return raw.decode("utf-8"), Encoding.UTF8
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), Encoding.GB18030
    except UnicodeDecodeError:
        raise ImportRefused("not text: neither UTF-8, UTF-16 (with a BOM) nor GB18030/GBK",
                            "不是文本文件：既不是 UTF-8、带 BOM 的 UTF-16，也不是 GB18030/GBK 编码") from None


def _refuse_junk(text: str) -> None:
    if "\x00" in text:
        raise ImportRefused(_NUL[0], _NUL[1])
    sample = text[:JUNK_SAMPLE_CHARS]
    junk = sum(1 for char in sample if char not in _TEXT_CONTROLS and unicodedata.category(char) in ("Cc", "Co"))
    if junk > JUNK_MAX_SHARE * len(sample):
        raise ImportRefused(f"not text: {junk} of its first {len(sample)} characters are control or private-use "
                            "characters (a binary file?)",
                            f"不是文本文件：前 {len(sample)} 个字符中有 {junk} 个控制字符或私用区字符（二进制文件？）")
