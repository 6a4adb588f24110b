"""The print PDF, through reportlab (contract §5 print furniture).

- TrimBox is exactly the page size; BleedBox adds the bleed on every side; the
  MediaBox also holds the crop marks, which are drawn outside the bleed.
- Colours are DeviceCMYK only (reportlab's ``enforceColorSpace='cmyk'`` refuses
  anything else); body text is 100 % K and overprints (GWG: black text overprint).
- Every face is embedded once per document as a subset, a Type 0 font over its TrueType
  outlines (``layout/render/pdffont.py``); the page preamble names no font, so no
  stray Helvetica is referenced.
- ``invariant=1`` makes the bytes depend on the input only.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from layout.display import Box, DisplayItem, GlyphRun, Image, Rule
from layout.memo import Memo, file_id
from layout.page import PageLayout
from layout.press import PressSettings
from layout.render.pdffont import DocumentFonts
from layout.safeio import PROFILE_MAX_BYTES, read_regular
from layout.units import mm

#: Crop marks: length, and clear distance from the bleed edge.
CROP_MARK_LENGTH = mm(5.0)
CROP_MARK_GAP = mm(2.0)
CROP_MARK_WIDTH = 0.25
#: Registration colour for crop marks: 100 % of every separation.
REGISTRATION = (100.0, 100.0, 100.0, 100.0)
PDF_TITLE = "paiban page"


@dataclass(frozen=True, slots=True)
class Boxes:
    """Page boxes in PDF user space (origin bottom-left of the MediaBox)."""

    media: tuple[float, float]
    trim: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float]
    origin: tuple[float, float]  # trim box's bottom-left corner
    height: float  # trim height, to flip y


def page_boxes(layout: PageLayout) -> Boxes:
    page = layout.spec.page
    width, height = page.size
    bleed = page.bleed
    outer = bleed + (CROP_MARK_GAP + CROP_MARK_LENGTH if page.crop_marks else 0.0)
    trim = (outer, outer, outer + width, outer + height)
    bleed_box = (outer - bleed, outer - bleed, outer + width + bleed, outer + height + bleed)
    return Boxes((width + 2 * outer, height + 2 * outer), trim, bleed_box, (outer, outer), height)


def render_pdf(layouts: Sequence[PageLayout], proxy_ppi: float | None = None, memo: Memo | None = None) -> bytes:
    """All pages, in order, as one PDF document.

    ``proxy_ppi``: photos as screen proxies at that resolution (live previews only).
    ``memo``: the front end's memo (font subsets, separated photos, the output profile).
    """
    memo = memo if memo is not None else Memo()
    buffer = io.BytesIO()
    # Binary (Flate-only) streams: ASCII85 would make every font and image 25 % larger
    # and cost time; print workflows take binary PDF.
    rl_config.useA85 = 0
    press = layouts[0].press
    canvas = Canvas(buffer, pagesize=page_boxes(layouts[0]).media, invariant=1, pageCompression=1,
                    enforceColorSpace="cmyk", initialFontName=_NoInitialFont.fontName, initialFontSize=9,
                    pdfVersion=PDFX_VERSION if press.pdfx else None)
    fonts = DocumentFonts(memo)
    readers: dict[tuple[str, float | None], _PassThroughReader] = {}
    canvas._doc.delayedFonts.append(fonts)  # reportlab adds their objects when saving
    canvas.setTitle(_title(layouts[0]))
    canvas.setCreator("paiban")
    if press.pdfx:
        mark_pdfx(canvas, press.profile, memo)
    for layout in layouts:
        _draw_page(canvas, layout, fonts, readers, proxy_ppi, memo)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


#: PDF/X-1a:2001 is based on PDF 1.3 (ISO 15930-1).
PDFX_VERSION = (1, 3)
PDFX_NAME = "PDF/X-1a:2001"


def _title(layout: PageLayout) -> str:
    folio = layout.spec.header.folio if layout.spec.header else None
    parts = [str(p) for p in (folio.paper, folio.section, folio.date, folio.page) if p] if folio else []
    return " ".join(parts) or layout.source.stem


class _PDFXInfo(PDFInfo):
    """The document Info with the keys PDF/X-1a:2001 requires (ISO 15930-1 §6.2.4)."""

    def format(self, document):  # type: ignore[no-untyped-def]
        info = super().format(document)
        extra = PDFDictionary({"GTS_PDFXVersion": PDFString(PDFX_NAME), "GTS_PDFXConformance": PDFString(PDFX_NAME)})
        return info[:-2] + extra.format(document)[2:]


class _PDFXCatalog(PDFCatalog):
    """reportlab's catalog writes only keys it knows; PDF/X needs OutputIntents too."""

    __NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]


