"""A body paragraph with inline character styles (``layout/text/markup.py``): spans in
黑体 or 楷体 are measured in their own faces, so the line breaker's widths and line
counts are exact; coloured spans and emphasis dots are carried to the set lines.

A paragraph without markup is composed exactly as before, by ``compose_paragraph``;
one with markup is kept (memo and disk) and set by that module's own ``_kept`` and ``_set``.
"""

from __future__ import annotations

from collections.abc import Callable

from layout.compose.oversize import split_oversize
from layout.compose.paragraph import Composed, ParagraphStyle, _kept, _set, compose_paragraph
from layout.compose.prepare import prepare
from layout.text.markup import PLAIN, InlineFamily, InlineStyle, Span, has_markup, parse_inline, plain_text
from layout.text.measure import MeasuredAtom, Resolver, measure_mixed
from layout.text.segment import Atom, segment

#: The resolver of a family at the paragraph's weight (``LayoutContext.families``).
FamilyResolver = Callable[[InlineFamily], Resolver]


def compose_marked(text: str, style: ParagraphStyle, width: float, resolve: Resolver,
                   family: FamilyResolver, skip: int = 0) -> Composed:
    """Set ``text``, which may hold inline markup, in lines of ``width`` points.

    ``skip``: characters of its plain text (markup removed) to leave out at the start —
    the part of a paragraph set on an earlier page (转版, ``layout/jump.py``); they end
    at a line start there, so the rest segments as it did.  Kept like
    :func:`~layout.compose.paragraph.compose_paragraph`, under the text as typed
    (markup included), the skip and the fonts' identity.
    """
    if not has_markup(text):
        return compose_paragraph(text[skip:], style, width, resolve)
    spans = parse_inline(text)
    if all(span.style == PLAIN for span in spans):  # stray marks only: plain text
        return compose_paragraph(plain_text(spans)[skip:], style, width, resolve)
    key = (text, style, width, skip) if skip else (text, style, width)
    return _kept("styled", key, resolve,
                 lambda: _compose_styled(cut_spans(spans, skip), style, width, resolve, family))


def cut_spans(spans: tuple[Span, ...], skip: int) -> tuple[Span, ...]:
    """The spans without the first ``skip`` characters of their text."""
    out: list[Span] = []
    for span in spans:
        if skip >= len(span.text):
            skip -= len(span.text)
            continue
        out.append(Span(span.text[skip:], span.style) if skip else span)
        skip = 0
    return tuple(out)


def atom_styles(spans: tuple[Span, ...]) -> tuple[tuple[Atom, InlineStyle], ...]:
    """The paragraph's atoms (segmented as one text, so that no word or number is cut
    at a style change), each with the style of the span its first character is in."""
    text = plain_text(spans)
    starts: list[tuple[int, InlineStyle]] = []
    offset = 0
    for span in spans:
        starts.append((offset, span.style))
        offset += len(span.text)
    out: list[tuple[Atom, InlineStyle]] = []
    position = k = 0
    for atom in segment(text):
        while k + 1 < len(starts) and starts[k + 1][0] <= position:
            k += 1
        out.append((atom, starts[k][1]))
        position += len(atom.text)
    return tuple(out)


def _compose_styled(spans: tuple[Span, ...], style: ParagraphStyle, width: float, resolve: Resolver,
                    family: FamilyResolver) -> Composed:
    pairs = atom_styles(spans)
    atoms = tuple(atom for atom, _ in pairs)
    styles = [inline for _, inline in pairs]
    resolvers = [resolve if s.family is None else family(s.family) for s in styles]
    measured = measure_mixed(atoms, style.size, resolvers, style.config.style.half_mid)
    fitted: list[MeasuredAtom] = []
    paint: list[InlineStyle] = []
    for index, atom in enumerate(measured.atoms):
        # an atom wider than the measure is cut in its own face (A4); the next atom is
        # passed along so that a closing mark after it keeps a line to end
        pieces: tuple[MeasuredAtom, ...] = (atom,)
        if _oversize(atom, width):
            following = measured.atoms[index + 1:index + 2]
            if following and _oversize(following[0], width):
                following = ()  # cut on its own turn
            pieces = split_oversize((atom, *following), width, resolvers[index])
            pieces = pieces[:-1] if following else pieces
        fitted.extend(pieces)
        paint.extend([styles[index]] * len(pieces))
    prep = prepare(tuple(fitted), style.config)
    return _set(prep, measured.missing, style, width, width, tuple(paint))


def _oversize(atom: MeasuredAtom, width: float) -> bool:
    return atom.width > width and len(atom.text) > 1
