"""Inline character styles in body text: a few Markdown-like constructs, parsed with
markdown-it-py (plus mdit-py-plugins' attribute spans), and nothing else.

=====================  ========================================================
markup                 what it sets
=====================  ========================================================
``**本报讯**``           黑体 (the ``hei`` family)
``*楷体段落*``           楷体 (the ``kai`` family)
``==着重==``             着重号: an emphasis dot under each character
``[文字]{.red}``         套红: 100 % M + 100 % Y
``[文字]{color="0 100 100 0"}``  any CMYK colour, percent
``[文字]{.hei .red .dots}``      classes combine: .hei .kai .song .red .dots
=====================  ========================================================

Editors type it, so it is forgiving: markup that is not closed, a span with a class or
attribute it does not know, a colour it cannot read, all stay literal text, exactly as
typed; nothing here raises.  Only these constructs are recognised, and a backslash
before a mark keeps it literal (``5\\*3``): no block rules (``#``, ``>``, ``1.`` stay
text), no links, no ``_`` emphasis, no entities, no HTML, so a body without markup reads
exactly as it did (a paragraph without ``*``, ``==`` or ``]{`` is not even parsed).

Emphasis next to Chinese text: CommonMark's flanking rules treat full-width punctuation
as punctuation and so refuse ``**“引语”**后文``; a delimiter run next to a wide
(East Asian W/F) character is classified by the CJK-friendly rule instead (a wide
character on the outside allows a delimiter as punctuation does, a wide mark on the
inside does not block it).  mdit-py-plugins has no ``==mark==`` rule; ``==`` is a
delimiter of markdown-it's own pairing machinery (``balance_pairs``), like ``~~``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

CMYK = tuple[float, float, float, float]

#: 套红: the spot red of Chinese newspapers in process colours (100 % M, 100 % Y).
RED: CMYK = (0.0, 100.0, 100.0, 0.0)
#: Paragraphs longer than this (characters) are not parsed for markup: no real
#: paragraph is this long, and a pasted wire file stays linear in time.
MAX_MARKUP_CHARS = 20_000
#: Substrings without which a paragraph holds no markup (it is then not parsed at all).
_TRIGGERS = ("*", "==", "]{")


class InlineFamily(StrEnum):
    """Families a span may switch to (built-in family names, ``layout/fontdb.py``)."""

    SONG = "song"
    HEI = "hei"
    KAI = "kai"


@dataclass(frozen=True, slots=True)
class InlineStyle:
    """How a span differs from its paragraph; ``None`` keeps the paragraph's own."""

    family: InlineFamily | None = None
    color: CMYK | None = None
    dots: bool = False  # 着重号 under each character


PLAIN = InlineStyle()


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    style: InlineStyle


#: Classes of an attribute span and what each changes.
_CLASSES: dict[str, Callable[[InlineStyle], InlineStyle]] = {
    "hei": lambda s: replace(s, family=InlineFamily.HEI),
    "kai": lambda s: replace(s, family=InlineFamily.KAI),
    "song": lambda s: replace(s, family=InlineFamily.SONG),
    "red": lambda s: replace(s, color=RED),
    "dots": lambda s: replace(s, dots=True),
}
#: Delimiter tokens → the style inside them.
_OPENERS: dict[str, Callable[[InlineStyle], InlineStyle]] = {
    "strong_open": _CLASSES["hei"],
    "em_open": _CLASSES["kai"],
    "mark_open": _CLASSES["dots"],
}
_CLOSERS = frozenset({"strong_close", "em_close", "mark_close", "span_close"})


def has_markup(text: str) -> bool:
    """Whether ``text`` may hold markup (cheap; a paragraph without it is never parsed)."""
    return len(text) <= MAX_MARKUP_CHARS and any(t in text for t in _TRIGGERS)


def parse_inline(text: str) -> tuple[Span, ...]:
    """``text`` as spans of one style each, in order; their texts join to ``text`` minus
    the markup that was understood (markup that was not stays as typed)."""
    if not has_markup(text):
        return (Span(text, PLAIN),) if text else ()
    from layout.text.markup_parser import PARSER  # markdown-it costs 35 ms to import: only when needed

    root = PARSER.parseInline(text)
    tokens = root[0].children or [] if root else []
    return _spans(tokens)


def plain_text(spans: Sequence[Span]) -> str:
    return "".join(span.text for span in spans)


def _spans(tokens: Sequence[Token]) -> tuple[Span, ...]:
    out: list[Span] = []
    stack = [PLAIN]
    skip = 0  # depth inside a span that is kept literally

    def add(text: str, style: InlineStyle) -> None:
        if not text:
            return
        if out and out[-1].style == style:
            out[-1] = Span(out[-1].text + text, style)
        else:
            out.append(Span(text, style))

    for token in tokens:
        if skip:
            skip += token.nesting
            continue
        if token.type == "span_open":
            style = _span_style(token, stack[-1])
            if style is None:  # not understood: the whole span as typed
                add(str(token.meta.get("source", "")), stack[-1])
                skip = 1
                continue
            stack.append(style)
        elif token.type in _OPENERS:
            stack.append(_OPENERS[token.type](stack[-1]))
        elif token.type in _CLOSERS:
            if len(stack) > 1:
                stack.pop()
        else:  # text; every other rule is off
            add(token.content, stack[-1])
    return tuple(out)


def _span_style(token: Token, outer: InlineStyle) -> InlineStyle | None:
    """The style of an attribute span, or None when any of its attributes is unknown."""
    style = outer
    for name, value in token.attrs.items():
        if name == "class":
            for cls in str(value).split():
                change = _CLASSES.get(cls)
                if change is None:
                    return None
                style = change(style)
        elif name == "color":
            color = parse_cmyk(str(value))
            if color is None:
                return None
            style = replace(style, color=color)
        else:
            return None
    return style if token.attrs else None


def parse_cmyk(value: str) -> CMYK | None:
    """``"0 100 100 0"`` or ``"0,100,100,0"`` (percent) as a colour; None if it is not one."""
    parts = value.replace(",", " ").split()
    if len(parts) != 4:
        return None
    try:
        numbers = tuple(float(p) for p in parts)
    except ValueError:
        return None
    if not all(0.0 <= n <= 100.0 for n in numbers):  # also refuses nan
        return None
    return numbers  # type: ignore[return-value]
