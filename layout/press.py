"""Press settings of a page: output profile, ink limit, resolution, preflight thresholds.

From the spec's ``output:`` key, overridden by the command line (``--profile``,
``--allow-outside-images``).  Layout only reads numbers and paths from here; the colour
work itself happens in ``layout/render``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from layout.memo import Memo, file_id
from layout.paths import data_dir
from layout.safeio import PROFILE_MAX_BYTES, UnreadableFile, read_regular
from layout.spec.data import Output

PROFILE_DIR = data_dir("profiles")
#: ISO Coated v2 300% (basICColor, zlib licence, from Debian's scribus-data): a freely
#: redistributable CMYK profile; newspapers should name their printer's newsprint profile.
DEFAULT_PROFILE = PROFILE_DIR / "ISOcoated_v2_300_bas.icc"


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What layout needs to know of an image file (read by the renderer's probe)."""

    width: int  # pixels, after EXIF orientation
    height: int
    mode: str  # Pillow mode: L, RGB, CMYK, …
    passthrough_ink: float | None  # max total ink (%) of a CMYK image placed as it is, else None
    #: Why the image's embedded ICC profile is ignored (garbage, or for another colour
    #: space): the image is then taken as sRGB (or as separated CMYK), with a warning.
    ignored_profile: str | None = None


#: Pixels an image not decoded at a reduced scale (anything but JPEG) may have: at least
#: this many, and up to this factor of what its slot holds at the target resolution (4×
#: the resolution each way), so that a few-byte file claiming tens of megapixels in a
#: small slot is refused before it is decoded.
MIN_DECODED_PIXELS = 16_000_000
SLOT_PIXEL_FACTOR = 16


def decoded_pixel_limit(slot_width: float, slot_height: float, press: PressSettings) -> int:
    """Most pixels an image decoded whole may have for a slot of this size (pt)."""
    slot = (slot_width / 72.0 * press.target_ppi) * (slot_height / 72.0 * press.target_ppi)
    return int(max(MIN_DECODED_PIXELS, SLOT_PIXEL_FACTOR * slot))


class OversizedImage(ValueError):
    """An image with more pixels than paiban decodes (raised by the renderer's probe)."""

    def __init__(self, pixels: int, limit: int):
        super().__init__(f"{pixels / 1e6:.0f} megapixels, more than the {limit / 1e6:.0f} megapixels paiban decodes")
        self.pixels = pixels
        self.limit = limit


@dataclass(frozen=True, slots=True)
class PressSettings:
    profile: Path
    ink_limit: float  # percent
    min_ppi: float
    target_ppi: float
    jpeg_quality: int
    min_text_size: float  # pt
    pdfx: bool
    allow_outside_images: bool = False


@dataclass(frozen=True, slots=True)
class PressOverrides:
    """Command-line overrides of the spec's ``output:`` settings."""

    profile: Path | None = None
    allow_outside_images: bool = False


