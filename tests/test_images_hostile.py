"""Hostile images and output profiles (issue 10): each gets a named problem or a
``FILE:LINE`` error quickly, never a hang, a crash or gigabytes of memory; and the fast
separation (crop and scale first, RGB through an ink-limited lookup table) keeps the
press rules."""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from layout import cli
from layout.memo import Memo
from layout.press import DEFAULT_PROFILE, MIN_DECODED_PIXELS
from layout.render import colour
from layout.render.colour import limit_ink, max_total_ink, to_press
from layout.render.images import MAX_IMAGE_PIXELS, _open
from tests.conftest import MINIMAL_PAGE

#: Wall-clock bound of one hostile case, checked in process (after a warm-up page).
CASE_SECONDS = 2.0
#: A case that takes this long is hung (a FIFO read, a runaway decode): the test fails.
HANG_SECONDS = 60
INK_LIMIT = 240.0
#: One level of one channel, in percent: the rounding the press tests allow.
ONE_LEVEL = 100 / 255


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (rather than block the suite) when a case does not return."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def photo_spec(folder: Path, src: str, output: str = "") -> Path:
    spec = folder / f"{Path(src).stem or 'page'}.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + output + f"""
blocks:
  - type: photo
    id: pic
    frame: {{column: 1, span: 4, line: 1, lines: 30}}
    src: {src}
    caption: 图片说明。
""", encoding="utf-8")
    return spec


def check(spec: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, dict, str, float]:
    """``paiban check --json`` in process: status, report, stderr, seconds."""
    start = time.perf_counter()
    status = cli.main(["check", str(spec), "--json", *flags])
    seconds = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return status, json.loads(out) if out.strip() else {}, err, seconds


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fonts and the colour engine loaded once, so each case is timed on its own work."""
    folder = tmp_path_factory.mktemp("warm")
    (folder / "images").mkdir()
    Image.new("RGB", (1800, 1200), (30, 120, 200)).save(folder / "images" / "ok.jpg")
    assert cli.main(["check", str(photo_spec(folder, "images/ok.jpg"))]) == 0


# --- hostile images -------------------------------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A grey PNG whose header declares ``width`` × ``height`` but holds a few bytes of
    data: what a decoder would allocate for is the header's word."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def noisy(mode: str, size: tuple[int, int]) -> Image.Image:
    """An image with detail (so that a truncated file loses real data)."""
    bands = [Image.effect_noise(size, 60 + 20 * k).convert("L") for k in range(len(mode))]
    return Image.merge(mode, bands) if len(mode) > 1 else bands[0]


def encoded(im: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    im.save(out, format=fmt, **options)
    return out.getvalue()


def write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def truncated(data: bytes, keep: float) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data[: int(len(data) * keep)])


def lab_profile_jpeg(path: Path) -> None:
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    Image.new("RGB", (1800, 1200), (200, 60, 40)).save(path, icc_profile=lab)


JPEG = encoded(noisy("RGB", (1800, 1200)), "JPEG", quality=90)
PNG = encoded(noisy("RGB", (600, 400)), "PNG")

