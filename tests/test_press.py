"""Press-ready output (issue 4): colour, ink, resolution, PDF/X-1a, preflight."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from layout.page import lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import MINIMAL_PAGE, REPO

EXAMPLES = [REPO / "examples" / "maonan" / "page.yaml", REPO / "examples" / "photos" / "page.yaml",
            REPO / "examples" / "front" / "page.yaml", REPO / "examples" / "service" / "page.yaml",
            REPO / "examples" / "feature" / "page.yaml"]


@cache
def example_pdf(path: Path) -> bytes:
    layout = lay_out_page(load_spec(path), probe=make_probe)
    assert layout.ok, [p.message for p in layout.problems]
    return render_pdf([layout])


def total_ink(image: Image.Image) -> float:
    """Highest C+M+Y+K of any pixel in percent, computed band by band."""
    if image.mode != "CMYK":
        return 0.0
    c, m, y, k = (list(band.getdata()) for band in image.split())
    return max(map(sum, zip(c, m, y, k, strict=True))) / 255 * 100


@pytest.mark.parametrize("path", EXAMPLES, ids=["maonan", "photos", "front", "service", "feature"])
def test_placed_images_are_cmyk_or_grey_within_the_ink_limit(path):
    with pikepdf.open(io.BytesIO(example_pdf(path))) as pdf:
        images = list(pdf.pages[0].images.values())
        assert images
        for obj in images:
            assert str(obj.ColorSpace) in ("/DeviceCMYK", "/DeviceGray")
            assert "/SMask" not in obj and "/Mask" not in obj
            decoded = pikepdf.PdfImage(obj).as_pil_image()  # the embedded data, decoded
            assert total_ink(decoded) <= 240 + 100 / 255  # one level of one channel for rounding


@pytest.mark.parametrize("path", EXAMPLES, ids=["maonan", "photos", "front", "service", "feature"])
def test_pdfx_1a_markers(path):
    with pikepdf.open(io.BytesIO(example_pdf(path))) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's structural check (pikepdf bundles libqpdf)
        assert pdf.pdf_version == "1.3"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        profile = ImageCms.ImageCmsProfile(io.BytesIO(intent.DestOutputProfile.read_bytes()))
        assert profile.profile.xcolor_space.strip() == "CMYK"
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2001"
        assert pdf.docinfo["/Trapped"] == "/False" and str(pdf.docinfo["/Title"])
        assert "/ID" in pdf.trailer
        for page in pdf.pages:
            assert "/TrimBox" in page.obj and "/BleedBox" in page.obj
            assert "/Group" not in page.obj
            for state in page.Resources.get("/ExtGState", {}).values():
                assert not {"/ca", "/CA", "/SMask", "/BM"} & set(state.keys())
            for font in page.Resources.Font.values():
                assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True, text=True)


def photo_spec(tmp_path: Path, src: str, extra: str = "", size: tuple[int, int] = (1800, 1200)) -> Path:
    (tmp_path / "images").mkdir(exist_ok=True)
    Image.new("RGB", size, (30, 120, 200)).save(tmp_path / "images" / "ok.jpg")
    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + extra + f"""
blocks:
  - type: article
    id: a
    frame: {{column: 1, span: 4, line: 1, lines: 6}}
    title: 图片检查
    body: 正文一段。
  - type: photo
    id: pic
    frame: {{column: 1, span: 4, line: 7, lines: 30}}
    src: {src}
    caption: 图片说明。