class ProfileError(Exception):
    """An output profile that cannot be used.  Not a ValueError: an image probe that finds
    the colour engine refusing the profile must not report it as an unreadable image.
    ``zh`` is the message in Chinese."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


def press_settings(output: Output, folder: Path, overrides: PressOverrides | None = None,
                   memo: Memo | None = None) -> PressSettings:
    """The page's press settings, with the output profile checked to be a CMYK ICC profile
    (once per version of the file in ``memo``).

    Raises:
        ProfileError: the profile named by ``--profile`` or ``output.profile`` is missing,
            not a regular file, too large, not an ICC profile, or not a CMYK output profile.
    """
    overrides = overrides or PressOverrides()
    if overrides.profile is not None:
        profile, shown = overrides.profile, str(overrides.profile)
    elif output.profile:
        profile, shown = folder / output.profile, output.profile
    else:
        profile, shown = DEFAULT_PROFILE, DEFAULT_PROFILE.name
    try:
        key = ("profile problem", file_id(profile), shown)
    except OSError:
        problem = profile_problem(profile, shown)  # missing or unreadable: said by the check
    else:
        problem = (memo if memo is not None else Memo()).get(key, lambda: profile_problem(profile, shown))
    if problem is not None:
        raise ProfileError(*problem)
    return PressSettings(
        profile=profile.resolve(), ink_limit=output.ink_limit, min_ppi=output.min_ppi, target_ppi=output.target_ppi,
        jpeg_quality=output.jpeg_quality, min_text_size=output.min_text_size, pdfx=output.pdfx,
        allow_outside_images=overrides.allow_outside_images,
    )


#: ICC header: the profile's size (bytes 0-3), device class (12-15), data colour space
#: (16-19), connection space (20-23) and the 'acsp' signature (36-39); then the tag count
#: (128-131) and 12-byte tag entries (signature, offset, size).
ICC_HEADER_BYTES = 128
ICC_TAG_ENTRY_BYTES = 12
#: Device classes that can be an output profile: printer, and colour space (generic CMYK).
ICC_OUTPUT_CLASSES = frozenset({b"prtr", b"spac"})
ICC_CONNECTION_SPACES = frozenset({b"XYZ ", b"Lab "})


def profile_problem(path: Path, shown: str) -> tuple[str, str] | None:
    """Why ``path`` cannot be the output profile (in English and Chinese), or None when it can.

    Read as a regular file of at most PROFILE_MAX_BYTES (a FIFO or ``/dev/zero`` is
    refused, not read), then its ICC header and tag table are checked, so that a wrong
    file is a clear error at load rather than a failure of the colour engine at render.
    """
    try:
        data = read_regular(path, PROFILE_MAX_BYTES)
    except UnreadableFile as exc:
        if exc.reason == "no such file":
            return f"no ICC profile at {shown}", f"找不到 ICC 特性文件 {shown}"
        return f"cannot read the ICC profile {shown}: {exc.reason}", f"无法读取 ICC 特性文件 {shown}：{exc.reason}"
    reason = icc_header_problem(data)
    if reason is None:
        return None
    en, zh = reason
    return f"{shown} is not a CMYK output profile: {en}", f"{shown} 不是 CMYK 输出特性文件：{zh}"


def icc_header_problem(data: bytes) -> tuple[str, str] | None:
    """What is wrong with ``data`` as a CMYK output ICC profile (in English and Chinese),
    judged from its header and tag table only (pure; the colour engine reads the tags themselves)."""
    if len(data) < ICC_HEADER_BYTES + 4 or data[36:40] != b"acsp":
        return "not an ICC profile (no 'acsp' signature in its header)", "不是 ICC 特性文件（文件头没有 'acsp' 标记）"
    declared = struct.unpack(">I", data[0:4])[0]
    if not ICC_HEADER_BYTES + 4 <= declared <= len(data):
        return (f"truncated or damaged (its header says {declared:,} bytes, the file has {len(data):,})",
                f"文件不完整或已损坏（文件头写的是 {declared:,} 字节，实际只有 {len(data):,} 字节）")
    space = data[16:20].decode("latin-1").strip()
    if data[16:20] != b"CMYK":
        return (f"a profile for {space or 'an unknown colour space'} colour; the output profile must be CMYK",
                f"这是{space or '未知色彩空间'}的特性文件；输出特性文件须为 CMYK")
    if data[12:16] not in ICC_OUTPUT_CLASSES:
        kind = data[12:16].decode("latin-1").strip()
        return f"a '{kind}' profile, not an output (printer) profile", f"这是 '{kind}' 类特性文件，不是输出（印刷）特性文件"
    if data[20:24] not in ICC_CONNECTION_SPACES:
        return "its connection space is neither XYZ nor Lab", "其连接色彩空间既不是 XYZ 也不是 Lab"
    count = struct.unpack(">I", data[128:132])[0]
    if count == 0 or ICC_HEADER_BYTES + 4 + count * ICC_TAG_ENTRY_BYTES > declared:
        return f"damaged tag table ({count:,} tags)", f"标签表已损坏（{count:,} 个标签）"
    for k in range(count):
        start = ICC_HEADER_BYTES + 4 + k * ICC_TAG_ENTRY_BYTES
        _, offset, size = struct.unpack(">4sII", data[start:start + ICC_TAG_ENTRY_BYTES])
        if offset + size > declared:
            return ("damaged tag table (a tag lies past the end of the profile)",
                    "标签表已损坏（有标签超出文件末尾）")
    return None
