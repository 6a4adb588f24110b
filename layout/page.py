"""Lay out one page: the orchestrator, in pipeline order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from layout import jump as jumping
from layout.ad import lay_out_ad
from layout.article import ArticleLayout, RestFrom, lay_out_article
from layout.cleanup import normalize_spec
from layout.compose.prepare import ComposeConfig
from layout.context import LayoutContext, PrefetchFactory, ProbeFactory
from layout.decor import reversed_text_problems
from layout.display import DisplayItem, GlyphRun, PageDescription, PlacedGlyphs, crop_marks, page_boxes
from layout.fit import FitResult, applied_spec, fit_page, keywords, trial_of
from layout.flow.balance import Distribution
from layout.fontdb import FontBook, FontError, load_face, make_fontbook
from layout.furniture import lay_out_furniture
from layout.geometry.grid import PageGrid, Rect, make_grid
from layout.geometry.regions import Hole
from layout.group_title import GroupTitleLayout, lay_out_group_title
from layout.index import lay_out_index, page_articles
from layout.jump import JumpPlan, JumpRef, JumpStatus, PageJumps, Rest, alone_jumps, in_text, out_text
from layout.masthead import lay_out_ear, lay_out_masthead
from layout.memo import Memo
from layout.photo import PhotoLayout, lay_out_photo
from layout.press import PressOverrides, PressSettings, ProfileError, press_settings
from layout.problems import BlockResult, Problem, ProblemKind, role_zh, what_zh
from layout.qr import QrLayout, lay_out_qr
from layout.rules import DEFAULT_RULE, NO_RULE, RuleStyle, rule_items, rule_style
from layout.spec.data import (
    Ad,
    Article,
    Continuation,
    Ear,
    FitAdjustment,
    GroupTitle,
    Index,
    Masthead,
    PageSpec,
    Photo,
    Qr,
    Table,
)
from layout.spec.load import LoadedSpec, SpecError, SpecInvalid
from layout.spec.styles import TextStyle, build_stylesheet
from layout.supplied import SlotLayout
from layout.table import TableLayout, lay_out_table
from layout.units import EPS


@dataclass(frozen=True, slots=True)
class PageLayout:
    spec: PageSpec
    source: Path
    grid: PageGrid
    page: PageDescription  # all the renderers read
    articles: tuple[ArticleLayout, ...]
    photos: tuple[PhotoLayout, ...]
    blocks: tuple[BlockResult, ...]
    problems: tuple[Problem, ...]
    press: PressSettings
    chars_total: int
    chars_placed: int
    qrs: tuple[QrLayout, ...] = ()
    slots: tuple[SlotLayout, ...] = ()  # mastheads, ears and ads (fixed slots, like photos)
    tables: tuple[TableLayout, ...] = ()
    rests: tuple[Rest, ...] = ()  # 转版: text of its articles that goes on on later pages (layout/jump.py)
    fits: tuple[FitResult, ...] = ()  # copyfit of its overflowing and underfull articles (layout/fit.py)

    @property
    def display(self) -> tuple[DisplayItem, ...]:
        """The print display list."""
        return self.page.items

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def for_print(self) -> PageLayout:
        """The page without its per-block layouts (columns, line placements, composed
        paragraphs): what the PDF writer and the reports read.  A worker of an edition
        sends this back, ~75 kB instead of ~1 MB for a full broadsheet page."""
        return replace(self, articles=(), photos=(), qrs=(), slots=(), tables=())


def lay_out_page(loaded: LoadedSpec, fonts: FontBook | None = None, probe: ProbeFactory | None = None,
                 overrides: PressOverrides | None = None, memo: Memo | None = None,
                 prefetch: PrefetchFactory | None = None) -> PageLayout:
    """From a loaded spec to a laid-out page (no drawing, no file output).

    ``probe`` makes the image probe for the page's press settings (the renderer's
    ``make_probe``); without it, images are only checked to exist.  ``memo`` is the front
    end's memo (faces, compositions); without one, nothing is kept beyond this page.
    ``prefetch`` makes a callback told of each usable image slot as layout finds it (see
    ``layout.context.ImagePrefetch``).

    Raises:
        SpecInvalid: the output profile (``output.profile`` or ``--profile``) cannot be
            used: ``FILE:LINE: output.profile: …``, unusable input like a spec error.
    """
    try:
        return _lay_out_page(loaded, fonts, probe, overrides, memo if memo is not None else Memo(), prefetch)
    except ProfileError as exc:  # from press_settings, or from the colour engine in the image probe
        from_option = overrides is not None and overrides.profile is not None
        line = 0 if from_option else loaded.line_of(("output", "profile"))
        where = "--profile" if from_option else "output.profile"
        raise SpecInvalid([SpecError(str(loaded.path), line, f"{where}: {exc}", f"{where}：{exc.zh}")]) from None


def lay_out_fitted(loaded: LoadedSpec, apply: bool = False, fonts: FontBook | None = None,
                   probe: ProbeFactory | None = None, overrides: PressOverrides | None = None,
                   memo: Memo | None = None, prefetch: PrefetchFactory | None = None) -> PageLayout:
    """:func:`lay_out_page`, with a copyfit suggestion for every overflowing or underfull
    article (``PageLayout.fits``); ``apply`` (``--fit``): the page
    laid out again with every adjustment that fits, each marked applied and named in the
    PDF's Keywords.  Trials lay out without the image probe (their photos are the same)."""
    memo = memo if memo is not None else Memo()
    layout = lay_out_page(loaded, fonts, probe, overrides, memo, prefetch)
    statuses = {b.id: trial_of(layout, b.id) for b in layout.blocks if b.type == "article" and b.status != "ok"}
    if not statuses:
        return layout
    results = fit_page(loaded, statuses, lambda trial: lay_out_page(trial, fonts, None, overrides, memo), memo)
    if apply and any(r.fits for r in results):
        layout = lay_out_page(applied_spec(loaded, results), fonts, probe, overrides, memo, prefetch)
        results = tuple(replace(r, applied=r.fits) for r in results)
    # the suggestions stay out of ``problems`` (the report's contract: a page's problems are
    # what is wrong with it); they are the report's ``fits`` and lines of their own
    return replace(layout, fits=results, page=replace(layout.page, keywords=keywords(results)))


