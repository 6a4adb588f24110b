"""Images: the probe layout uses, and the press-ready image the PDF embeds (Pillow lives
here, never in layout)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from layout.display import Image
from layout.memo import FileId, Memo, file_id
from layout.press import ImageInfo, PressSettings
from layout.render.colour import is_passthrough, limit_ink, max_total_ink, to_press

PT_PER_IN = 72.0
#: Images beyond this factor of the target resolution are downsampled to the target.
DOWNSAMPLE_ABOVE = 1.5


@dataclass(frozen=True, slots=True)
class PressImage:
    """A placed image ready for the PDF: JPEG bytes in DeviceCMYK or DeviceGray."""

    jpeg: bytes
    mode: str  # "CMYK" or "L"
    size: tuple[int, int]


def _open(path: Path) -> PILImage.Image:
    """Open and orient an image; ValueError with a reason for anything Pillow refuses.

    Pillow's decompression-bomb guard stays on: an image over its pixel limit is refused
    as unreadable, not decoded.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as opened:
                opened.load()
                oriented = ImageOps.exif_transpose(opened)
                oriented.info.setdefault("icc_profile", opened.info.get("icc_profile"))
                return oriented
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValueError(f"too many pixels (decompression-bomb guard): {exc}") from None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, EOFError) as exc:
        raise ValueError(str(exc) or exc.__class__.__name__) from None


#: EXIF orientations that turn the image a quarter: width and height swap.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


def _header(path: Path, memo: Memo) -> tuple[int, int, str]:
    """Size (after EXIF orientation) and mode from the file header, checked to decode;
    once per version of the file, so a re-render (preview, watch) does not decode an
    unchanged photo again."""
    return memo.get(("image header", _identity(path)), lambda: _read_header(path))


def _identity(path: Path) -> FileId:
    try:
        return file_id(path)
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None


