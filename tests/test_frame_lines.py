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


def test_piled_frames_are_reported_in_bounded_lines_and_time(tmp_path):
    """Hundreds of frames piled on each other: the first overlaps named, the rest counted
    in one problem; found by a sweep, not by trying every pair."""
    import time

    from layout.page import MAX_OVERLAP_PROBLEMS

    blocks = "".join(f"  - {{type: article, id: a{n}, frame: {{column: 1, span: 4, line: 1, lines: 10}}, "
                     f"title: 标题, body: 正文。}}\n" for n in range(400))
    spec = tmp_path / "pile.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + "blocks:\n" + blocks, encoding="utf-8")
    started = time.perf_counter()
    report = json.loads(_check(spec, "--json").stdout)
    assert time.perf_counter() - started < 30
    overlaps = [p for p in report["specs"][0]["problems"] if p["kind"] == "frames_overlap"]
    assert len(overlaps) == MAX_OVERLAP_PROBLEMS + 1
    assert overlaps[0]["blocks"] == ["a0", "a1"] and overlaps[-1]["more_pairs"] == 400 * 399 // 2 - MAX_OVERLAP_PROBLEMS


COVERED = MINIMAL_PAGE.lstrip() + """blocks:
  - type: article
    id: story
    frame: {column: 1, span: 4, line: 1, lines: 30}
    kicker: 引题一行
    title: 主标题在这里
    byline: ■记者　某某　通讯员　某某
    body: 本报讯　这是一篇用于测试的短稿件。
  - type: photo
    id: pic
    frame: {column: 1, span: 2, line: LINE, lines: 20}
"""


def test_a_photo_over_the_byline_is_named_and_one_below_the_headline_is_not(tmp_path):  # type: ignore[no-untyped-def]
    """The photo starting on each grid line from the top: covered while it reaches the
    headline group's ink, clean from the first line under it."""
    from layout.page import lay_out_page
    from layout.spec.load import load_spec

    first_clean = None
    for line in range(1, 12):
        spec = tmp_path / f"cover{line}.yaml"
        spec.write_text(COVERED.replace("LINE", str(line)), encoding="utf-8")
        layout = lay_out_page(load_spec(spec))
        covered = [p for p in layout.problems if p.kind == "headline_covered"]
        head = next(a for a in layout.articles if a.id == "story").headline_lines
        if covered:
            assert first_clean is None  # covered only above the first clean line
            frame_line = spec.read_text(encoding="utf-8").splitlines().index(
                f"    frame: {{column: 1, span: 2, line: {line}, lines: 20}}") + 1
            assert covered[0].details["covered_by"] == "pic" and covered[0].line == frame_line  # the photo's frame
            assert {p.details["role"] for p in covered} <= {"kicker", "title", "byline"}
        elif first_clean is None:
            first_clean = line
    # clean from the first grid line under the headline group's ink (its last line may be space before the body)
    assert first_clean is not None and head <= first_clean <= head + 1
