"""Problems and per-block results that layout reports (contract §6 ``check --json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from layout.fontdb import unicode_block


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # overflow, missing_glyph, missing_image, headline_too_long, …
    message: str
    block: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "error" makes the page not ok; "warning" does not

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.block is not None:
            out["block"] = self.block
        out.update(self.details)
        out["message"] = self.message
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


def overflow_problem(block_id: str, lines: int, chars: int, what: str = "article") -> Problem:
    message = f"{what} {block_id}: {lines} line{'s' if lines != 1 else ''} (about {chars} characters) do not fit"
    return Problem("overflow", message, block_id, {"lines_over": lines, "chars_over": chars})


def missing_glyph_problems(block_id: str | None, chars: list[str], where: str) -> list[Problem]:
    out = []
    for char in dict.fromkeys(chars):
        count = chars.count(char)
        block = unicode_block(char)
        message = f"{where}: no font has {char!r} (U+{ord(char):04X}, {block}); {count}× marked 〓"
        out.append(Problem("missing_glyph", message, block_id,
                           {"char": char, "codepoint": f"U+{ord(char):04X}", "unicode_block": block, "count": count}))
    return out
