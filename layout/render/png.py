"""PNG previews: the PDF rasterised by pypdfium2 (the same pixels as print), with an
optional Pillow overlay for designers: baseline grid, page columns, frames with their
ids, text columns, overflow and underfull marks."""

from __future__ import annotations

import io
import math

import pypdfium2 as pdfium
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from layout.fontdb import FONT_DIR
from layout.page import PageLayout
from layout.render.pdf import page_boxes, render_pdf

DEFAULT_DPI = 100
GRID_COLOUR = (0, 170, 220, 70)
#: Closest spacing (pixels) at which the overlay draws baseline-grid lines; denser grids
#: are drawn every n-th line, so drawing stays bounded by the image height.
MIN_GRID_LINE_GAP_PX = 3.0
COLUMN_COLOUR = (0, 140, 200, 110)
ARTICLE_COLOUR = (30, 60, 230, 255)
PHOTO_COLOUR = (0, 150, 60, 255)
TEXT_COLUMN_COLOUR = (120, 150, 255, 120)
OVERFLOW_COLOUR = (230, 0, 0, 255)
UNDERFULL_COLOUR = (240, 140, 0, 255)
LABEL_FONT = FONT_DIR / "NotoSansSC-Bold.ttf"
#: Frame labels are half see-through, so the kicker or title under them still shows.
LABEL_BACKGROUND_ALPHA = 140


#: Live previews: photos as proxies at this multiple of the preview resolution (enough
#: for resampling to look like the full image), PNG at zlib's fastest level.
LIVE_PROXY_FACTOR = 2.0
LIVE_PNG_LEVEL = 1
PNG_LEVEL = 6


def render_png(layout: PageLayout, dpi: int = DEFAULT_DPI, overlay: bool = False, live: bool = False) -> bytes:
    """The page as PNG bytes at ``dpi``; with ``overlay``, the grid and frames drawn over it.

    ``live`` (``serve``, ``preview --watch``): photos drawn from screen proxies and the PNG
    compressed for speed, so that a preview follows each save; otherwise the pixels are
    the print PDF's own.
    """
    pdf = pdfium.PdfDocument(render_pdf([layout], proxy_ppi=dpi * LIVE_PROXY_FACTOR if live else None))
    try:
        bitmap = pdf[0].render(scale=dpi / 72.0, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()
    if overlay:
        image = _overlay(image, layout, dpi / 72.0)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=LIVE_PNG_LEVEL if live else PNG_LEVEL)
    return out.getvalue()


def _overlay(image: PILImage.Image, layout: PageLayout, scale: float) -> PILImage.Image:
    boxes = page_boxes(layout)
    ox = boxes.origin[0]
    oy = boxes.media[1] - boxes.trim[3]  # distance from the media top to the trim top
    layer = PILImage.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    font = ImageFont.truetype(str(LABEL_FONT), max(10, round(9 * scale)))

    def px(x: float, y: float) -> tuple[float, float]:
        return ((ox + x) * scale, (oy + y) * scale)

    grid = layout.grid
    area = grid.type_area
    # Lines closer than a few pixels are drawn every ``every``-th only: a 0.1 pt leading
    # gives 100,000s of lines that would be one grey block, drawn at great cost.
    every = max(1, math.ceil(MIN_GRID_LINE_GAP_PX / (grid.pitch * scale))) if grid.pitch > 0 else 1
    for n in range(0, grid.n_lines + 1, every):
        y = area.y + n * grid.pitch
        draw.line([px(area.x, y), px(area.right, y)], fill=GRID_COLOUR, width=1)
    for c in range(1, grid.columns + 1):
        x = grid.column_x(c)
        for edge in (x, x + grid.column_width):
            draw.line([px(edge, area.y), px(edge, area.bottom)], fill=COLUMN_COLOUR, width=1)
    for article in layout.articles:
        for column in article.columns:
            draw.rectangle([px(column.x, article.frame.y), px(column.x + column.width, article.frame.bottom)],
                           outline=TEXT_COLUMN_COLOUR, width=1)
        colour = {"overflow": OVERFLOW_COLOUR, "underfull": UNDERFULL_COLOUR}.get(article.result.status, ARTICLE_COLOUR)
        _frame(draw, px, article.frame, f"{article.id}  {article.result.status}", colour, font)
        if article.distribution.leftover:
            last = article.columns[-1]
            label = f"+{article.distribution.lines_over} 行 / ≈{article.distribution.chars_over} 字"
            x0, y0 = px(last.x, article.frame.bottom)
            draw.rectangle([x0, y0 - 4 * scale, x0 + last.width * scale, y0], fill=OVERFLOW_COLOUR)
            draw.text((x0, y0 + 2), label, fill=OVERFLOW_COLOUR, font=font)
    for photo in layout.photos:
        _frame(draw, px, photo.frame, photo.id, PHOTO_COLOUR, font)
    return PILImage.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def _frame(draw: ImageDraw.ImageDraw, px, rect, label: str, colour, font) -> None:  # type: ignore[no-untyped-def]
    draw.rectangle([px(rect.x, rect.y), px(rect.right, rect.bottom)], outline=colour, width=2)
    x, y = px(rect.x, rect.y)
    box = draw.textbbox((x + 3, y + 2), label, font=font)
    draw.rectangle(box, fill=(255, 255, 255, LABEL_BACKGROUND_ALPHA))
    draw.text((x + 3, y + 2), label, fill=colour, font=font)
