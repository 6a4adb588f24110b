"""The ``paiban`` command: exit statuses, messages, the JSON report, atomic outputs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import MINIMAL_PAGE, REPO

EXAMPLE = REPO / "examples" / "maonan" / "page.yaml"
OVERFLOW = REPO / "specs" / "regression" / "overflow.yaml"


def paiban(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_render_clean_example(tmp_path):
    out = tmp_path / "maonan.pdf"
    result = paiban("render", EXAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert out.read_bytes().startswith(b"%PDF")


def test_render_several_specs_one_page_each(tmp_path):
    out = tmp_path / "edition.pdf"
    result = paiban("render", EXAMPLE, REPO / "specs/regression/tabloid-4col-auto.yaml", "-o", out)
    assert result.returncode == 0, result.stderr
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(out))
    assert len(doc) == 2
    assert doc[0].get_size()[0] > doc[1].get_size()[0]  # broadsheet then tabloid
    doc.close()


def test_overflow_exits_1_with_the_contract_message_and_still_writes(tmp_path):
    out = tmp_path / "o.pdf"
    result = paiban("render", OVERFLOW, "-o", out)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and out.exists()
    match = re.fullmatch(rf"{re.escape(str(OVERFLOW))}: article long: (\d+) lines \(about (\d+) characters\) do not fit",
                         lines[0])
    assert match, lines
    over, chars = map(int, match.groups())
    # the article holds 2,197 characters and its frame about 108 lines of 13–14: a third is over
    assert 30 <= over <= 40 and 13 * over <= chars <= 17 * over


def test_check_json_report_shape():
    result = paiban("check", OVERFLOW, EXAMPLE, "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and [s["spec"] for s in report["specs"]] == [str(OVERFLOW), str(EXAMPLE)]
    overflow, clean = report["specs"]
    assert clean["ok"] is True and clean["problems"] == []
    block = next(b for b in overflow["blocks"] if b["id"] == "long")
    assert set(block) == {"id", "type", "lines_capacity", "lines_needed", "columns_used", "status"}
    assert block["columns_used"] == [36, 36, 36] and block["lines_capacity"] == 108
    problem = overflow["problems"][0]
    over, chars = problem["lines_over"], problem["chars_over"]
    assert block["status"] == "overflow" and block["lines_needed"] - block["lines_capacity"] == over
    assert problem == {"block": "long", "kind": "overflow", "lines_over": over, "chars_over": chars,
                       "message": f"article long: {over} lines (about {chars} characters) do not fit"}


def test_spec_error_exit_2_file_line_no_traceback(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + "blocks:\n  - type: article\n    id: a\n    frame: {column: 1, span: 2, line: 1, lines: 5}\n    titel: 错\n", encoding="utf-8")
    out = tmp_path / "bad.pdf"
    result = paiban("render", spec, "-o", out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # a misspelled key is one message, naming the block by its id, not "unknown" plus "missing"
    assert result.stderr == f"{spec}:12: blocks[a].titel: unknown key; did you mean `title`?\n"
    assert not out.exists()


@pytest.mark.parametrize("command", ["render", "check", "preview"])
def test_missing_spec_file(tmp_path, command):
    args = [command, tmp_path / "nope.yaml"] + (["-o", tmp_path / "x.out"] if command != "check" else [])
    result = paiban(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "nope.yaml:0: cannot read the spec" in result.stderr


def test_unwritable_output_exit_2_and_nothing_written(tmp_path):
    result = paiban("render", EXAMPLE, "-o", tmp_path / "no" / "such" / "dir" / "x.pdf")
    assert result.returncode == 2 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_failed_render_leaves_previous_output_intact(tmp_path):
    out = tmp_path / "page.pdf"
    out.write_bytes(b"previous")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\npage: {}\n", encoding="utf-8")
    assert paiban("render", bad, "-o", out).returncode == 2
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


PHOTO_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - type: article
    id: a
    frame: {column: 1, span: 4, line: 1, lines: auto}
    title: 缺图与缺字
    body: 这里有一个字库里没有的字：𠀀。
  - type: photo
    id: pic
    frame: {column: 1, span: 2, line: 8, lines: 10}
    src: images/missing.jpg
    caption: 图片说明。
"""


