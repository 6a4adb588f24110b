"""Problems and per-block results that layout reports (contract §6 ``check --json``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from layout.fontdb import unicode_block


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # overflow, missing_glyph, missing_image, headline_too_long, …
    message: str
    block: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "error" makes the page not ok; "warning" and "note" do not
    message_zh: str | None = None  # the message in Chinese (``--lang zh``), where one exists

    def text(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" and self.message_zh else self.message

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.block is not None:
            out["block"] = self.block
        out.update(self.details)
        out["message"] = self.text(lang)
        if self.severity != "error":
            out["severity"] = self.severity
        return out


@dataclass(frozen=True, slots=True)
class BlockResult:
    id: str
    type: str
    lines_capacity: int
    lines_needed: int
    columns_used: tuple[int, ...]
    status: str  # ok, underfull, overflow

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "lines_capacity": self.lines_capacity,
            "lines_needed": self.lines_needed, "columns_used": list(self.columns_used), "status": self.status,
        }


_WHAT_ZH = {"article": "稿件", "photo": "图片"}


def overflow_problem(block_id: str, lines: int, chars: int, what: str = "article") -> Problem:
    """Lines and characters the editor must cut."""
    message = f"{what} {block_id}: {lines} line{'s' if lines != 1 else ''} (about {chars} characters) do not fit"
    zh = f"{_WHAT_ZH.get(what, what)} {block_id}：超出 {lines} 行（约 {chars} 字），需删减"
    return Problem("overflow", message, block_id, {"lines_over": lines, "chars_over": chars}, message_zh=zh)


def underfull_problem(block_id: str, lines: int, chars: int) -> Problem:
    """Empty lines at the bottom of an article and about how many characters would fill them."""
    message = f"article {block_id}: {lines} line{'s' if lines != 1 else ''} empty (about {chars} characters would fill them)"
    zh = f"稿件 {block_id}：空 {lines} 行（约需补 {chars} 字）"
    return Problem("underfull", message, block_id, {"lines_empty": lines, "chars_to_fill": chars}, "warning",
                   message_zh=zh)


def missing_glyph_problems(block_id: str | None, chars: list[str], where: str) -> list[Problem]:
    out = []
    counts = Counter(chars)  # in order of first appearance; one pass (count() per character was quadratic)
    for char, count in counts.items():
        block = unicode_block(char)
        message = f"{where}: no font has {char!r} (U+{ord(char):04X}, {block}); {count}× marked 〓"
        zh = f"{where}：字库缺字 {char}（U+{ord(char):04X}，{block}），{count} 处以〓标出"
        out.append(Problem("missing_glyph", message, block_id,
                           {"char": char, "codepoint": f"U+{ord(char):04X}", "unicode_block": block, "count": count},
                           message_zh=zh))
    return out
