"""Font families, their faces and the fallback chain (contract §4).

Layout needs only two facts per character: does a face have it, and how wide is it.
Both come from the ``cmap`` and ``hmtx`` tables, read once per file with fontTools and
kept for the life of the process (warm re-renders reuse them).
"""

from __future__ import annotations

import hashlib
import unicodedata
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from layout.cache import data_dir, read_cached, write_cached

FONT_DIR = data_dir("fonts")

#: Built-in families: weight -> file in ``fonts/``. The 黑 family's regular weight is
#: Noto Sans SC Bold (Chinese 黑体 headlines are heavy); its bold is Black.
BUILTIN_FACES: dict[str, dict[str, str]] = {
    "song": {"regular": "NotoSerifSC-Regular.ttf", "bold": "NotoSerifSC-Bold.ttf"},
    "hei": {"regular": "NotoSansSC-Bold.ttf", "bold": "NotoSansSC-Black.ttf"},
    "kai": {"regular": "LXGWWenKai-Regular.ttf", "bold": "LXGWWenKai-Regular.ttf"},
}

#: Where a character goes when a family's own face lacks it (the fallback chain).
FALLBACK_CHAINS: dict[str, tuple[str, ...]] = {
    "song": ("song", "hei", "kai"),
    "hei": ("hei", "song", "kai"),
    "kai": ("kai", "song", "hei"),
}
DEFAULT_CHAIN_TAIL = ("song", "hei", "kai")


class FontError(Exception):
    """A font file that cannot be used (not TrueType, unreadable)."""


@dataclass(frozen=True, slots=True, eq=False)
class Face:
    """One font file: advances in em by code point, and a stable name for renderers."""

    name: str
    path: Path
    advances: dict[int, float] = field(repr=False)

    def has(self, codepoint: int) -> bool:
        return codepoint in self.advances

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Sent between processes by path: the receiver reuses (or reads once) its own copy.
        return (load_face, (self.path,))

    def advance(self, codepoint: int) -> float:
        """Advance width in em (0 for a character the face lacks)."""
        return self.advances.get(codepoint, 0.0)


_FACE_CACHE: dict[Path, Face] = {}
_CACHE_LOCK = Lock()


def load_face(path: Path) -> Face:
    """Read (once per process) the cmap and advances of a TrueType font file."""
    cached = _FACE_CACHE.get(path)  # fast path: the path as given
    if cached is not None:
        return cached
    with _CACHE_LOCK:
        resolved = path.resolve()
        cached = _FACE_CACHE.get(resolved)
        if cached is None:
            cached = _read_face(resolved)
            _FACE_CACHE[resolved] = cached
        _FACE_CACHE[path] = cached
        return cached


#: Bump when the cache layout changes.
METRICS_CACHE_VERSION = 2


def _read_face(path: Path) -> Face:
    advances = _read_metrics_cache(path)
    if advances is None:
        upm, widths = _parse_units(path)
        advances = {cp: w / upm for cp, w in widths.items()}
        _write_metrics_cache(path, advances)
    return Face(name=_face_name(path), path=path, advances=advances)


def _parse_units(path: Path) -> tuple[int, dict[int, int]]:
    """Units per em and advance widths in font units by code point."""
    from fontTools.ttLib import TTFont, TTLibError  # only when the metrics cache misses

    try:
        font = TTFont(path, lazy=True)
        if "glyf" not in font:
            raise FontError(f"{path.name}: not a TrueType-outline font (CFF outlines cannot be embedded)")
        cmap = font.getBestCmap() or {}
        metrics = font["hmtx"].metrics
        upm = int(font["head"].unitsPerEm)
    except (OSError, TTLibError, KeyError, AssertionError) as exc:
        raise FontError(f"{path.name}: cannot read the font ({exc})") from None
    return upm, {cp: int(metrics[glyph][0]) for cp, glyph in cmap.items() if glyph in metrics}


def _cache_file(path: Path) -> Path:
    stat = path.stat()
    key = f"{METRICS_CACHE_VERSION}|{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()
    return Path(f"metrics-{path.stem}-{hashlib.sha1(key).hexdigest()[:16]}.bin")


