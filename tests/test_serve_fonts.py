"""A font replaced under a running preview: layout and PDF both use the new file at the
next refresh, never the old advances with the new glyphs (nor the reverse)."""

from __future__ import annotations

import shutil
from pathlib import Path

from layout import serve
from layout.display import GlyphRun
from layout.memo import Memo
from layout.page import lay_out_page
from layout.render.images import make_probe
from layout.spec.load import load_spec
from tests.conftest import MINIMAL_PAGE, REPO

FONTS = REPO / "fonts"


def _page(folder: Path) -> Path:
    shutil.copy(FONTS / "NotoSerifSC-Regular.ttf", folder / "house.ttf")
    spec = folder / "page.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip().replace("font: song", "font: house") + """fonts: {house: house.ttf}
blocks:
  - type: article
    id: a
    frame: {column: 1, span: 4, line: 1, lines: auto}
    title: 标题
    body: 本报讯　日前，茂南区举行第八期基层党建活动，区委常委、组织部部长参加活动。Latin text 2023 年。
""", encoding="utf-8")
    return spec


def _body_runs(spec: Path, memo: Memo) -> list[GlyphRun]:
    page = lay_out_page(load_spec(spec, memo), probe=lambda press: make_probe(press, memo), memo=memo)
    return [item for item in page.display if isinstance(item, GlyphRun) and item.face.path.name == "house.ttf"]


def test_a_font_replaced_under_a_running_preview_is_read_again(tmp_path):
    spec = _page(tmp_path)
    memo = Memo()
    preview = serve.Preview(spec, 30, lambda path, dpi: serve.render_for_preview(path, dpi, memo))
    assert preview.refresh() and preview.state["ok"], preview.state
    assert tmp_path / "house.ttf" in preview.watched
    before_png = preview.png
    before = _body_runs(spec, memo)
    assert before and not preview.refresh()  # nothing changed: no new version

    shutil.copy(FONTS / "LXGWWenKai-Regular.ttf", tmp_path / "house.ttf")  # overwritten in place, as cp does
    assert preview.refresh() and preview.state["ok"], preview.state
    assert preview.png != before_png
    after = _body_runs(spec, memo)
    old_face, new_face = before[0].face, after[0].face
    assert old_face.file is not None and new_face.file is not None
    assert new_face.file.n_glyphs != old_face.file.n_glyphs  # the new file, not the one read first
    for run in after:  # what layout measured is what the PDF embeds: one file behind both
        assert run.face is new_face
        for char in run.text:
            assert run.face.advance(ord(char)) == new_face.file.advance(ord(char))


def test_a_font_broken_under_a_running_preview_is_reported_not_fatal(tmp_path):
    spec = _page(tmp_path)
    memo = Memo()
    preview = serve.Preview(spec, 30, lambda path, dpi: serve.render_for_preview(path, dpi, memo))
    assert preview.refresh() and preview.state["ok"]
    (tmp_path / "house.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 60)  # truncated mid-save
    assert preview.refresh()
    kinds = {p["kind"] for p in preview.state["problems"]}
    assert "missing_font" in kinds and not preview.state["errors"], preview.state
    shutil.copy(FONTS / "NotoSerifSC-Regular.ttf", tmp_path / "house.ttf")  # saved again, whole
    assert preview.refresh() and preview.state["ok"], preview.state


def test_a_font_changed_between_layout_and_writing_is_named(tmp_path):
    """The outlines are read when the PDF is written: a font rewritten after layout is
    refused with a message and exit 2, never an internal error or a mixed font."""
    import os
    import subprocess
    import sys

    spec = _page(tmp_path)
    out = tmp_path / "page.pdf"
    code = (
        "import os, sys\n"
        "from layout import cli, page\n"
        "real = page.lay_out_page\n"
        "def touched(*args, **kwargs):\n"
        "    result = real(*args, **kwargs)\n"
        f"    os.utime({str(tmp_path / 'house.ttf')!r}, ns=(1, 1))  # saved again by an editor\n"
        "    return result\n"
        "page.lay_out_page = touched\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, "render", str(spec), "-o", str(out)], cwd=REPO,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PAIBAN_CACHE_DIR": "off"})
    assert result.returncode == 2, result.stderr
    assert "house.ttf: the file changed while in use" in result.stderr and "internal error" not in result.stderr
    assert not out.exists()