def _lay_out_page(loaded: LoadedSpec, fonts: FontBook | None, probe: ProbeFactory | None,
                  overrides: PressOverrides | None, memo: Memo, prefetch: PrefetchFactory | None) -> PageLayout:
    spec, notes = normalize_spec(loaded.spec)  # 0. full-width punctuation in Chinese text
    styles = build_stylesheet(spec)  # 1. styles: built-ins + overrides
    grid = make_grid(spec.page, styles["body"].leading)  # 2. the page grid
    font_problems: list[Problem] = []
    if fonts is None:  # 3. fonts: the built-in families and the spec's own
        extra, font_problems = _extra_fonts(spec, loaded.folder, styles, memo)
        fonts = make_fontbook(extra, memo)
    press = press_settings(spec.output, loaded.folder, overrides, memo)
    ctx = LayoutContext(grid, styles, fonts, _compose_config(spec), loaded.folder, probe(press) if probe else None,
                        press, prefetch(press) if prefetch else None)
    photos = tuple(lay_out_photo(b, ctx.for_block(b.styles)) for b in spec.blocks if isinstance(b, Photo))  # 4. photo slots
    qrs = tuple(lay_out_qr(b, ctx.for_block(b.styles)) for b in spec.blocks if isinstance(b, Qr))  # 4b. QR codes
    slots = _lay_out_slots(spec, ctx, memo, loaded)  # 4c. masthead, ear, ads
    jumps = loaded.jumps if loaded.jumps is not None else alone_jumps(spec)  # 转版: where text goes on, comes from
    articles = _lay_out_articles(spec, ctx, _holes(photos + qrs + slots, grid), jumps, loaded)  # 5. articles and continuations
    tables = tuple(lay_out_table(b, ctx) for b in spec.blocks if isinstance(b, Table))  # 5b. tables on the grid
    groups = tuple(lay_out_group_title(b, ctx.for_block(b.styles)) for b in spec.blocks if isinstance(b, GroupTitle))
    furniture = lay_out_furniture(spec.header, spec.footer, ctx)  # 6. header, footer
    edges = [_edge_rule(b) for b in spec.blocks if isinstance(b, Article | Continuation)] + [TABLE_EDGE] * len(tables)
    edges += [GROUP_EDGE] * len(groups) + [_slot_edge(b) for b in spec.blocks if isinstance(b, Masthead | Ear | Ad | Index)]
    rules = _rules_between(articles + tables + groups + slots, grid, edges,  # 7. rules between adjacent blocks
                           rule_style(spec.rules.between, DEFAULT_RULE), _grouped_pairs(spec, articles, tables))
    by_id: dict[str, ArticleLayout | PhotoLayout | QrLayout | SlotLayout | TableLayout | GroupTitleLayout] = {
        a.id: a for a in articles}
    by_id.update({p.id: p for p in photos})
    by_id.update({q.id: q for q in qrs})
    by_id.update({s.id: s for s in slots})
    by_id.update({t.id: t for t in tables})
    by_id.update({g.id: g for g in groups})
    ordered = [by_id[b.id] for b in spec.blocks]
    boxes = page_boxes(spec.page)
    marks = (crop_marks(boxes),) if spec.page.crop_marks else ()
    display = furniture.header + tuple(i for b in ordered for i in b.display) + rules + furniture.footer + marks
    problems = _frame_problems(loaded, grid, articles, photos, qrs + slots, tables, groups) + [p for b in ordered for p in b.problems]
    problems += _covered_headlines(loaded, articles, photos + qrs + slots, grid)
    problems += list(furniture.problems) + notes + font_problems + preflight_text(display, press, ordered)  # 8. preflight
    problems += reversed_text_problems(display, {id(item): block.id for block in ordered for item in block.display})
    return PageLayout(
        spec, loaded.path, grid, PageDescription(boxes, display, page_title(spec, loaded.path), press), articles, photos, tuple(b.result for b in ordered), tuple(problems), press,
        chars_total=sum(b.chars_total for b in ordered) + furniture.chars,
        chars_placed=sum(b.chars_placed for b in ordered) + furniture.chars, qrs=qrs, slots=slots, tables=tables,
        rests=tuple(a.rest for a in articles if a.rest is not None),
    )


