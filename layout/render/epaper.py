"""The digital edition's files for one page: the page image (the PNG preview's raster,
without the designer overlay, cut to the trim) and its JSON document of areas and text
(``layout/epaper.py``).  Front ends write them (``paiban export``, an edition)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from layout.epaper import Frame, page_document, page_number
from layout.memo import Memo
from layout.page import PageLayout
from layout.render.png import PNG_LEVEL, page_image

#: Resolution of the page images unless asked (a screen page a reader can zoom into).
DEFAULT_EPAPER_DPI = 150
#: JPEG quality of the page images: text stays crisp at a third of the PNG's size.
JPEG_QUALITY = 88
#: A page number used as is in the file names; other numbers (a 版次 such as "要闻 A1")
#: name the page by its position in the edition instead.
FILE_SAFE_NUMBER = re.compile(r"[A-Za-z0-9_-]{1,32}")


class ImageFormat(StrEnum):
    PNG = "png"
    JPEG = "jpeg"

    @property
    def suffix(self) -> str:
        return ".jpg" if self is ImageFormat.JPEG else ".png"


@dataclass(frozen=True, slots=True)
class PageFiles:
    """One page's exported files: names (in the output folder) and contents."""

    stem: str
    image_name: str
    image: bytes
    document_name: str
    document: bytes


def page_stem(layout: PageLayout, position: int) -> str:
    """``page-3`` for page 3; by position when the number is not a plain file name."""
    number = str(page_number(layout, position))
    return f"page-{number}" if FILE_SAFE_NUMBER.fullmatch(number) else f"page-p{position:02d}"


def duplicate_stems(layouts: Sequence[PageLayout]) -> list[tuple[str, int, int]]:
    """(stem, first position, second position) of pages that would write the same files."""
    seen: dict[str, int] = {}
    out = []
    for position, layout in enumerate(layouts, start=1):
        stem = page_stem(layout, position)
        if stem in seen:
            out.append((stem, seen[stem], position))
        seen.setdefault(stem, position)
    return out


def export_page(layout: PageLayout, position: int, dpi: int, image_format: ImageFormat,
                memo: Memo | None = None) -> PageFiles:
    """The page's image and JSON document (``position``: 1-based place in the edition)."""
    stem = page_stem(layout, position)
    image_name = stem + image_format.suffix
    document = page_document(layout, position, dpi, image_name, image_format.value)
    return PageFiles(stem, image_name, trim_image(layout, dpi, image_format, memo), f"{stem}.json",
                     (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def trim_image(layout: PageLayout, dpi: int, image_format: ImageFormat, memo: Memo | None = None) -> bytes:
    """The print PDF rasterised at ``dpi`` and cut to the trim: pixel (0, 0) is the trim's
    top-left corner, so a rectangle's pixels are its trim points × dpi / 72."""
    frame = Frame(layout.page.boxes, dpi)
    image = page_image(layout, dpi, memo=memo)
    left = round(layout.page.boxes.outer * frame.scale)
    width, height = frame.image_size()
    image = image.crop((left, left, left + width, left + height))
    out = io.BytesIO()
    if image_format is ImageFormat.JPEG:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, format="PNG", optimize=False, compress_level=PNG_LEVEL)
    return out.getvalue()
