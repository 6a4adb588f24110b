"""转版: an article that begins on one page of an edition and goes on on a later one.

An article's ``jump: ID`` names a ``type: continuation`` block on a later page.  On the
first page the article keeps the last line of its last text column for 下转第N版 and
fills every line above it; what does not fit is its :class:`Rest`: the text from the
first character not set, as paragraphs (the first possibly cut at a line start) with
the inserts not yet set.  On the continuation's page the rest is set as an article of
its own (:func:`continuation_article`): a repeated short title, then 上接第M版 as the
first line of the text, the cut paragraph going on without an indent.

The links are known from the manifest before any page is laid out
(:func:`link_jumps`), so each page knows the page numbers its jump lines name; the rest
is known only once the first page is laid out, so an edition is laid out in waves
(:func:`jump_waves`): pages that receive no text first, then the pages whose sources are
done.  A page laid out on its own (:func:`alone_jumps`) keeps the line for 下转 but
cannot place what goes on: it says so, with the lines and characters, and never drops
them silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

from layout.problems import Problem, ProblemKind
from layout.spec.data import Article, Continuation, Insert, PageSpec, StyleOverride
from layout.units import SIZE_NAMES

#: 下转 / 上接 lines (CLREQ has no rule for them; newspapers set them in brackets, 楷体,
#: the page as 第N版).  ``?``: the page is not known (a page laid out on its own).
JUMP_OUT_TEXT = "（下转第{page}版）"
JUMP_IN_TEXT = "（上接第{page}版）"
UNKNOWN_PAGE = "?"
#: A continuation's repeated short title (短题) is smaller than a first page's title: 小二.
CONTINUATION_TITLE_SIZE = "小二"


class JumpStatus(StrEnum):
    """Where an article's ``jump:`` leads."""

    RESOLVED = "resolved"  # a continuation on a later page of the edition
    MISSING = "missing"  # no continuation of that id in the edition
    BACKWARD = "backward"  # a continuation on the same or an earlier page
    TAKEN = "taken"  # another article (earlier in the edition) already jumps into it
    ALONE = "alone"  # a page laid out on its own: the continuation is elsewhere


class JumpRef(NamedTuple):
    """The other part of a jumped article: its page and block id."""

    page: int | None
    block: str


@dataclass(frozen=True, slots=True)
class JumpTarget:
    """Where a jumping article's text goes on."""

    continuation: str
    status: JumpStatus
    page: int | None = None  # the continuation's page number (版次), when in the edition
    name: str | None = None  # its page name (版名)


@dataclass(frozen=True, slots=True)
class Rest:
    """The text of a jumped article that did not fit its first frame, in reading order."""

    article: str  # the article's id
    continuation: str  # where it goes on
    paragraphs: tuple[str, ...]  # body chunks (a subhead as "## text"); the first may be cut
    skip: int  # characters of paragraphs[0] (its plain text, markup removed) set on the first page
    inserts: tuple[Insert, ...]  # inserts not set, their ``at`` counted in ``paragraphs``
    chars: int  # characters that go on (as the first page counted them)
    estimated: bool = False  # part of it was only estimated (a body far past any frame)


@dataclass(frozen=True, slots=True)
class JumpSource:
    """Where a continuation's text comes from."""

    article: Article  # the article as its first page has it (title, styles)
    page: int  # its page number (版次)
    name: str  # its page name
    rest: Rest | None = None  # known once the first page is laid out; None: nothing went on


@dataclass(frozen=True, slots=True)
class PageJumps:
    """The jumps of one page: out of its articles, into its continuations."""

    out: dict[str, JumpTarget] = field(default_factory=dict)  # article id -> where it goes on
    into: dict[str, JumpSource] = field(default_factory=dict)  # continuation id -> its source
    conflicts: frozenset[str] = frozenset()  # continuation ids already used on an earlier page
    alone: bool = False  # the page is laid out on its own


@dataclass(frozen=True, slots=True)
class JumpPlan:
    """What :func:`layout.article.lay_out_article` does for a jump."""

    out: str | None = None  # 下转 line: keep the frame's last line for it; what does not fit is the rest
    into: str | None = None  # 上接 line: the first line of the text
    skip: int = 0  # characters of the first paragraph already set on the earlier page
    continuation: str = ""  # where the rest goes on (its id)
    placed: bool = True  # the rest is placed on another page (False: on its own, it is only counted)


def out_text(page: int | None) -> str:
    return JUMP_OUT_TEXT.format(page=page if page is not None else UNKNOWN_PAGE)


def in_text(page: int | None) -> str:
    return JUMP_IN_TEXT.format(page=page if page is not None else UNKNOWN_PAGE)