def _lay_out_articles(spec: PageSpec, ctx: LayoutContext, holes: tuple[Hole, ...], jumps: PageJumps,
                      loaded: LoadedSpec) -> tuple[ArticleLayout, ...]:
    """Articles and continuations (转版, ``layout/jump.py``) in spec order: an article that
    jumps keeps a line for 下转第N版 and hands on what does not fit; a continuation sets
    what its article handed on, under a short title and 上接第M版."""
    out: list[ArticleLayout] = []
    for index, block in enumerate(spec.blocks):
        if isinstance(block, Article):
            target = jumps.out.get(block.id)
            plan, notes = None, []
            if target is not None and target.status in (JumpStatus.RESOLVED, JumpStatus.ALONE):
                plan = JumpPlan(out=out_text(target.page), continuation=target.continuation,
                                placed=target.status is JumpStatus.RESOLVED)
            elif target is not None and (problem := jumping.target_problem(block, target, _folio_page(spec))):
                notes.append(replace(problem, line=loaded.line_of(("blocks", index, "jump"))))
            laid = lay_out_article(block, _fitted(ctx.for_block(block.styles), loaded.fitted.get(block.id)), holes,
                                   spec.rules, plan)
            if plan is not None:  # the jump's own notes (unneeded, unresolved) at the line of its `jump:`
                line = loaded.line_of(("blocks", index, "jump"))
                laid = replace(laid, problems=tuple(replace(p, line=line) if p.kind in _JUMP_NOTES else p
                                                    for p in laid.problems))
            if laid.rest is not None and target is not None:
                laid = replace(laid, jump_to=JumpRef(target.page, target.continuation))
            out.append(replace(laid, problems=laid.problems + tuple(notes)) if notes else laid)
        elif isinstance(block, Continuation):
            out.append(_lay_out_continuation(block, ctx, holes, spec, jumps, loaded.line_of(("blocks", index, "id"))))
    return tuple(out)


#: Problems an article's jump brings (set in layout/article.py), placed at its ``jump:`` line.
_JUMP_NOTES = frozenset({ProblemKind.JUMP_UNNEEDED, ProblemKind.JUMP_UNRESOLVED})


