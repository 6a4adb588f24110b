"""Images: the probe layout uses, and the press-ready image the PDF embeds (Pillow lives
here, never in layout)."""

from __future__ import annotations

import io
import math
import os
import struct
import warnings
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from layout.display import Image
from layout.memo import FileId, Memo, file_id
from layout.press import ImageInfo, OversizedImage, PressSettings
from layout.render.colour import (
    PRESS_INPUT_MODES,
    check_output_profile,
    for_press,
    icc_problem,
    is_passthrough,
    max_total_ink,
    to_press,
    usable_icc,
)
from layout.safeio import IMAGE_MAX_BYTES, UnreadableFile, open_regular

PT_PER_IN = 72.0
#: Images beyond this factor of the target resolution are downsampled to the target.
DOWNSAMPLE_ABOVE = 1.5
#: The most pixels paiban decodes from one image: a 50-megapixel camera frame passes;
#: decoding costs time and memory in proportion (an 88-megapixel PNG took 48 s and 6 GB
#: before this bound), so a larger image is refused from its header, before any pixel
#: is read.
MAX_IMAGE_PIXELS = 60_000_000

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PressImage:
    """A placed image ready for the PDF: JPEG bytes in DeviceCMYK or DeviceGray."""

    jpeg: bytes
    mode: str  # "CMYK" or "L"
    size: tuple[int, int]


#: EXIF orientations that turn the image a quarter: width and height swap.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


@dataclass(frozen=True, slots=True)
class _Header:
    """What the file's header says, before any pixel is decoded."""

    width: int  # as stored (before EXIF orientation)
    height: int
    mode: str
    format: str | None
    turned: bool  # the EXIF orientation turns it a quarter: width and height swap when shown


#: What Pillow's plugins raise for a file they cannot read (beside the decompression-bomb
#: guard): a damaged header reaches struct, index and arithmetic errors in some of them.
_PILLOW_ERRORS = (OSError, UnidentifiedImageError, SyntaxError, ValueError, EOFError, struct.error, IndexError,
                  KeyError, TypeError, ZeroDivisionError)


def _read(path: Path, use: Callable[[PILImage.Image, _Header], _T], decoded_limit: int = MAX_IMAGE_PIXELS) -> _T:
    """Open ``path`` as a regular file of at most IMAGE_MAX_BYTES, check its pixel count
    from the header, and hand the opened (not yet decoded) image to ``use``.

    Raises:
        OversizedImage: more than MAX_IMAGE_PIXELS pixels.
        ValueError: with a reason, for anything else that cannot be read (a folder, a
            FIFO, a truncated or corrupt file, Pillow's decompression-bomb guard).
    """
    try:
        fd = open_regular(path, IMAGE_MAX_BYTES)
    except UnreadableFile as exc:
        raise ValueError(exc.reason) from None
    try:
        with os.fdopen(fd, "rb") as handle, warnings.catch_warnings():
            # Pillow's guard warns above its limit and refuses above twice that; its warning
            # is judged here, with the bound that names the problem (oversized_image).
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(handle) as im:
                pixels = im.width * im.height
                # A JPEG is decoded at a reduced scale when its slot is smaller; any other
                # format whole, so it is also held to what its slot can use.
                limit = MAX_IMAGE_PIXELS if im.format == "JPEG" else min(MAX_IMAGE_PIXELS, decoded_limit)
                if pixels > limit:
                    raise OversizedImage(pixels, limit)
                if PILImage.MAX_IMAGE_PIXELS and pixels > PILImage.MAX_IMAGE_PIXELS:
                    raise PILImage.DecompressionBombError(f"{pixels:,} pixels, over {PILImage.MAX_IMAGE_PIXELS:,}")
                header = _Header(im.width, im.height, im.mode, im.format,
                                 im.getexif().get(0x0112) in _QUARTER_TURNS)
                return use(im, header)
    except OversizedImage:
        raise
    except PILImage.DecompressionBombError as exc:
        raise ValueError(f"too many pixels (decompression-bomb guard): {exc}") from None
    except MemoryError:
        raise ValueError("not enough memory to decode it") from None
    except _PILLOW_ERRORS as exc:
        raise ValueError(str(exc) or exc.__class__.__name__) from None


