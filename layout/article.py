"""Lay out one article: headline group, body flowed into balanced columns, overflow."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from layout.compose.headline import HeadlineBlock
from layout.compose.paragraph import Composed, ParagraphStyle, compose_balanced, compose_paragraph
from layout.compose.styled import compose_marked
from layout.compose.vertical import VerticalHeadline
from layout.context import LayoutContext
from layout.decor import article_inset, decor_over, decor_under, headline_colour, tint_problems
from layout.display import CMYK, DisplayItem, GlyphRun, baseline_in_box, line_dots, line_runs
from layout.flow.around import Spanning, distribute_around
from layout.flow.balance import Distribution, FlowItem, Placement, distribute
from layout.flow.collect import SUBHEAD_MARK, Paragraph, split_body
from layout.geometry.grid import PageGrid, Rect
from layout.geometry.regions import Hole, TextColumn, text_columns
from layout.headforms import decor_over_inset, draw_under, is_inset, plan_headline
from layout.insert import SetInsert, draw_insert, resolve, set_insert
from layout.jump import JumpPlan, JumpRef, Rest, unneeded_problem, unresolved_problem
from layout.problems import (
    BlockResult,
    Problem,
    ProblemKind,
    missing_glyph_problems,
    overflow_problem,
    role_zh,
    underfull_problem,
)
from layout.spec.data import Article, FitAdjustment, PageRules
from layout.spec.styles import TextStyle
from layout.units import EPS
from layout.vertical import is_vertical, lay_out_vertical

#: Space a subhead gets around its text mid-column, in grid lines (a one-line subhead
#: then takes two lines, 占两行, its text centred); dropped at a column top.
SUBHEAD_SPACE_LINES = 1
#: An article whose balanced text ends more than this many lines above its frame bottom
#: is underfull (开天窗: a hole in the page).
UNDERFULL_SLACK_LINES = 1


@dataclass(frozen=True, slots=True)
class BodyLine:
    composed: Composed
    index: int  # line index within the paragraph
    paragraph: int = -1  # the paragraph's number in the body (subheads count)


@dataclass(frozen=True, slots=True)
class SubheadBox:
    composed: Composed
    style: TextStyle
    paragraph: int = -1  # its number in the body


@dataclass(frozen=True, slots=True)
class JumpLine:
    """A flow item's payload: 上接第M版 at the head of a continuation's text (``layout/jump.py``)."""

    composed: Composed
    style: TextStyle


@dataclass(frozen=True, slots=True)
class RestFrom:
    """The payload of the item standing for text not composed (far past the frame):
    where that text starts, paragraph and character of its text as typed."""

    paragraph: int
    offset: int = 0


class TextRole(StrEnum):
    """What a piece of an article's text is (the headline roles keep their style names)."""

    KICKER = "kicker"
    TITLE = "title"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    LABEL = "label"  # a column label (栏目名)
    BODY = "body"
    SUBHEAD = "subhead"
    INSERT = "insert"  # 编者按, 相关链接, 引语 … set in the flow
    JUMP = "jump"  # 下转第N版 / 上接第M版 (转版)


@dataclass(frozen=True, slots=True)
class TextPiece:
    """The display items of one piece of an article's text, by role, in reading order:
    what an export reads to find an article's areas and text (the e-paper's clickable
    areas) without guessing from glyph sizes.  The items are those of the display list."""

    role: TextRole
    items: tuple[DisplayItem, ...]
    column: int = -1  # in the flow: the text column (index into ``columns``); -1: headline, or across the frame
    line: int = 0  # in the flow: its first grid line (page numbering); 0 outside the flow
    lines: int = 0  # in the flow: grid lines it takes
    paragraph: int = -1  # body lines of one paragraph share this number; -1: not a body paragraph


@dataclass(frozen=True, slots=True)
class ArticleLayout:
    id: str
    frame: Rect  # resolved (auto height filled in)
    columns: tuple[TextColumn, ...]
    headline_lines: int
    distribution: Distribution
    display: tuple[DisplayItem, ...]
    result: BlockResult
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int
    pieces: tuple[TextPiece, ...] = ()  # its text by role, in reading order
    rest: Rest | None = None  # 转版: the text that goes on on a later page
    jump_to: JumpRef | None = None  # 转版: its continuation (page, continuation id)
    jump_from: JumpRef | None = None  # a continuation's article (page, article id)