def _folio_page(spec: PageSpec) -> int | None:
    folio = spec.header.folio if spec.header is not None else None
    return folio.page if folio is not None and isinstance(folio.page, int) else None


def _lay_out_continuation(block: Continuation, ctx: LayoutContext, holes: tuple[Hole, ...], spec: PageSpec,
                          jumps: PageJumps, line: int) -> ArticleLayout:
    """A continuation: the rest of its article set as an article; else an empty frame and why."""
    source = jumps.into.get(block.id)
    if block.id in jumps.conflicts:
        problem = jumping.conflict_problem(block)
    elif jumps.alone:
        problem = jumping.alone_problem(block)
    elif source is None or source.rest is None:
        problem = jumping.empty_problem(block, source)
    else:
        rest = source.rest
        article = jumping.continuation_article(block, source, rest)
        plan = JumpPlan(into=in_text(source.page), skip=rest.skip, continuation=block.id)
        laid = lay_out_article(article, ctx.for_block(article.styles), holes, spec.rules, plan)
        problems = [jumping.overflow_problem(block.id, source, p.details["lines_over"], p.details["chars_over"])
                    if p.kind is ProblemKind.OVERFLOW else p for p in laid.problems]
        dist = laid.distribution
        received = sum(p.item.chars for p in dist.placements) + dist.chars_over
        estimated = rest.estimated or any(isinstance(item.payload, RestFrom) for item in dist.leftover)
        if received < rest.chars and not estimated:  # never: a continuation sets every character sent
            problems.append(jumping.text_lost_problem(block.id, source, rest.chars, received))
        return replace(laid, problems=tuple(p if p.line else replace(p, line=line) for p in problems),
                       jump_from=JumpRef(source.page, source.article.id))
    grid = ctx.grid
    frame_ref = block.frame
    lines = frame_ref.lines if isinstance(frame_ref.lines, int) else 1
    frame = grid.frame_rect(frame_ref, lines=max(1, min(lines, grid.n_lines - frame_ref.line + 1)))
    empty = Distribution((), (), (), (), True)
    result = BlockResult(block.id, "article", 0, 0, (), "ok")
    return ArticleLayout(block.id, frame, (), 0, empty, (), result, (replace(problem, line=line),), 0, 0)


def _fitted(ctx: LayoutContext, fit: FitAdjustment | None) -> LayoutContext:
    """The context of an article set with a copyfit adjustment of its body (``--fit``)."""
    return ctx if fit is None else replace(ctx, body_fit=fit)


def _lay_out_slots(spec: PageSpec, ctx: LayoutContext, memo: Memo, loaded: LoadedSpec) -> tuple[SlotLayout, ...]:
    """Mastheads, ears, ads and indexes (导读); their problems name the spec line of the file they place
    (``src``, ``artwork``), else of their frame."""
    out = []
    for index, block in enumerate(spec.blocks):
        if isinstance(block, Masthead):
            slot = lay_out_masthead(block, ctx, memo)
            key = "artwork" if block.artwork else "frame"
        elif isinstance(block, Ear):
            slot = lay_out_ear(block, ctx)
            key = "src" if block.src else "frame"
        elif isinstance(block, Ad):
            slot = lay_out_ad(block, ctx, memo)
            key = "src"
        elif isinstance(block, Index):  # 导读: the edition's pages, else this page's own articles
            articles = loaded.articles if loaded.articles is not None else page_articles(spec)
            slot = lay_out_index(block, ctx, articles)
            slot = replace(slot, problems=tuple(  # a missing article at its entry's line
                replace(p, line=loaded.line_of(("blocks", index, "entries", p.details["entry"], "article")))
                if p.kind is ProblemKind.INDEX_ARTICLE_MISSING else p for p in slot.problems))
            key = "frame"
        else:
            continue
        line = loaded.line_of(("blocks", index, key))
        out.append(replace(slot, problems=tuple(p if p.line else replace(p, line=line) for p in slot.problems)))
    return tuple(out)


def page_title(spec: PageSpec, source: Path) -> str:
    """The document title: the folio's paper, section, date and page, else the masthead's
    name and date, else the spec's name."""
    folio = spec.header.folio if spec.header else None
    parts = [str(p) for p in (folio.paper, folio.section, folio.date, folio.page) if p] if folio else []
    masthead = next((b for b in spec.blocks if isinstance(b, Masthead)), None)
    if not parts and masthead is not None:
        parts = [str(p) for p in (masthead.name, masthead.date) if p]
    return " ".join(parts) or source.stem


