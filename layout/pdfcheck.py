"""What layout needs to know of a supplied PDF page (an ad, masthead artwork): its size
and what in it would break a PDF/X-1a page (preflight).

The file is untrusted: it is read as a regular file up to :data:`PDF_MAX_BYTES`, opened
with pikepdf (qpdf) from memory, and walked with bounds — at most
:data:`MAX_RESOURCE_DICTS` resource dictionaries (forms, patterns, Type 3 fonts, cycles
cut), at most :data:`MAX_CONTENT_BYTES` of decoded content streams — so a hostile file
costs bounded time and memory; a file past those bounds is refused as too complex.  Anything qpdf cannot read is :class:`PdfUnreadable`
with a reason, never a traceback.  Nothing is drawn here: placing the page is the PDF
renderer's (``layout/render/placed.py``).

Preflight findings (each a short "where" text, a few per kind):

- colour: DeviceRGB / CalRGB / Lab / ICC-based colour spaces (PDF/X-1a allows CMYK,
  grey, spot colours and DeviceN only), RGB colour operators (``rg``/``RG``), RGB images;
- fonts without an embedded font program (a standard font like Helvetica);
- transparency: soft masks, blend modes other than Normal, constant alpha below 1,
  transparency groups, images with an SMask;
- the highest total ink of its CMYK colour operators (``k``/``K``, ``sc``/``scn`` in
  DeviceCMYK), to hold against ``output.ink_limit``.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from layout.datacodec import TreeCodec
from layout.memo import Memo, file_id
from layout.safeio import UnreadableFile, read_regular

#: A full-page ad as PDF/X-1a with its images is 5–50 MB; 256 MiB refuses runaway files.
PDF_MAX_BYTES = 256 * 1024 * 1024
#: Resource dictionaries walked (the page's, each form's, pattern's and Type 3 font's).
MAX_RESOURCE_DICTS = 2_000
#: Decoded content-stream bytes parsed for colour operators, all streams together; a page
#: with more is refused (unchecked content could be anything).
MAX_CONTENT_BYTES = 32 * 1024 * 1024
#: Pages a PDF may have for us to look at: a supplied ad has one, an artwork file a few.
MAX_PAGES = 10_000
#: Examples kept of each finding (the count is kept too).
MAX_EXAMPLES = 3


class PdfUnreadable(ValueError):
    """A PDF that cannot be used; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """One page of a supplied PDF, as layout sees it."""

    pages: int  # pages in the file
    width: float  # of the placed box (TrimBox, else CropBox, else MediaBox), pt, after /Rotate
    height: float
    box: str  # which box that is: TrimBox, CropBox or MediaBox
    not_cmyk: tuple[str, ...]  # where colour outside CMYK/grey/spot was found (a few examples)
    fonts_not_embedded: tuple[str, ...]  # base font names
    transparency: tuple[str, ...]
    max_ink: float  # highest total ink of the CMYK colour operators, percent (0 if none)
    ink_where: str  # where that ink was found


#: What is kept on disk of a preflighted page: data only (``layout/datacodec.py``).
PDF_INFO_CODEC = TreeCodec([PdfInfo])


def inspect_pdf(path: Path, page: int, memo: Memo | None = None) -> PdfInfo:
    """The ``page`` (0-based) of the PDF at ``path``, measured and preflighted; once per
    version of the file in ``memo``.

    Raises:
        PdfUnreadable: not a regular file, too large, not a PDF qpdf can read, encrypted,
            or without that page.
        UnreadableFile: the file is missing (``reason == "no such file"``) or not regular.
    """
    # kept on disk too: a warm render then neither opens the file with qpdf nor walks it
    return (memo or Memo()).stored("pdfinfo", (file_id(path), page), PDF_INFO_CODEC, lambda: _inspect(path, page))


