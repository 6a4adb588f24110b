"""reportlab TrueType fonts, with their parsed tables kept between runs.

reportlab parses a font's cmap and metrics in pure Python each time a process registers
it (about 45 ms for one of our 8–15 MB CJK faces).  The parsed state is pickled to the
cache (``layout.cache``) keyed by the font file and the
reportlab version; the font bytes themselves are read from the file again.  Any problem
with the cache falls back to an ordinary parse, so the cache only ever costs or saves time.
"""

from __future__ import annotations

import hashlib
import pickle
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from layout.cache import read_cached, write_cached

#: Face attributes not pickled: the file bytes (re-read) and reportlab's scale lambda.
_SKIPPED = ("_ttf_data", "_pdfScale")
CACHE_VERSION = 1


class _Scale:
    """A picklable stand-in for reportlab's ``x * 1000 / unitsPerEm`` lambda."""

    def __init__(self, units_per_em: int):
        self.factor = 1000 / units_per_em

    def __call__(self, x: float) -> float:
        return x if self.factor == 1 else x * self.factor


def load_ttfont(name: str, path: Path) -> TTFont:
    """A registered-ready reportlab TTFont for ``path``, from the cache when possible."""
    cache = _cache_file(path)
    try:
        font = _from_cache(name, path, cache)
    except Exception:  # noqa: BLE001 - any cache problem means: parse the font
        font = TTFont(name, str(path))
        _save(font, cache)
    _memoise_subsets(font)
    return font


#: Subsets kept per font: a re-render of the same page asks for the same ones again.
SUBSET_CACHE_SIZE = 256


def _memoise_subsets(font: TTFont) -> None:
    """reportlab rebuilds each ≤256-glyph subset from the font file on every save; the
    result depends only on the characters, so a process keeps the ones it made."""
    make = font.face.makeSubset
    memo: dict[tuple[int, ...], bytes] = {}

    def make_subset(subset):  # type: ignore[no-untyped-def]
        key = tuple(subset)
        found = memo.get(key)
        if found is None:
            if len(memo) >= SUBSET_CACHE_SIZE:
                memo.clear()
            found = memo[key] = make(subset)
        return found

    font.face.makeSubset = make_subset


def _cache_file(path: Path) -> Path:
    stat = path.stat()
    key = f"{CACHE_VERSION}|{reportlab.Version}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()
    return Path(f"rl-{path.stem}-{hashlib.sha1(key).hexdigest()[:16]}.pickle")


def _from_cache(name: str, path: Path, cache: Path) -> TTFont:
    data = read_cached(str(cache))
    if data is None:
        raise LookupError("not cached")
    state = pickle.loads(data)
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = path.read_bytes()
    face._pdfScale = _Scale(face.unitsPerEm)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    globs = getattr(ttfonts, "unShapedFontGlob", ())
    font.shapable = not any(fnmatch(name, g) for g in globs)
    return font


def _save(font: TTFont, cache: Path) -> None:
    state = {k: v for k, v in font.face.__dict__.items() if k not in _SKIPPED}
    try:
        data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    write_cached(str(cache), data)