def lay_out_article(article: Article, ctx: LayoutContext, holes: tuple[Hole, ...],
                    rules: PageRules | None = None, jump: JumpPlan | None = None) -> ArticleLayout:
    grid = ctx.grid
    frame_ref = article.frame
    auto = frame_ref.lines == "auto"
    max_lines = grid.n_lines - frame_ref.line + 1
    frame_lines = max_lines if auto else min(int(frame_ref.lines), max(max_lines, 1))
    span = min(frame_ref.span, grid.columns - frame_ref.column + 1)
    frame = grid.frame_rect(replace(frame_ref, span=max(span, 1)), lines=max(frame_lines, 1))
    inset = article_inset(article)  # a box or tint: whole grid lines above and below, a length at the sides
    inner = Rect(frame.x + inset.side, frame.y + inset.top * grid.pitch, frame.width - 2 * inset.side, frame.height)
    text_first = frame_ref.line + inset.top
    vertical, plan = None, None
    if is_vertical(article):  # 竖排标题: a strip beside the body, a hole in its text columns
        vertical = lay_out_vertical(article, ctx, inner, text_first, frame_ref.line + frame_lines - inset.bottom - text_first,
                                    headline_colour(article))
        holes = (*holes, vertical.strip.hole)
        headline: HeadlineBlock | VerticalHeadline = vertical.headline
        head_lines, head_holes, head_bottoms = 0, (), [vertical.strip.last]
        head_chars, head_problems = 0, list(vertical.problems)
    else:  # over the article (top), set into its text (inset, 文包题), with or without a label: layout/headforms.py
        plan = plan_headline(article, ctx, inner, text_first, frame_ref.line + frame_lines - 1 - inset.bottom)
        headline = plan.headline
        head_lines, head_holes, head_bottoms = plan.top_lines, plan.holes, list(plan.bottoms)
        head_chars, head_problems = plan.chars, list(plan.problems)
    body_first = text_first + head_lines
    body_lines = range(body_first, frame_ref.line + frame_lines - inset.bottom)
    columns = text_columns(inner, article.columns or frame_ref.span, grid.gutter, body_lines, holes + head_holes)
    room = sum(len(c.free) for c in columns)  # free lines down to the page bottom (auto) or frame bottom
    width = columns[0].width if columns else frame.width
    skip = jump.skip if jump is not None else 0
    lead = (_jump_line(jump.into, ctx, width, "left"),) if jump is not None and jump.into else ()
    spans: tuple[Spanning, ...] = ()
    never: tuple[FlowItem, ...] = ()  # inserts that can fit nowhere: out of the flow, over
    insert_notes: list[Problem] = []
    if article.inserts:  # 编者按, 相关链接, 引语 …: a separate path, so pages without inserts stay as they were
        at, insert_notes = _inserts_at(article, ctx, columns, width)
        at, never = _fitting(at, columns)
        items, missing = _body_items(article, ctx, width, room, at, skip)
        items = (*lead, *items)
        missing += [c for flow in at.values() for item in flow if isinstance(item.payload, InsertBox)
                    for c in item.payload.insert.missing]

        def flow(columns: tuple[TextColumn, ...]) -> tuple[Distribution, tuple[Spanning, ...]]:
            dist, spans = distribute_around(items, tuple(c.free for c in columns), _spans_frame)
            return (replace(dist, leftover=dist.leftover + never) if never else dist), spans
    else:
        items, missing = _body_items(article, ctx, width, room, skip=skip)
        items = (*lead, *items)

        def flow(columns: tuple[TextColumn, ...]) -> tuple[Distribution, tuple[Spanning, ...]]:
            return distribute(items, tuple(c.free for c in columns)), ()
    reserved: tuple[int, int] | None = None  # 下转: (text column, grid line) kept for the jump line
    jump_notes: list[Problem] = []
    if jump is not None and jump.out is not None and (kept := _keep_last_line(columns)) is not None:
        dist, spans = flow(kept[0])
        if dist.leftover:
            columns, reserved = kept
        else:  # it fits without going on: set as if it had no jump, and say so
            jump_notes.append(unneeded_problem(article.id, jump.continuation))
            dist, spans = flow(columns)
    else:
        dist, spans = flow(columns)
    rest = _rest(article, dist, jump) if reserved is not None and jump is not None else None
    if auto:
        # as tall as the balanced text, and never cutting through a photo inside the frame
        photo_bottoms = [h.last for h in holes if body_first <= h.first <= max(dist.ends, default=0)
                         and frame.x_overlaps(h.x0, h.x1)]
        jump_line = [reserved[1]] if reserved is not None else []
        last = max([*dist.ends, body_first - 1, *photo_bottoms, *head_bottoms, *jump_line]) + inset.bottom
        frame = Rect(frame.x, frame.y, frame.width, (last - frame_ref.line + 1) * grid.pitch)
    # the frame without the inset below: where the body may end (capacity, underfull)
    body_frame = Rect(frame.x, frame.y, frame.width, frame.height - inset.bottom * grid.pitch)
    pieces: list[TextPiece] = []
    body = _draw_flow(dist, spans, columns, ctx, pieces) if article.inserts else _draw_body(dist, columns, ctx, pieces)
    if reserved is not None and jump is not None and jump.out is not None:  # 下转第N版, on the line kept for it
        body += _draw_jump_out(jump.out, columns[reserved[0]], reserved, ctx, pieces)
    if vertical is not None:
        head_pieces = [TextPiece(TextRole(role), items) for role, items in vertical.elements]
        display = (decor_under(replace(article, band=None), frame, 0, grid.pitch) + vertical.display + body
                   + decor_over(article, frame, [(c.x, c.x + c.width) for c in columns], grid.line_y(body_first),
                                body_frame.bottom, rules or PageRules()))
    elif plan is not None and plan.label is None and not is_inset(article):  # the top headline as always
        assert isinstance(headline, HeadlineBlock)
        head_pieces = _headline_pieces(headline, inner, ctx, headline_colour(article))
        display = (decor_under(article, frame, headline.lines, grid.pitch)
                   + _flat(head_pieces) + body
                   + decor_over(article, frame, [(c.x, c.x + c.width) for c in columns], grid.line_y(body_first),
                                body_frame.bottom, rules or PageRules()))
    else:  # an inset headline, a label: see layout/headforms.py
        assert plan is not None and isinstance(headline, HeadlineBlock)
        under = decor_under(replace(article, band=None) if is_inset(article) else article, frame, plan.band_lines,
                            grid.pitch)
        over = decor_over_inset(article, frame, columns, grid.line_y(body_first), body_frame.bottom,
                                rules or PageRules(), plan, grid.pitch)
        beneath = draw_under(plan, article)
        head_pieces = [TextPiece(TextRole.LABEL, tuple(i for i in beneath if isinstance(i, GlyphRun)))]
        head_pieces += _headline_pieces(headline, plan.head_rect, ctx, headline_colour(article), plan.title_shift)
        display = under + beneath + _flat(head_pieces[1:]) + body + over
    if rest is None:
        problems = _problems(article, headline, dist, missing) + insert_notes + _insert_overflow(article, dist, columns)
    else:  # what does not fit goes on: over only when it cannot be placed (a page on its own)
        problems = _problems(article, headline, replace(dist, leftover=()), missing) + insert_notes
        if jump is not None and not jump.placed:
            problems.append(unresolved_problem(article.id, jump.continuation, dist.lines_over, dist.chars_over))
    problems += jump_notes + head_problems
    problems += tint_problems(article, ctx.styles["body"].color, ctx.press.ink_limit)
    if columns and columns[0].width < ctx.styles["body"].size:
        problems.append(Problem(
            ProblemKind.FRAME_TOO_NARROW,
            f"article {article.id}: {len(columns)} text columns of {max(columns[0].width, 0):.1f} pt are narrower "
            "than one character", article.id, {"column_width": round(columns[0].width, 2)},
            message_zh=f"稿件 {article.id}：{len(columns)} 栏每栏仅宽 {max(columns[0].width, 0):.1f} pt，比一个正文字还窄",
        ))
    bottom = _bottom_line(body_frame, grid)
    capacity = sum(sum(1 for line in c.free if auto is False or line <= bottom) for c in columns)
    spanned = sum(span.item.height for span in spans) * len(columns)  # a spanning insert takes its lines in every column
    result = _block_result(article.id, dist, capacity, body_frame, ctx, columns, spanned)
    if result.status == "underfull":
        problems.append(_underfull(article.id, dist, body_frame, ctx, columns))
    chars_total = sum(i.chars for i in (*items, *never)) + sum(e.chars for e in headline.elements) + head_chars
    chars_placed = chars_total - dist.chars_over
    if rest is not None and jump is not None and jump.placed:  # the rest is counted on the page it goes on
        chars_total = chars_placed = chars_total - rest.chars
        result = replace(result, status="ok", lines_needed=result.lines_needed - dist.lines_over)
    return ArticleLayout(
        article.id, frame, columns, head_lines, dist, display, result, tuple(problems), chars_total, chars_placed,
        tuple(p for p in (*head_pieces, *pieces) if p.items), rest,
    )