def test_missing_image_and_missing_glyph_are_reported(tmp_path):
    spec = tmp_path / "p.yaml"
    spec.write_text(PHOTO_PAGE, encoding="utf-8")
    out = tmp_path / "p.pdf"
    result = paiban("render", spec, "-o", out)
    assert result.returncode == 1 and out.exists()
    report = json.loads(paiban("check", spec, "--json").stdout)
    kinds = {p["kind"]: p for p in report["specs"][0]["problems"]}
    assert kinds["missing_image"]["block"] == "pic" and "images/missing.jpg" in kinds["missing_image"]["message"]
    glyph = kinds["missing_glyph"]
    assert glyph["char"] == "𠀀" and glyph["block"] == "a" and "Extension B" in glyph["unicode_block"]


def test_frames_outside_and_overlapping(tmp_path):
    spec = tmp_path / "f.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: a, frame: {column: 1, span: 2, line: 1, lines: 10}, title: 甲, body: 正文。}
  - {type: article, id: b, frame: {column: 2, span: 2, line: 5, lines: 10}, title: 乙, body: 正文。}
  - {type: article, id: c, frame: {column: 4, span: 3, line: 1, lines: 10}, title: 丙, body: 正文。}
  - {type: photo, id: p, frame: {column: 1, span: 1, line: 2, lines: 3}}
""", encoding="utf-8")
    report = json.loads(paiban("check", spec, "--json").stdout)
    problems = report["specs"][0]["problems"]
    line_a = next(n for n, text in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1) if "id: a," in text)
    assert {"kind": "frames_overlap", "block": "a", "line": line_a, "blocks": ["a", "b"],
            "overlap": {"columns": [2, 2], "lines": [5, 10]},
            "message": f"articles a and b overlap in columns 2–2, grid lines 5–10 (their frames: spec lines {line_a} "
                       f"and {line_a + 1})"} in problems
    assert any(p["kind"] == "frame_outside_page" and p["block"] == "c" for p in problems)
    assert not any(p["kind"] == "frames_overlap" and "p" in p.get("blocks", []) for p in problems)


def test_text_columns_narrower_than_a_character(tmp_path):
    spec = tmp_path / "n.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: a, frame: {column: 1, span: 1, line: 1, lines: 5}, columns: 12, title: 窄, body: 正文正文。}
""", encoding="utf-8")
    report = json.loads(paiban("check", spec, "--json").stdout)
    assert "frame_too_narrow" in {p["kind"] for p in report["specs"][0]["problems"]}


def test_preview_png_with_overlay(tmp_path):
    out = tmp_path / "p.png"
    result = paiban("preview", EXAMPLE, "-o", out, "--dpi", "30", "--overlay")
    assert result.returncode == 0, result.stderr
    with Image.open(out) as im:
        assert im.format == "PNG"
        # MediaBox of the example: 390 × 540 mm trim + 3 mm bleed + crop-mark margin, at 30 dpi
        assert 480 < im.width < 490 and 657 < im.height < 667  # 410 × 560 mm
        colours = im.convert("RGB").getcolors(maxcolors=1_000_000)
    assert any(c[1] == (30, 60, 230) for c in colours)  # article frame outlines drawn


def test_schema_is_json():
    result = paiban("schema")
    schema = json.loads(result.stdout)
    assert result.returncode == 0 and schema["additionalProperties"] is False
    assert "article" in json.dumps(schema) and "photo" in json.dumps(schema)


