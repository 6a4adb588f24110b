"""Font families, their faces and the fallback chain (contract §4).

Layout needs two facts per character — does a face have it, and how wide is it — and
the PDF writer needs the same file's outlines.  Both read one :class:`TrueTypeFile`
(``layout/truetype.py``) per version of a font file: a face is kept in the front end's
memo under the file's :class:`~layout.memo.FileId`, so a font replaced on disk is read
again by layout and PDF alike, and never one with the other's advances.
"""

from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from layout.memo import FileId, Memo, file_id
from layout.paths import data_dir
from layout.truetype import TrueTypeError, TrueTypeFile

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
#: Characters measured per resolver before its table starts again (a preview server
#: sees every character of every page it shows).
RESOLVER_ENTRIES = 100_000


class FontError(Exception):
    """A font file that cannot be used (not TrueType, unreadable, damaged)."""


class Advances(Protocol):
    """What layout asks of a face: coverage and advance in em by code point."""

    def __contains__(self, codepoint: object) -> bool: ...

    def get(self, codepoint: int, default: float = 0.0) -> float: ...


class FileAdvances:
    """Coverage and advances read on demand from a TrueType file, remembered per face."""

    __slots__ = ("_file", "_known")

    def __init__(self, file: TrueTypeFile):
        self._file = file
        self._known: dict[int, float | None] = {}

    def _look(self, codepoint: int) -> float | None:
        try:
            return self._known[codepoint]
        except KeyError:
            found = self._known[codepoint] = self._file.advance(codepoint)
            return found

    def __contains__(self, codepoint: object) -> bool:
        return isinstance(codepoint, int) and self._look(codepoint) is not None

    def get(self, codepoint: int, default: float = 0.0) -> float:
        found = self._look(codepoint)
        return default if found is None else found


class Face:
    """One font file: advances in em by code point, its file for embedding, and a
    stable name for renderers.  Read-only; equal when named alike for the same path (one
    object per version of a file in a memo; keys of results use the file's identity).
    Not a dataclass, so that serialisers treat it as a reference (``layout/compose/
    paragraph.py`` keeps its path) rather than walking into it."""

    __slots__ = ("name", "path", "advances", "file", "identity", "__weakref__")

    def __init__(self, name: str, path: Path, advances: Advances, file: TrueTypeFile | None = None,
                 identity: FileId | None = None):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "advances", advances)
        object.__setattr__(self, "file", file)  # None: a synthetic test face
        object.__setattr__(self, "identity", identity)  # the version of the file it was read from

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Face is read-only")

    def __repr__(self) -> str:
        return f"Face({self.name!r}, {str(self.path)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Face) and (self.name, self.path) == (other.name, other.path)

    def __hash__(self) -> int:
        return hash((self.name, self.path))

    def has(self, codepoint: int) -> bool:
        return codepoint in self.advances

    def advance(self, codepoint: int) -> float:
        """Advance width in em (0 for a character the face lacks)."""
        return self.advances.get(codepoint, 0.0)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Sent between our own processes (an edition's workers) by path and version: the
        # receiver reads each version of a file once, however many pages name it.
        return (received_face, (self.path, self.identity))


#: Faces received from other processes, one per version of a file.  Weak: it keeps no
#: face alive (the pages holding them do), so it is an interning table, not a cache.
_RECEIVED: weakref.WeakValueDictionary[tuple[Path, FileId | None], Face] = weakref.WeakValueDictionary()


def received_face(path: Path, identity: FileId | None) -> Face:
    """The face of ``path`` sent by another of our processes, read once per version."""
    key = (path, identity)
    found = _RECEIVED.get(key)
    if found is None:
        found = _RECEIVED[key] = open_face(path, identity)
    return found


def open_face(path: Path, identity: FileId | None = None) -> Face:
    """Read a TrueType font file (``identity``: the version it is known as).

    Raises:
        FontError: unreadable, not TrueType, or damaged; the message says which.
    """
    try:
        file = TrueTypeFile.open(path)
    except TrueTypeError as exc:
        raise FontError(str(exc)) from None
    return Face(name=_face_name(path), path=path, advances=FileAdvances(file), file=file, identity=identity)


def load_face(path: Path, memo: Memo) -> Face:
    """The face of the file at ``path`` as it is now, read once per version of the file."""
    try:
        key = file_id(path)
    except OSError as exc:
        raise FontError(f"{path.name}: {exc.strerror or exc}") from None
    return memo.get(("face", key), lambda: open_face(path, key))


def _face_name(path: Path) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in path.stem)
    return f"paiban-{stem}"


