"""Templates (issue 5): filler bodies, the shipped templates, ``paiban new``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from layout.page import lay_out_page
from layout.spec.load import load_spec
from layout.text.filler import filler
from tests.conftest import REPO

TEMPLATES = sorted((REPO / "specs" / "templates").glob("*.yaml"))


@pytest.mark.parametrize("chars", [1, 37, 160, 900, 5000])
def test_filler_has_exactly_the_characters_asked(chars):
    paragraphs = filler(chars)
    assert len("".join(paragraphs)) == chars
    assert filler(chars) == paragraphs  # deterministic


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_templates_preview_as_real_clean_pages(path):
    layout = lay_out_page(load_spec(path))
    # A template leaves its photo slots empty for the editor to fill: one warning each, nothing else.
    empty = {p.block for p in layout.problems if p.kind == "empty_photo_slot" and p.severity == "warning"}
    assert empty == {photo.id for photo in layout.photos if photo.empty}
    others = [p for p in layout.problems if p.severity != "note" and p.kind != "empty_photo_slot"]
    assert layout.ok and not others, [p.message for p in layout.problems]
    assert all(a.distribution.placements for a in layout.articles)  # filler text set in every article


def test_new_copies_a_template_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "page.yaml"
    run = lambda *a: subprocess.run([sys.executable, "-m", "layout", "new", *map(str, a)], cwd=tmp_path,  # noqa: E731
                                    capture_output=True, text=True)
    assert run("tabloid", "-o", out).returncode == 0
    assert out.read_bytes() == (REPO / "specs" / "templates" / "tabloid.yaml").read_bytes()
    again = run("tabloid", "-o", out)
    assert again.returncode == 2 and "exists" in again.stderr
    unknown = run("nosuch", "-o", tmp_path / "x.yaml")
    assert unknown.returncode == 2 and "inside-page" in unknown.stderr