""", encoding="utf-8")
    return spec


def problems_of(spec: Path, *flags: str) -> tuple[int, dict[str, dict], Path]:
    out = spec.with_suffix(".pdf")
    result = run("render", spec, "-o", out, *flags)
    report = json.loads(run("check", spec, "--json", *flags).stdout)
    return result.returncode, {p["kind"]: p for p in report["specs"][0]["problems"]}, out


@pytest.mark.parametrize("fit", ["cover", "contain"])
def test_low_resolution_image(tmp_path, fit):
    """The resolution as placed: cover is limited by the direction that exactly fills the
    slot (the lower of the two), contain by the one that exactly fits (the higher)."""
    spec = photo_spec(tmp_path, "images/small.jpg")
    spec.write_text(spec.read_text(encoding="utf-8").replace("    caption:", f"    fit: {fit}\n    caption:"),
                    encoding="utf-8")
    Image.new("RGB", (480, 340), (90, 90, 90)).save(tmp_path / "images" / "small.jpg")
    layout = lay_out_page(load_spec(spec), probe=make_probe)
    (slot,) = [b for b in layout.page.items if type(b).__name__ == "Image"]
    across, down = 480 / (slot.width / 72), 340 / (slot.height / 72)
    assert abs(across - down) > 5  # the slot's shape differs from the image's: the fits differ
    status, problems, out = problems_of(spec)
    assert status == 1 and out.exists()
    ppi = problems["low_resolution_image"]["ppi"]
    assert ppi == pytest.approx(min(across, down) if fit == "cover" else max(across, down), abs=0.1)
    assert f"{ppi:.0f} ppi" in problems["low_resolution_image"]["message"]


def test_missing_and_truncated_images(tmp_path):
    spec = photo_spec(tmp_path, "images/none.jpg")
    status, problems, out = problems_of(spec)
    assert status == 1 and out.exists() and "missing_image" in problems
    data = (tmp_path / "images" / "ok.jpg").read_bytes()
    (tmp_path / "images" / "cut.jpg").write_bytes(data[: len(data) // 3])
    spec = photo_spec(tmp_path, "images/cut.jpg")
    status, problems, out = problems_of(spec)
    assert status == 1 and out.exists() and "unreadable_image" in problems


def test_separated_cmyk_over_the_ink_limit_is_reported(tmp_path):
    spec = photo_spec(tmp_path, "images/heavy.jpg")
    Image.new("CMYK", (1800, 1200), (230, 230, 230, 230)).save(tmp_path / "images" / "heavy.jpg", quality=95)
    status, problems, _ = problems_of(spec)
    assert status == 1 and problems["ink_limit"]["ink"] > 340 and problems["ink_limit"]["limit"] == 240


def test_images_outside_the_spec_folder_are_refused_unless_allowed(tmp_path):
    inner = tmp_path / "page"
    inner.mkdir()
    Image.new("RGB", (1800, 1200)).save(tmp_path / "outside.jpg")
    spec = photo_spec(inner, "../outside.jpg")
    status, problems, _ = problems_of(spec)
    assert status == 1 and "image_outside_folder" in problems
    status, problems, _ = problems_of(spec, "--allow-outside-images")
    assert status == 0 and not [k for k, p in problems.items() if p.get("severity", "error") == "error"]


def test_decompression_bomb_guard_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    spec = photo_spec(tmp_path, "images/ok.jpg")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    layout = lay_out_page(load_spec(spec), probe=make_probe)
    (problem,) = [p for p in layout.problems if p.kind == "unreadable_image"]
    assert "decompression-bomb" in problem.message


def test_exif_orientation_is_honoured(tmp_path):
    (tmp_path / "images").mkdir()
    image = Image.new("RGB", (1200, 400), (200, 0, 0))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° when shown
    image.save(tmp_path / "images" / "turned.jpg", exif=exif)
    info = make_probe(lay_out_page(load_spec(photo_spec(tmp_path, "images/ok.jpg"))).press)(
        tmp_path / "images" / "turned.jpg")
    assert (info.width, info.height) == (400, 1200)


def test_small_text_and_rich_black_are_reported(tmp_path):
    spec = photo_spec(tmp_path, "images/ok.jpg", extra="styles:\n  caption: {size: 5pt}\n  body: {color: [60, 50, 50, 100]}\n")
    status, problems, _ = problems_of(spec)
    assert status == 1
    assert problems["text_too_small"]["size"] == 5 and problems["text_too_small"]["block"] == "pic"
    assert problems["rich_black_text"]["color"] == [60, 50, 50, 100]


def test_unknown_profile_is_unusable_input(tmp_path):
    spec = photo_spec(tmp_path, "images/ok.jpg")
    result = run("render", spec, "-o", tmp_path / "x.pdf", "--profile", tmp_path / "none.icc")
    assert result.returncode == 2 and "no ICC profile" in result.stderr and not (tmp_path / "x.pdf").exists()


def test_credit_runs_on_after_the_caption_when_styled_left(tmp_path):
    spec = photo_spec(tmp_path, "images/ok.jpg", extra="styles:\n  credit: {align: left}\n")
    layout = lay_out_page(load_spec(spec), probe=make_probe)
    photo = layout.photos[0]
    texts = [run.text for run in photo.display if hasattr(run, "text")]
    assert len({run.baseline for run in photo.display if hasattr(run, "text")}) == 1  # one line
    assert "".join(texts).endswith("图片说明。")  # no credit given in this spec: caption only
    spec = photo_spec(tmp_path, "images/ok.jpg", extra="styles:\n  credit: {align: left}\n")
    text = spec.read_text(encoding="utf-8").replace("    caption: 图片说明。", "    caption: 图片说明。\n    credit: 记者 摄")
    spec.write_text(text, encoding="utf-8")
    photo = lay_out_page(load_spec(spec), probe=make_probe).photos[0]
    assert "".join(run.text for run in photo.display if hasattr(run, "text")) == "图片说明。记者摄"


def test_live_previews_use_screen_proxies_and_print_never_does():
    """A live preview draws photos from small proxies (fast on every save) and looks the
    same as the exact preview; the print PDF keeps the press images."""
    from PIL import ImageChops, ImageStat

    from layout.render.png import render_png

    layout = lay_out_page(load_spec(EXAMPLES[1]), probe=make_probe)
    with pikepdf.open(io.BytesIO(render_pdf([layout], proxy_ppi=144))) as proxied, \
            pikepdf.open(io.BytesIO(example_pdf(EXAMPLES[1]))) as printed:
        small = [len(i.read_raw_bytes()) for i in proxied.pages[0].images.values()]
        full = [len(i.read_raw_bytes()) for i in printed.pages[0].images.values()]
        assert len(small) == len(full) >= 2 and sum(small) * 2 < sum(full)  # 0.5 MB against 2.4 MB here
        assert {i.ColorSpace for i in proxied.pages[0].images.values()} <= {"/DeviceCMYK", "/DeviceGray"}
    exact = Image.open(io.BytesIO(render_png(layout, dpi=72))).convert("L")
    live = Image.open(io.BytesIO(render_png(layout, dpi=72, live=True))).convert("L")
    assert exact.size == live.size
    (mean,) = ImageStat.Stat(ImageChops.difference(exact, live)).mean
    assert mean < 2.0  # resampling differences only (0.3 levels of 255 here)