def _bottom_line(frame: Rect, grid: PageGrid) -> int:
    return round((frame.bottom - grid.type_area.y) / grid.pitch)


#: Lines composed past an article's capacity before the rest is only estimated: enough
#: for the balancer's choices near the frame's end, without composing a 5 MB body.
OVERFLOW_COMPOSE_MARGIN = 200


def _body_items(article: Article, ctx: LayoutContext, width: float, capacity: int,
                inserts_at: Mapping[int, Sequence[FlowItem]] | None = None,
                skip: int = 0) -> tuple[tuple[FlowItem, ...], list[str]]:
    """Flow items of the body; past ``capacity`` + a margin the rest is counted, not composed.

    A body far longer than its frame (pasted by mistake, or a whole wire file) must be
    reported within seconds: the text beyond what can matter is measured in characters
    and estimated in lines at the characters per line composed so far.  ``inserts_at``
    holds the items of inserts by the paragraph they stand before (after the last
    paragraph: its count); those past where composing stopped follow the estimated rest.
    ``skip``: characters of the first paragraph set on an earlier page (a continuation,
    ``layout/jump.py``): it goes on from there, without an indent.
    """
    pending = dict(inserts_at or {})
    body_style, sub_style = ctx.styles["body"], ctx.styles["subhead"]
    items: list[FlowItem] = []
    missing: list[str] = []
    budget = capacity + OVERFLOW_COMPOSE_MARGIN
    per_line = max(1, int(width / body_style.size))
    paragraphs = split_body(article.body)
    # grid lines of the items so far, kept up as items are added (summing all each time is quadratic)
    composed_lines = counted = 0
    for index, para in enumerate(paragraphs):
        items.extend(pending.pop(index, ()))
        composed_lines += sum(item.height for item in items[counted:])
        counted = len(items)
        if composed_lines >= budget:
            items.append(_estimated_rest(paragraphs[index:], items, per_line, RestFrom(index)))
            break
        room_chars = (budget - composed_lines) * per_line * 2
        going_on = index == 0 and skip > 0 and not para.subhead
        if len(para.text) > room_chars and not para.subhead and not going_on:
            para_text, rest = para.text[:room_chars], para.text[room_chars:]
        else:
            para_text, rest = para.text, ""
        if para.subhead:
            composed = compose_balanced(para.text, ctx.paragraph(sub_style), width, ctx.resolver(sub_style))
            text_lines = math.ceil(len(composed.lines) * sub_style.leading / ctx.grid.pitch - EPS)
            height = text_lines + SUBHEAD_SPACE_LINES
            # At a column top the space above a subhead is dropped: it takes its text lines only.
            items.append(FlowItem(height, composed.chars, True, SubheadBox(composed, sub_style, index), text_lines))
        else:
            composed = compose_marked(para_text, _fitted(ctx.paragraph(body_style, indent=not going_on), ctx.body_fit),
                                      width, ctx.resolver(body_style), ctx.families(body_style), skip if going_on else 0)
            count = len(composed.lines)
            items.extend(
                FlowItem(1, line.chars, False, BodyLine(composed, k, index), para_first=k == 0 and count > 1
                         and not going_on, para_last=k == count - 1 and count > 1)
                for k, line in enumerate(composed.lines)
            )
            if rest:
                items.append(_estimated_rest([Paragraph(rest, False), *paragraphs[index + 1:]], items, per_line,
                                             RestFrom(index, len(para_text))))
                missing.extend(composed.missing)
                break
        missing.extend(composed.missing)
    for index in sorted(pending):
        items.extend(pending[index])
    return tuple(items), missing