@dataclass(frozen=True, slots=True)
class PageEntry:
    """A page of an edition as :func:`link_jumps` sees it (None: its spec has errors)."""

    number: int
    name: str
    spec: PageSpec | None


def link_jumps(pages: Sequence[PageEntry]) -> list[PageJumps]:
    """Each page's jumps, from the edition's pages in print order.

    A continuation id belongs to the first page that has it; an article's jump is
    resolved when that page comes later in print order and no earlier article took it.
    """
    where: dict[str, int] = {}  # continuation id -> index of its page
    conflicts: list[set[str]] = [set() for _ in pages]
    for k, page in enumerate(pages):
        for block in _blocks(page, Continuation):
            if block.id in where:
                conflicts[k].add(block.id)
            else:
                where[block.id] = k
    out: list[dict[str, JumpTarget]] = [{} for _ in pages]
    into: list[dict[str, JumpSource]] = [{} for _ in pages]
    for k, page in enumerate(pages):
        for article in _blocks(page, Article):
            if article.jump is None:
                continue
            target = where.get(article.jump)
            if target is None:
                out[k][article.id] = JumpTarget(article.jump, JumpStatus.MISSING)
                continue
            there = pages[target]
            if target <= k:
                status = JumpStatus.BACKWARD
            elif article.jump in into[target]:
                status = JumpStatus.TAKEN
            else:
                status = JumpStatus.RESOLVED
                into[target][article.jump] = JumpSource(article, page.number, page.name)
            out[k][article.id] = JumpTarget(article.jump, status, there.number, there.name)
    return [PageJumps(o, i, frozenset(c)) for o, i, c in zip(out, into, conflicts, strict=True)]


def alone_jumps(spec: PageSpec) -> PageJumps:
    """A page on its own: its jumps lead elsewhere, unless to a continuation on this very
    page (backward: a jump goes to a later page)."""
    here = {b.id for b in spec.blocks if isinstance(b, Continuation)}
    out = {a.id: JumpTarget(a.jump, JumpStatus.BACKWARD if a.jump in here else JumpStatus.ALONE)
           for a in spec.blocks if isinstance(a, Article) and a.jump is not None}
    return PageJumps(out, {}, frozenset(), alone=True)


def jump_waves(jumps: Sequence[PageJumps], numbers: Sequence[int]) -> list[int]:
    """Each page's wave: 0 for a page that receives no text, else one more than the
    latest wave of the pages its continuations' text comes from (always earlier pages)."""
    index = {number: k for k, number in enumerate(numbers)}
    waves: list[int] = []
    for page in jumps:
        sources = [index[s.page] for s in page.into.values()]
        waves.append(1 + max(waves[k] for k in sources) if sources else 0)
    return waves


def with_rests(jumps: PageJumps, rests: dict[str, Rest]) -> PageJumps:
    """A page's jumps with the rests its continuations receive, as their first pages set them."""
    into = {cid: replace(source, rest=rests.get(cid)) for cid, source in jumps.into.items()}
    return replace(jumps, into=into)


def continuation_article(block: Continuation, source: JumpSource, rest: Rest) -> Article:
    """The continuation set as an article: the repeated short title (the block's, else
    the article's title) over the rest of the text; the article's style overrides under
    the block's own, the title at :data:`CONTINUATION_TITLE_SIZE` unless one says otherwise."""
    styles = dict(source.article.styles)
    short = StyleOverride(None, None, SIZE_NAMES[CONTINUATION_TITLE_SIZE], None, None, None, None, None, None)
    styles.update(block.styles)
    own = block.styles.get("title")
    # the short title's size unless the block gives one (a first page's big title size is not for it)
    styles["title"] = short if own is None else replace(own, size=own.size if own.size is not None else short.size)
    return Article(
        type="article", id=block.id, frame=block.frame, columns=block.columns, kicker=None,
        title=block.title or source.article.title, subtitle=None, byline=None, body=list(rest.paragraphs),
        styles=styles, inserts=list(rest.inserts), rule=block.rule,
    )


def _blocks(page: PageEntry, kind: type) -> list:  # type: ignore[type-arg]
    return [b for b in page.spec.blocks if isinstance(b, kind)] if page.spec is not None else []


# --- problems -------------------------------------------------------------------------


