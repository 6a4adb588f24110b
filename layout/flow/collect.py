"""Article body → paragraphs and subheads (contract §1: blank lines separate paragraphs,
``## `` starts a subhead)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from layout.spec.data import Placeholder
from layout.text.filler import filler

SUBHEAD_MARK = "## "


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    subhead: bool


def split_body(body: str | list[str] | Placeholder) -> tuple[Paragraph, ...]:
    """Paragraphs of a body; a single newline inside a paragraph joins its lines."""
    if isinstance(body, Placeholder):
        return tuple(Paragraph(text, False) for text in filler(body.placeholder))
    chunks = body if isinstance(body, list) else re.split(r"\n[ \t\u3000]*\n", body)
    out: list[Paragraph] = []
    for chunk in chunks:
        # A "## " line is a subhead on its own; lines after it in the chunk are a paragraph.
        rest: list[str] = []
        for line in str(chunk).strip().splitlines():
            if line.strip().startswith(SUBHEAD_MARK.strip()):
                _flush(rest, out)
                out.append(Paragraph(line.strip().lstrip("#").strip(), True))
            else:
                rest.append(line)
        _flush(rest, out)
    return tuple(p for p in out if p.text)


def _flush(lines: list[str], out: list[Paragraph]) -> None:
    if lines:
        out.append(Paragraph(_join_lines("\n".join(lines)), False))
        lines.clear()


def _join_lines(text: str) -> str:
    """Join wrapped source lines: no space between Chinese, one space between Latin."""
    lines = [line.strip(" \t") for line in text.strip().splitlines()]
    out = ""
    for line in lines:
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return re.sub(r"[ \t]+", " ", out)
