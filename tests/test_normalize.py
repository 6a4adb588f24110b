"""Half-width punctuation in Chinese text (issue 3 §6)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from layout.text.normalize import normalize
from tests.conftest import MINIMAL_PAGE, REPO


@pytest.mark.parametrize(
    ("text", "expected", "changes"),
    [
        ("茂南区政府党组(扩大)会议召开,研究部署工作!", "茂南区政府党组（扩大）会议召开，研究部署工作！",
         {"(": 1, ")": 1, ",": 1, "!": 1}),
        ('他说:"这就是\'新质生产力\'。"记者注意到', "他说：“这就是‘新质生产力’。”记者注意到", {":": 1, '"': 2, "'": 2}),
        ("Hello, world (test): ok?", "Hello, world (test): ok?", {}),
        ("时间10:30,共1,000人", "时间10:30，共1,000人", {",": 1}),
        ("是吗?真的;好", "是吗？真的；好", {"?": 1, ";": 1}),
        ("it's 好", "it's 好", {}),
        ("(COVID-19)疫情", "（COVID-19）疫情", {"(": 1, ")": 1}),
    ],
)
def test_normalize(text, expected, changes):
    result = normalize(text)
    assert result.text == expected and dict(result.changed) == changes


def test_suspect_dashes_and_dots_are_reported_not_changed():
    result = normalize("改革--发展...")
    assert result.text == "改革--发展..." and result.suspects == ("--", "...")
    assert normalize("a--b ... c").suspects == ()


SPEC = MINIMAL_PAGE.lstrip() + """
blocks:
  - type: article
    id: a
    frame: {column: 1, span: 4, line: 1, lines: auto}
    title: 会议召开(扩大)
    body: '他说:"这就是新质生产力。"改革--发展'
"""


@pytest.mark.parametrize("enabled", [True, False])
def test_check_reports_what_was_normalised(tmp_path, enabled):
    spec = tmp_path / "n.yaml"
    spec.write_text(SPEC + ("" if enabled else "typography: {normalize: false}\n"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(spec), "--json"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # notes and warnings do not fail a page
    problems = {p["kind"]: p for p in json.loads(result.stdout)["specs"][0]["problems"]}
    if enabled:
        assert problems["normalized"]["changes"] == {'"': 2, "(": 1, ")": 1, ":": 1}
        assert problems["normalized"]["severity"] == "note"
        assert problems["suspect_punctuation"]["found"] == "--"
        assert "note: article a: 5 half-width marks" in result.stderr
    else:
        assert "normalized" not in problems
