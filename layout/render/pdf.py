"""The print PDF, through reportlab (contract §5 print furniture).

- TrimBox is exactly the page size; BleedBox adds the bleed on every side; the
  MediaBox also holds the crop marks, which are drawn outside the bleed.
- Colours are DeviceCMYK only (reportlab's ``enforceColorSpace='cmyk'`` refuses
  anything else); body text is 100 % K and overprints (GWG: black text overprint).
- Every face is embedded once per document as a subset, a Type 0 font over its TrueType
  outlines (``layout/render/pdffont.py``); the page preamble names no font, so no
  stray Helvetica is referenced.
- ``invariant=1`` makes the bytes depend on the input only.

It draws page descriptions (``layout/display.py``) through the :class:`PdfCanvas`, the
reportlab implementation of ``layout/render/canvas.Canvas``, and computes nothing from
the spec or the grid.  reportlab internals it still uses, and why:

- ``Canvas._code``: text objects are written as operators (one ``BT … ET`` per run of
  glyph runs, ``Tf``/``Tz``/``Tc`` only when they change, glyph ids as hex), because
  reportlab's text objects cannot show glyph ids of our Type 0 fonts and would set
  every font state again for each run.
- ``Canvas._doc.delayedFonts``: the document's Type 0 fonts (``pdffont.py``, built from
  ``pdfdoc`` objects) are added when the document is saved, subset to the glyphs used.
- ``Canvas._doc.Catalog`` and ``Canvas._doc.info``, ``pdfdoc.PDFCatalog``/``PDFInfo``/
  ``PDFStream``: PDF/X-1a needs an OutputIntents catalog key and Info keys that
  reportlab has no API for (``mark_pdfx``).
- ``ImageReader`` subclassed, overriding ``getRGBData``, and ``rl_config.useA85``: see
  ``_PassThroughReader`` and ``PdfCanvas``.
- ``pdfmetrics.registerFont`` of a fake "dynamic" font: no stray Helvetica in the page
  preamble (``_NoInitialFont``).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
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
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from layout.display import (
    Box,
    CropMarks,
    Dash,
    Dots,
    FilledRects,
    GlyphRun,
    Image,
    LineCap,
    PageBoxes,
    PageDescription,
    PlacedGlyphs,
    PlacedPdf,
    Rule,
    StrokePath,
)
from layout.memo import Memo, file_id
from layout.page import PageLayout
from layout.press import PressSettings
from layout.render.canvas import draw_page
from layout.render.pdffont import DocumentFonts
from layout.render.placed import Placement, place_pages
from layout.safeio import PROFILE_MAX_BYTES, read_regular

PDF_TITLE = "paiban page"


@dataclass(frozen=True, slots=True)
class Boxes:
    """Page boxes in PDF user space (origin bottom-left of the MediaBox)."""

    media: tuple[float, float]
    trim: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float]
    origin: tuple[float, float]  # trim box's bottom-left corner
    height: float  # trim height, to flip y


def pdf_boxes(boxes: PageBoxes) -> Boxes:
    """The page description's boxes (trim coordinates, y down) in PDF user space."""
    outer, bleed, width, height = boxes.outer, boxes.bleed, boxes.width, boxes.height
    trim = (outer, outer, outer + width, outer + height)
    bleed_box = (outer - bleed, outer - bleed, outer + width + bleed, outer + height + bleed)
    return Boxes(boxes.media_size, trim, bleed_box, (outer, outer), height)


def page_boxes(layout: PageLayout) -> Boxes:
    return pdf_boxes(layout.page.boxes)


def render_pdf(pages: Sequence[PageLayout | PageDescription], proxy_ppi: float | None = None,
               memo: Memo | None = None) -> bytes:
    """All pages, in order, as one PDF document; only their page descriptions are read.

    ``proxy_ppi``: photos as screen proxies at that resolution (live previews only).
    ``memo``: the front end's memo (font subsets, separated photos, the output profile).
    """
    descriptions = [p.page if isinstance(p, PageLayout) else p for p in pages]
    said = " | ".join(d.keywords for d in descriptions if d.keywords)  # every page's copyfit, in page order
    first = replace(descriptions[0], keywords=said) if said != descriptions[0].keywords else descriptions[0]
    canvas = PdfCanvas(first, proxy_ppi, memo if memo is not None else Memo())
    for page in descriptions:
        draw_page(canvas, page)
    return canvas.finish()