def _fitted(style: ParagraphStyle, fitted: FitAdjustment | None) -> ParagraphStyle:
    """The body's paragraph style with a copyfit adjustment (``--fit``, layout/fit.py):
    letter spacing, horizontal scale, 开明式 punctuation; its size and leading never change."""
    if fitted is None:
        return style
    config = replace(style.config, tracking=fitted.tracking, hscale=fitted.scale,
                     punctuation=SQUEEZED_PUNCTUATION if fitted.squeeze else style.config.punctuation)
    return replace(style, config=config)


#: The punctuation style of a squeezed body (标点挤压): 开明式, every mark but 。？！ in half an em.
SQUEEZED_PUNCTUATION = "kaiming"


def _estimated_rest(paragraphs: Sequence[Paragraph], items: list[FlowItem], per_line: int,
                    start: RestFrom) -> FlowItem:
    """One unplaceable item standing for text that cannot fit: its characters counted,
    its lines estimated at the characters per line of the lines composed so far."""
    chars = sum(len("".join(p.text.split())) for p in paragraphs)
    composed = [i for i in items if isinstance(i.payload, BodyLine)]
    rate = sum(i.chars for i in composed) / len(composed) if composed else per_line
    lines = sum(math.ceil(len("".join(p.text.split())) / max(rate, 1.0)) for p in paragraphs)
    return FlowItem(max(lines, 1), chars, False, start)


