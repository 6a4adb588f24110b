"""The markdown-it parser of inline character styles (``layout/text/markup.py``):
only the ``text`` and ``escape`` rules, attribute spans (mdit-py-plugins), and ``*`` /
``==`` delimiters with a CJK-friendly flanking rule.

Imported only when a paragraph may hold markup: markdown-it costs 35 ms to import.
``PARSER`` is a constant, configured once at import; a parse keeps no state in it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter, Scanned
from mdit_py_plugins.attrs import attrs_plugin


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("zero")  # no block rules but "paragraph"; inline: "text" only
    md.disable("normalize")  # keep the text byte for byte (it would rewrite NUL and CR)
    attrs_plugin(md, spans=True, after=())
    # the plugin's span rule, wrapped (Ruler has no public getter; the literal fallback of
    # unknown spans in tests/test_inline_styles.py fails if this stops working)
    span_rule = md.inline.ruler.__rules__[md.inline.ruler.__find__("span")].fn
    md.inline.ruler.at("span", _keep_source(span_rule))
    md.inline.ruler.after("text", "paiban_delimiters", _delimiters)  # ``*`` and ``==``
    md.inline.ruler2.before("fragments_join", "paiban_mark", _mark_pairs)
    md.enable(["balance_pairs", "emphasis", "span", "escape"])  # a backslash keeps a mark literal (5\\*3)
    md.inline.ruler.disable("emphasis")  # its ``*`` and ``_`` scanning; its pairing (ruler2) stays
    return md


def _keep_source(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """The attribute span rule, noting the span's source on its opening token (a span
    that is not understood is kept as typed)."""

    def span(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type == "span_open":
                    token.meta["source"] = state.src[start:state.pos]
                    break
        return True

    return span


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _scan(state: StateInline, start: int) -> Scanned:
    """markdown-it's delimiter scan, CJK-friendly next to wide characters (see the module)."""
    scanned = state.scanDelims(start, True)
    end = start + scanned.length
    last = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    if not (_wide(last) or _wide(after)):
        return scanned

    def punct(char: str) -> bool:
        return isMdAsciiPunct(ord(char)) or isPunctChar(char)

    last_space, after_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
    left = not after_space and (not (punct(after) and not _wide(after)) or last_space or punct(last) or _wide(last))
    right = not last_space and (not (punct(last) and not _wide(last)) or after_space or punct(after) or _wide(after))
    return type(scanned)(left, right, scanned.length)


def _delimiters(state: StateInline, silent: bool) -> bool:
    """``*`` runs (emphasis, paired by markdown-it's own rule) and ``==`` (着重号)."""
    marker = state.src[state.pos]
    if silent or marker not in ("*", "="):
        return False
    scanned = _scan(state, state.pos)
    if marker == "=" and scanned.length != 2:
        if scanned.length < 2:
            return False
        token = state.push("text", "", 0)  # ``===`` and longer are text
        token.content = marker * scanned.length
        state.pos += scanned.length
        return True
    pieces = (marker * 2,) if marker == "=" else (marker,) * scanned.length
    for piece in pieces:
        token = state.push("text", "", 0)
        token.content = piece
        state.delimiters.append(Delimiter(
            marker=ord(marker), length=0 if marker == "=" else scanned.length, token=len(state.tokens) - 1,
            end=-1, open=scanned.can_open, close=scanned.can_close))
    state.pos += scanned.length
    return True


def _mark_pairs(state: StateInline) -> None:
    """Paired ``==`` delimiters become mark_open / mark_close (after ``balance_pairs``)."""
    lists = [state.delimiters, *(meta["delimiters"] for meta in state.tokens_meta if meta and "delimiters" in meta)]
    for delimiters in lists:
        for delim in delimiters:
            if delim.marker != ord("=") or delim.end == -1:
                continue
            for index, kind, nesting in ((delim.token, "mark_open", 1), (delimiters[delim.end].token, "mark_close", -1)):
                token = state.tokens[index]
                token.type, token.tag, token.nesting, token.markup, token.content = kind, "mark", nesting, "==", ""


PARSER = _build_parser()
