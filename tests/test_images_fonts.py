"""Photos in their slots, extra font families, and the layering rule (layout never draws)."""

from __future__ import annotations

import ast
import io
import shutil

import pikepdf
from PIL import Image

from layout.page import lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import SpecInvalid, load_spec
from tests.conftest import MINIMAL_PAGE, REPO

PHOTOS = MINIMAL_PAGE.lstrip() + """
blocks:
  - type: article
    id: a
    frame: {column: 1, span: 4, line: 1, lines: auto}
    title: 图片测试
    body: 正文一段。
  - type: photo
    id: colour
    frame: {column: 1, span: 2, line: 6, lines: 12}
    src: images/colour.jpg
    caption: 彩色照片。
    credit: 记者　摄
  - type: photo
    id: grey
    frame: {column: 3, span: 2, line: 6, lines: 12}
    src: images/grey.png
    fit: contain
"""


def test_photos_are_placed_as_cmyk_and_grey_images(tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1800, 1200), (200, 120, 60)).save(tmp_path / "images" / "colour.jpg")
    Image.new("L", (1200, 1200), 128).save(tmp_path / "images" / "grey.png")
    spec = tmp_path / "p.yaml"
    spec.write_text(PHOTOS, encoding="utf-8")
    layout = lay_out_page(load_spec(spec), probe=make_probe)
    assert layout.ok, [p.message for p in layout.problems]
    with pikepdf.open(io.BytesIO(render_pdf([layout]))) as pdf:
        spaces = sorted(str(image.ColorSpace) for image in pdf.pages[0].images.values())
    assert spaces == ["/DeviceCMYK", "/DeviceGray"]
    colour = layout.photos[0]
    assert colour.image.bottom < colour.frame.bottom  # the caption sits under the image, inside the frame


def test_broken_image_is_a_problem_and_a_placeholder(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "colour.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    Image.new("L", (1200, 1200)).save(tmp_path / "images" / "grey.png")
    spec = tmp_path / "p.yaml"
    spec.write_text(PHOTOS, encoding="utf-8")
    layout = lay_out_page(load_spec(spec), probe=make_probe)
    assert [p.kind for p in layout.problems] == ["unreadable_image"]
    render_pdf([layout])  # still renders, with the marked placeholder


def test_a_spec_may_add_a_font_family(tmp_path):
    (tmp_path / "fonts").mkdir()
    shutil.copy(REPO / "fonts" / "LXGWWenKai-Regular.ttf", tmp_path / "fonts" / "MyKai.ttf")
    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """
fonts:
  mykai: fonts/MyKai.ttf
styles:
  title: {font: mykai}
blocks:
  - {type: article, id: a, frame: {column: 1, span: 4, line: 1, lines: auto}, title: 自带字体, body: 正文。}
""", encoding="utf-8")
    layout = lay_out_page(load_spec(spec))
    faces = {run.face.path.name for run in layout.display if hasattr(run, "face")}
    assert "MyKai.ttf" in faces and layout.ok
    # the spec's own font is embedded (as a subset of that file) and its text reads back
    import pdfplumber

    pdf = render_pdf([layout])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = {str(f.BaseFont).partition("+")[2] for f in doc.pages[0].Resources.Font.values()}
    assert "LXGWWenKai-Regular" in names  # MyKai.ttf is a copy of LXGW WenKai
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert "自带字体" in doc.pages[0].extract_text()


def test_block_style_with_unknown_family_is_a_spec_error(tmp_path):
    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """
blocks:
  - type: article
    id: a
    frame: {column: 1, span: 4, line: 1, lines: auto}
    title: 标题
    styles:
      title: {font: nosuch}
""", encoding="utf-8")
    try:
        load_spec(spec)
    except SpecInvalid as exc:
        assert [str(e) for e in exc.errors] == [f"{spec}:15: blocks[a].styles.title.font: unknown font family 'nosuch' (hei, kai, song)"]
    else:
        raise AssertionError("expected a spec error")


def test_layout_modules_never_import_drawing_libraries():
    """Layout code is pure: reportlab, Pillow and pypdfium2 live in render/ (the CLI and the pytest
    plugin import them lazily, at the top of the stack)."""
    forbidden = {"reportlab", "PIL", "pypdfium2"}
    for path in (REPO / "layout").rglob("*.py"):
        if "render" in path.parts or path.name in ("cli.py", "pytest_plugin.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not {n.split(".")[0] for n in names} & forbidden, (path, names)
