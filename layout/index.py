"""The front-page index (导读): a boxed slot listing articles with the page each is on.

Each entry is one paragraph, ``■teaser（2版·茂南新闻）``: the entry's teaser or else the
article's title, then the page number (版次) and the page name (版名) in full-width
brackets, set in body style on the grid like an ear's text (``layout/masthead.py``).
The pages come from the edition's manifest before the page is laid out
(``LoadedSpec.articles``, ``layout/spec/manifest.py``), so the index is set in one pass;
a spec laid out on its own resolves only its own articles, to its own folio.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from layout.context import LayoutContext
from layout.masthead import lay_out_text_slot, slot_frame
from layout.problems import Problem, ProblemKind
from layout.spec.data import Article, Index, PageSpec
from layout.spec.load import PageRef
from layout.supplied import SlotLayout, Who


def page_articles(spec: PageSpec) -> dict[str, PageRef]:
    """A spec on its own: its articles, on the page its folio names (number and name, if any)."""
    folio = spec.header.folio if spec.header is not None else None
    number = folio.page if folio is not None else None
    name = folio.section if folio is not None else None
    return {b.id: PageRef(number, name, b.title) for b in spec.blocks if isinstance(b, Article)}


def where_text(ref: PageRef) -> str:
    """``（2版·茂南新闻）``, ``（2版）`` without a page name, ``（本版）`` without a number."""
    number = f"{ref.number}版" if ref.number is not None else "本版"
    return f"（{number}·{ref.name}）" if ref.name else f"（{number}）"


def lay_out_index(block: Index, ctx: LayoutContext, articles: Mapping[str, PageRef]) -> SlotLayout:
    who = Who(block.id, "index", "导读")
    texts: list[str] = []
    missing: list[Problem] = []
    for k, entry in enumerate(block.entries):
        ref = articles.get(entry.article)
        if ref is None:
            missing.append(_missing(block, k, entry.article))
            continue
        text = _one_line(entry.teaser or ref.title or entry.article)
        texts.append(f"{block.marker}{text}{where_text(ref)}")
    slot = lay_out_text_slot(who, slot_frame(block, ctx), block.title, texts, block.border, ctx)
    return SlotLayout(slot.id, slot.frame, slot.display, slot.result, tuple(missing) + slot.problems,
                      slot.chars_total, slot.chars_placed)


def _one_line(text: str) -> str:
    """Line breaks and runs of ASCII spaces as one space; a title's 　 (its phrase break) kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _missing(block: Index, k: int, article: str) -> Problem:
    return Problem(ProblemKind.INDEX_ARTICLE_MISSING,
                   f"index {block.id}: entries[{k}] names article {article!r}, which is not in the edition "
                   "(or not on this page, for a page on its own); the entry is left out",
                   block.id, {"entry": k, "article": article},
                   message_zh=f"导读 {block.id}：entries[{k}] 所指的稿件 {article!r} 不在本期报纸"
                              "（单独一版时：不在本版）上，该条目未排")
