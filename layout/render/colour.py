"""Image colour for print: CMYK or grey, in the output profile, within the ink limit.

RGB (and palette, and RGB with alpha flattened on white) is converted with LittleCMS
(Pillow's ImageCms) from its embedded ICC profile, or sRGB when it has none, to the
output CMYK profile with perceptual intent and black-point compensation.  Grey stays
grey.  A CMYK image with an embedded profile other than the output one is converted
CMYK→CMYK; one without a profile (or with the output profile) is taken as separated for
this press and placed as it is, and only checked (see ``max_total_ink``).

The total ink of converted images is then limited by grey-component replacement: where
C+M+Y+K exceeds the limit, equal parts of C, M and Y are replaced by K (each unit moved
lowers the total by two), and what GCR cannot remove is taken from C, M and Y in
proportion.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms, ImageMath

GREY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"})
WHITE = (255, 255, 255)


@lru_cache(maxsize=8)
def _output_profile(path: Path) -> ImageCms.ImageCmsProfile:
    return ImageCms.getOpenProfile(str(path))


@lru_cache(maxsize=32)
def _transform(source_icc: bytes | None, output: Path, mode_in: str) -> ImageCms.ImageCmsTransform:
    source = ImageCms.ImageCmsProfile(io.BytesIO(source_icc)) if source_icc else ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(
        source, _output_profile(output), mode_in, "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


@lru_cache(maxsize=4)
def profile_digest(path: Path) -> str:
    # Hashing the 1 MB profile once per page, not once per image.
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_passthrough(im: Image.Image, output: Path) -> bool:
    """A CMYK image without a profile, or in the output profile, is placed as it is."""
    if im.mode != "CMYK":
        return False
    icc = im.info.get("icc_profile")
    return not icc or hashlib.sha256(icc).hexdigest() == profile_digest(output)


def to_press(im: Image.Image, output: Path, ink_limit: float) -> Image.Image:
    """The image in DeviceCMYK for ``output`` within ``ink_limit`` percent, or in grey."""
    if im.mode in GREY_MODES:
        return _flatten(im).convert("L") if im.mode in ("LA",) else im.convert("L")
    if is_passthrough(im, output):
        return im
    icc = im.info.get("icc_profile")
    if im.mode == "CMYK":
        converted = ImageCms.applyTransform(im, _transform(icc, output, "CMYK"))
    else:
        rgb = _flatten(im).convert("RGB")
        converted = ImageCms.applyTransform(rgb, _transform(icc if im.mode in ("RGB", "RGBA") else None, output, "RGB"))
    if converted is None:  # applyTransform returns None only when asked to work in place
        raise ValueError("colour conversion failed")
    return limit_ink(converted, ink_limit)


def _flatten(im: Image.Image) -> Image.Image:
    """Alpha flattened onto white paper (PDF/X-1a allows no transparency)."""
    if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, WHITE + (255,))
        paper.alpha_composite(rgba)
        return paper.convert("RGB") if im.mode not in ("LA",) else paper.convert("L")
    return im


def limit_ink(im: Image.Image, ink_limit: float) -> Image.Image:
    """Grey-component replacement down to ``ink_limit`` percent total area coverage."""
    limit = ink_limit / 100.0 * 255.0
    c, m, y, k = (band.convert("F") for band in im.split())
    bands = {"c": c, "m": m, "y": y, "k": k}

    def moved(a):  # type: ignore[no-untyped-def]
        lo, hi = a["min"], a["max"]
        total = a["c"] + a["m"] + a["y"] + a["k"]
        grey = lo(lo(a["c"], a["m"]), a["y"])
        return hi(lo(lo((total - limit) / 2.0, grey), 255.0 - a["k"]), 0.0)

    r = ImageMath.lambda_eval(moved, **bands)
    c2, m2, y2 = (ImageMath.lambda_eval(lambda a: a["x"] - a["r"], x=band, r=r) for band in (c, m, y))
    k2 = ImageMath.lambda_eval(lambda a: a["k"] + a["r"], k=k, r=r)

    def scale(a):  # type: ignore[no-untyped-def]
        cmy = a["c"] + a["m"] + a["y"]
        over = a["max"](cmy + a["k"] - limit, 0.0)
        return a["min"]((cmy - over) / a["max"](cmy, 1.0), 1.0)

    factor = ImageMath.lambda_eval(scale, c=c2, m=m2, y=y2, k=k2)
    out = [ImageMath.lambda_eval(lambda a: a["x"] * a["f"], x=band, f=factor) for band in (c2, m2, y2)]
    # truncation (not rounding) keeps the total at or under the limit
    return Image.merge("CMYK", [band.convert("L") for band in (*out, k2)])


def max_total_ink(im: Image.Image) -> float:
    """Highest C+M+Y+K of any pixel, in percent (0 for grey)."""
    if im.mode != "CMYK":
        return 0.0
    c, m, y, k = (band.convert("I") for band in im.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 255.0 * 100.0