#: Text in four colours below this size is rich black that cannot register on newsprint (GWG).
RICH_BLACK_MAX_SIZE = 12.0


def preflight_text(display: tuple[DisplayItem, ...], press: PressSettings,
                   blocks: list[ArticleLayout | PhotoLayout | QrLayout | SlotLayout | TableLayout | GroupTitleLayout],
                   ) -> list[Problem]:
    """Text too small for newsprint, and small text in rich black (typography D1)."""
    owner = {id(item): block.id for block in blocks for item in block.display}
    problems: list[Problem] = []
    seen: set[tuple[str, str | None]] = set()
    for item in display:
        if not isinstance(item, GlyphRun | PlacedGlyphs):  # vertical headlines too
            continue
        block = owner.get(id(item))
        if item.size < press.min_text_size - EPS and ("small", block) not in seen:
            seen.add(("small", block))
            where = f"block {block}" if block else "page furniture"
            problems.append(Problem(ProblemKind.TEXT_TOO_SMALL, f"{where}: text set at {item.size:g} pt, below "
                                    f"{press.min_text_size:g} pt", block, {"size": item.size},
                                    message_zh=f"{what_zh(where)}：文字字号 {item.size:g} pt，"
                                    f"小于最小字号 {press.min_text_size:g} pt"))
        c, m, y, k = item.color
        if k > 0 and c > 0 and m > 0 and y > 0 and item.size < RICH_BLACK_MAX_SIZE and ("rich", block) not in seen:
            seen.add(("rich", block))
            where = f"block {block}" if block else "page furniture"
            problems.append(Problem(ProblemKind.RICH_BLACK_TEXT, f"{where}: {item.size:g} pt text in four colours "
                                    f"({c:g}/{m:g}/{y:g}/{k:g}); small text must be 100 % K", block,
                                    {"size": item.size, "color": list(item.color)},
                                    message_zh=f"{what_zh(where)}：{item.size:g} pt 的小字用了四色叠印"
                                    f"（{c:g}/{m:g}/{y:g}/{k:g}），须为单黑（100% K）"))
    return problems


def _extra_fonts(spec: PageSpec, folder: Path, styles: dict[str, TextStyle],
                 memo: Memo) -> tuple[dict[str, Path], list[Problem]]:
    """The spec's ``fonts:`` that can be used; a missing or unusable file is a problem, and
    text in that family falls back to the built-in chain (song, hei, kai)."""
    used = {style.family for style in styles.values()}
    extra: dict[str, Path] = {}
    problems: list[Problem] = []
    for family, file in spec.fonts.items():
        path = folder / file
        try:
            if not path.is_file():
                raise FontError(f"no font file {file}")
            load_face(path, memo)
            extra[family] = path
        except FontError as exc:
            severity = "error" if family in used else "warning"
            problems.append(Problem(ProblemKind.MISSING_FONT, f"fonts.{family}: {exc}; its text falls back to the built-in fonts",
                                    None, {"family": family, "file": file}, severity=severity,
                                    message_zh=f"fonts.{family}：{_font_reason_zh(path, file, exc)}，其文字改用内置字体"))
    return extra, problems


def _font_reason_zh(path: Path, file: str, exc: FontError) -> str:
    """Why a ``fonts:`` file cannot be used, in Chinese (a damaged font's details stay as the reader says them)."""
    return f"找不到字体文件 {file}" if not path.is_file() else f"字体文件 {file} 无法使用（{exc}）"


#: What ``_overlaps`` calls the frames, in Chinese.
_FRAMES_ZH = {"articles": "稿件", "photos": "图片", "placed blocks": "图片、二维码、报头、报眼或广告"}


def _compose_config(spec: PageSpec) -> ComposeConfig:
    t = spec.typography
    return ComposeConfig(
        kinsoku=t.kinsoku, cjk_latin_space=t.cjk_latin_space, first_indent=t.first_indent,
        trim_line_start=t.trim_line_start, trim_after_indent=t.trim_after_indent, punctuation=t.punctuation,
        hanging=t.hanging == "allow", composer=t.composer,
    )