# (id, file name, how to make it, expected kind, a word of the reason, severity)
IMAGE_CASES = [
    ("declared 64 MP PNG", "big.png", write(png_declaring(8000, 8000)), "oversized_image", "megapixels", "error"),
    ("declared 100 MP PNG", "bigger.png", write(png_declaring(10000, 10000)), "oversized_image", "megapixels", "error"),
    ("declared 900 MP PNG", "bomb.png", write(png_declaring(30000, 30000)), "unreadable_image", "too many pixels",
     "error"),
    ("70 MP 1-bit PNG", "bits.png", lambda p: Image.new("1", (10000, 7000)).save(p), "oversized_image", "megapixels",
     "error"),
    ("truncated JPEG", "cut.jpg", truncated(JPEG, 0.4), "unreadable_image", "truncated", "error"),
    ("truncated PNG", "cut.png", truncated(PNG, 0.5), "unreadable_image", "", "error"),
    ("zero-byte file", "empty.jpg", write(b""), "unreadable_image", "identify", "error"),
    ("text named .jpg", "text.jpg", write("这不是图片\n".encode() * 50), "unreadable_image", "identify", "error"),
    ("a folder", "folder.jpg", lambda p: p.mkdir(), "unreadable_image", "folder", "error"),
    ("a FIFO", "pipe.jpg", lambda p: os.mkfifo(p), "unreadable_image", "named pipe", "error"),
    ("LAB TIFF", "lab.tif", lambda p: Image.new("LAB", (1800, 1200), (50, 10, 10)).save(p), "unreadable_image",
     "LAB", "error"),
    ("garbage ICC in RGB", "garbage.jpg",
     lambda p: Image.new("RGB", (1800, 1200), (200, 60, 40)).save(p, icc_profile=b"garbage"),
     "image_profile_ignored", "not a usable ICC profile", "warning"),
    ("garbage ICC in CMYK", "garbage-cmyk.jpg",
     lambda p: Image.new("CMYK", (1800, 1200), (20, 60, 40, 10)).save(p, icc_profile=b"garbage" * 40),
     "image_profile_ignored", "not a usable ICC profile", "warning"),
    ("Lab profile in RGB", "labicc.jpg", lab_profile_jpeg, "image_profile_ignored", "not RGB", "warning"),
]


@pytest.mark.parametrize(("name", "make", "kind", "reason", "severity"),
                         [case[1:] for case in IMAGE_CASES], ids=[case[0] for case in IMAGE_CASES])
def test_hostile_images_are_named_problems_quickly(tmp_path, capsys, warm, no_hang, name, make, kind, reason,
                                                   severity):
    (tmp_path / "images").mkdir()
    make(tmp_path / "images" / name)
    spec = photo_spec(tmp_path, f"images/{name}")
    status, report, _, seconds = check(spec, capsys)
    (entry,) = report["specs"]
    problems = {p["kind"]: p for p in entry["problems"]}
    assert kind in problems, entry["problems"]
    assert reason in problems[kind]["message"] and problems[kind].get("severity", "error") == severity
    assert status == (1 if severity == "error" else 0) and entry["ok"] == (severity != "error")
    assert seconds < CASE_SECONDS, f"{name}: {seconds:.2f} s"


def test_a_tiny_file_claiming_many_pixels_is_refused_for_a_small_slot(tmp_path, capsys):
    """80 bytes claiming 1 × 30,000,000 pixels: refused from its header for its slot (it
    took 500 MB before), while a JPEG of that size would be decoded at a reduced scale."""
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "strip.png").write_bytes(png_declaring(1, 30_000_000))
    spec = photo_spec(tmp_path, "images/strip.png")
    spec.write_text(spec.read_text(encoding="utf-8").replace("span: 4, line: 1, lines: 30", "span: 1, line: 1, lines: 8"),
                    encoding="utf-8")
    _, report, _, _ = check(spec, capsys)
    (problem,) = [p for p in report["specs"][0]["problems"] if p["kind"] == "oversized_image"]
    assert problem["megapixels"] == 30.0 and problem["limit_megapixels"] < 30.0


def test_oversized_image_reports_its_size_in_both_languages(tmp_path, capsys, warm):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "big.png").write_bytes(png_declaring(9000, 9000))
    spec = photo_spec(tmp_path, "images/big.png")
    _, report, _, _ = check(spec, capsys)
    (problem,) = [p for p in report["specs"][0]["problems"] if p["kind"] == "oversized_image"]
    # a PNG is decoded whole: held to what its slot can use (at least 16 MP, at most the absolute bound)
    assert problem["megapixels"] == 81.0
    assert MIN_DECODED_PIXELS / 1e6 <= problem["limit_megapixels"] <= MAX_IMAGE_PIXELS / 1e6
    _, report, _, _ = check(spec, capsys, "--lang", "zh")
    (problem,) = [p for p in report["specs"][0]["problems"] if p["kind"] == "oversized_image"]
    assert "像素" in problem["message"]


