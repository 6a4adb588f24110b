"""Lay out one page: the orchestrator, in pipeline order."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from layout.article import ArticleLayout, lay_out_article
from layout.cleanup import normalize_spec
from layout.compose.prepare import ComposeConfig
from layout.context import ImageProbe, LayoutContext
from layout.display import DisplayItem, Rule
from layout.fontdb import FontBook, make_fontbook
from layout.furniture import RULE_WIDTH, lay_out_furniture
from layout.geometry.grid import PageGrid, Rect, make_grid
from layout.geometry.regions import Hole
from layout.photo import PhotoLayout, lay_out_photo
from layout.problems import BlockResult, Problem
from layout.spec.load import LoadedSpec
from layout.spec.models import Article, FrameRef, PageSpec, Photo
from layout.spec.styles import BLACK, build_stylesheet
from layout.units import EPS


@dataclass(frozen=True, slots=True)
class PageLayout:
    spec: PageSpec
    source: Path
    grid: PageGrid
    display: tuple[DisplayItem, ...]
    articles: tuple[ArticleLayout, ...]
    photos: tuple[PhotoLayout, ...]
    blocks: tuple[BlockResult, ...]
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def lay_out_page(loaded: LoadedSpec, fonts: FontBook | None = None, probe: ImageProbe | None = None) -> PageLayout:
    """From a loaded spec to a laid-out page (no drawing, no file output)."""
    spec, notes = normalize_spec(loaded.spec)  # 0. full-width punctuation in Chinese text
    styles = build_stylesheet(spec)  # 1. styles: built-ins + overrides
    grid = make_grid(spec.page, styles["body"].leading)  # 2. the page grid
    fonts = fonts or make_fontbook({n: loaded.folder / f for n, f in spec.fonts.items()})  # 3. fonts
    ctx = LayoutContext(grid, styles, fonts, _compose_config(spec), loaded.folder, probe)
    photos = tuple(lay_out_photo(b, ctx.for_block(b.styles)) for b in spec.blocks if isinstance(b, Photo))  # 4. photo slots
    articles = tuple(  # 5. articles: headline, body flowed around the photos
        lay_out_article(b, ctx.for_block(b.styles), _holes(b.frame, photos, grid)) for b in spec.blocks if isinstance(b, Article)
    )
    furniture = lay_out_furniture(spec.header, spec.footer, ctx)  # 6. header, footer
    rules = _rules_between(articles, grid)  # 7. thin rules between adjacent articles
    by_id: dict[str, ArticleLayout | PhotoLayout] = {a.id: a for a in articles}
    by_id.update({p.id: p for p in photos})
    ordered = [by_id[b.id] for b in spec.blocks]
    display = furniture.header + tuple(i for b in ordered for i in b.display) + rules + furniture.footer
    problems = _frame_problems(spec, grid, articles, photos) + [p for b in ordered for p in b.problems]
    problems += list(furniture.problems) + notes
    return PageLayout(
        spec, loaded.path, grid, display, articles, photos, tuple(b.result for b in ordered), tuple(problems),
        chars_total=sum(b.chars_total for b in ordered) + furniture.chars,
        chars_placed=sum(b.chars_placed for b in ordered) + furniture.chars,
    )


def _compose_config(spec: PageSpec) -> ComposeConfig:
    t = spec.typography
    return ComposeConfig(
        kinsoku=t.kinsoku, cjk_latin_space=t.cjk_latin_space, first_indent=t.first_indent,
        trim_line_start=t.trim_line_start, trim_after_indent=t.trim_after_indent, punctuation=t.punctuation,
        hanging=t.hanging == "allow", composer=t.composer,
    )


def _holes(frame: FrameRef, photos: tuple[PhotoLayout, ...], grid: PageGrid) -> tuple[Hole, ...]:
    """Photo frames that overlap an article's columns, as grid-line holes."""
    holes = []
    for photo in photos:
        first = round((photo.frame.y - grid.type_area.y) / grid.pitch) + 1
        last = first + round(photo.frame.height / grid.pitch) - 1
        holes.append(Hole(photo.frame.x, photo.frame.right, first, last))
    return tuple(holes)


def _rules_between(articles: tuple[ArticleLayout, ...], grid: PageGrid) -> tuple[DisplayItem, ...]:
    """A thin rule in the gutter between side-by-side articles, and on the line between stacked ones."""
    rules: list[DisplayItem] = []
    for a, b in combinations([x.frame for x in articles], 2):
        for left, right in ((a, b), (b, a)):
            if abs(left.right + grid.gutter - right.x) < EPS * 100:
                top, bottom = max(left.y, right.y), min(left.bottom, right.bottom)
                if bottom - top > EPS:
                    x = left.right + grid.gutter / 2
                    rules.append(Rule(x, top, x, bottom, RULE_WIDTH, BLACK))
        for upper, lower in ((a, b), (b, a)):
            if abs(upper.bottom - lower.y) < EPS * 100:
                x0, x1 = max(upper.x, lower.x), min(upper.right, lower.right)
                if x1 - x0 > EPS:
                    rules.append(Rule(x0, lower.y, x1, lower.y, RULE_WIDTH, BLACK))
    return tuple(rules)


def _frame_problems(spec: PageSpec, grid: PageGrid, articles: tuple[ArticleLayout, ...],
                    photos: tuple[PhotoLayout, ...]) -> list[Problem]:
    problems: list[Problem] = []
    for block in spec.blocks:
        frame = block.frame
        lines = frame.lines if isinstance(frame.lines, int) else 1
        if frame.column + frame.span - 1 > grid.columns or frame.line + lines - 1 > grid.n_lines:
            problems.append(Problem(
                "frame_outside_page",
                f"{block.type} {block.id}: frame (columns {frame.column}–{frame.column + frame.span - 1}, lines "
                f"{frame.line}–{frame.line + lines - 1}) is outside the page grid ({grid.columns} columns, "
                f"{grid.n_lines} lines)",
                block.id, {"columns": grid.columns, "lines": grid.n_lines},
            ))
    framed: list[tuple[str, Rect]] = [(a.id, a.frame) for a in articles]
    problems += _overlaps(framed, "articles")
    problems += _overlaps([(p.id, p.frame) for p in photos], "photos")
    return problems


def _overlaps(frames: list[tuple[str, Rect]], what: str) -> list[Problem]:
    out = []
    for (id_a, a), (id_b, b) in combinations(frames, 2):
        if a.overlaps(b):
            out.append(Problem("frames_overlap", f"{what} {id_a} and {id_b} overlap", id_a, {"blocks": [id_a, id_b]}))
    return out