def _holes(photos: tuple[PhotoLayout | QrLayout | SlotLayout, ...], grid: PageGrid) -> tuple[Hole, ...]:
    """Photo (and QR code, masthead, ear, ad) frames that overlap an article's columns, as grid-line holes."""
    holes = []
    for photo in photos:
        first = round((photo.frame.y - grid.type_area.y) / grid.pitch) + 1
        last = first + round(photo.frame.height / grid.pitch) - 1
        holes.append(Hole(photo.frame.x, photo.frame.right, first, last))
    return tuple(holes)


@dataclass(frozen=True, slots=True)
class EdgeRule:
    """How an article meets its neighbours: its own rule (None: the page's), or a box."""

    own: RuleStyle | None
    boxed: bool


#: A table meets its neighbours with the page's rule, like an article without a rule of its own.
TABLE_EDGE = EdgeRule(None, False)


def _slot_edge(block: Masthead | Ear | Ad | Index) -> EdgeRule:
    """A masthead or an ad meets its neighbours with the page's rule (the 文武线 under a
    masthead, the rule over an ad); an ear or an index with a border is boxed."""
    return EdgeRule(None, isinstance(block, Ear | Index) and block.border)


def _edge_rule(article: Article | Continuation) -> EdgeRule:
    boxed = isinstance(article, Article) and article.box is not None
    return EdgeRule(rule_style(article.rule, NO_RULE) if article.rule is not None else None, boxed)


def _rules_between(articles: tuple[ArticleLayout | TableLayout | GroupTitleLayout | SlotLayout, ...], grid: PageGrid,
                   edges: list[EdgeRule] | None = None, default: RuleStyle = DEFAULT_RULE,
                   together: frozenset[tuple[int, int]] = frozenset()) -> tuple[DisplayItem, ...]:
    """A rule in the gutter between side-by-side articles, and on the line between stacked
    ones: the later article's own rule, else the earlier's, else the page's ``rules.between``
    (a 0.5 pt black 正线); none beside a boxed article, whose box separates it, and none
    between the pairs ``together`` (a group title and its own articles)."""
    rules: list[DisplayItem] = []
    frames = [x.frame for x in articles]
    for i, j in _touching_pairs(frames, grid.gutter):
        if (i, j) in together:
            continue
        a, b = frames[i], frames[j]
        style = default
        if edges is not None:
            if edges[i].boxed or edges[j].boxed:
                continue
            style = edges[j].own or edges[i].own or default
        for left, right in ((a, b), (b, a)):
            if abs(left.right + grid.gutter - right.x) < EPS * 100:
                top, bottom = max(left.y, right.y), min(left.bottom, right.bottom)
                if bottom - top > EPS:
                    x = left.right + grid.gutter / 2
                    rules.extend(rule_items(style, x, top, x, bottom))
        for upper, lower in ((a, b), (b, a)):
            if abs(upper.bottom - lower.y) < EPS * 100:
                x0, x1 = max(upper.x, lower.x), min(upper.right, lower.right)
                if x1 - x0 > EPS:
                    rules.extend(rule_items(style, x0, lower.y, x1, lower.y))
    return tuple(rules)


#: A group title (组合标题) meets its neighbours with the page's rule, like an article without a rule of its own.
GROUP_EDGE = EdgeRule(None, False)


def _grouped_pairs(spec: PageSpec, articles: tuple[ArticleLayout, ...],
                   tables: tuple[TableLayout, ...]) -> frozenset[tuple[int, int]]:
    """(i, j) of each group title and one of its articles, in ``_rules_between``'s numbering
    (the articles, the tables, then the group titles): no rule is drawn between them."""
    index = {a.id: k for k, a in enumerate(articles)}
    base = len(articles) + len(tables)
    titles = [b for b in spec.blocks if isinstance(b, GroupTitle)]
    return frozenset((index[m], base + g) for g, title in enumerate(titles) for m in title.articles if m in index)


#: Two frame edges this close (pt) are one edge.
EDGE_TOLERANCE = EPS * 100


