"""Draws the half-page advertisement of examples/inside (a stand-in for an advertiser's
PDF/X-1a file): CMYK only, its fonts embedded as subsets, no transparency, its page
exactly the slot's size.

    python scripts/make_ad.py WIDTH_MM HEIGHT_MM OUT.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REPO = Path(__file__).resolve().parent.parent
RED = CMYKColor(0, 1, 1, 0)
YELLOW = CMYKColor(0, 0.1, 1, 0)
BLACK = CMYKColor(0, 0, 0, 1)
WHITE = CMYKColor(0, 0, 0, 0)
DEEP = CMYKColor(1, 0.6, 0, 0.3)


def make_ad(width: float, height: float, out: Path) -> None:
    pdfmetrics.registerFont(TTFont("AdHei", str(REPO / "fonts" / "NotoSansSC-Bold.ttf")))
    pdfmetrics.registerFont(TTFont("AdBlack", str(REPO / "fonts" / "NotoSansSC-Black.ttf")))
    # reportlab names its initial font (Helvetica, never embedded) in every page preamble
    # unless told of another: start with the embedded face, so preflight finds every font embedded
    canvas = Canvas(str(out), pagesize=(width, height), invariant=1, enforceColorSpace="cmyk",
                    initialFontName="AdHei")
    canvas.setTitle("冬季家电惠民节 广告")
    canvas.setFillColor(RED)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    band = height * 0.36
    canvas.setFillColor(YELLOW)
    canvas.rect(0, 0, width, band, stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    canvas.setFont("AdBlack", height * 0.16)
    canvas.drawCentredString(width / 2, height * 0.70, "冬季家电惠民节")
    canvas.setFont("AdHei", height * 0.055)
    canvas.drawCentredString(width / 2, height * 0.56, "以旧换新　最高补贴两千元　十二月一日至三十一日")
    canvas.setFont("AdHei", height * 0.045)
    canvas.drawCentredString(width / 2, height * 0.45, "空调 · 冰箱 · 洗衣机 · 热水器 · 电视机　全场包送包安装")
    canvas.setFillColor(DEEP)
    items = [("变频空调", "2699"), ("对开门冰箱", "3299"), ("滚筒洗衣机", "1899"), ("燃气热水器", "1299")]
    cell = width / len(items)
    for k, (name, price) in enumerate(items):
        x = cell * k + cell / 2
        canvas.setFont("AdHei", band * 0.14)
        canvas.drawCentredString(x, band * 0.66, name)
        canvas.setFont("AdBlack", band * 0.26)
        canvas.drawCentredString(x, band * 0.30, f"¥{price}")
    canvas.setFillColor(BLACK)
    canvas.setFont("AdHei", band * 0.085)
    canvas.drawCentredString(width / 2, band * 0.08, "地址：茂名市茂南区油城五路88号　咨询热线：0668-2000000")
    canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    make_ad(float(sys.argv[1]) * mm, float(sys.argv[2]) * mm, Path(sys.argv[3]))