def test_same_bytes_across_hash_seeds(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.pdf"
        assert paiban("render", EXAMPLE, "-o", out, env={"PYTHONHASHSEED": seed}).returncode == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_same_bytes_with_a_cold_and_a_warm_font_cache(tmp_path):
    cache = tmp_path / "cache"
    outs = []
    for run in ("cold", "warm"):
        out = tmp_path / f"{run}.pdf"
        assert paiban("render", EXAMPLE, "-o", out, env={"PAIBAN_CACHE_DIR": str(cache)}).returncode == 0
        outs.append(out.read_bytes())
    assert any((cache / "paragraph").glob("*.entry")) and any((cache / "spec").glob("*.entry"))
    assert outs[0] == outs[1]


def test_an_unchanged_spec_is_not_validated_again(tmp_path):
    """A validated spec is kept by its bytes: the next render reads it back without
    PyYAML or pydantic; an edit (or damaged entry) validates again, with line numbers."""
    cache, spec, out = tmp_path / "cache", tmp_path / "page.yaml", tmp_path / "page.pdf"
    spec.write_bytes(EXAMPLE.read_bytes().replace(b"images/", str(EXAMPLE.parent / "images").encode() + b"/"))
    probe = ("import sys; from layout.cli import main; status = main(sys.argv[1:]); "
             "print(status, 'pydantic' in sys.modules, 'yaml' in sys.modules)")

    def render() -> str:
        result = subprocess.run([sys.executable, "-c", probe, "render", str(spec), "-o", str(out),
                                 "--allow-outside-images"], cwd=REPO, capture_output=True, text=True,
                                env={**os.environ, "PAIBAN_CACHE_DIR": str(cache)}, timeout=120)
        return result.stdout.strip()

    first = render()
    pdf = out.read_bytes()
    assert first == "0 True True" and render() == "0 False False"
    assert out.read_bytes() == pdf
    for entry in (cache / "spec").iterdir():
        entry.write_bytes(b"damaged")
    assert render() == "0 True True" and out.read_bytes() == pdf
    spec.write_text(spec.read_text(encoding="utf-8").replace("columns: 8", "columns: -8"), encoding="utf-8")
    result = paiban("render", spec, "-o", out, env={"PAIBAN_CACHE_DIR": str(cache)})
    assert result.returncode == 2 and f"{spec}:" in result.stderr and "page.columns" in result.stderr


def test_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = tmp_path / "x.pdf"
    result = paiban("render", EXAMPLE, "-o", out, env={"PAIBAN_CACHE_DIR": str(blocker / "cache")})
    assert result.returncode == 0, result.stderr


def test_edition_with_jobs_keeps_page_order_and_bytes(tmp_path):
    specs = [EXAMPLE, REPO / "specs/regression/tabloid-4col-auto.yaml", REPO / "specs/templates/inside-page.yaml",
             REPO / "specs/regression/a3-6col-photo.yaml"]
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"edition-{jobs}.pdf"
        result = paiban("render", *specs, "-o", out, "--jobs", jobs)
        assert result.returncode == 0, result.stderr
        assert "[" not in result.stderr  # no progress bar when stderr is not a terminal
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    import pypdfium2

    doc = pypdfium2.PdfDocument(outs[1])
    widths = [round(doc[i].get_size()[0]) for i in range(len(doc))]
    doc.close()
    assert len(widths) == 4 and widths[1] < widths[0] and widths[3] < widths[2]  # broadsheet, tabloid, broadsheet, A3


def test_check_with_jobs_reports_in_order():
    specs = [OVERFLOW, EXAMPLE, REPO / "specs/regression/mixed-8col.yaml"]
    serial = json.loads(paiban("check", *specs, "--json", "--lang", "en").stdout)
    parallel = json.loads(paiban("check", *specs, "--json", "--lang", "en", "--jobs", "2").stdout)
    assert serial == parallel and [s["spec"] for s in parallel["specs"]] == [str(s) for s in specs]


def test_preview_refuses_a_raster_too_large_to_hold(tmp_path):
    result = paiban("preview", EXAMPLE, "-o", tmp_path / "big.png", "--dpi", "1200")
    assert result.returncode == 2 and "megapixels" in result.stderr and not (tmp_path / "big.png").exists()