# Cache format (native byte order): uint32 count, count uint32 code points, count
# float64 advances in em (width ÷ units per em, the same doubles a parse computes, so a
# cached run lays out exactly as a parsing one).  Read straight into a dict: no per-entry
# arithmetic at start-up.
def _read_metrics_cache(path: Path) -> dict[int, float] | None:
    data = read_cached(str(_cache_file(path)))
    if data is None:
        return None
    try:
        (count,) = array("I", data[:4])
        codepoints = array("I", data[4 : 4 + 4 * count])
        advances = array("d", data[4 + 4 * count : 4 + 12 * count])
        if len(codepoints) != count or len(advances) != count or len(data) != 4 + 12 * count:
            return None
        return dict(zip(codepoints, advances, strict=True))
    except ValueError:
        return None


def _write_metrics_cache(path: Path, advances: dict[int, float]) -> None:
    """Best effort: an unwritable cache only costs speed."""
    codepoints = array("I", sorted(advances))
    values = array("d", (advances[c] for c in codepoints))
    write_cached(str(_cache_file(path)), array("I", [len(codepoints)]).tobytes() + codepoints.tobytes()
                 + values.tobytes())


def _face_name(path: Path) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in path.stem)
    return f"paiban-{stem}"


@dataclass(frozen=True, slots=True)
class FontBook:
    """Families of the page (built-ins plus the spec's ``fonts:``), read-only."""

    families: dict[str, dict[str, Path]]

    def face(self, family: str, weight: str = "regular") -> Face:
        weights = self.families[family]
        return load_face(weights.get(weight) or weights["regular"])

    def chain(self, family: str) -> tuple[str, ...]:
        base = FALLBACK_CHAINS.get(family, (family, *DEFAULT_CHAIN_TAIL))
        return tuple(name for name in dict.fromkeys(base) if name in self.families)

    def resolve(self, family: str, weight: str, char: str) -> Face | None:
        """The first face along the family's fallback chain that has ``char``."""
        codepoint = ord(char)
        for name in self.chain(family):
            face = self.face(name, weight)
            if face.has(codepoint):
                return face
        return None


def make_fontbook(extra: dict[str, Path] | None = None) -> FontBook:
    """Built-in families plus extra ``name -> file`` families (one face for every weight)."""
    families = {name: {w: FONT_DIR / f for w, f in weights.items()} for name, weights in BUILTIN_FACES.items()}
    for name, path in (extra or {}).items():
        families[name] = {"regular": path, "bold": path}
    return FontBook(families)


def unicode_block(char: str) -> str:
    """A readable description of where a character lives, for missing-glyph reports."""
    codepoint = ord(char)
    for start, end, block in _BLOCKS:
        if start <= codepoint <= end:
            return block
    return unicodedata.category(char) and f"U+{codepoint:04X} block"


_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x007F, "Basic Latin"), (0x0080, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x024F, "Latin Extended"), (0x0370, 0x03FF, "Greek and Coptic"),
    (0x0400, 0x04FF, "Cyrillic"), (0x0590, 0x05FF, "Hebrew"), (0x0600, 0x06FF, "Arabic"),
    (0x0E00, 0x0E7F, "Thai"), (0x2000, 0x206F, "General Punctuation"),
    (0x2E80, 0x2EFF, "CJK Radicals Supplement"), (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3040, 0x30FF, "Hiragana/Katakana"), (0x3400, 0x4DBF, "CJK Unified Ideographs Extension A"),
    (0x4E00, 0x9FFF, "CJK Unified Ideographs"), (0xAC00, 0xD7AF, "Hangul Syllables"),
    (0xE000, 0xF8FF, "Private Use Area"), (0xF900, 0xFAFF, "CJK Compatibility Ideographs"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"), (0x1F300, 0x1FAFF, "Emoji and pictographs"),
    (0x20000, 0x2A6DF, "CJK Unified Ideographs Extension B"),
    (0x2A700, 0x2EBEF, "CJK Unified Ideographs Extensions C–F"),
    (0x30000, 0x323AF, "CJK Unified Ideographs Extensions G–H"),
)