@dataclass(frozen=True, slots=True)
class FontBook:
    """Families of the page (built-ins plus the spec's ``fonts:``), read-only; faces come
    from ``memo`` by the identity of their files when the book was made."""

    families: dict[str, dict[str, Path]]
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)
    ids: dict[Path, FileId | None] = field(default_factory=dict, repr=False, compare=False)

    def face(self, family: str, weight: str = "regular") -> Face:
        weights = self.families[family]
        path = weights.get(weight) or weights["regular"]
        key = self.ids.get(path)
        if key is None:
            return load_face(path, self.memo)
        return self.memo.get(("face", key), lambda: open_face(path, key))

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

    @property
    def fingerprint(self) -> tuple[tuple[str, str, FileId | None], ...]:
        """The families and the files behind them, as a value (for keys of results)."""
        return tuple((name, weight, self.ids.get(path)) for name, weights in sorted(self.families.items())
                     for weight, path in sorted(weights.items()))

    def resolver(self, family: str, weight: str) -> FontResolver:
        """A memoised char → face lookup along ``family``'s fallback chain."""
        return self.memo.get(("resolver", family, weight, self.fingerprint),
                             lambda: FontResolver(self, family, weight))


class FontResolver:
    """char → face along a family's fallback chain, memoised; also where measured atoms
    of this family are remembered (``layout/text/measure.py``).

    ``fingerprint`` names the family and the font files behind it, and ``memo`` is the
    front end's memo, so that compositions are kept under keys that change with the fonts.
    """

    __slots__ = ("_fonts", "_family", "_weight", "_faces", "fingerprint", "memo", "measured")

    def __init__(self, fonts: FontBook, family: str, weight: str):
        self._fonts, self._family, self._weight = fonts, family, weight
        self._faces: dict[str, Face | None] = {}
        self.fingerprint = (family, weight, fonts.fingerprint)
        self.memo = fonts.memo
        self.measured: dict[tuple[object, ...], object] = {}

    def __call__(self, char: str) -> Face | None:
        try:
            return self._faces[char]
        except KeyError:
            if len(self._faces) > RESOLVER_ENTRIES:
                self._faces.clear()
            face = self._faces[char] = self._fonts.resolve(self._family, self._weight, char)
            return face

    def face_at(self, path: str) -> Face:
        """One of the book's faces by its path (for compositions read back from disk):
        never a file outside the fonts in use."""
        for name, weights in self._fonts.families.items():
            for weight, candidate in weights.items():
                if str(candidate) == path:
                    return self._fonts.face(name, weight)
        raise ValueError(f"no face {path!r} among the fonts in use")


def make_fontbook(extra: dict[str, Path] | None = None, memo: Memo | None = None) -> FontBook:
    """Built-in families plus extra ``name -> file`` families (one face for every weight).

    Raises:
        FontError: when a built-in font file cannot be looked at.
    """
    families = {name: {w: FONT_DIR / f for w, f in weights.items()} for name, weights in BUILTIN_FACES.items()}
    for name, path in (extra or {}).items():
        families[name] = {"regular": path, "bold": path}
    ids: dict[Path, FileId | None] = {}
    for weights in families.values():
        for path in weights.values():
            try:
                ids[path] = file_id(path)
            except OSError:
                ids[path] = None  # looked at again (and reported) when a face is asked for
    return FontBook(families, memo if memo is not None else Memo(), ids)


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