#: zlib level of the embedded output profile: level 9 takes 0.37 s on the shipped 1 MB
#: profile for 0.6 % less than level 6 (0.07 s).
PROFILE_FLATE_LEVEL = 6


def _profile_parts(profile: Path, memo: Memo) -> tuple[str, bytes]:
    """The profile's description and its Flate-compressed bytes, once per version of the
    file (kept on disk: compressing costs far more than reading back and checking)."""
    return memo.stored("profile", file_id(profile), _PROFILE_CODEC, lambda: _read_profile(profile))


class _ProfileCodec:
    """``description\n`` (UTF-8), then the compressed profile."""

    def encode(self, value: tuple[str, bytes]) -> bytes:
        return value[0].encode("utf-8") + b"\n" + value[1]

    def decode(self, data: bytes) -> tuple[str, bytes]:
        described, _, packed = data.partition(b"\n")
        if not packed:
            raise ValueError("no profile")
        return described.decode("utf-8"), packed


_PROFILE_CODEC = _ProfileCodec()


def _read_profile(profile: Path) -> tuple[str, bytes]:
    from PIL import ImageCms  # the description needs LittleCMS

    data = read_regular(profile, PROFILE_MAX_BYTES)
    described = " ".join(ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data))).split())
    return described, zlib.compress(data, PROFILE_FLATE_LEVEL)


def mark_pdfx(canvas: Canvas, profile: Path, memo: Memo) -> None:
    """Declare PDF/X-1a:2001: OutputIntent with the embedded CMYK profile, Info keys, Trapped."""
    description, packed = _profile_parts(profile, memo)
    stream = PDFStream(PDFDictionary({"N": 4, "Filter": PDFName("FlateDecode")}), packed, filters=[])
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
        "OutputConditionIdentifier": PDFString("Custom"), "OutputCondition": PDFString(description),
        "RegistryName": PDFString("http://www.color.org"), "Info": PDFString(description),
        "DestOutputProfile": canvas._doc.Reference(stream),
    })
    canvas._doc.Catalog.__class__ = _PDFXCatalog
    canvas._doc.Catalog.OutputIntents = PDFArray([intent])
    info = _PDFXInfo()
    info.__dict__.update(canvas._doc.info.__dict__)
    info.trapped = "False"
    canvas._doc.info = info


class _NoInitialFont:
    """Stands for the canvas's initial font: a "dynamic" font gets no ``Tf`` in the page
    preamble, so no font is referenced but the ones text is drawn in (no stray Helvetica)."""

    fontName = "paiban-no-initial-font"
    _dynamicFont = True
    _multiByte = False

    class face:  # noqa: N801 - reportlab reads ``font.face.name``
        name = "paiban-no-initial-font"


pdfmetrics.registerFont(_NoInitialFont())


def _draw_page(canvas: Canvas, layout: PageLayout, fonts: DocumentFonts,
               readers: dict[tuple[str, float | None], _PassThroughReader], proxy_ppi: float | None,
               memo: Memo) -> None:
    boxes = page_boxes(layout)
    canvas.setPageSize(boxes.media)
    canvas.setTrimBox(boxes.trim)
    canvas.setBleedBox(boxes.bleed)
    canvas.setCropBox((0, 0, *boxes.media))
    pen = _Pen(canvas, boxes, layout.press, fonts, readers, proxy_ppi)
    pen.memo = memo
    for item in layout.display:
        pen.draw(item)
    pen.flush()
    if layout.spec.page.crop_marks:
        _crop_marks(canvas, boxes, layout.spec.page.bleed)


