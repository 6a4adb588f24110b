"""Frame problems name where they are: the spec line of the frame, and for an overlap the
page columns and grid lines the two frames share."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import MINIMAL_PAGE, REPO

PAGE = MINIMAL_PAGE.lstrip() + """blocks:
  - type: article
    id: left
    frame: {column: 1, span: 3, line: 1, lines: 20}
    title: 左边的稿件
    body: 正文。
  - type: article
    id: right
    frame: {column: 3, span: 2, line: 11, lines: 20}
    title: 右边的稿件
    body: 正文。
  - type: photo
    id: wide
    frame: {column: 3, span: 4, line: 40, lines: 5}
"""


def _check(spec, *flags):  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "layout", "check", str(spec), *flags], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_overlap_and_outside_problems_name_their_lines(tmp_path):
    spec = tmp_path / "page.yaml"
    spec.write_text(PAGE, encoding="utf-8")
    left, right, wide = (_line(PAGE, f"id: {name}") + 1 for name in ("left", "right", "wide"))
    result = _check(spec, "--lang", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    overlap = next(line for line in result.stderr.splitlines() if "overlap in columns" in line)
    assert overlap.startswith(f"{spec}:{left}: articles left and right overlap in columns 3–3, grid lines 11–20")
    assert f"spec lines {left} and {right}" in overlap
    outside = next(line for line in result.stderr.splitlines() if "outside the page grid" in line)
    assert outside.startswith(f"{spec}:{wide}: photo wide: frame (columns 3–6")
    report = json.loads(_check(spec, "--json").stdout)
    by_kind = {p["kind"]: p for p in report["specs"][0]["problems"]}
    assert by_kind["frames_overlap"]["line"] == left
    assert by_kind["frames_overlap"]["overlap"] == {"columns": [3, 3], "lines": [11, 20]}
    assert by_kind["frame_outside_page"]["line"] == wide
    zh = _check(spec, "--lang", "zh").stderr
    assert f"{spec}:{left}: 稿件 left 与 right 的版框在第 3–3 栏、第 11–20 行重叠" in zh