def target_problem(article: Article, target: JumpTarget, page: int | None) -> Problem | None:
    """What is wrong with where an article's jump leads (None: nothing)."""
    cid = target.continuation
    if target.status is JumpStatus.MISSING:
        return Problem(ProblemKind.JUMP_CONTINUATION_MISSING,
                       f"article {article.id}: jump: {cid!r} is not a continuation on any page of the edition; "
                       "the text that does not fit is over", article.id, {"continuation": cid},
                       message_zh=f"稿件 {article.id}：转版所指的 {cid!r} 不是本期任何一版上的接续版块；排不下的文字超出")
    if target.status is JumpStatus.BACKWARD:
        there = f"page {target.page}" if target.page is not None else "this page"
        there_zh = f"第{target.page}版" if target.page is not None else "本版"
        return Problem(ProblemKind.JUMP_BACKWARD,
                       f"article {article.id}: jump: continuation {cid!r} is on {there}, not after page "
                       f"{page if page is not None else '(this one)'}; a jump goes to a later page (the text that does "
                       "not fit is over)", article.id, {"continuation": cid, "page": target.page},
                       message_zh=f"稿件 {article.id}：接续版块 {cid!r} 在{there_zh}，不在本版之后；"
                                  "转版只能转往后面的版（排不下的文字超出）")
    if target.status is JumpStatus.TAKEN:
        return Problem(ProblemKind.JUMP_CONFLICT,
                       f"article {article.id}: continuation {cid!r} is already taken by an earlier article's jump; "
                       "the text that does not fit is over", article.id, {"continuation": cid},
                       message_zh=f"稿件 {article.id}：接续版块 {cid!r} 已被前面的稿件转入；排不下的文字超出")
    return None


def unresolved_problem(article_id: str, continuation: str, lines: int, chars: int) -> Problem:
    return Problem(ProblemKind.JUMP_UNRESOLVED,
                   f"article {article_id}: {lines} line{'s' if lines != 1 else ''} (about {chars} characters) go on "
                   f"in continuation {continuation!r} on another page; check the edition to see them placed",
                   article_id, {"continuation": continuation, "lines_over": lines, "chars_over": chars},
                   message_zh=f"稿件 {article_id}：{lines} 行（约 {chars} 字）转至他版的接续版块 {continuation!r}；"
                              "请检查整期以确认其排入")


def unneeded_problem(article_id: str, continuation: str) -> Problem:
    return Problem(ProblemKind.JUMP_UNNEEDED,
                   f"article {article_id}: fits its frame; nothing goes on in continuation {continuation!r} "
                   "(remove the jump, or the continuation stays empty)", article_id, {"continuation": continuation},
                   message_zh=f"稿件 {article_id}：本版已排完，无文字转入接续版块 {continuation!r}（请删去转版，否则接续版块为空）")


def conflict_problem(block: Continuation) -> Problem:
    return Problem(ProblemKind.JUMP_CONFLICT,
                   f"continuation {block.id}: an earlier page has a continuation of the same id; this one stays empty",
                   block.id, {"continuation": block.id},
                   message_zh=f"转版接续 {block.id}：前面的版已有同一 id 的接续版块；本版块为空")


def empty_problem(block: Continuation, source: JumpSource | None) -> Problem:
    why = (f"article {source.article.id} (page {source.page}) fits on its page" if source is not None
           else "no article of the edition jumps here (from an earlier page)")
    why_zh = (f"稿件 {source.article.id}（第{source.page}版）已在原版排完" if source is not None
              else "本期没有稿件从前面的版转到这里")
    return Problem(ProblemKind.CONTINUATION_EMPTY, f"continuation {block.id}: {why}; the frame stays empty",
                   block.id, {"article": source.article.id if source is not None else None},
                   message_zh=f"转版接续 {block.id}：{why_zh}；版块为空")


def alone_problem(block: Continuation) -> Problem:
    return Problem(ProblemKind.CONTINUATION_ALONE,
                   f"continuation {block.id}: its text comes from an earlier page of the edition; check or render "
                   "the edition to see it", block.id, {}, severity="note",
                   message_zh=f"转版接续 {block.id}：其文字来自前面的版；请检查或输出整期以查看")


def overflow_problem(block_id: str, source: JumpSource, lines: int, chars: int) -> Problem:
    return Problem(ProblemKind.CONTINUATION_OVERFLOW,
                   f"continuation {block_id} (article {source.article.id} from page {source.page}): {lines} "
                   f"line{'s' if lines != 1 else ''} (about {chars} characters) do not fit",
                   block_id, {"article": source.article.id, "lines_over": lines, "chars_over": chars},
                   message_zh=f"转版接续 {block_id}（第{source.page}版稿件 {source.article.id}）：超出 {lines} 行"
                              f"（约 {chars} 字），需删减或加大版块")


def text_lost_problem(block_id: str, source: JumpSource, sent: int, received: int) -> Problem:
    return Problem(ProblemKind.JUMP_TEXT_LOST,
                   f"continuation {block_id}: article {source.article.id} sent {sent} characters from page "
                   f"{source.page}, {received} arrived", block_id,
                   {"article": source.article.id, "sent": sent, "received": received},
                   message_zh=f"转版接续 {block_id}：第{source.page}版稿件 {source.article.id} 转出 {sent} 字，"
                              f"收到 {received} 字")