def _draw_headline(headline: HeadlineBlock, frame: Rect, ctx: LayoutContext,
                   colour: tuple[CMYK, bool] | None = None, title_shift: float = 0.0) -> tuple[DisplayItem, ...]:
    """The headline group at the top of ``frame``, see :func:`_headline_pieces`."""
    return _flat(_headline_pieces(headline, frame, ctx, colour, title_shift))


def _flat(pieces: Sequence[TextPiece]) -> tuple[DisplayItem, ...]:
    return tuple(item for piece in pieces for item in piece.items)


def _headline_pieces(headline: HeadlineBlock, frame: Rect, ctx: LayoutContext,
                     colour: tuple[CMYK, bool] | None = None, title_shift: float = 0.0) -> list[TextPiece]:
    """The headline group at the top of ``frame``, one piece per element; ``colour``:
    (colour, overprint) for every element instead of its style's (reversed on a band);
    the title ``title_shift`` to the right (beside a column label)."""
    out: list[TextPiece] = []
    for element in headline.elements:
        style = element.style
        color, overprint = colour if colour is not None else (style.color, style.overprint)
        x = frame.x + (title_shift if element.role == "title" else 0.0)
        k = 0
        items: list[DisplayItem] = []
        for part in element.parts:
            for line in part.lines:
                top = frame.y + element.top + k * style.leading
                baseline = baseline_in_box(top, style.leading, style.size)
                items.extend(line_runs(line, x, baseline, color, overprint))
                k += 1
        out.append(TextPiece(TextRole(element.role), tuple(items)))
    return out


def _draw_body(dist: Distribution, columns: tuple[TextColumn, ...], ctx: LayoutContext,
               pieces: list[TextPiece] | None = None) -> tuple[DisplayItem, ...]:
    return _draw_placements(dist.placements, columns, ctx, pieces)


def _draw_flow(dist: Distribution, spans: tuple[Spanning, ...], columns: tuple[TextColumn, ...],
               ctx: LayoutContext, pieces: list[TextPiece] | None = None) -> tuple[DisplayItem, ...]:
    """The body and its inserts in reading order: each spanning insert after the text above it."""
    out: list[DisplayItem] = []
    done = 0
    left = columns[0].x if columns else 0.0
    for span in spans:
        out += _draw_placements(dist.placements[done:span.after], columns, ctx, pieces)
        payload = span.item.payload
        if isinstance(payload, InsertBox):  # always: only inserts span the frame
            drawn = draw_insert(payload.insert, left, ctx.grid.line_y(span.line))
            out += drawn
            if pieces is not None:
                pieces.append(TextPiece(TextRole.INSERT, tuple(drawn), -1, span.line, span.item.height))
        done = span.after
    return (*out, *_draw_placements(dist.placements[done:], columns, ctx, pieces))