def _touching_pairs(frames: list[Rect], gutter: float) -> list[tuple[int, int]]:
    """Pairs (i < j, in order) of frames side by side across a gutter or one above the
    other: found through an index of their edges, not by trying every pair (a page of
    thousands of frames would take seconds)."""
    def bucket(value: float) -> int:
        return round(value / EDGE_TOLERANCE)

    lefts: dict[int, list[int]] = {}
    tops: dict[int, list[int]] = {}
    for k, frame in enumerate(frames):
        lefts.setdefault(bucket(frame.x), []).append(k)
        tops.setdefault(bucket(frame.y), []).append(k)
    pairs: set[tuple[int, int]] = set()
    for i, frame in enumerate(frames):
        for index, edge in ((lefts, frame.right + gutter), (tops, frame.bottom)):
            middle = bucket(edge)
            for j in (j for b in (middle - 1, middle, middle + 1) for j in index.get(b, ())):
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


#: Overlapping pairs reported one by one; past this, one problem counts the rest (a page
#: of thousands of piled frames would otherwise print millions of lines).
MAX_OVERLAP_PROBLEMS = 50


def _overlapping_pairs(frames: list[tuple[str, Rect]]) -> list[tuple[int, int]]:
    """Pairs (i < j, in order) of frames that overlap, by a sweep across the page."""
    order = sorted(range(len(frames)), key=lambda k: frames[k][1].x)
    active: list[int] = []
    found: list[tuple[int, int]] = []
    for k in order:
        rect = frames[k][1]
        active = [a for a in active if frames[a][1].right > rect.x + EPS]
        found.extend((min(a, k), max(a, k)) for a in active if frames[a][1].overlaps(rect))
        active.append(k)
    return sorted(found)


def _frame_problems(loaded: LoadedSpec, grid: PageGrid, articles: tuple[ArticleLayout, ...],
                    photos: tuple[PhotoLayout, ...], placed: tuple[QrLayout | SlotLayout, ...] = (),
                    tables: tuple[TableLayout, ...] = (), groups: tuple[GroupTitleLayout, ...] = ()) -> list[Problem]:
    """Frames outside the grid and frames that overlap, each named by its spec line."""
    problems: list[Problem] = []
    line_of = {block.id: loaded.line_of(("blocks", i, "frame")) for i, block in enumerate(loaded.spec.blocks)}
    for block in loaded.spec.blocks:
        frame = block.frame
        lines = frame.lines if isinstance(frame.lines, int) else 1
        if frame.column + frame.span - 1 > grid.columns or frame.line + lines - 1 > grid.n_lines:
            problems.append(Problem(
                ProblemKind.FRAME_OUTSIDE_PAGE,
                f"{block.type} {block.id}: frame (columns {frame.column}–{frame.column + frame.span - 1}, lines "
                f"{frame.line}–{frame.line + lines - 1}) is outside the page grid ({grid.columns} columns, "
                f"{grid.n_lines} lines)",
                block.id, {"columns": grid.columns, "lines": grid.n_lines},
                message_zh=f"{what_zh(block.type + ' ' + block.id)}：版框（第 {frame.column}–{frame.column + frame.span - 1} 栏，"
                f"第 {frame.line}–{frame.line + lines - 1} 行）超出版面网格（{grid.columns} 栏，{grid.n_lines} 行）",
                line=line_of[block.id],
            ))
    framed: list[tuple[str, Rect]] = [(a.id, a.frame) for a in articles]
    framed += [(t.id, t.frame) for t in tables]  # a table is a text frame: it must not overlap an article
    framed += [(g.id, g.frame) for g in groups]  # nor may a group title
    problems += _overlaps(framed, "articles", grid, line_of)
    if placed:  # photos, QR codes, mastheads, ears and ads: none may cover another
        problems += _overlaps([(p.id, p.frame) for p in (*photos, *placed)], "placed blocks", grid, line_of)
    else:
        problems += _overlaps([(p.id, p.frame) for p in photos], "photos", grid, line_of)
    return problems


#: Ink of a headline this far (pt) inside a placed block's frame is covered; less is a touch.
COVER_TOLERANCE = 0.5