def _read_header(path: Path) -> tuple[int, int, str]:
    """Only the header is parsed and the decoder is asked to verify the data, so a truncated
    or corrupt file is caught without holding the pixels in memory.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                width, height, mode = im.width, im.height, im.mode
                turned = im.getexif().get(0x0112) in _QUARTER_TURNS
                if im.format == "JPEG":
                    im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))  # decode at 1/8 scale
                im.load()  # decoding finds a truncated or corrupt file
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValueError(f"too many pixels (decompression-bomb guard): {exc}") from None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError, EOFError) as exc:
        raise ValueError(str(exc) or exc.__class__.__name__) from None
    return (height, width, mode) if turned else (width, height, mode)


def make_probe(press: PressSettings, memo: Memo | None = None) -> Callable[[Path], ImageInfo]:
    """A probe for layout: pixel size, mode, and the ink of CMYK placed as it is."""
    memo = memo if memo is not None else Memo()

    def probe(path: Path) -> ImageInfo:
        width, height, mode = _header(path, memo)
        ink = None
        if mode == "CMYK":  # only separated CMYK needs its pixels read (for the ink check)
            im = _open(path)
            ink = max_total_ink(im) if is_passthrough(im, press.profile) else None
        return ImageInfo(width, height, mode, ink)

    return probe


def prepare_image(item: Image, press: PressSettings, memo: Memo | None = None) -> PressImage:
    """The press-ready image for a slot, once per version of the file, slot and settings
    (kept on disk: separating a photo costs far more than reading it back)."""
    memo = memo if memo is not None else Memo()
    return memo.stored("image", image_key(item, press), PRESS_IMAGE_CODEC, lambda: _prepare(item, press))


#: JPEG quality of screen proxies (live previews only, never print).
PROXY_QUALITY = 85


def proxy_image(item: Image, press: PressSettings, ppi: float, memo: Memo | None = None) -> PressImage:
    """A screen proxy of the press image at ``ppi`` (InDesign's "typical display"): for
    live previews, where decoding a full-resolution photo on every save costs more than
    everything else.  The same separated pixels, downsampled; the print PDF never uses it."""
    memo = memo if memo is not None else Memo()
    target = (max(1, round(item.width / PT_PER_IN * ppi)), max(1, round(item.height / PT_PER_IN * ppi)))
    return memo.get(("image proxy", image_key(item, press), target),
                    lambda: _proxy(prepare_image(item, press, memo), target))


def _proxy(prepared: PressImage, target: tuple[int, int]) -> PressImage:
    if target[0] >= prepared.size[0] or target[1] >= prepared.size[1]:
        return prepared
    with PILImage.open(io.BytesIO(prepared.jpeg)) as im:
        im.draft(im.mode, target)  # JPEG: decode at the nearest scale above the target
        small = im.resize(target, PILImage.Resampling.LANCZOS)
    return PressImage(_jpeg(small, PROXY_QUALITY), small.mode, small.size)


def image_key(item: Image, press: PressSettings) -> tuple[object, ...]:
    """Names the press image of a slot as a value: the file, the slot's shape and fit,
    the press settings that shape the separation, and Pillow's version (its LittleCMS
    and JPEG codec make the pixels); the memo adds the digest of our code."""
    return (_identity(item.path), round(item.width, 3), round(item.height, 3), item.fit, item.focus,
            _identity(press.profile), press.ink_limit, press.target_ppi, press.jpeg_quality, PILImage.__version__)


class _PressImageCodec:
    """A press image on disk: ``MODE WIDTH HEIGHT\n`` then the JPEG (or TIFF) bytes."""

    def encode(self, value: PressImage) -> bytes:
        return f"{value.mode} {value.size[0]} {value.size[1]}\n".encode("ascii") + value.jpeg

    def decode(self, data: bytes) -> PressImage:
        header, _, payload = data.partition(b"\n")
        mode, width, height = header.decode("ascii").split()
        if mode not in ("CMYK", "L") or not payload:
            raise ValueError("not a press image")
        return PressImage(payload, mode, (int(width), int(height)))


PRESS_IMAGE_CODEC = _PressImageCodec()


def _prepare(item: Image, press: PressSettings) -> PressImage:
    """Crop (cover) or pad (contain), scale to the target resolution, convert for press."""
    source = _open(item.path)
    passthrough = is_passthrough(source, press.profile)
    im = to_press(source, press.profile, press.ink_limit)
    target = _target_pixels(im.size, item, press)
    if item.fit == "contain":
        fitted = ImageOps.contain(im, target, method=PILImage.Resampling.LANCZOS)
        paper = PILImage.new(im.mode, target, 0 if im.mode == "CMYK" else 255)
        paper.paste(fitted, ((target[0] - fitted.width) // 2, (target[1] - fitted.height) // 2))
        im = paper
    else:
        im = _cover(im, target, item.focus)
    return PressImage(_encode(im, press, passthrough), im.mode, im.size)


#: JPEG's rounding can push a few pixels past the ink limit; these margins (percent of
#: coverage) are tried in turn, and a lossless Flate-encoded image is the last resort.
JPEG_INK_MARGINS = (4.0, 8.0, 16.0)


def _encode(im: PILImage.Image, press: PressSettings, passthrough: bool) -> bytes:
    """JPEG bytes whose decoded pixels stay within the ink limit (verified by decoding)."""
    if im.mode != "CMYK":
        return _jpeg(im, press.jpeg_quality)
    margins = (0.0,) if passthrough else JPEG_INK_MARGINS
    for margin in margins:
        candidate = im if margin == 0 else limit_ink(im, press.ink_limit - margin)
        data = _jpeg(candidate, press.jpeg_quality)
        with PILImage.open(io.BytesIO(data)) as decoded:
            if max_total_ink(decoded) <= press.ink_limit + INK_TOLERANCE or passthrough and \
                    max_total_ink(decoded) <= max_total_ink(im) + INK_TOLERANCE:
                return data
    return _flate_tiff_fallback(im)


#: Decoded coverage may exceed the limit by this much (one level in one channel).
INK_TOLERANCE = 100 / 255


def _jpeg(im: PILImage.Image, quality: int) -> bytes:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=quality, subsampling=0)
    return out.getvalue()


def _flate_tiff_fallback(im: PILImage.Image) -> bytes:
    """Lossless: a PNG cannot hold CMYK, so the pixels go as a TIFF that reportlab
    re-encodes with Flate (exact values, larger file)."""
    out = io.BytesIO()
    im.save(out, format="TIFF", compression="tiff_deflate")
    return out.getvalue()


def _target_pixels(size: tuple[int, int], item: Image, press: PressSettings) -> tuple[int, int]:
    """Pixels of the slot at the image's own resolution, or at the target when far above it."""
    width_in, height_in = item.width / PT_PER_IN, item.height / PT_PER_IN
    scale = (max if item.fit != "contain" else min)(size[0] / max(width_in, 1e-6), size[1] / max(height_in, 1e-6))
    ppi = press.target_ppi if scale > press.target_ppi * DOWNSAMPLE_ABOVE else scale
    return max(1, round(width_in * ppi)), max(1, round(height_in * ppi))


def _cover(im: PILImage.Image, target: tuple[int, int], focus: tuple[float, float]) -> PILImage.Image:
    """Crop to the slot's shape around the focus point, then scale to ``target``."""
    scale = max(target[0] / im.width, target[1] / im.height)
    crop_w, crop_h = target[0] / scale, target[1] / scale
    cx = min(max(focus[0] * im.width, crop_w / 2), im.width - crop_w / 2)
    cy = min(max(focus[1] * im.height, crop_h / 2), im.height - crop_h / 2)
    box = (cx - crop_w / 2, cy - crop_h / 2, cx + crop_w / 2, cy + crop_h / 2)
    return im.resize(target, PILImage.Resampling.LANCZOS, box=box)