@pytest.mark.parametrize("mode", ["RGB", "CMYK"])
def test_an_image_with_a_garbage_profile_still_renders_within_the_ink_limit(tmp_path, capsys, mode):
    (tmp_path / "images").mkdir()
    noisy(mode, (600, 400)).save(tmp_path / "images" / "g.jpg", icc_profile=b"garbage")
    for src in ("images/g.jpg",):
        spec = photo_spec(tmp_path, src, output="output: {min_ppi: 50}\n")  # a small photo renders quickly
        out = tmp_path / f"{Path(src).stem}.pdf"
        status = cli.main(["render", str(spec), "-o", str(out)])
        _, err = capsys.readouterr()
        assert "image_profile_ignored" not in err  # a warning is printed with its message, not its kind
        assert "is ignored" in err and out.exists()
        with pikepdf.open(out) as pdf:
            (image,) = pdf.pages[0].images.values()
            assert str(image.ColorSpace) == "/DeviceCMYK"
            ink = max_total_ink(pikepdf.PdfImage(image).as_pil_image())
        # RGB is separated within the limit; CMYK without a usable profile is placed as it
        # is (and reported as ink_limit when it is over, as noise in four channels is)
        assert status == (0 if mode == "RGB" or ink <= INK_LIMIT + ONE_LEVEL else 1)
        assert ink <= INK_LIMIT + ONE_LEVEL if mode == "RGB" else ink > 0


# --- hostile output profiles ----------------------------------------------------------


def cmyk_profile_with(**changes: bytes) -> Callable[[Path], None]:
    """The shipped CMYK profile with header fields replaced (offset: bytes)."""
    data = bytearray(DEFAULT_PROFILE.read_bytes())
    for offset, value in changes.items():
        start = int(offset.removeprefix("at"))
        data[start:start + len(value)] = value
    return write(bytes(data))


def damaged_tables(path: Path) -> None:
    """The shipped profile with its header and tag table intact and every tag zeroed."""
    data = bytearray(DEFAULT_PROFILE.read_bytes())
    end = 132 + 12 * struct.unpack(">I", data[128:132])[0]
    path.write_bytes(bytes(data[:end]) + bytes(len(data) - end))


def srgb_profile(path: Path) -> None:
    path.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def huge_file(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: 40 MiB without writing them
        handle.truncate(40 * 1024 * 1024)


# (id, how to make profile.icc (None: refer to /dev/zero), a word of the message)
PROFILE_CASES = [
    ("missing", lambda p: None, "no ICC profile at"),
    ("a folder", lambda p: p.mkdir(), "a folder"),
    ("a FIFO", lambda p: os.mkfifo(p), "named pipe"),
    ("/dev/zero", None, "a device"),
    ("40 MiB", huge_file, "too large"),
    ("text", write(b"not a profile\n" * 20), "not an ICC profile"),
    ("empty", write(b""), "not an ICC profile"),
    ("sRGB", srgb_profile, "for RGB colour"),
    ("grey", cmyk_profile_with(at16=b"GRAY"), "for GRAY colour"),
    ("device link", cmyk_profile_with(at12=b"link"), "'link' profile"),
    ("truncated", lambda p: p.write_bytes(DEFAULT_PROFILE.read_bytes()[:4000]), "truncated"),
    ("tag past the end", cmyk_profile_with(at136=b"\x7f\xff\xff\xff"), "tag table"),
    ("damaged tables", damaged_tables, "cannot be used by the colour engine"),
]


@pytest.mark.parametrize(("make", "message"), [case[1:] for case in PROFILE_CASES],
                         ids=[case[0] for case in PROFILE_CASES])
def test_bad_output_profiles_in_the_spec_are_errors_with_the_line(tmp_path, capsys, no_hang, make, message):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1800, 1200), (30, 120, 200)).save(tmp_path / "images" / "ok.jpg")
    if make is None:
        name = "/dev/zero"
    else:
        name = "profile.icc"
        make(tmp_path / name)
    spec = photo_spec(tmp_path, "images/ok.jpg", output=f"output:\n  ink_limit: 240\n  profile: {name}\n")
    line = spec.read_text(encoding="utf-8").splitlines().index(f"  profile: {name}") + 1
    for command in (["check", str(spec)], ["render", str(spec), "-o", str(tmp_path / "out.pdf")]):
        status = cli.main(command)
        _, err = capsys.readouterr()
        assert status == 2 and err.startswith(f"{spec}:{line}: output.profile: ") and message in err, err
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(("make", "message"), [case[1:] for case in PROFILE_CASES],
                         ids=[case[0] for case in PROFILE_CASES])