def _covered_headlines(loaded: LoadedSpec, articles: tuple[ArticleLayout, ...],
                       placed: tuple[PhotoLayout | QrLayout | SlotLayout, ...], grid: PageGrid) -> list[Problem]:
    """A photo, QR code or slot over an article's kicker, title, subtitle or byline: the text
    flows around placed blocks, but a headline group is set across the frame's top and would
    be hidden under it (a photo started on the byline's line)."""
    line_of = {b.id: loaded.line_of(("blocks", i, "frame")) for i, b in enumerate(loaded.spec.blocks)}
    out: list[Problem] = []
    for article in articles:
        for piece in article.pieces:
            if piece.line != 0 or piece.column >= 0:  # the headline group: outside the flow
                continue
            runs = [item.extent() for item in piece.items if isinstance(item, GlyphRun) and item.text.strip()]
            for block in placed:
                f = block.frame
                if any(x0 < f.right - COVER_TOLERANCE and x1 > f.x + COVER_TOLERANCE and top < f.bottom - COVER_TOLERANCE
                       and bottom > f.y + COVER_TOLERANCE for x0, top, x1, bottom in runs):
                    first = round((f.y - grid.type_area.y) / grid.pitch) + 1
                    role = piece.role.value
                    out.append(Problem(
                        ProblemKind.HEADLINE_COVERED,
                        f"article {article.id}: its {role} is under {block.id} (its frame starts on grid line {first}); "
                        "start the block below the headline group", article.id, {"role": role, "covered_by": block.id},
                        message_zh=f"稿件 {article.id}：{role_zh(role)}被 {block.id} 遮住（其版框从第 {first} 行起）；"
                                   "请把该版块移到标题组之下", line=line_of.get(block.id) or None))
                    break
    return out


def _grid_cells(rect: Rect, grid: PageGrid) -> tuple[int, int, int, int]:
    """First and last page column, first and last grid line that ``rect`` covers."""
    area, step, inset = grid.type_area, grid.column_width + grid.gutter, EPS * 100
    first_column = int((rect.x - area.x + inset) // step) + 1
    last_column = int((rect.right - area.x - inset) // step) + 1
    first_line = int((rect.y - area.y + inset) // grid.pitch) + 1
    last_line = int((rect.bottom - area.y - inset) // grid.pitch) + 1
    return first_column, last_column, first_line, last_line


def _overlaps(frames: list[tuple[str, Rect]], what: str, grid: PageGrid, line_of: dict[str, int]) -> list[Problem]:
    """Each overlapping pair, with where they overlap (page columns and grid lines) and
    the spec lines of both frames."""
    out: list[Problem] = []
    pairs = _overlapping_pairs(frames)
    for i, j in pairs[:MAX_OVERLAP_PROBLEMS]:
        (id_a, a), (id_b, b) = frames[i], frames[j]
        shared = Rect(max(a.x, b.x), max(a.y, b.y), min(a.right, b.right) - max(a.x, b.x),
                      min(a.bottom, b.bottom) - max(a.y, b.y))
        c0, c1, l0, l1 = _grid_cells(shared, grid)
        line_a, line_b = line_of.get(id_a, 0), line_of.get(id_b, 0)
        out.append(Problem(
            ProblemKind.FRAMES_OVERLAP,
            f"{what} {id_a} and {id_b} overlap in columns {c0}–{c1}, grid lines {l0}–{l1} "
            f"(their frames: spec lines {line_a} and {line_b})",
            id_a, {"blocks": [id_a, id_b], "overlap": {"columns": [c0, c1], "lines": [l0, l1]}},
            message_zh=f"{_FRAMES_ZH[what]} {id_a} 与 {id_b} 的版框在第 {c0}–{c1} 栏、第 {l0}–{l1} 行重叠"
                       f"（版框见描述文件第 {line_a} 行与第 {line_b} 行）",
            line=line_a or None,
        ))
    if len(pairs) > MAX_OVERLAP_PROBLEMS:
        more = len(pairs) - MAX_OVERLAP_PROBLEMS
        out.append(Problem(
            ProblemKind.FRAMES_OVERLAP, f"{what}: {more} more overlapping pairs (the first {MAX_OVERLAP_PROBLEMS} are "
            "named above)", None, {"more_pairs": more},
            message_zh=f"{_FRAMES_ZH[what]}：另有 {more} 对版框重叠（前 {MAX_OVERLAP_PROBLEMS} 对已列出）"))
    return out
