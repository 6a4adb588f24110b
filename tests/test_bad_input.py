"""Bad input gets a clear answer, never a traceback, and loses no character silently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PAGE, REPO


def check(spec: Path) -> tuple[int, dict, str]:
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(spec), "--json"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def article(body: str, lines: int | str = "auto", title: str = "标题") -> str:
    body_yaml = json.dumps(body, ensure_ascii=False)
    return MINIMAL_PAGE.lstrip() + f"""
blocks:
  - type: article
    id: a
    frame: {{column: 1, span: 4, line: 1, lines: {lines}}}
    title: {json.dumps(title, ensure_ascii=False)}
    body: {body_yaml}
"""


@pytest.mark.parametrize(
    ("name", "body", "status", "kinds"),
    [
        ("control characters", "正文\x07有控制字符\x1b。", 1, {"missing_glyph"}),
        ("right-to-left text", "中文里夹着希伯来文 שלום 和阿拉伯文 مرحبا。", 1, {"missing_glyph"}),
        ("emoji", "点赞👍🏽和笑脸😀。", 1, {"missing_glyph"}),
        ("combining marks", "Café ñandú e\u0301 中文。", 0, set()),
        ("outside the BMP", "生僻字𠀀𪚥在扩展区。", 1, {"missing_glyph"}),
        ("a very long word", "单词" + "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 + "结束。", 0, set()),
        ("a very long URL", "见https://example.org/" + "segment/" * 40 + "end.html。", 0, set()),
        ("an empty body", "", 0, set()),
    ],
)
def test_odd_text_is_set_or_reported(tmp_path, name, body, status, kinds):
    spec = tmp_path / "p.yaml"
    spec.write_text(article(body), encoding="utf-8")
    code, report, _ = check(spec)
    found = {p["kind"] for p in report["specs"][0]["problems"] if p.get("severity", "error") == "error"}
    assert code == status and found == kinds, (name, report)


def test_a_huge_body_reports_its_overflow(tmp_path):
    sentence = "这是一段很长的测试文字，用来检查超长正文是否能很快报告溢出。"
    spec = tmp_path / "p.yaml"
    copies = 5_000_000 // len(sentence.encode())
    spec.write_text(article(sentence * copies, lines=40), encoding="utf-8")
    assert spec.stat().st_size > 5_000_000  # a 5 MB body (a wire file pasted by mistake)
    code, report, stderr = check(spec)
    (problem,) = report["specs"][0]["problems"]
    total = len(sentence) * copies
    assert code == 1 and problem["kind"] == "overflow"
    assert total - 2000 < problem["chars_over"] < total  # all but the frame's worth
    assert problem["lines_over"] > total // 16


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\npage: {size: [1, 2\n", "YAML syntax error"),
        (MINIMAL_PAGE.lstrip().replace("columns: 4", "columns: eight") + "blocks: []\n", "page.columns"),
        (MINIMAL_PAGE.lstrip() + "blocks: {}\n", "blocks"),
        (MINIMAL_PAGE.lstrip() + "blocks:\n  - type: article\n    id: a\n", "required key is missing"),
        (MINIMAL_PAGE.lstrip().replace("gutter: 9pt", "gutter: -9pt") + "blocks: []\n", "page.gutter"),
    ],
)
def test_unusable_specs_exit_2_with_file_and_line(tmp_path, text, message):
    spec = tmp_path / "p.yaml"
    spec.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout", "render", str(spec), "-o", str(tmp_path / "o.pdf")],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{spec}:") and message in result.stderr
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("page.bleed", "  bleed: -3mm\n"),
        ("page.columns", "  columns: 0\n"),
        ("page.columns", "  columns: 25\n"),
        ("output.ink_limit", "output: {ink_limit: 50}\n"),
        ("output.jpeg_quality", "output: {jpeg_quality: 0}\n"),
        ("output.min_ppi", "output: {min_ppi: 0}\n"),
        ("typography.first_indent", "typography: {first_indent: 10}\n"),
        ("typography.cjk_latin_space", "typography: {cjk_latin_space: 2}\n"),
        ("typography.kinsoku", "typography: {kinsoku: loose}\n"),
        ("styles.title.size", "styles: {title: {size: 1000pt}}\n"),
        ("styles.title.color", "styles: {title: {color: [0, 0, 0, 120]}}\n"),
        ("styles.title.leading", "styles: {title: {leading: 0}}\n"),
        ("styles.title.max_lines", "styles: {title: {max_lines: 0}}\n"),
        ("styles.headline", "styles: {headline: {size: 9pt}}\n"),
    ],
    ids=lambda v: v if v.startswith(("page", "output", "typography", "styles")) else None,
)
def test_out_of_range_settings_are_spec_errors(tmp_path, extra, key):
    base = MINIMAL_PAGE.lstrip()
    text = base.replace("  columns: 4\n", key) if key.startswith("  ") and "columns" in key else (
        base.replace("  gutter: 9pt\n", "  gutter: 9pt\n" + key) if key.startswith("  ") else base + key)
    spec = tmp_path / "p.yaml"
    spec.write_text(text + "blocks: []\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(spec)], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == key.rstrip("\n"))
    assert f"{spec}:{line}: {extra}" in result.stderr, result.stderr


@pytest.mark.parametrize("field", ["caption", "title"])
def test_a_caption_or_title_of_a_whole_wire_file_is_reported_quickly(tmp_path, field):
    """Text far past what a caption or title can show is counted, not composed: reported
    within seconds, every character accounted for."""
    import time

    sentence = "这是一段很长的测试文字，用来检查超长图片说明和标题是否能很快报告。"
    text = sentence * (300_000 // len(sentence))
    block = (f"  - type: photo\n    id: pic\n    frame: {{column: 1, span: 2, line: 1, lines: 20}}\n"
             f"    caption: {json.dumps(text, ensure_ascii=False)}\n" if field == "caption" else
             f"  - type: article\n    id: story\n    frame: {{column: 1, span: 4, line: 1, lines: 40}}\n"
             f"    title: {json.dumps(text, ensure_ascii=False)}\n    body: 正文。\n")
    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + "blocks:\n" + block, encoding="utf-8")
    started = time.perf_counter()
    code, report, _ = check(spec)
    assert time.perf_counter() - started < 10  # 7–10 s before text past reach was only counted
    problems = report["specs"][0]["problems"]
    kind = "overflow" if field == "caption" else "headline_too_long"
    found = next(p for p in problems if p["kind"] == kind)
    total = len("".join(text.split()))
    assert code == 1 and total - 2_000 < found["chars_over"] <= total