def _inspect(path: Path, page: int) -> PdfInfo:
    import pikepdf  # only for pages with a placed PDF

    data = read_regular(path, PDF_MAX_BYTES)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise PdfUnreadable("it is encrypted") from None
    except Exception as exc:  # noqa: BLE001 - qpdf raises many types for damaged files; all mean "cannot read"
        raise PdfUnreadable(f"not a PDF that can be read ({_short(exc)})") from None
    try:
        with pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise PdfUnreadable(f"it has {count} pages, more than {MAX_PAGES}")
            if not 0 <= page < count:
                raise PdfUnreadable(f"it has {count} page{'s' if count != 1 else ''}, no page {page + 1}")
            return _page_info(pdf, pdf.pages[page], count)
    except PdfUnreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged object deep in the file surfaces only when read
        raise PdfUnreadable(f"a damaged PDF ({_short(exc)})") from None


#: qpdf names a file read from memory by the buffer's repr, with its address: "stream
#: <_io.BytesIO object at 0x7f…>: …"; the address changes every run.
_BUFFER_NAME = re.compile(r"^(stream )?<[^<>]* at 0x[0-9a-fA-F]+>:?\s*")


def _short(exc: Exception) -> str:
    """qpdf's message, on one line, without the buffer's address, at most 200 characters."""
    text = _BUFFER_NAME.sub("", " ".join(str(exc).split())) or type(exc).__name__
    return text[:200]


def placed_box(page: object) -> tuple[str, tuple[float, float, float, float]]:
    """The box a page is placed by, as qpdf's form XObject of it is bounded: TrimBox, else
    CropBox, else MediaBox; (name, (x0, y0, x1, y1))."""
    import pikepdf

    obj = page.obj  # type: ignore[attr-defined]
    for name in ("/TrimBox", "/CropBox", "/MediaBox"):
        value = obj.get(name)
        if isinstance(value, pikepdf.Array) and len(value) == 4:
            x0, y0, x1, y1 = (float(v) for v in value)
            return name[1:], (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    raise PdfUnreadable("its page has no MediaBox")


@dataclass(slots=True)
class _Walk:
    not_cmyk: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)
    transparency: list[str] = field(default_factory=list)
    max_ink: float = 0.0
    ink_where: str = ""
    budget: int = MAX_CONTENT_BYTES
    truncated: bool = False
    seen: set[tuple[int, int]] = field(default_factory=set)
    dicts: int = 0

    def note(self, found: list[str], where: str) -> None:
        if where not in found and len(found) < MAX_EXAMPLES:
            found.append(where)


def _page_info(pdf: object, page: object, count: int) -> PdfInfo:
    import pikepdf

    box, (x0, y0, x1, y1) = placed_box(page)
    width, height = x1 - x0, y1 - y0
    rotate = page.obj.get("/Rotate")  # type: ignore[attr-defined]
    if isinstance(rotate, int) and int(rotate) % 180 == 90:
        width, height = height, width
    if width <= 0 or height <= 0:
        raise PdfUnreadable(f"its {box} is empty")
    walk = _Walk()
    obj = page.obj  # type: ignore[attr-defined]
    _group(obj, "the page", walk)
    resources = obj.get("/Resources")
    contents = obj.get("/Contents")
    streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or []) if isinstance(
        contents, pikepdf.Array) else []
    _content(pdf, [s for s in streams if isinstance(s, pikepdf.Stream)], resources, "the page", walk)
    _resources(pdf, resources, "the page", walk)
    if walk.truncated:  # what was not checked could be anything: refused, not placed unseen
        raise PdfUnreadable(f"too complex to preflight (over {MAX_CONTENT_BYTES // 2**20} MB of content or "
                            f"{MAX_RESOURCE_DICTS} resource dictionaries)")
    return PdfInfo(count, width, height, box, tuple(walk.not_cmyk), tuple(walk.fonts), tuple(walk.transparency),
                   round(walk.max_ink, 1), walk.ink_where)