def test_bad_profile_options_are_unusable_input(tmp_path, capsys, no_hang, make, message):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1800, 1200), (30, 120, 200)).save(tmp_path / "images" / "ok.jpg")
    spec = photo_spec(tmp_path, "images/ok.jpg")
    profile = Path("/dev/zero") if make is None else tmp_path / "profile.icc"
    if make is not None:
        make(profile)
    status = cli.main(["render", str(spec), "-o", str(tmp_path / "out.pdf"), "--profile", str(profile)])
    _, err = capsys.readouterr()
    # found from the header before anything is laid out, or by the colour engine when the
    # first photo is probed (then as the spec's error, naming the option)
    assert status == 2 and message in err, err
    assert err.startswith("paiban: --profile: ") or err.startswith(f"{spec}:0: --profile: "), err
    assert not (tmp_path / "out.pdf").exists()


def test_the_shipped_profile_passes_the_header_check(tmp_path, capsys):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1800, 1200), (30, 120, 200)).save(tmp_path / "images" / "ok.jpg")
    spec = photo_spec(tmp_path, "images/ok.jpg", output=f"output:\n  profile: {DEFAULT_PROFILE}\n")
    status, _, err, _ = check(spec, capsys)
    assert status == 0, err


# --- the fast separation keeps the press rules ----------------------------------------


def gradient(size: tuple[int, int] = (256, 256)) -> Image.Image:
    """Every hue at every lightness, with deep shadows (where the ink limit bites)."""
    hue = Image.linear_gradient("L").resize(size)
    value = Image.linear_gradient("L").rotate(90).resize(size)
    return Image.merge("HSV", (hue, Image.new("L", size, 255), value)).convert("RGB")


@pytest.mark.parametrize("limit", [240.0, 280.0, 180.0])
def test_the_lookup_table_separation_is_within_the_limit_and_close_to_littlecms(limit):
    rgb = gradient()
    output = DEFAULT_PROFILE.resolve()
    memo = Memo()
    table = to_press(rgb, output, limit, memo)
    transform = colour._transform(None, output, "RGB", memo)
    direct = limit_ink(ImageCms.applyTransform(rgb, transform), limit)
    assert table.mode == "CMYK" and table.size == rgb.size
    assert max_total_ink(table) <= limit
    assert max_total_ink(ImageCms.applyTransform(rgb, transform)) > limit  # the limit did bite
    difference = ImageStat.Stat(ImageChops.difference(table, direct))
    assert max(difference.mean) < 1.5  # levels, on average, per channel


def test_ink_arithmetic_in_strips_matches_the_whole_image(monkeypatch):
    rgb = gradient((300, 200))
    converted = ImageCms.applyTransform(rgb, colour._transform(None, DEFAULT_PROFILE.resolve(), "RGB", Memo()))
    whole_ink, whole = max_total_ink(converted), limit_ink(converted, INK_LIMIT)
    monkeypatch.setattr(colour, "STRIP_PIXELS", 300 * 7)  # 7 rows a strip, the last one short
    assert max_total_ink(converted) == whole_ink
    assert limit_ink(converted, INK_LIMIT).tobytes() == whole.tobytes()


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jpeg") / "big.jpg"
    gradient((1600, 1200)).save(path, quality=85)
    return path


@pytest.mark.parametrize(("shown", "decoded"), [((400, 300), (400, 300)), ((390, 290), (400, 300)),
                                                 ((401, 301), (800, 600)), ((1600, 1200), (1600, 1200)),
                                                 ((100, 75), (200, 150))])
def test_a_jpeg_is_decoded_at_the_smallest_scale_still_big_enough(big_jpeg, shown, decoded):
    im = _open(big_jpeg, shown)
    assert im.size == decoded and im.width >= shown[0] and im.height >= shown[1]


def test_a_turned_jpeg_is_decoded_big_enough_after_turning(tmp_path):
    path = tmp_path / "turned.jpg"
    image = gradient((1600, 800))
    exif = image.getexif()
    exif[0x0112] = 6
    image.save(path, exif=exif)
    im = _open(path, (390, 790))  # shown upright: 800 wide, 1600 high
    assert im.size == (400, 800)
