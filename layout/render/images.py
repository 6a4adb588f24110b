"""Images for the PDF and the image probe for layout (Pillow lives here, not in layout).

Issue 2 places images as CMYK or grey, cropped to cover or letterboxed to contain the
slot.  Colour management (ICC conversion, ink limits) is left to the press-ready work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from layout.display import Image

if TYPE_CHECKING:
    from PIL import Image as PILImage

#: Pixels per inch the embedded image is reduced to at most (print needs ~300 at 150 lpi).
MAX_PPI = 300.0
PT_PER_IN = 72.0


def probe_image(path: Path) -> tuple[int, int]:
    """Pixel size of an image; ValueError with a reason when it cannot be used."""
    from PIL import Image as PILImage  # imported on the first photo only
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(path) as im:
            im.verify()
        with PILImage.open(path) as im:
            im.load()
            return im.size
    except (OSError, UnidentifiedImageError, SyntaxError, PILImage.DecompressionBombError) as exc:
        raise ValueError(str(exc) or exc.__class__.__name__) from None


def prepare_image(item: Image) -> PILImage.Image:
    """Open, orient, crop (cover) or pad (contain), scale and convert to CMYK or grey."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    with PILImage.open(item.path) as opened:
        im = ImageOps.exif_transpose(opened)
        im.load()
    grey = im.mode in ("1", "L", "LA", "I", "I;16", "F")
    im = im.convert("L" if grey else "CMYK") if im.mode not in ("L", "CMYK") else im
    target = (max(1, round(item.width / PT_PER_IN * MAX_PPI)), max(1, round(item.height / PT_PER_IN * MAX_PPI)))
    if item.fit == "contain":
        fitted = ImageOps.contain(im, target)
        background = PILImage.new(im.mode, target, 0 if im.mode == "CMYK" else 255)
        background.paste(fitted, ((target[0] - fitted.width) // 2, (target[1] - fitted.height) // 2))
        return background
    return _cover(im, target, item.focus)


def _cover(im: PILImage.Image, target: tuple[int, int], focus: tuple[float, float]) -> PILImage.Image:
    from PIL import Image as PILImage

    scale = max(target[0] / im.width, target[1] / im.height)
    crop_w, crop_h = target[0] / scale, target[1] / scale
    cx = min(max(focus[0] * im.width, crop_w / 2), im.width - crop_w / 2)
    cy = min(max(focus[1] * im.height, crop_h / 2), im.height - crop_h / 2)
    box = (cx - crop_w / 2, cy - crop_h / 2, cx + crop_w / 2, cy + crop_h / 2)
    size = (min(target[0], round(crop_w)), min(target[1], round(crop_h))) if scale > 1 else target
    return im.resize(size, PILImage.Resampling.LANCZOS, box=box)