#: PDF/X-1a:2001 is based on PDF 1.3 (ISO 15930-1).
PDFX_VERSION = (1, 3)
PDFX_NAME = "PDF/X-1a:2001"


class _PDFXInfo(PDFInfo):
    """The document Info with the keys PDF/X-1a:2001 requires (ISO 15930-1 §6.2.4)."""

    def format(self, document):  # type: ignore[no-untyped-def]
        info = super().format(document)
        extra = PDFDictionary({"GTS_PDFXVersion": PDFString(PDFX_NAME), "GTS_PDFXConformance": PDFString(PDFX_NAME)})
        return info[:-2] + extra.format(document)[2:]


class _PDFXCatalog(PDFCatalog):
    """reportlab's catalog writes only keys it knows; PDF/X needs OutputIntents too."""

    __NoDefault__ = [*PDFCatalog.__NoDefault__, "OutputIntents"]


#: zlib level of the embedded output profile: on the shipped 1 MB profile level 1 takes
#: 0.024 s for 804 kB, level 6 0.059 s for 784 kB (2.5 % less), level 9 0.28 s for
#: 779 kB; a first render pays it, so the fastest.
PROFILE_FLATE_LEVEL = 1


def _profile_parts(profile: Path, memo: Memo) -> tuple[str, bytes]:
    """The profile's description and its Flate-compressed bytes, once per version of the
    file (kept on disk: compressing costs far more than reading back and checking)."""
    return memo.stored("profile", file_id(profile), _PROFILE_CODEC, lambda: _read_profile(profile))


def _read_profile(profile: Path) -> tuple[str, bytes]:
    from PIL import ImageCms  # the description needs LittleCMS

    data = read_regular(profile, PROFILE_MAX_BYTES)
    described = " ".join(ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data))).split())
    return described, zlib.compress(data, PROFILE_FLATE_LEVEL)


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


