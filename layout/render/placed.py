"""Supplied PDF pages (ads, masthead artwork) placed into the print PDF, with pikepdf.

reportlab cannot import PDF pages, so :class:`~layout.render.pdf.PdfCanvas` only notes
each :class:`~layout.display.PlacedPdf` (page of the document, rectangle in PDF user
space) and, once reportlab has written the document, :func:`place_pages` opens it with
pikepdf and draws each foreign page as a Form XObject (qpdf's form of the page: bounded
and clipped by its TrimBox, else CropBox, else MediaBox; /Rotate handled) scaled into its
rectangle, after the page's own content.  The result is saved deterministically: no
object streams (PDF/X-1a is PDF 1.3), the document's own version, an /ID computed from
the content (``deterministic_id``), so the same input gives the same bytes.

Placed PDFs were read and preflighted at layout (``layout/pdfcheck.py``): what is placed
here is the same file, read again with the same size bound.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from layout.pdfcheck import PDF_MAX_BYTES
from layout.safeio import read_regular

#: Resource-name prefix of placed pages (/Ad0, /Ad1 …): apart from reportlab's names.
XOBJECT_PREFIX = "Ad"


@dataclass(frozen=True, slots=True)
class Placement:
    """One foreign page to draw: on page ``target`` (0-based) of the document, page
    ``page`` of ``path`` into ``rect`` (x0, y0, x1, y1 in PDF user space)."""

    target: int
    path: Path
    page: int
    rect: tuple[float, float, float, float]


class PlacementError(ValueError):
    """A placed PDF that could not be read again when writing (changed since layout)."""


def place_pages(document: bytes, placements: Sequence[Placement]) -> bytes:
    """``document`` with every placement drawn; the document unchanged when there is none."""
    if not placements:
        return document
    import pikepdf

    out = pikepdf.open(io.BytesIO(document))
    sources: dict[Path, pikepdf.Pdf] = {}
    try:
        for placement in placements:
            source = sources.get(placement.path)
            if source is None:
                source = sources[placement.path] = _open(placement.path)
            target = out.pages[placement.target]
            form = out.copy_foreign(source.pages[placement.page].as_form_xobject())
            name = target.add_resource(form, pikepdf.Name.XObject, _free_name(target))
            rect = pikepdf.Rectangle(*placement.rect)
            drawn = target.calc_form_xobject_placement(form, name, rect, allow_shrink=True, allow_expand=True)
            # the page's own content in q … Q, so no state of it leaks into the placement
            target.contents_add(b"q\n", prepend=True)
            target.contents_add(b"Q\n" + drawn, prepend=False)
            target.contents_coalesce()
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 compress_streams=True, force_version=out.pdf_version, linearize=False)
        return buffer.getvalue()
    finally:
        for source in sources.values():
            source.close()
        out.close()


def _free_name(page) -> object:  # type: ignore[no-untyped-def]
    """The first /Ad<n> not yet among the page's XObjects: named in order, not at random
    (pikepdf's ``prefix`` adds random letters, which would change the bytes every time)."""
    import pikepdf

    xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
    n = 0
    while f"/{XOBJECT_PREFIX}{n}" in xobjects:
        n += 1
    return pikepdf.Name(f"/{XOBJECT_PREFIX}{n}")


def _open(path: Path):  # type: ignore[no-untyped-def]
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(read_regular(path, PDF_MAX_BYTES)))
    except Exception as exc:  # noqa: BLE001 - read fine at layout; changed or damaged since
        raise PlacementError(f"{path.name}: cannot be placed ({' '.join(str(exc).split())[:200]})") from None
