"""Image colour for print: CMYK or grey, in the output profile, within the ink limit.

RGB (and palette, and RGB with alpha flattened on white) is converted with LittleCMS
(Pillow's ImageCms) from its embedded ICC profile, or sRGB when it has none (or when the
embedded one cannot be used, see ``usable_icc``), to the output CMYK profile with
perceptual intent and black-point compensation.  Grey stays grey.  A CMYK image with an
embedded profile other than the output one is converted CMYK→CMYK; one without a profile
(or with the output profile) is taken as separated for this press and placed as it is,
and only checked (see ``max_total_ink``).

The total ink of converted images is then limited by grey-component replacement: where
C+M+Y+K exceeds the limit, equal parts of C, M and Y are replaced by K (each unit moved
lowers the total by two), and what GCR cannot remove is taken from C, M and Y in
proportion.

For RGB the conversion and the ink limit are one lookup: LittleCMS and the ink limit
are applied to a grid of RGB colours, and the photo goes through that table with
trilinear interpolation (Pillow's ``Color3DLUT``, what a device link is to a RIP).  An
interpolated pixel is a weighted mean of grid colours that are all within the limit, so
it is within the limit too; the float work of the ink limit is done on 36 thousand grid
colours instead of on every pixel of the photo.

Nothing is kept here between calls: profiles, transforms and tables live in the front
end's :class:`~layout.memo.Memo`, keyed by values (the output profile by its
:class:`~layout.memo.FileId`, an embedded profile by the SHA-256 of its bytes, the ink
limit and the modes), so a changed profile file never meets an old transform.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

from PIL import Image, ImageCms, ImageFilter, ImageMath

from layout.memo import FileId, Memo, file_id
from layout.press import ProfileError
from layout.safeio import PROFILE_MAX_BYTES, read_regular

GREY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F"})
#: Every mode ``for_press`` turns into L, RGB or CMYK; another (LAB, La, …) is refused.
PRESS_INPUT_MODES = GREY_MODES | {"RGB", "RGBA", "RGBX", "P", "PA", "CMYK", "YCbCr"}
WHITE = (255, 255, 255)
#: Grid points per axis of the RGB→CMYK table (LittleCMS's own precalculated transforms
#: use 33 for 8-bit RGB): its result is within a few levels of the direct transform.
LUT_GRID = 33
#: The table's grid colours are limited this much (percent) under the ink limit: each of
#: the four interpolated channels is rounded to a whole level, which may add up to two
#: levels (0.8 %) to the total.
LUT_ROUNDING_MARGIN = 2 * 100 / 255
#: Rows of pixels are processed in strips of about this many pixels, so that the 32-bit
#: intermediate images of the ink arithmetic stay small whatever the photo's size.
STRIP_PIXELS = 1 << 20
#: The colour space an embedded profile must describe, by image mode.
_ICC_SPACE = MappingProxyType({"RGB": "RGB", "RGBA": "RGB", "CMYK": "CMYK"})


def _output_id(path: Path) -> FileId:
    """The output profile as a memo key.

    Raises:
        ProfileError: it cannot be looked at any more (removed since the spec was loaded).
    """
    try:
        return file_id(path)
    except OSError as exc:
        raise ProfileError(f"{path.name} cannot be read by the colour engine ({exc.strerror or exc})") from None


def _output_profile(path: Path, memo: Memo) -> ImageCms.ImageCmsProfile:
    # read as a regular file with a size bound (press_settings checked its header)
    return memo.get(("output profile", _output_id(path)),
                    lambda: ImageCms.ImageCmsProfile(io.BytesIO(read_regular(path, PROFILE_MAX_BYTES))))


def check_output_profile(path: Path, memo: Memo) -> None:
    """Raises ProfileError when LittleCMS cannot separate sRGB into the output profile
    (a profile whose header and tag table look right but whose tables are damaged)."""
    try:
        _output_profile(path, memo)
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError) as exc:
        reason = exc or exc.__class__.__name__
        raise ProfileError(f"{path.name} cannot be read by the colour engine ({reason})",
                           f"色彩引擎无法读取 {path.name}（{reason}）") from None
    problem = _link_problem(None, path, "RGB", memo)
    if problem is not None:
        raise ProfileError(f"{path.name} cannot be used by the colour engine ({problem})",
                           f"色彩引擎无法使用 {path.name}（{problem}）")


#: Errors of LittleCMS (through Pillow) on a profile it cannot use.
_CMS_ERRORS = (OSError, ValueError, TypeError, ImageCms.PyCMSError)


def _source_key(source_icc: bytes | None) -> str | None:
    """An embedded profile as a memo key: the digest of its bytes (None: sRGB)."""
    return _digest(source_icc) if source_icc else None


def _source_profile(source_icc: bytes | None) -> ImageCms.ImageCmsProfile:
    # buildTransform wraps a bare sRGB profile the same way
    return ImageCms.ImageCmsProfile(io.BytesIO(source_icc) if source_icc else ImageCms.createProfile("sRGB"))


def _link_problem(source_icc: bytes | None, output: Path, mode_in: str, memo: Memo) -> str | None:
    """Why LittleCMS cannot link the source profile to the output, or None.  Linked
    without precalculating the transform's tables (NOOPTIMIZE): a few milliseconds
    instead of the ~30 of the transform used for pixels, which a warm render never builds."""

    def link() -> str | None:
        try:
            ImageCms.buildTransform(
                _source_profile(source_icc), _output_profile(output, memo), mode_in, "CMYK",
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                flags=ImageCms.Flags.BLACKPOINTCOMPENSATION | ImageCms.Flags.NOOPTIMIZE,
            )
        except _CMS_ERRORS as exc:
            return str(exc) or exc.__class__.__name__
        return None

    return memo.get(("cms link problem", _source_key(source_icc), _output_id(output), mode_in), link)


def _transform(source_icc: bytes | None, output: Path, mode_in: str, memo: Memo) -> ImageCms.ImageCmsTransform:
    """The LittleCMS transform from the source profile (sRGB when None) to the output,
    built once per pair of profiles and mode (~30 ms each)."""
    return memo.get(("cms transform", _source_key(source_icc), _output_id(output), mode_in),
                    lambda: ImageCms.buildTransform(
                        _source_profile(source_icc), _output_profile(output, memo), mode_in, "CMYK",
                        renderingIntent=ImageCms.Intent.PERCEPTUAL, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
                    ))


def profile_digest(path: Path, memo: Memo) -> str:
    """SHA-256 of the output profile: the 1 MB file is hashed once per version, not once per image."""
    return memo.get(("profile digest", _output_id(path)),
                    lambda: hashlib.sha256(read_regular(path, PROFILE_MAX_BYTES)).hexdigest())


def icc_problem(im: Image.Image, output: Path, memo: Memo) -> str | None:
    """Why the image's embedded ICC profile cannot be used (it is then ignored), or None.

    Garbage bytes, a profile for another colour space than the pixels' (a grey profile
    in an RGB file), or one LittleCMS cannot build a transform from.
    """
    icc = im.info.get("icc_profile")
    space = _ICC_SPACE.get(im.mode)
    if not icc or space is None:
        return None
    try:
        found = ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
    except _CMS_ERRORS as exc:
        return f"its embedded colour profile is not a usable ICC profile ({exc or exc.__class__.__name__})"
    if found != space:
        return f"its embedded colour profile is for {found or 'an unknown colour space'}, not {space}"
    if space == "CMYK" and _digest(icc) == profile_digest(output, memo):
        return None
    problem = _link_problem(icc, output, space, memo)
    return None if problem is None else f"its embedded colour profile cannot be used for conversion ({problem})"


def usable_icc(im: Image.Image, output: Path, memo: Memo) -> Image.Image:
    """The image without its embedded profile when that cannot be used (see ``icc_problem``):
    RGB is then taken as sRGB, CMYK as separated for this press."""
    if icc_problem(im, output, memo) is None:
        return im
    im.info.pop("icc_profile", None)
    return im


def _digest(icc: bytes) -> str:
    return hashlib.sha256(icc).hexdigest()


def is_passthrough(im: Image.Image, output: Path, memo: Memo) -> bool:
    """A CMYK image without a profile, or in the output profile, is placed as it is."""
    if im.mode != "CMYK":
        return False
    icc = im.info.get("icc_profile")
    return not icc or _digest(icc) == profile_digest(output, memo)


def for_press(im: Image.Image) -> Image.Image:
    """The image in one of L, RGB or CMYK (alpha flattened on white), keeping the embedded
    profile of RGB and CMYK: what is cropped and scaled before the colour conversion."""
    icc = im.info.get("icc_profile") if im.mode in _ICC_SPACE else None
    if im.mode == "CMYK" or im.mode in ("L", "RGB") and "transparency" not in im.info:
        out = im  # no copy of the pixels
    elif im.mode in GREY_MODES:
        out = _flatten(im).convert("L") if im.mode == "LA" else im.convert("L")
    else:
        out = _flatten(im).convert("RGB")
    if icc:
        out.info["icc_profile"] = icc
    else:
        out.info.pop("icc_profile", None)
    return out


def to_press(im: Image.Image, output: Path, ink_limit: float, memo: Memo) -> Image.Image:
    """An L, RGB or CMYK image (see ``for_press``) in DeviceCMYK for ``output`` within
    ``ink_limit`` percent, or in grey."""
    if im.mode == "L" or is_passthrough(im, output, memo):
        return im
    icc = im.info.get("icc_profile")
    if im.mode == "CMYK":
        converted = ImageCms.applyTransform(im, _transform(icc, output, "CMYK", memo))
        if converted is None:  # applyTransform returns None only when asked to work in place
            raise ValueError("colour conversion failed")
        return limit_ink(converted, ink_limit)
    rgb = im if im.mode == "RGB" else im.convert("RGB")
    return rgb.filter(_rgb_table(icc, output, ink_limit, memo))


def _rgb_table(icc: bytes | None, output: Path, ink_limit: float, memo: Memo) -> ImageFilter.Color3DLUT:
    """RGB → CMYK within ``ink_limit``, as a table of LUT_GRID³ colours (red varies fastest),
    once per pair of profiles and ink limit."""
    key = ("rgb table", _source_key(icc), _output_id(output), ink_limit, LUT_GRID, LUT_ROUNDING_MARGIN)
    return memo.get(key, lambda: _make_rgb_table(icc, output, ink_limit, memo))


def _make_rgb_table(icc: bytes | None, output: Path, ink_limit: float, memo: Memo) -> ImageFilter.Color3DLUT:
    n = LUT_GRID
    levels = [round(i * 255 / (n - 1)) for i in range(n)]
    grid = Image.frombytes("RGB", (n * n * n, 1), bytes(
        channel for b in levels for g in levels for r in levels for channel in (r, g, b)))
    converted = ImageCms.applyTransform(grid, _transform(icc, output, "RGB", memo))
    if converted is None:
        raise ValueError("colour conversion failed")
    limited = limit_ink(converted, ink_limit - LUT_ROUNDING_MARGIN)
    return ImageFilter.Color3DLUT(n, [v / 255 for v in limited.tobytes()], channels=4, target_mode="CMYK")


def _flatten(im: Image.Image) -> Image.Image:
    """Alpha flattened onto white paper (PDF/X-1a allows no transparency)."""
    if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, WHITE + (255,))
        paper.alpha_composite(rgba)
        return paper.convert("RGB") if im.mode not in ("LA",) else paper.convert("L")
    return im


def _strips(im: Image.Image) -> list[tuple[int, Image.Image]]:
    """The image as horizontal strips of about STRIP_PIXELS pixels, with their top rows."""
    rows = max(1, STRIP_PIXELS // max(im.width, 1))
    return [(top, im.crop((0, top, im.width, min(top + rows, im.height)))) for top in range(0, im.height, rows)]


def _by_strips(im: Image.Image, step: Callable[[Image.Image], Image.Image]) -> Image.Image:
    if im.width * im.height <= STRIP_PIXELS:
        return step(im)
    out = Image.new(im.mode, im.size)
    for top, strip in _strips(im):
        out.paste(step(strip), (0, top))
    return out


def limit_ink(im: Image.Image, ink_limit: float) -> Image.Image:
    """Grey-component replacement down to ``ink_limit`` percent total area coverage.

    An image already within the limit is returned as it is; a large one is worked on in
    strips, so the float intermediates stay small.
    """
    if max_total_ink(im) <= ink_limit:
        return im
    return _by_strips(im, lambda strip: _limit_strip(strip, ink_limit))


def _limit_strip(im: Image.Image, ink_limit: float) -> Image.Image:
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
    """Highest C+M+Y+K of any pixel, in percent (0 for grey); in strips, so that a large
    image needs no more than a few MB of 32-bit intermediates."""
    if im.mode != "CMYK":
        return 0.0
    highest = 0
    for _, strip in _strips(im) if im.width * im.height > STRIP_PIXELS else [(0, im)]:
        c, m, y, k = strip.split()
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
        highest = max(highest, total.getextrema()[1])
    return highest / 255.0 * 100.0
