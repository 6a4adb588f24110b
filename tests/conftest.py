"""Shared fixtures: a synthetic font (Han = 1 em, Latin = ½ em) and spec-writing helpers."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

from layout.compose.paragraph import ParagraphStyle, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.fontdb import Face

REPO = Path(__file__).resolve().parent.parent

# Tests never write into the user's cache or configuration: one private cache folder and
# key folder for the whole session (subprocesses inherit them), unless CI chose its own.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="paiban-tests-"))
os.environ.setdefault("PAIBAN_CACHE_DIR", str(_SESSION_HOME / "cache"))
os.environ.setdefault("PAIBAN_CONFIG_DIR", str(_SESSION_HOME / "config"))


class SyntheticAdvances(dict):  # type: ignore[type-arg]
    """Every code point exists; ASCII is ½ em (space ¼ em), everything else 1 em."""

    def __init__(self, missing: str = ""):
        super().__init__()
        self.missing = {ord(c) for c in missing}

    def __contains__(self, codepoint: object) -> bool:
        return codepoint not in self.missing

    def get(self, codepoint: int, default: float = 0.0) -> float:  # type: ignore[override]
        if codepoint in self.missing:
            return default
        if codepoint == 0x20:
            return 0.25
        return 0.5 if codepoint < 0x80 else 1.0


def synthetic_face(missing: str = "") -> Face:
    return Face("synthetic", Path("synthetic.ttf"), SyntheticAdvances(missing))


SYNTHETIC = synthetic_face()


def resolve(char: str) -> Face | None:
    return SYNTHETIC


def set_text(text: str, chars_per_line: int, size: float = 10.0, indent: float = 0.0, **config) -> list[str]:
    """Compose with synthetic metrics (first-fit unless asked); the lines as strings."""
    config.setdefault("composer", "first-fit")
    style = ParagraphStyle(size, "justify", ComposeConfig(first_indent=indent, **config))
    composed = compose_paragraph(text, style, chars_per_line * size, resolve)
    return ["".join(composed.prep.atoms[p.index].source for p in line.placed) for line in composed.lines]


@pytest.fixture
def write_spec(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a spec (YAML text, dedented) into a temporary folder; returns its path."""

    def write(text: str, name: str = "page.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


MINIMAL_PAGE = """
version: 1
page:
  size: [200mm, 280mm]
  margins: {top: 20mm, right: 15mm, bottom: 18mm, left: 15mm}
  columns: 4
  gutter: 9pt
  body: {font: song, size: 9pt, leading: 13.5pt}
"""
