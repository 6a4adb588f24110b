"""Press settings of a page: output profile, ink limit, resolution, preflight thresholds.

From the spec's ``output:`` key, overridden by the command line (``--profile``,
``--allow-outside-images``).  Layout only reads numbers and paths from here; the colour
work itself happens in ``layout/render``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from layout.paths import data_dir
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


def press_settings(output: Output, folder: Path, overrides: PressOverrides | None = None) -> PressSettings:
    overrides = overrides or PressOverrides()
    if overrides.profile is not None:
        profile = overrides.profile
    elif output.profile:
        profile = folder / output.profile
    else:
        profile = DEFAULT_PROFILE
    return PressSettings(
        profile=profile.resolve(), ink_limit=output.ink_limit, min_ppi=output.min_ppi, target_ppi=output.target_ppi,
        jpeg_quality=output.jpeg_quality, min_text_size=output.min_text_size, pdfx=output.pdfx,
        allow_outside_images=overrides.allow_outside_images,
    )