def _draw_placements(placements: Sequence[Placement], columns: tuple[TextColumn, ...],
                     ctx: LayoutContext, pieces: list[TextPiece] | None = None) -> tuple[DisplayItem, ...]:
    """The placed flow items; each also as a :class:`TextPiece` into ``pieces`` when given."""
    grid, body = ctx.grid, ctx.styles["body"]
    out: list[DisplayItem] = []
    paragraphs: dict[int, int] = {}  # id of a composed paragraph -> its number, in the order met
    for placement in placements:
        column = columns[placement.column]
        top = grid.line_y(placement.line)
        payload = placement.item.payload
        start = len(out)
        role, paragraph = TextRole.BODY, -1
        if isinstance(payload, BodyLine):
            line = payload.composed.lines[payload.index]
            baseline = baseline_in_box(top, grid.pitch, body.size)
            out.extend(line_runs(line, column.x, baseline, body.color, body.overprint))
            out.extend(line_dots(line, column.x, baseline, body.color))
            paragraph = paragraphs.setdefault(id(payload.composed), len(paragraphs))
        elif isinstance(payload, SubheadBox):
            style = payload.style
            block_height = placement.height * grid.pitch
            text_top = top + (block_height - len(payload.composed.lines) * style.leading) / 2
            for k, line in enumerate(payload.composed.lines):
                baseline = baseline_in_box(text_top + k * style.leading, style.leading, style.size)
                out.extend(line_runs(line, column.x, baseline, style.color, style.overprint))
            role = TextRole.SUBHEAD
        elif isinstance(payload, InsertBox):
            out.extend(draw_insert(payload.insert, column.x, top))
            role = TextRole.INSERT
        elif isinstance(payload, JumpLine):  # 上接第M版
            style = payload.style
            baseline = baseline_in_box(top, grid.pitch, style.size)
            out.extend(run for line in payload.composed.lines[:1]
                       for run in line_runs(line, column.x, baseline, style.color, style.overprint))
            role = TextRole.JUMP
        if pieces is not None and len(out) > start:
            pieces.append(TextPiece(role, tuple(out[start:]), placement.column, placement.line, placement.height,
                                    paragraph))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class InsertBox:
    """A flow item's payload: an insert, set at its width (a text column's or the frame's)."""

    insert: SetInsert


def _spans_frame(item: FlowItem) -> bool:
    return isinstance(item.payload, InsertBox) and item.payload.insert.spec.span == "frame"


def _inserts_at(article: Article, ctx: LayoutContext, columns: tuple[TextColumn, ...],
                column_width: float) -> tuple[dict[int, list[FlowItem]], list[Problem]]:
    """Each insert set at its width, as a flow item under the paragraph it stands before."""
    count = len(split_body(article.body))
    frame_width = columns[-1].x + columns[-1].width - columns[0].x if columns else column_width
    out: dict[int, list[FlowItem]] = {}
    notes: list[Problem] = []
    for index, insert in enumerate(article.inserts):
        spec = resolve(insert)
        width = frame_width if spec.span == "frame" else column_width
        set_ = set_insert(insert, index, ctx, width, _insert_chars_bound(columns, width, ctx))
        at = count if spec.at == "end" else spec.at
        if at > count:
            notes.append(Problem(
                ProblemKind.INSERT_PAST_END,
                f"article {article.id}: inserts[{index}] ({insert.kind}) is at paragraph {at}, but the body has {count}; "
                "it is set after the text", article.id, {"insert": index, "at": at, "paragraphs": count},
                message_zh=f"稿件 {article.id}：插入块 inserts[{index}]（{insert.kind}）位于第 {at} 段之前，"
                           f"但正文只有 {count} 段，已排在正文之后"))
            at = count
        out.setdefault(at, []).append(FlowItem(set_.height, set_.chars, False, InsertBox(set_)))
    return out, notes


def _insert_chars_bound(columns: tuple[TextColumn, ...], width: float, ctx: LayoutContext) -> int:
    """Characters of an insert worth composing: twice what its width holds over every free
    line of the frame (and the margin the body gets); past it, the insert cannot fit."""
    lines = max((len(c.free) for c in columns), default=0) + OVERFLOW_COMPOSE_MARGIN
    return lines * max(1, int(width / ctx.styles["body"].size)) * 2