class PdfCanvas:
    """The :class:`~layout.render.canvas.Canvas` of the print PDF: one reportlab canvas for
    the whole document; consecutive glyph runs share one text object (BT … ET).

    The document's title and PDF/X declaration come from its first page.
    """

    def __init__(self, first: PageDescription, proxy_ppi: float | None, memo: Memo):
        self.buffer = io.BytesIO()
        # Binary (Flate-only) streams: ASCII85 would make every font and image 25 % larger
        # and cost time; print workflows take binary PDF.
        rl_config.useA85 = 0
        press = first.press
        self.canvas = canvas = Canvas(
            self.buffer, pagesize=first.boxes.media_size, invariant=1, pageCompression=1, enforceColorSpace="cmyk",
            initialFontName=_NoInitialFont.fontName, initialFontSize=9,
            pdfVersion=PDFX_VERSION if press.pdfx else None)
        self.memo = memo
        self.fonts = DocumentFonts(memo)
        canvas._doc.delayedFonts.append(self.fonts)  # reportlab adds their objects when saving
        canvas.setTitle(first.title)
        canvas.setCreator("paiban")
        if first.keywords:  # what --fit applied (layout/fit.py); the first page's, as the title
            canvas.setKeywords(first.keywords)
        if press.pdfx:
            mark_pdfx(canvas, press.profile, memo)
        # The document's images, by slot and press settings: once per document, as an
        # edition repeats its logos and house ads.
        self.readers: dict[tuple[str, float | None], _PassThroughReader] = {}
        self.proxy_ppi = proxy_ppi
        self.press = press
        self.ox = self.oy = self.height = 0.0
        self.text: list[str] | None = None  # operators of the open text object
        self.state: tuple[object, ...] = ()
        self.color: tuple[float, float, float, float] | None = None
        # Supplied PDF pages, placed by pikepdf once reportlab has written the document
        # (``layout/render/placed.py``); pages are counted to say where each goes.
        self.placements: list[Placement] = []
        self.page_index = -1

    def begin_page(self, boxes: PageBoxes, press: PressSettings) -> None:
        pdf = pdf_boxes(boxes)
        c = self.canvas
        c.setPageSize(pdf.media)
        c.setTrimBox(pdf.trim)
        c.setBleedBox(pdf.bleed)
        c.setCropBox((0, 0, *pdf.media))
        self.press = press
        self.ox, self.oy = pdf.origin
        self.height = pdf.height
        self.text, self.state, self.color = None, (), None
        self.stroke_style: tuple[Dash, LineCap] = SOLID
        self.page_index += 1

    def end_page(self) -> None:
        self._flush()
        self.canvas.showPage()

    def finish(self) -> bytes:
        self.canvas.save()
        return place_pages(self.buffer.getvalue(), self.placements)

    def y(self, y: float) -> float:
        return self.oy + self.height - y

    def glyph_run(self, run: GlyphRun) -> None:
        self._fill(run.color, run.overprint)
        resource, codes = self.fonts.encode(run.face, run.text)
        # PDF scales Tc by the horizontal scale (ISO 32000-1 §9.4.4), so divide it out.
        text = self._text_state(resource, run.size, run.hscale, run.char_space / run.hscale)
        text.append(f"1 0 0 1 {fp_str(self.ox + run.x, self.y(run.baseline))} Tm <{codes}> Tj")

    def placed_glyphs(self, glyphs: PlacedGlyphs) -> None:
        """Each glyph with a text matrix of its own: upright (scaled by Tz), or turned 90°
        clockwise (its baseline running down the page), in reading order, so that a text
        layer reads them in order and by their ToUnicode entries."""
        self._fill(glyphs.color, glyphs.overprint)
        for glyph in glyphs.glyphs:
            resource, code = self.fonts.encode_glyph(glyphs.face, glyph.glyph, glyph.text)
            text = self._text_state(resource, glyphs.size, glyph.hscale, 0.0)
            x, y = fp_str(self.ox + glyph.x, self.y(glyph.baseline)).split()
            matrix = "0 -1 1 0" if glyph.turned else "1 0 0 1"
            text.append(f"{matrix} {x} {y} Tm <{code}> Tj")

    def _fill(self, color: tuple[float, float, float, float], overprint: bool) -> None:
        if color != self.color:  # colour and overprint are set outside text objects
            self._flush()
            self.canvas.setFillColor(_colour(color))
            self.canvas.setFillOverprint(overprint)
            self.color = color

    def _text_state(self, resource: str, size: float, hscale: float, char_space: float) -> list[str]:
        """The open text object (opened if none), with font, scale and spacing set where they change."""
        text = self.text
        if text is None:
            text = self.text = ["BT"]
            self.state = ()
        state = self.state
        if not state or state[0] != resource or state[1] != size:
            text.append(f"/{resource} {fp_str(size)} Tf")
        if not state or state[2] != hscale:
            text.append(f"{fp_str(hscale * 100)} Tz")
        if not state or state[3] != char_space:
            text.append(f"{fp_str(char_space)} Tc")
        self.state = (resource, size, hscale, char_space)
        return text

    def _flush(self) -> None:
        """Close the open text object; graphics after it set colours of their own."""
        if self.text is not None:
            self.text.append("ET")
            self.canvas._code.append("\n".join(self.text))  # reportlab's content stream of the page
            self.text = None

    def _graphics(self) -> Canvas:
        self._flush()
        self.color = None
        return self.canvas

    def rule(self, rule: Rule) -> None:
        c = self._graphics()
        c.setStrokeColor(_colour(rule.color))
        c.setStrokeOverprint(rule.overprint)
        c.setLineWidth(rule.width)
        self._stroke_style(rule.dash, rule.cap)
        c.line(self.ox + rule.x0, self.y(rule.y0), self.ox + rule.x1, self.y(rule.y1))

    def path(self, path: StrokePath) -> None:
        c = self._graphics()
        c.setStrokeColor(_colour(path.color))
        c.setStrokeOverprint(path.overprint)
        c.setLineWidth(path.width)
        self._stroke_style(path.dash, path.cap)
        drawn = c.beginPath()
        drawn.moveTo(self.ox + path.start[0], self.y(path.start[1]))
        for step in path.steps:
            if len(step) == 2:
                drawn.lineTo(self.ox + step[0], self.y(step[1]))
            else:
                x1, y1, x2, y2, x3, y3 = step
                drawn.curveTo(self.ox + x1, self.y(y1), self.ox + x2, self.y(y2), self.ox + x3, self.y(y3))
        if path.closed:
            drawn.close()
        c.drawPath(drawn, stroke=1, fill=0)

    def _stroke_style(self, dash: Dash, cap: LineCap) -> None:
        """Dash pattern and line cap, written only when they change: a page of solid
        butt-capped rules (every page before rule styles) has the same bytes as before."""
        if (dash, cap) == self.stroke_style:
            return
        c = self.canvas
        if dash != self.stroke_style[0]:
            c.setDash(list(dash) if dash else [], 0)
        if cap != self.stroke_style[1]:
            c.setLineCap(int(cap))
        self.stroke_style = (dash, cap)

    def box(self, box: Box) -> None:
        c = self._graphics()
        x, y = self.ox + box.x, self.y(box.y + box.height)
        if box.fill is not None:
            c.setFillColor(_colour(box.fill))
            c.setFillOverprint(False)
            c.rect(x, y, box.width, box.height, stroke=0, fill=1)
        if box.stroke is not None:
            self._stroke_style(*SOLID)  # not dashed by a rule drawn before it
            c.setStrokeColor(_colour(box.stroke))
            c.setStrokeOverprint(False)
            c.setLineWidth(box.line_width)
            c.rect(x, y, box.width, box.height, stroke=1, fill=0)
            if box.cross:
                c.line(x, y, x + box.width, y + box.height)
                c.line(x, y + box.height, x + box.width, y)

    def marks(self, marks: CropMarks) -> None:
        c = self._graphics()
        self._stroke_style(*SOLID)
        c.setStrokeColor(_colour(marks.color))
        c.setLineWidth(marks.width)
        for x0, y0, x1, y1 in marks.segments:
            c.line(self.ox + x0, self.y(y0), self.ox + x1, self.y(y1))

    def filled_rects(self, rects: FilledRects) -> None:
        """One path of ``re`` subpaths, filled once (nonzero winding: all run the same way,
        so where they abut or overlap it is all ink): no seams between modules."""
        c = self._graphics()
        c.setFillColor(_colour(rects.color))
        c.setFillOverprint(rects.overprint)
        path = c.beginPath()
        for x, y, width, height in rects.rects:
            path.rect(self.ox + x, self.y(y + height), width, height)
        c.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)  # ``f``: even-odd would punch holes in overlaps
    def placed_pdf(self, placed: PlacedPdf) -> None:
        x0, y0 = self.ox + placed.x, self.y(placed.y + placed.height)
        self.placements.append(Placement(self.page_index, placed.path, placed.page,
                                         (x0, y0, x0 + placed.width, y0 + placed.height)))
    def dots(self, dots: Dots) -> None:
        c = self._graphics()
        c.setFillColor(_colour(dots.color))
        c.setFillOverprint(dots.overprint)  # 100 % K overprints like the text it marks
        for x, y in dots.centres:
            c.circle(self.ox + x, self.y(y), dots.radius, stroke=0, fill=1)

    def image(self, item: Image) -> None:
        from layout.render.images import image_key, prepare_image, proxy_image  # Pillow only for pages with photos

        c = self._graphics()
        key = (image_key(item, self.press), self.proxy_ppi)
        reader = self.readers.get(key)
        if reader is None:
            if self.proxy_ppi:
                prepared = proxy_image(item, self.press, self.proxy_ppi, self.memo)
            else:
                prepared = prepare_image(item, self.press, self.memo)
            reader = self.readers[key] = _PassThroughReader(prepared.jpeg)
        c.drawImage(reader, self.ox + item.x, self.y(item.y + item.height), item.width, item.height)


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


#: The graphics state's stroke style at a page start: solid, butt caps (PDF defaults).
SOLID: tuple[Dash, LineCap] = ((), LineCap.BUTT)


def _colour(cmyk: tuple[float, float, float, float]) -> CMYKColor:
    """A DeviceCMYK colour without an alpha: reportlab would otherwise write a /ca
    transparency key (and raise the file to PDF 1.4), which PDF/X-1a:2001 forbids."""
    c, m, y, k = (v / 100 for v in cmyk)
    return CMYKColor(c, m, y, k, alpha=None)
