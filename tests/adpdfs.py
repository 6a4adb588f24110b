"""Small advertiser PDFs made with reportlab for the ad and masthead tests: a clean CMYK
ad at a given size with an embedded font, and one with each preflight fault."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from layout.render.pdf import _NoInitialFont

REPO = Path(__file__).resolve().parent.parent
#: A font the ads embed (reportlab subsets TrueType fonts into the file).
AD_FONT = REPO / "fonts" / "NotoSansSC-Bold.ttf"
AD_FONT_NAME = "PaibanTestAdFont"
#: Faults an ad may be made with (each one preflight problem).
FAULTS = ("rgb", "font", "transparency", "ink")


def _font() -> str:
    if AD_FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(AD_FONT_NAME, str(AD_FONT)))
    return AD_FONT_NAME


def make_ad(path: Path, width: float, height: float, fault: str | None = None, text: str = "广告 ADVERT",
            trim: bool = False, pages: int = 1) -> Path:
    """An ad of ``width × height`` pt: a CMYK tint, a frame, text in an embedded font;
    ``fault`` adds one of :data:`FAULTS`; ``trim`` gives it a 3 mm bleed and a TrimBox."""
    bleed = 8.5 if trim else 0.0
    # reportlab names Helvetica in every page unless told of another initial font (paiban's
    # own "no initial font", registered by its PDF module), which would make every ad
    # "not embedded"
    c = Canvas(str(path), pagesize=(width + 2 * bleed, height + 2 * bleed), invariant=1, pageCompression=1,
               initialFontName=_NoInitialFont.fontName)
    for _ in range(pages):
        if trim:
            c.setTrimBox((bleed, bleed, bleed + width, bleed + height))
        c.translate(bleed, bleed)
        c.setFillColor(CMYKColor(0.0, 0.2, 0.6, 0.0, alpha=None))
        c.rect(-bleed, -bleed, width + 2 * bleed, height + 2 * bleed, stroke=0, fill=1)
        c.setStrokeColor(CMYKColor(1.0, 0.0, 0.0, 0.0, alpha=None))
        c.setLineWidth(4)
        c.rect(6, 6, width - 12, height - 12, stroke=1, fill=0)
        c.setFillColor(CMYKColor(0.0, 0.0, 0.0, 1.0, alpha=None))
        size = min(height * 0.3, width / (len(text) * 0.8))
        c.setFont(_font(), size)
        c.drawCentredString(width / 2, height / 2 - size / 3, text)
        if fault == "rgb":
            c._code.append("0.9 0.1 0.1 rg 20 20 40 40 re f")  # an RGB fill as a careless export writes it
        elif fault == "font":
            c.setFont("Helvetica", 12)
            c.drawString(20, 20, "Helvetica, not embedded")
        elif fault == "transparency":
            c.setFillColor(CMYKColor(0.0, 1.0, 0.0, 0.0, alpha=0.5))
            c.rect(20, 20, 60, 30, stroke=0, fill=1)
        elif fault == "ink":
            c.setFillColor(CMYKColor(1.0, 1.0, 1.0, 1.0, alpha=None))  # 400 % registration black
            c.rect(20, 20, 60, 30, stroke=0, fill=1)
        c.showPage()
    c.save()
    return path