class _Pen:
    """Draws display items; consecutive glyph runs share one text object (BT … ET)."""

    def __init__(self, canvas: Canvas, boxes: Boxes, press: PressSettings, fonts: DocumentFonts,
                 readers: dict[tuple[str, float | None], _PassThroughReader], proxy_ppi: float | None = None):
        self.canvas = canvas
        self.readers = readers  # the document's images, by slot and press settings
        self.proxy_ppi = proxy_ppi
        self.press = press
        self.fonts = fonts
        self.ox, self.oy = boxes.origin
        self.height = boxes.height
        self.text: list[str] | None = None  # operators of the open text object
        self.state: tuple[object, ...] = ()
        self.color: tuple[float, float, float, float] | None = None

    def y(self, y: float) -> float:
        return self.oy + self.height - y

    def draw(self, item: DisplayItem) -> None:
        if isinstance(item, GlyphRun):
            self.glyphs(item)
            return
        self.flush()
        self.color = None  # rules and boxes set colours of their own
        if isinstance(item, Rule):
            self.rule(item)
        elif isinstance(item, Box):
            self.box(item)
        elif isinstance(item, Image):
            self.image(item)

    def glyphs(self, run: GlyphRun) -> None:
        if run.color != self.color:  # colour and overprint are set outside text objects
            self.flush()
            self.canvas.setFillColor(_colour(run.color))
            self.canvas.setFillOverprint(run.color == (0.0, 0.0, 0.0, 100.0))
            self.color = run.color
        resource, codes = self.fonts.encode(run.face, run.text)
        text = self.text
        if text is None:
            text = self.text = ["BT"]
            self.state = ()
        state = self.state
        if not state or state[0] != resource or state[1] != run.size:
            text.append(f"/{resource} {fp_str(run.size)} Tf")
        if not state or state[2] != run.hscale:
            text.append(f"{fp_str(run.hscale * 100)} Tz")
        # PDF scales Tc by the horizontal scale (ISO 32000-1 §9.4.4), so divide it out.
        char_space = run.char_space / run.hscale
        if not state or state[3] != char_space:
            text.append(f"{fp_str(char_space)} Tc")
        self.state = (resource, run.size, run.hscale, char_space)
        text.append(f"1 0 0 1 {fp_str(self.ox + run.x, self.y(run.baseline))} Tm <{codes}> Tj")

    def flush(self) -> None:
        if self.text is not None:
            self.text.append("ET")
            self.canvas._code.append("\n".join(self.text))  # reportlab's content stream of the page
            self.text = None

    def rule(self, rule: Rule) -> None:
        c = self.canvas
        c.setStrokeColor(_colour(rule.color))
        c.setStrokeOverprint(rule.color == (0.0, 0.0, 0.0, 100.0))
        c.setLineWidth(rule.width)
        c.line(self.ox + rule.x0, self.y(rule.y0), self.ox + rule.x1, self.y(rule.y1))

    def box(self, box: Box) -> None:
        c = self.canvas
        x, y = self.ox + box.x, self.y(box.y + box.height)
        if box.fill is not None:
            c.setFillColor(_colour(box.fill))
            c.setFillOverprint(False)
            c.rect(x, y, box.width, box.height, stroke=0, fill=1)
        if box.stroke is not None:
            c.setStrokeColor(_colour(box.stroke))
            c.setStrokeOverprint(False)
            c.setLineWidth(0.5)
            c.rect(x, y, box.width, box.height, stroke=1, fill=0)
            if box.cross:
                c.line(x, y, x + box.width, y + box.height)
                c.line(x, y + box.height, x + box.width, y)

    def image(self, item: Image) -> None:
        from layout.render.images import image_key, prepare_image, proxy_image  # Pillow only for pages with photos

        key = (image_key(item, self.press), self.proxy_ppi)
        reader = self.readers.get(key)
        if reader is None:  # once per document: an edition repeats its logos and house ads
            if self.proxy_ppi:
                prepared = proxy_image(item, self.press, self.proxy_ppi, self.memo)
            else:
                prepared = prepare_image(item, self.press, self.memo)
            reader = self.readers[key] = _PassThroughReader(prepared.jpeg)
        self.canvas.drawImage(reader, self.ox + item.x, self.y(item.y + item.height), item.width, item.height)


class _PassThroughReader(ImageReader):
    """An ImageReader that names a JPEG by its bytes instead of its decoded pixels.

    reportlab names each image XObject by a digest of ``getRGBData()``, which decodes the
    whole JPEG (~40 ms for a lead photo) although the JPEG itself is then embedded as it
    is; the digest of the JPEG bytes is just as unique and as deterministic.
    """

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._bytes = data

    def getRGBData(self):  # type: ignore[no-untyped-def]
        if not self.jpeg_fh():
            return super().getRGBData()
        self._dataA = None  # what reportlab's own method leaves for images without alpha
        return self._bytes


def _colour(cmyk: tuple[float, float, float, float]) -> CMYKColor:
    """A DeviceCMYK colour without an alpha: reportlab would otherwise write a /ca
    transparency key (and raise the file to PDF 1.4), which PDF/X-1a:2001 forbids."""
    c, m, y, k = (v / 100 for v in cmyk)
    return CMYKColor(c, m, y, k, alpha=None)


def _crop_marks(canvas: Canvas, boxes: Boxes, bleed: float) -> None:
    """Trim marks at the four corners, starting outside the bleed."""
    x0, y0, x1, y1 = boxes.trim
    start = bleed + CROP_MARK_GAP
    end = start + CROP_MARK_LENGTH
    canvas.setStrokeColor(_colour(REGISTRATION))
    canvas.setLineWidth(CROP_MARK_WIDTH)
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            canvas.line(x + sx * start, y, x + sx * end, y)  # horizontal mark
            canvas.line(x, y + sy * start, x, y + sy * end)  # vertical mark