def _items(value: object) -> Iterator[tuple[str, object]]:
    import pikepdf

    if isinstance(value, pikepdf.Dictionary):
        yield from ((str(k), value[k]) for k in value.keys())


def _group(obj: object, where: str, walk: _Walk) -> None:
    import pikepdf

    group = obj.get("/Group")  # type: ignore[attr-defined]
    if isinstance(group, pikepdf.Dictionary) and group.get("/S") == pikepdf.Name.Transparency:
        walk.note(walk.transparency, f"a transparency group on {where}")


def _first(objgen: tuple[int, int], walk: _Walk) -> bool:
    """Whether an indirect object is seen for the first time (direct objects always are)."""
    if objgen == (0, 0):
        return True
    if objgen in walk.seen:
        return False
    walk.seen.add(objgen)
    return True


def _resources(pdf: object, resources: object, where: str, walk: _Walk) -> None:
    """Colour spaces, fonts, graphics states, images, forms, patterns and shadings of one
    resource dictionary, forms and patterns followed (bounded, cycles cut)."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary) or not _first(resources.objgen, walk):
        return
    walk.dicts += 1
    if walk.dicts > MAX_RESOURCE_DICTS:
        walk.truncated = True
        return
    for name, space in _items(resources.get("/ColorSpace")):
        if _not_cmyk(space):
            walk.note(walk.not_cmyk, f"colour space {name} ({_space_name(space)}) in {where}")
    for name, state in _items(resources.get("/ExtGState")):
        _graphics_state(name, state, where, walk)
    for name, font in _items(resources.get("/Font")):
        _font(pdf, name, font, where, walk)
    for name, shading in _items(resources.get("/Shading")):
        if isinstance(shading, pikepdf.Object) and hasattr(shading, "get") and _not_cmyk(shading.get("/ColorSpace")):
            walk.note(walk.not_cmyk, f"shading {name} ({_space_name(shading.get('/ColorSpace'))}) in {where}")
    for name, pattern in _items(resources.get("/Pattern")):
        if isinstance(pattern, pikepdf.Stream):  # a tiling pattern: content of its own
            if _first(pattern.objgen, walk):
                _content(pdf, [pattern], pattern.get("/Resources"), f"pattern {name}", walk)
                _resources(pdf, pattern.get("/Resources"), f"pattern {name}", walk)
        elif isinstance(pattern, pikepdf.Dictionary):
            shading = pattern.get("/Shading")
            if isinstance(shading, pikepdf.Object) and hasattr(shading, "get") and _not_cmyk(shading.get("/ColorSpace")):
                walk.note(walk.not_cmyk, f"pattern {name} ({_space_name(shading.get('/ColorSpace'))}) in {where}")
            _graphics_state(name, pattern.get("/ExtGState"), where, walk)
    for name, xobject in _items(resources.get("/XObject")):
        if not isinstance(xobject, pikepdf.Stream) or not _first(xobject.objgen, walk):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == pikepdf.Name.Image:
            _image(name, xobject, where, walk)
        elif subtype == pikepdf.Name.Form:
            inner = f"form {name}"
            _group(xobject, inner, walk)
            _content(pdf, [xobject], xobject.get("/Resources") or resources, inner, walk)
            _resources(pdf, xobject.get("/Resources"), inner, walk)


def _graphics_state(name: str, state: object, where: str, walk: _Walk) -> None:
    import pikepdf

    if not isinstance(state, pikepdf.Dictionary):
        return
    smask = state.get("/SMask")
    if smask is not None and smask != pikepdf.Name("/None"):
        walk.note(walk.transparency, f"a soft mask in graphics state {name} of {where}")
    for key in ("/CA", "/ca"):
        alpha = _number(state.get(key))  # pikepdf gives reals as Decimal
        if alpha is not None and alpha < 1:
            walk.note(walk.transparency, f"{key[1:]} {alpha:g} in graphics state {name} of {where}")
    blend = state.get("/BM")
    modes = list(blend) if isinstance(blend, pikepdf.Array) else [blend] if blend is not None else []
    if any(str(m) not in ("/Normal", "/Compatible") for m in modes):
        walk.note(walk.transparency, f"blend mode {', '.join(str(m)[1:] for m in modes)} in graphics state {name} of {where}")


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _image(name: str, image: object, where: str, walk: _Walk) -> None:

    space = image.get("/ColorSpace")  # type: ignore[attr-defined]
    if image.get("/ImageMask") is not True and _not_cmyk(space):  # type: ignore[attr-defined]
        walk.note(walk.not_cmyk, f"image {name} ({_space_name(space)}) in {where}")
    if image.get("/SMask") is not None:  # type: ignore[attr-defined]
        walk.note(walk.transparency, f"a soft mask on image {name} in {where}")
    if (_number(image.get("/SMaskInData")) or 0) > 0:  # type: ignore[attr-defined]
        walk.note(walk.transparency, f"alpha in the data of image {name} in {where}")


#: Font dictionary keys of an embedded font program.
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _font(pdf: object, name: str, font: object, where: str, walk: _Walk) -> None:
    import pikepdf

    if not isinstance(font, pikepdf.Dictionary) or not _first(font.objgen, walk):
        return
    subtype = font.get("/Subtype")
    if subtype == pikepdf.Name.Type3:  # glyphs drawn by content streams of its own
        for _glyph, proc in _items(font.get("/CharProcs")):
            if isinstance(proc, pikepdf.Stream) and _first(proc.objgen, walk):
                _content(pdf, [proc], font.get("/Resources"), f"Type 3 font {name}", walk)
        _resources(pdf, font.get("/Resources"), f"Type 3 font {name}", walk)
        return
    described = font
    if subtype == pikepdf.Name.Type0:
        descendants = font.get("/DescendantFonts")
        described = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else None
    descriptor = described.get("/FontDescriptor") if isinstance(described, pikepdf.Dictionary) else None
    embedded = isinstance(descriptor, pikepdf.Dictionary) and any(key in descriptor for key in _FONT_FILES)
    if not embedded:
        base = font.get("/BaseFont")
        walk.note(walk.fonts, str(base)[1:] if base is not None else name)


def _space_name(space: object) -> str:
    import pikepdf

    if isinstance(space, pikepdf.Array) and len(space):
        head = str(space[0])[1:]
        if head == "ICCBased" and isinstance(space[1], pikepdf.Stream):
            return f"ICCBased, {int(space[1].get('/N', 0))} components"
        return head
    return str(space)[1:] if space is not None else "none"


def _not_cmyk(space: object, depth: int = 0) -> bool:
    """A colour space PDF/X-1a does not allow: anything but DeviceCMYK, DeviceGray,
    Separation and DeviceN (over those), Indexed and Pattern over those."""
    import pikepdf

    if space is None or depth > 4:
        return False
    if isinstance(space, pikepdf.Name):
        return str(space) not in ("/DeviceCMYK", "/DeviceGray", "/Pattern", "/CMYK", "/G")
    if isinstance(space, pikepdf.Array) and len(space):
        head = str(space[0])
        if head in ("/Indexed", "/I") and len(space) > 1:
            return _not_cmyk(space[1], depth + 1)
        if head == "/Pattern":
            return len(space) > 1 and _not_cmyk(space[1], depth + 1)
        if head == "/Separation" and len(space) > 2:
            return _not_cmyk(space[2], depth + 1)
        if head == "/DeviceN" and len(space) > 2:
            return _not_cmyk(space[2], depth + 1)
        return True  # ICCBased, CalRGB, CalGray, Lab
    return False


#: Content operators read for colour; everything else is skipped by the parser.
_COLOUR_OPERATORS = "rg RG k K cs CS sc scn SC SCN"
#: Names a content stream may use for DeviceRGB (including inline-image abbreviations).
_RGB_NAMES = ("/DeviceRGB", "/RGB", "/CalRGB")


def _content(pdf: object, streams: list[object], resources: object, where: str, walk: _Walk) -> None:
    """RGB and the highest CMYK ink among the colour operators of ``streams``, and RGB
    inline images; at most the walk's budget of decoded bytes."""
    import pikepdf

    data = b""
    for stream in streams:
        part = _decoded(stream, walk)
        if part is None:
            walk.truncated = True
            return
        data += part + b"\n"
    if not data.strip():
        return
    spaces = resources.get("/ColorSpace") if isinstance(resources, pikepdf.Dictionary) else None
    fill_cmyk = stroke_cmyk = False
    try:
        parsed = pikepdf.parse_content_stream(pikepdf.Stream(pdf, data), _COLOUR_OPERATORS + " INLINE IMAGE")
    except pikepdf.PdfError as exc:
        raise PdfUnreadable(f"a content stream of {where} cannot be read ({_short(exc)})") from None
    for item in parsed:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            space = item.iimage.obj.get("/ColorSpace", item.iimage.obj.get("/CS"))
            if str(space) in _RGB_NAMES:
                walk.note(walk.not_cmyk, f"an RGB inline image in {where}")
            continue
        operands, operator = item.operands, str(item.operator)
        if operator in ("rg", "RG"):
            walk.note(walk.not_cmyk, f"RGB colour ({operator}) in {where}")
        elif operator in ("cs", "CS") and operands:
            name = operands[0]
            space = spaces.get(str(name)) if isinstance(spaces, pikepdf.Dictionary) else None
            cmyk = str(name) == "/DeviceCMYK"
            if str(name) in _RGB_NAMES or (space is not None and _not_cmyk(space)):
                walk.note(walk.not_cmyk, f"colour space {str(name)[1:]} ({_space_name(space or name)}) in {where}")
            if operator == "cs":
                fill_cmyk = cmyk
            else:
                stroke_cmyk = cmyk
        elif operator in ("k", "K") or (operator in ("sc", "scn") and fill_cmyk) or (
                operator in ("SC", "SCN") and stroke_cmyk):
            values = [_number(v) for v in operands]
            if len(values) == 4 and all(v is not None for v in values):
                ink = sum(min(max(v, 0.0), 1.0) for v in values) * 100  # type: ignore[arg-type, type-var]
                if ink > walk.max_ink:
                    walk.max_ink = ink
                    walk.ink_where = f"{operator} {' '.join(f'{v:g}' for v in values)} in {where}"  # type: ignore[str-format]


def _decoded(stream: object, walk: _Walk) -> bytes | None:
    """A stream's decoded bytes within the walk's budget; None past it.  Flate (the usual
    filter) is inflated here with a bound, so a compression bomb stops at the budget."""
    import pikepdf

    filters = stream.get("/Filter")  # type: ignore[attr-defined]
    names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
    if names in ([], ["/FlateDecode"], ["/Fl"]) and stream.get("/DecodeParms") is None:  # type: ignore[attr-defined]
        raw = stream.read_raw_bytes()  # type: ignore[attr-defined]
        if names:
            inflate = zlib.decompressobj()
            try:
                data = inflate.decompress(raw, walk.budget + 1)
            except zlib.error as exc:
                raise PdfUnreadable(f"a content stream cannot be inflated ({exc})") from None
        else:
            data = raw
    else:  # other filters (rare in content streams): qpdf decodes them
        data = stream.read_bytes()  # type: ignore[attr-defined]
    if len(data) > walk.budget:
        return None
    walk.budget -= len(data)
    return data


__all__ = ["PDF_MAX_BYTES", "PdfInfo", "PdfUnreadable", "UnreadableFile", "inspect_pdf", "placed_box"]