def _open(path: Path, shown: tuple[int, int] | None = None) -> PILImage.Image:
    """Decode and orient an image.  With ``shown`` (the pixels needed, after orientation),
    a JPEG is decoded at the smallest of its 1/2, 1/4, 1/8 scales still at least that big:
    less to decode, to hold and to resample."""

    def decode(im: PILImage.Image, header: _Header) -> PILImage.Image:
        if shown is not None and header.format == "JPEG":
            wanted = (shown[1], shown[0]) if header.turned else shown
            im.draft(im.mode, (max(1, wanted[0]), max(1, wanted[1])))
        im.load()
        icc = im.info.get("icc_profile")
        ImageOps.exif_transpose(im, in_place=True)  # in place: no second copy of the pixels
        if icc:
            im.info["icc_profile"] = icc
        return im

    return _read(path, decode)


def _header(path: Path, memo: Memo, decoded_limit: int = MAX_IMAGE_PIXELS) -> tuple[int, int, str]:
    """Size (after EXIF orientation) and mode from the file header, checked to decode;
    once per version of the file, so a re-render (preview, watch) does not decode an
    unchanged photo again."""
    return memo.get(("image header", _identity(path), decoded_limit), lambda: _read_header(path, decoded_limit))


def _identity(path: Path) -> FileId:
    try:
        return file_id(path)
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None