def _fitting(at: dict[int, list[FlowItem]], columns: tuple[TextColumn, ...]) -> tuple[dict[int, list[FlowItem]],
                                                                                  tuple[FlowItem, ...]]:
    """The inserts that can fit somewhere, and those taller than every column (or than the
    lines free across the frame, for a spanning one): these leave the flow, so that the
    body after them is not held back, and are reported as over."""
    longest = max((len(c.free) for c in columns), default=0)
    across = len(set(columns[0].free).intersection(*(c.free for c in columns[1:]))) if columns else 0
    kept: dict[int, list[FlowItem]] = {}
    never: list[FlowItem] = []
    for key, flow in at.items():
        for item in flow:
            room = across if _spans_frame(item) else longest
            cut = isinstance(item.payload, InsertBox) and item.payload.insert.rest_chars > 0
            if item.height > room or cut:
                never.append(replace(item, height=item.height * len(columns)) if _spans_frame(item) else item)
            else:
                kept.setdefault(key, []).append(item)
    return kept, tuple(never)


def _insert_overflow(article: Article, dist: Distribution, columns: tuple[TextColumn, ...]) -> list[Problem]:
    """Each insert that did not fit, with its lines and characters (also in the article's overflow)."""
    longest = max((len(c.free) for c in columns), default=0)
    out: list[Problem] = []
    for item in dist.leftover:
        payload = item.payload
        if not isinstance(payload, InsertBox):
            continue
        s = payload.insert
        tall = s.height > longest
        why_en = f"; at {s.height} lines it is taller than a text column ({longest} lines)" if tall else ""
        why_zh = f"；它占 {s.height} 行，比一栏（{longest} 行）还高" if tall else ""
        out.append(Problem(
            ProblemKind.INSERT_OVERFLOW,
            f"article {article.id}: inserts[{s.index}] ({s.spec.kind}) does not fit: {item.height} lines "
            f"(about {item.chars} characters) over{why_en}", article.id,
            {"insert": s.index, "insert_kind": s.spec.kind, "lines_over": item.height, "chars_over": item.chars,
             "column_lines": longest},
            message_zh=f"稿件 {article.id}：插入块 inserts[{s.index}]（{s.spec.kind}）排不下，超出 {item.height} 行"
                       f"（约 {item.chars} 字）{why_zh}"))
    return out


