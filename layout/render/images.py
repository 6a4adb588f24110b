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


def make_probe(press: PressSettings) -> Callable[[Path], ImageInfo]:
    """A probe for layout: pixel size, mode, and the ink of CMYK placed as it is."""

    def probe(path: Path) -> ImageInfo:
        im = _open(path)
        ink = max_total_ink(im) if is_passthrough(im, press.profile) else None
        return ImageInfo(im.width, im.height, im.mode, ink)

    return probe


def prepare_image(item: Image, press: PressSettings) -> PressImage:
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
JPEG_INK_MARGINS = (0.0, 4.0, 8.0, 16.0)


def _encode(im: PILImage.Image, press: PressSettings, passthrough: bool) -> bytes:
    """JPEG bytes whose decoded pixels stay within the ink limit (verified by decoding)."""
    if im.mode != "CMYK":
        return _jpeg(im, press.jpeg_quality)
    margins = JPEG_INK_MARGINS[:1] if passthrough else JPEG_INK_MARGINS
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
    im.save(out, format="JPEG", quality=quality, optimize=True, subsampling=0)
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