def _read_header(path: Path, decoded_limit: int = MAX_IMAGE_PIXELS) -> tuple[int, int, str]:
    """Only the header is parsed and the decoder is asked to verify the data, so a truncated
    or corrupt file is caught without holding the pixels in memory.
    """

    def verify(im: PILImage.Image, header: _Header) -> tuple[int, int, str]:
        if header.format == "JPEG":
            im.draft(im.mode, (max(1, header.width // 8), max(1, header.height // 8)))  # decode at 1/8 scale
        im.load()  # decoding finds a truncated or corrupt file
        width, height = (header.height, header.width) if header.turned else (header.width, header.height)
        return width, height, header.mode

    return _read(path, verify, decoded_limit)


#: Modes whose embedded colour profile is used (and so checked by the probe).
_PROFILED_MODES = frozenset({"RGB", "RGBA", "CMYK"})


def make_probe(press: PressSettings, memo: Memo | None = None) -> Callable[[Path], ImageInfo]:
    """A probe for layout: pixel size, mode, the ink of CMYK placed as it is, and why an
    embedded colour profile is ignored.

    Raises (from the probe):
        OversizedImage: more pixels than MAX_IMAGE_PIXELS, found from the header.
        ValueError: the file cannot be read as an image, with the reason.
    """
    memo = memo if memo is not None else Memo()

    def probe(path: Path, decoded_limit: int = MAX_IMAGE_PIXELS) -> ImageInfo:
        check_output_profile(press.profile, memo)  # raises ProfileError: a spec error, not an image problem
        # Once per version of the image and profile: a separated CMYK photo is decoded
        # whole for its ink, which a re-render (serve, a CI suite) must not pay again.
        return memo.get(("image info", _identity(path), _identity(press.profile), decoded_limit),
                        lambda: _info(path, decoded_limit))

    def _info(path: Path, decoded_limit: int) -> ImageInfo:
        width, height, mode = _header(path, memo, decoded_limit)
        if mode not in PRESS_INPUT_MODES:
            raise ValueError(f"its colour mode {mode} cannot be printed")
        ignored = _read(path, lambda im, _: icc_problem(im, press.profile, memo)) if mode in _PROFILED_MODES else None
        ink = None
        if mode == "CMYK":  # only separated CMYK needs its pixels read (for the ink check)
            im = usable_icc(_open(path), press.profile, memo)
            ink = max_total_ink(im) if is_passthrough(im, press.profile, memo) else None
        return ImageInfo(width, height, mode, ink, ignored)

    return probe


def prepare_image(item: Image, press: PressSettings, memo: Memo | None = None) -> PressImage:
    """The press-ready image for a slot, once per version of the file, slot and settings
    (kept on disk: separating a photo costs far more than reading it back)."""
    memo = memo if memo is not None else Memo()
    return memo.stored("image", image_key(item, press), PRESS_IMAGE_CODEC, lambda: _prepare(item, press, memo))


#: JPEG quality of screen proxies (live previews only, never print).
PROXY_QUALITY = 85


def proxy_image(item: Image, press: PressSettings, ppi: float, memo: Memo | None = None) -> PressImage:
    """A screen proxy of the press image at ``ppi`` (InDesign's "typical display"): for
    live previews, where decoding a full-resolution photo on every save costs more than
    everything else.  The same separated pixels, downsampled; the print PDF never uses it."""
    memo = memo if memo is not None else Memo()
    target = (max(1, round(item.width / PT_PER_IN * ppi)), max(1, round(item.height / PT_PER_IN * ppi)))
    return memo.get(("image proxy", image_key(item, press), target),
                    lambda: _proxy(prepare_image(item, press, memo), target))


def _proxy(prepared: PressImage, target: tuple[int, int]) -> PressImage:
    if target[0] >= prepared.size[0] or target[1] >= prepared.size[1]:
        return prepared
    with PILImage.open(io.BytesIO(prepared.jpeg)) as im:
        im.draft(im.mode, target)  # JPEG: decode at the nearest scale above the target
        small = im.resize(target, PILImage.Resampling.LANCZOS)
    return PressImage(_jpeg(small, PROXY_QUALITY), small.mode, small.size)


def image_key(item: Image, press: PressSettings) -> tuple[object, ...]:
    """Names the press image of a slot as a value: the file, the slot's shape and fit,
    the press settings that shape the separation, and Pillow's version (its LittleCMS
    and JPEG codec make the pixels); the memo adds the digest of our code."""
    return (_identity(item.path), round(item.width, 3), round(item.height, 3), item.fit, item.focus,
            _identity(press.profile), press.ink_limit, press.target_ppi, press.jpeg_quality, PILImage.__version__)


class _PressImageCodec:
    """A press image on disk: ``MODE WIDTH HEIGHT\n`` then the JPEG (or TIFF) bytes."""

    def encode(self, value: PressImage) -> bytes:
        return f"{value.mode} {value.size[0]} {value.size[1]}\n".encode("ascii") + value.jpeg

    def decode(self, data: bytes) -> PressImage:
        header, _, payload = data.partition(b"\n")
        mode, width, height = header.decode("ascii").split()
        if mode not in ("CMYK", "L") or not payload:
            raise ValueError("not a press image")
        return PressImage(payload, mode, (int(width), int(height)))


PRESS_IMAGE_CODEC = _PressImageCodec()


def _prepare(item: Image, press: PressSettings, memo: Memo) -> PressImage:
    """Crop (cover) or pad (contain) and scale to the target resolution, then convert for
    press: the colour conversion and the ink limit work on the pixels that are placed,
    not on the whole photo at its full size; a JPEG far larger than its slot needs is
    decoded at a reduced scale."""
    placed = _placed(item, press, memo)
    data, mode = _encode(placed, press, memo)
    return PressImage(data, mode, placed.size)


def _placed(item: Image, press: PressSettings, memo: Memo) -> PILImage.Image:
    """The slot's pixels in L, RGB or CMYK (with the source's usable profile), at the
    target size; the decoded photo is freed on return, before the separation."""
    width, height, _ = _header(item.path, memo)
    target = _target_pixels((width, height), item, press)
    scale = (max if item.fit != "contain" else min)(target[0] / width, target[1] / height)
    decoded = _open(item.path, (math.ceil(width * scale), math.ceil(height * scale)))
    source = for_press(usable_icc(decoded, press.profile, memo))
    del decoded  # for_press may have made a new image; do not hold both
    if item.fit == "contain":
        fitted = ImageOps.contain(source, target, method=PILImage.Resampling.LANCZOS)
        placed = PILImage.new(source.mode, target, _PAPER[source.mode])
        placed.paste(fitted, ((target[0] - fitted.width) // 2, (target[1] - fitted.height) // 2))
    else:
        placed = _cover(source, target, item.focus)
    icc = source.info.get("icc_profile")
    if icc:
        placed.info["icc_profile"] = icc
    return placed


#: Blank paper in each mode, for the margins of a contained image.
_PAPER: MappingProxyType[str, int | tuple[int, ...]] = MappingProxyType(
    {"L": 255, "RGB": (255, 255, 255), "CMYK": (0, 0, 0, 0)})

#: JPEG's rounding can push a few pixels past the ink limit; these margins (percent of
#: coverage) are tried in turn, and a lossless Flate-encoded image is the last resort.
#: The first is 8: with 4, half of the example photos (at quality 90) came back over the
#: limit and were separated twice, the costliest step of a first render done again, for
#: 4 % more coverage in the darkest shadows only.
JPEG_INK_MARGINS = (8.0, 16.0)


def _encode(placed: PILImage.Image, press: PressSettings, memo: Memo) -> tuple[bytes, str]:
    """JPEG bytes (and their mode) whose decoded pixels stay within the ink limit, verified
    by decoding; ``placed`` is in L, RGB or CMYK (see ``for_press``) at its final size."""
    if placed.mode == "L":
        return _jpeg(placed, press.jpeg_quality), "L"
    if is_passthrough(placed, press.profile, memo):  # separated for this press: placed as it is
        data = _jpeg(placed, press.jpeg_quality)
        with PILImage.open(io.BytesIO(data)) as decoded:
            if max_total_ink(decoded) <= max(press.ink_limit, max_total_ink(placed)) + INK_TOLERANCE:
                return data, "CMYK"
        return _flate_tiff_fallback(placed), "CMYK"
    for margin in JPEG_INK_MARGINS:
        data = _jpeg(to_press(placed, press.profile, press.ink_limit - margin, memo), press.jpeg_quality)
        with PILImage.open(io.BytesIO(data)) as decoded:
            if max_total_ink(decoded) <= press.ink_limit + INK_TOLERANCE:
                return data, "CMYK"
    return _flate_tiff_fallback(to_press(placed, press.profile, press.ink_limit, memo)), "CMYK"


#: Decoded coverage may exceed the limit by this much (one level in one channel).
INK_TOLERANCE = 100 / 255


def _jpeg(im: PILImage.Image, quality: int) -> bytes:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=quality, subsampling=0)
    return out.getvalue()


def _flate_tiff_fallback(im: PILImage.Image) -> bytes:
    """Lossless: a PNG cannot hold CMYK, so the pixels go as a TIFF that reportlab
    re-encodes with Flate (exact values, larger file)."""
    out = io.BytesIO()
    im.save(out, format="TIFF", compression="tiff_deflate")
    return out.getvalue()


def _target_pixels(size: tuple[int, int], item: Image, press: PressSettings) -> tuple[int, int]:
    """Pixels of the slot at the image's own resolution as placed (``photo.effective_ppi``:
    the lower of the two fill resolutions for cover, the higher for contain, so that no
    pixel is invented or thrown away), or at the target when far above it."""
    width_in, height_in = item.width / PT_PER_IN, item.height / PT_PER_IN
    scale = (min if item.fit != "contain" else max)(size[0] / max(width_in, 1e-6), size[1] / max(height_in, 1e-6))
    ppi = press.target_ppi if scale > press.target_ppi * DOWNSAMPLE_ABOVE else scale
    return max(1, round(width_in * ppi)), max(1, round(height_in * ppi))


def _cover(im: PILImage.Image, target: tuple[int, int], focus: tuple[float, float]) -> PILImage.Image:
    """Crop to the slot's shape around the focus point, then scale to ``target``.

    At the image's own resolution (the usual case, see ``_target_pixels``) the crop is
    taken in whole pixels and not resampled: resampling at scale 1 would only blur the
    photo by the crop's fraction of a pixel, and it is the costliest step of a first render.
    """
    if target[0] <= im.width and target[1] <= im.height and (target[0] == im.width or target[1] == im.height):
        left = round(min(max(focus[0] * im.width - target[0] / 2, 0.0), im.width - target[0]))
        top = round(min(max(focus[1] * im.height - target[1] / 2, 0.0), im.height - target[1]))
        return im.crop((left, top, left + target[0], top + target[1]))
    scale = max(target[0] / im.width, target[1] / im.height)
    # never wider or taller than the image: rounding can make the crop a hair larger
    crop_w, crop_h = min(target[0] / scale, im.width), min(target[1] / scale, im.height)
    cx = min(max(focus[0] * im.width, crop_w / 2), im.width - crop_w / 2)
    cy = min(max(focus[1] * im.height, crop_h / 2), im.height - crop_h / 2)
    box = (max(cx - crop_w / 2, 0.0), max(cy - crop_h / 2, 0.0), min(cx + crop_w / 2, im.width),
           min(cy + crop_h / 2, im.height))
    return im.resize(target, PILImage.Resampling.LANCZOS, box=box)


#: Threads separating photos beside the composing: one is enough to overlap the two
#: (Pillow's decoding, resampling, colour lookup and encoding release the interpreter
#: lock; composing holds it), more would only compete for the same cores.
PREFETCH_THREADS = 1


class Prefetcher:
    """Separates photos for press in a background thread as soon as layout finds their
    slots (``lay_out_page(prefetch=…)``), so that a first render composes the articles
    while the photos are being separated; :meth:`wait` before writing the PDF, which
    then finds them in the memo.  The results are those ``prepare_image`` would make in
    the PDF writer (same key, same bytes); a failure is left for the PDF writer to meet
    and report again.  A front end's object: layout only calls the callback."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[PressImage]] = []

    def factory(self, press: PressSettings) -> Callable[[Image], None]:
        def prefetch(item: Image) -> None:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(PREFETCH_THREADS, thread_name_prefix="paiban-photo")
            self._pending.append(self._pool.submit(prepare_image, item, press, self.memo))

        return prefetch

    def wait(self) -> None:
        """Until every photo handed over so far is separated (or has failed)."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.exception()  # waits; the PDF writer reports a failure when it meets it

    def close(self) -> None:
        self.wait()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
