"""PNG previews: the PDF rasterised by pypdfium2 (the same pixels as print), with an
optional designer overlay drawn over it by Pillow (``layout/render/overlay.py``)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from layout.memo import Memo
from layout.page import PageLayout
from layout.render.overlay import LABEL_FONT, LABEL_PAD, Label, Outline, OverlayItem, Stroke
from layout.render.overlay import overlay as overlay_items
from layout.render.pdf import render_pdf

DEFAULT_DPI = 100


#: Live previews: photos as proxies at this multiple of the preview resolution (enough
#: for resampling to look like the full image), PNG at zlib's fastest level.
LIVE_PROXY_FACTOR = 2.0
LIVE_PNG_LEVEL = 1
PNG_LEVEL = 6


def render_png(layout: PageLayout, dpi: int = DEFAULT_DPI, overlay: bool = False, live: bool = False,
               memo: Memo | None = None) -> bytes:
    """The page as PNG bytes at ``dpi``; with ``overlay``, the grid and frames drawn over it.

    ``live`` (``serve``, ``preview --watch``): photos drawn from screen proxies and the PNG
    compressed for speed, so that a preview follows each save; otherwise the pixels are
    the print PDF's own.
    """
    image = page_image(layout, dpi, live, memo)
    if overlay:
        image = _overlay(image, layout, dpi / 72.0, memo)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=LIVE_PNG_LEVEL if live else PNG_LEVEL)
    return out.getvalue()


def page_image(layout: PageLayout, dpi: int = DEFAULT_DPI, live: bool = False, memo: Memo | None = None) -> PILImage.Image:
    """The page's media box as an RGB image at ``dpi``: the print PDF rasterised (photos
    from screen proxies when ``live``)."""
    pdf = pdfium.PdfDocument(render_pdf([layout], proxy_ppi=dpi * LIVE_PROXY_FACTOR if live else None, memo=memo))
    try:
        bitmap = pdf[0].render(scale=dpi / 72.0, may_draw_forms=False)
        return bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()


def _overlay(image: PILImage.Image, layout: PageLayout, scale: float, memo: Memo | None) -> PILImage.Image:
    """The designer overlay drawn over the page's pixels."""
    layer = PILImage.new("RGBA", image.size, (0, 0, 0, 0))
    draw_overlay(ImageDraw.Draw(layer), overlay_items(layout, memo), layout.page.boxes.outer, scale)
    return PILImage.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def draw_overlay(draw: ImageDraw.ImageDraw, items: tuple[OverlayItem, ...], outer: float, scale: float) -> None:
    """Overlay items (trim space, pt) onto an image of the media box at ``scale`` px/pt."""
    fonts: dict[int, ImageFont.FreeTypeFont] = {}

    def px(x: float, y: float) -> tuple[float, float]:
        return ((outer + x) * scale, (outer + y) * scale)

    def box(x: float, y: float, width: float, height: float) -> list[tuple[float, float]]:
        # a frame narrower than nothing (more text columns than its width holds, reported
        # as frame_too_narrow) is drawn as a line, not refused
        return [px(min(x, x + width), min(y, y + height)), px(max(x, x + width), max(y, y + height))]

    for item in items:
        if isinstance(item, Stroke):
            draw.line([px(item.x0, item.y0), px(item.x1, item.y1)], fill=item.color, width=item.px)
        elif isinstance(item, Outline):
            corners = box(item.x, item.y, item.width, item.height)
            draw.rectangle(corners, fill=item.fill, outline=item.outline, width=item.px if item.outline else 0)
            if item.cross and item.outline:
                (x0, y0), (x1, y1) = corners
                draw.line([(x0, y0), (x1, y1)], fill=item.outline, width=item.px)
                draw.line([(x0, y1), (x1, y0)], fill=item.outline, width=item.px)
        elif isinstance(item, Label):
            size = max(1, round(item.size * scale))
            font = fonts.get(size)
            if font is None:
                font = fonts[size] = ImageFont.truetype(str(LABEL_FONT), size)
            if item.background is not None:
                draw.rectangle(box(item.x, item.y, item.width, item.height), fill=item.background)
            x, baseline = px(item.x + LABEL_PAD, item.baseline)
            draw.text((x, baseline), item.text, fill=item.color, font=font, anchor="ls")

