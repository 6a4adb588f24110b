"""Spec errors: ``FILE:LINE: message`` in English and Chinese, and key paths of a spec document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]
#: Languages a spec error is written in (the CLI's ``--lang``).
LANGS = ("en", "zh")


@dataclass(frozen=True, slots=True)
class SpecError:
    """One problem with a spec file; str() gives ``FILE:LINE: message`` (English),
    :meth:`render` the same in another language."""

    file: str
    line: int
    message: str
    message_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """The message alone, in ``lang`` (English when there is no translation)."""
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def render(self, lang: str = "en") -> str:
        """``FILE:LINE: message`` in ``lang``."""
        return f"{self.file}:{self.line}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.render("en")


def spec_error(file: str, line: int, where: str, en: str, zh: str) -> SpecError:
    """An error about the key ``where`` (a :func:`dotted` path; empty for the whole file)."""
    if not where:
        return SpecError(file, line, en, zh)
    return SpecError(file, line, f"{where}: {en}", f"{where}：{zh}")


class SpecInvalid(Exception):
    """Raised by :func:`layout.spec.load.load_spec` with every error found in the file."""

    def __init__(self, errors: list[SpecError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


class BilingualValueError(ValueError):
    """A validator's complaint in both languages (pydantic keeps the exception, so
    ``validate.py`` can read the Chinese back)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.zh = zh


def dotted(path: KeyPath, labels: Mapping[int, str] | None = None) -> str:
    """A key path as it reads in a message: ``blocks[lead].frame.span`` (a block named by
    its id when ``labels`` has one, else by its index: ``blocks[0]``)."""
    out = ""
    for depth, part in enumerate(path):
        if isinstance(part, int):
            label = labels.get(part) if labels is not None and depth == 1 and path[0] == "blocks" else None
            out += f"[{label if label is not None else part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


#: A block id shown in place of its index (``blocks[lead]``): no spaces, brackets, dots or
#: colons, which would make the key path ambiguous, and short.
_LABEL = re.compile(r"[^\s\[\].:]{1,40}")


def block_labels(document: object) -> dict[int, str]:
    """Block index -> id, for the blocks whose id is unique and reads well in a key path."""
    blocks = document.get("blocks") if isinstance(document, dict) else None
    if not isinstance(blocks, list):
        return {}
    ids = [block.get("id") if isinstance(block, dict) else None for block in blocks]
    counts = Counter(i for i in ids if isinstance(i, str))
    return {n: i for n, i in enumerate(ids) if isinstance(i, str) and counts[i] == 1 and _LABEL.fullmatch(i)}


def line_for(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of ``path``, or of its nearest ancestor written in the document."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


class StrayBoolean(str):
    """``true``/``false`` written where a number or a version is asked, handed on as text
    so that the field itself refuses it (and messages say "got true/false")."""

    __slots__ = ()
