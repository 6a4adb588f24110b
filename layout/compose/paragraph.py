"""One paragraph from text to set lines: segment → measure → prepare → break → justify."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from layout.compose.justify import SetLine, set_line
from layout.compose.linebreak import Line, break_lines
from layout.compose.oversize import split_oversize
from layout.compose.prepare import ComposeConfig, Prepared, prepare
from layout.compose.totalfit import break_total_fit
from layout.fontdb import Face, FontResolver
from layout.text.markup import InlineStyle
from layout.text.measure import Resolver, measure
from layout.text.segment import segment


@dataclass(frozen=True, slots=True)
class Composed:
    prep: Prepared
    lines: tuple[SetLine, ...]
    missing: tuple[str, ...]

    @property
    def chars(self) -> int:
        return sum(line.chars for line in self.lines)


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    size: float
    align: str
    config: ComposeConfig


def compose_paragraph(text: str, style: ParagraphStyle, width: float, resolve: Resolver,
                      break_width: float | None = None) -> Composed:
    """Set ``text`` (one paragraph) in lines of ``width`` points.

    ``break_width`` (at most ``width``) breaks the lines narrower than they are set, so
    that a centred heading can have lines of even length (see :func:`compose_balanced`).
    With a front end's resolver the result is kept in its memo (and, when it is long
    enough to be worth it, on disk), so that a re-render recomposes only what changed.
    """
    return _kept("paragraph", (text, style, width, break_width), resolve,
                 lambda: _compose(text, style, width, resolve, break_width))


def _compose(text: str, style: ParagraphStyle, width: float, resolve: Resolver,
             break_width: float | None) -> Composed:
    prep, missing = _prepare(text, style, width, resolve)
    return _set(prep, missing, style, width, min(break_width or width, width))


class ComposedCodec:
    """Compositions on disk as MessagePack decoded against their types (msgspec): data
    only — the decoder builds nothing but :class:`Composed` and what it is typed to hold,
    and a face only as one of the resolver's own fonts, named by its path."""

    def __init__(self, resolve: FontResolver):
        self._encoder = msgspec.msgpack.Encoder(enc_hook=_face_path)
        self._decoder = msgspec.msgpack.Decoder(Composed, dec_hook=self._face)
        self._resolve = resolve
        self._faces: dict[str, Face] = {}

    def _face(self, kind: type, value: object) -> Face:
        if kind is not Face or not isinstance(value, str):
            raise NotImplementedError(f"cannot read a {kind!r}")
        found = self._faces.get(value)
        if found is None:
            found = self._faces[value] = self._resolve.face_at(value)
        return found

    def encode(self, value: Composed) -> bytes:
        try:
            return self._encoder.encode(value)
        except (msgspec.EncodeError, NotImplementedError, UnicodeEncodeError) as exc:
            raise ValueError(str(exc)) from None

    def decode(self, data: bytes) -> Composed:
        try:
            return self._decoder.decode(data)
        except msgspec.DecodeError as exc:  # also msgspec.ValidationError
            raise ValueError(str(exc)) from None


def _face_path(value: object) -> str:
    if isinstance(value, Face):
        return str(value.path)
    raise NotImplementedError(f"cannot keep a {type(value).__name__}")


#: Texts shorter than this are kept in memory only: composing them costs less than
#: reading, checking and decoding a disk entry (and a headline's trial runs would
#: otherwise write thousands of tiny entries).
MIN_DISK_CHARS = 24


def _kept(kind: str, key: tuple[object, ...], resolve: Resolver, compute) -> Composed:  # type: ignore[no-untyped-def]
    """``compute()``, kept in the resolver's memo under the fonts' identity and ``key``
    (whose first part is the text)."""
    if not isinstance(resolve, FontResolver):
        return compute()  # a plain function (tests' synthetic fonts): nothing to key it by
    memo = resolve.memo
    full_key = (resolve.fingerprint, *key)
    if len(key[0]) < MIN_DISK_CHARS:  # type: ignore[arg-type]
        return memo.get((kind, full_key), compute)
    codec = memo.get(("composed codec", resolve.fingerprint), lambda: ComposedCodec(resolve))
    return memo.stored(kind, full_key, codec, compute)


def _prepare(text: str, style: ParagraphStyle, width: float, resolve: Resolver) -> tuple[Prepared, tuple[str, ...]]:
    measured = measure(segment(text), style.size, resolve, style.config.style.half_mid)
    atoms = split_oversize(measured.atoms, width, resolve)
    return prepare(atoms, style.config), measured.missing


def _set(prep: Prepared, missing: tuple[str, ...], style: ParagraphStyle, width: float, break_width: float,
         paint: tuple[InlineStyle, ...] | None = None) -> Composed:
    """Break and set; ``paint``: each atom's inline style (text with markup, ``styled.py``)."""
    if not len(prep):
        return Composed(prep, (), missing)
    lines = _break(prep, break_width, style.config.composer)
    set_lines = tuple(
        set_line(prep, line, width, style.align, last=(k == len(lines) - 1), paint=paint)
        for k, line in enumerate(lines)
    )
    return Composed(prep, set_lines, missing)


def _break(prep: Prepared, width: float, composer: str) -> tuple[Line, ...]:
    """Total-fit when asked and possible; first-fit otherwise (and as the fallback)."""
    if composer == "total-fit":
        lines = break_total_fit(prep, width)
        if lines is not None:
            return lines
    return break_lines(prep, width)


#: Steps of the search for the narrowest measure that keeps a heading's line count.
BALANCE_SEARCH_STEPS = 12


def compose_balanced(text: str, style: ParagraphStyle, width: float, resolve: Resolver) -> Composed:
    """A heading broken into lines of even length (like CSS ``text-wrap: balance``).

    Greedy breaking of a centred two-line heading can leave one character alone on the
    second line (落实普法工作责 / 任).  The narrowest measure that still gives the same
    number of lines is found by bisection; lines are broken at it and set at ``width``.
    Kept like :func:`compose_paragraph`.
    """
    return _kept("balanced", (text, style, width), resolve, lambda: _compose_balanced(text, style, width, resolve))


def _compose_balanced(text: str, style: ParagraphStyle, width: float, resolve: Resolver) -> Composed:
    prep, missing = _prepare(text, style, width, resolve)
    count = len(break_lines(prep, width)) if len(prep) else 0
    if count < 2 or style.align == "justify":
        return _set(prep, missing, style, width, width)
    low, high = width / count * 0.5, width
    for _ in range(BALANCE_SEARCH_STEPS):  # only breaking here: setting comes once, at the end
        middle = (low + high) / 2
        if len(break_lines(prep, middle)) <= count:
            high = middle
        else:
            low = middle
    return _set(prep, missing, style, width, high if len(break_lines(prep, high)) == count else width)