def _problems(article: Article, headline: HeadlineBlock | VerticalHeadline, dist: Distribution, missing: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    if dist.leftover:
        problems.append(overflow_problem(article.id, dist.lines_over, dist.chars_over))
    for item in headline.too_long:
        problems.append(Problem(
            ProblemKind.HEADLINE_TOO_LONG,
            f"article {article.id}: {item.role} takes {item.lines} lines at {item.size:g} pt, {item.allowed} allowed "
            f"(about {item.chars_over} characters over)",
            article.id, {"role": item.role, "lines": item.lines, "max_lines": item.allowed,
                         "chars_over": item.chars_over, "size": item.size},
            message_zh=f"稿件 {article.id}：{role_zh(item.role)}以 {item.size:g} pt 排占 {item.lines} 行，"
                       f"只允许 {item.allowed} 行（约超出 {item.chars_over} 字）",
        ))
    for role, asked, got in headline.shrunk:
        problems.append(Problem(
            ProblemKind.HEADLINE_SHRUNK, f"article {article.id}: {role} set at {got:g} pt instead of {asked:g} pt to fit",
            article.id, {"role": role, "size": got, "asked": asked}, severity="note",
            message_zh=f"稿件 {article.id}：{role_zh(role)}为排下已由 {asked:g} pt 缩为 {got:g} pt",
        ))
    if not dist.leftover and not dist.balanced:
        problems.append(Problem(
            ProblemKind.UNBALANCED, f"article {article.id}: columns end {dist.spread} grid lines apart (subheads leave no "
            "balanced split; cut or add a line)", article.id, {"spread": dist.spread}, severity="warning",
            message_zh=f"稿件 {article.id}：各栏末行相差 {dist.spread} 行（小标题使各栏无法排齐，请删或补一行）",
        ))
    head_missing = [c for e in headline.elements for c in e.missing]
    problems += missing_glyph_problems(article.id, head_missing + missing, f"article {article.id}")
    return problems


def _underfull(block_id: str, dist: Distribution, frame: Rect, ctx: LayoutContext,
               columns: tuple[TextColumn, ...]) -> Problem:
    """How many lines stand empty under the text, and about how many characters fill them."""
    bottom = _bottom_line(frame, ctx.grid)
    empty = sum(sum(1 for line in c.free if end < line <= bottom) for c, end in zip(columns, dist.ends, strict=True))
    body = [p.item for p in dist.placements if isinstance(p.item.payload, BodyLine)]
    per_line = round(sum(i.chars for i in body) / len(body)) if body else int(columns[0].width / ctx.styles["body"].size)
    return underfull_problem(block_id, empty, empty * per_line)


def _block_result(block_id: str, dist: Distribution, capacity: int, frame: Rect, ctx: LayoutContext,
                  columns: tuple[TextColumn, ...], spanned: int = 0) -> BlockResult:
    needed = sum(p.height for p in dist.placements) + dist.lines_over + spanned
    if dist.leftover:
        status = "overflow"
    else:
        bottom = _bottom_line(frame, ctx.grid)
        last_free = [max((line for line in c.free if line <= bottom), default=0) for c in columns]
        slack = min((free - end for free, end in zip(last_free, dist.ends, strict=True) if free), default=0)
        status = "underfull" if slack > UNDERFULL_SLACK_LINES else "ok"
    return BlockResult(block_id, "article", capacity, needed, dist.used, status)


# --- 转版 (layout/jump.py) ----------------------------------------------------------------


def _keep_last_line(columns: tuple[TextColumn, ...]) -> tuple[tuple[TextColumn, ...], tuple[int, int]] | None:
    """The columns without the last free line of the last column that has one: the line
    kept for 下转第N版 (None: no free line at all)."""
    for k in range(len(columns) - 1, -1, -1):
        free = columns[k].free
        if free:
            kept = replace(columns[k], free=tuple(line for line in free if line != max(free)))
            return (*columns[:k], kept, *columns[k + 1:]), (k, max(free))
    return None


def _jump_line(text: str, ctx: LayoutContext, width: float, align: str) -> FlowItem:
    """A jump line (上接第M版) as a one-line flow item; it counts no characters of the article."""
    style = ctx.styles["jump"]
    composed = compose_paragraph(text, ctx.paragraph(style, align=align), width, ctx.resolver(style))
    return FlowItem(1, 0, False, JumpLine(composed, style))


def _draw_jump_out(text: str, column: TextColumn, at: tuple[int, int], ctx: LayoutContext,
                   pieces: list[TextPiece]) -> tuple[DisplayItem, ...]:
    """下转第N版 on the line kept for it, at the right of the last text column."""
    style = ctx.styles["jump"]
    composed = compose_paragraph(text, ctx.paragraph(style, align="right"), column.width, ctx.resolver(style))
    baseline = baseline_in_box(ctx.grid.line_y(at[1]), ctx.grid.pitch, style.size)
    items = tuple(run for line in composed.lines[:1]
                  for run in line_runs(line, column.x, baseline, style.color, style.overprint))
    pieces.append(TextPiece(TextRole.JUMP, items, at[0], at[1], 1))
    return items


def _rest(article: Article, dist: Distribution, jump: JumpPlan) -> Rest:
    """What of the article goes on: its body from the first item not placed (a line's
    first character, a subhead, an insert), and the inserts not placed."""
    paragraphs = split_body(article.body)
    start, offset, skip, estimated = len(paragraphs), 0, 0, False
    for item in dist.leftover:
        payload = item.payload
        if isinstance(payload, BodyLine):
            first = payload.composed.lines[payload.index].placed[0].index
            start = payload.paragraph
            skip = sum(len(a.text) for a in payload.composed.prep.atoms[:first]) + (jump.skip if start == 0 else 0)
            break
        if isinstance(payload, SubheadBox):
            start = payload.paragraph
            break
        if isinstance(payload, RestFrom):
            start, offset, estimated = payload.paragraph, payload.offset, True
            break
    chunks = [f"{SUBHEAD_MARK}{p.text}" if p.subhead else p.text for p in paragraphs[start:]]
    if offset and chunks:
        chunks[0] = chunks[0][offset:]
    inserts = []
    for item in dist.leftover:
        if isinstance(item.payload, InsertBox):
            spec = item.payload.insert
            at = resolve(article.inserts[spec.index]).at
            inserts.append(replace(article.inserts[spec.index],
                                   at="end" if at == "end" else max(0, min(int(at), len(paragraphs)) - start)))
    return Rest(article.id, jump.continuation, tuple(chunks), skip, tuple(inserts), dist.chars_over, estimated)
