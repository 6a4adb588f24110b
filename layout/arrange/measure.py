"""How many grid lines each article needs at each allowed width, from the real composer.

Each measurement is a one-article page built from the template's page settings (grid,
styles, typography) and laid out by the normal pipeline (``lay_out_page``): the article
in a frame of ``lines: auto`` at the top left, its photo (an empty slot of the same size:
no image is read) under the headline, its body balanced in its columns around it.  The
frame height the engine gives back is what the article needs.  Results are kept in the
front end's memo under everything they depend on.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layout.arrange.articleset import ArticleSet, SetArticle
from layout.geometry.grid import PageGrid
from layout.memo import Memo
from layout.problems import ProblemKind
from layout.spec.errors import KeyPath, SpecError, SpecInvalid
from layout.spec.load import LoadedSpec

#: Title size (字号) by rank: the lead story (the first of the highest priority) gets the
#: largest; the others by their priority (a second story of priority 1 gets priority 2's).
LEAD_TITLE_SIZE = "小初"
TITLE_SIZE_BY_PRIORITY: dict[int, str] = {1: "一号", 2: "一号", 3: "二号", 4: "小二", 5: "三号",
                                          6: "三号", 7: "四号", 8: "四号", 9: "四号"}
#: Default widths in page columns (min, max) when an article gives no ``span``, as shares
#: of the page's columns: the lead from half the page to all of it, the others from two
#: columns to half the page and one.
LEAD_MIN_SHARE = 0.5
OTHER_MIN_COLUMNS = 2
OTHER_MAX_SHARE = 0.5
#: A photo takes the article's whole width, or about half of it (never under this many
#: columns): two choices per width, each measured.
PHOTO_MIN_COLUMNS = 2
#: A photo beside the text (narrower than its article) that is taller than the text
#: beside it would leave a hole under the text: it is cropped shorter (photos fill their
#: frame, ``fit: cover``), in steps, down to this share of its natural height; past it
#: the option is dropped (the photo across the whole width remains).
PHOTO_MIN_CROP = 0.6
PHOTO_CROP_STEPS = 8
#: Aspect (width / height) assumed for a photo whose image cannot be probed.
DEFAULT_ASPECT = 1.5
#: Most grid lines a photo's image may take, as a share of the page's lines.
PHOTO_MAX_SHARE = 0.5
#: A frame deeper than this share of the page's lines is a long thin strip (长条): such
#: options are dropped while the article has a shallower one.
MAX_DEPTH_SHARE = 0.6
#: Keys of the template copied into every measurement page (what changes text size or the grid).
MEASURE_KEYS = ("version", "page", "styles", "typography", "rules", "fonts", "output")


@dataclass(frozen=True, slots=True)
class Option:
    """One way to set an article: its width, its photo's width and height, and the lines it needs."""

    width: int  # page columns
    need: int  # grid lines, headline to the last body line (the photo included)
    head_lines: int  # grid lines the headline group takes (the photo starts under it)
    photo_span: int = 0  # page columns of the photo (0: none)
    photo_lines: int = 0  # grid lines of the photo frame (image and caption)


@dataclass(frozen=True, slots=True)
class Measured:
    article: SetArticle
    rank: int  # 0: the lead story
    title_size: str
    options: tuple[Option, ...]  # those that fit the page's height, by width then photo width
    unfit: tuple[int, ...]  # widths at which it does not fit the page at all


def ranked(articles: tuple[SetArticle, ...]) -> list[SetArticle]:
    """By priority, then by order in the set: the first is the lead story."""
    return sorted(articles, key=lambda a: (a.priority, a.order))


def title_size(rank: int, priority: int) -> str:
    return LEAD_TITLE_SIZE if rank == 0 else TITLE_SIZE_BY_PRIORITY[max(priority, 2)]


def allowed_widths(article: SetArticle, rank: int, columns: int) -> range:
    """The widths to try: the article's ``span`` (clipped to the page), else the defaults."""
    if article.span is not None:
        low, high = article.span
    elif rank == 0:
        low, high = max(1, math.ceil(columns * LEAD_MIN_SHARE)), columns
    else:
        low, high = min(OTHER_MIN_COLUMNS, columns), max(1, math.floor(columns * OTHER_MAX_SHARE) + 1)
    return range(max(1, low), min(columns, high) + 1)


def photo_spans(width: int, widest: int | None = None) -> tuple[int, ...]:
    """The photo's widths inside an article ``width`` columns wide: about half and all of
    it; none wider than ``widest`` columns (its pixels at the press's least resolution),
    else the widest it may be."""
    half = max(min(PHOTO_MIN_COLUMNS, width), math.ceil(width / 2))
    spans = {half, width}
    if widest is not None:
        spans = {s for s in spans if s <= widest} or ({min(widest, width)} if widest >= 1 else set())
    return tuple(sorted(spans))


def article_block(article: SetArticle, size: str, width: int, lines: int | str, column: int = 1,
                  line: int = 1) -> dict[str, Any]:
    """The article as a page spec block (the set's text keys, the title size by rank)."""
    block: dict[str, Any] = {"type": "article", "id": article.id,
                             "frame": {"column": column, "span": width, "line": line, "lines": lines}}
    block.update(dict(article.fields))
    block["styles"] = {"title": {"size": size}}
    return block


class Measurer:
    """Measures articles on one template's grid, through the page pipeline."""

    def __init__(self, template: LoadedSpec, document: dict[str, Any], grid: PageGrid, memo: Memo,
                 article_set: ArticleSet, template_digest: str):
        self.template = template
        self.base = {k: copy.deepcopy(document[k]) for k in MEASURE_KEYS if k in document}
        self.grid = grid
        self.memo = memo
        self.set = article_set
        self.digest = template_digest
        self.layouts = 0  # pages laid out (not from the memo)

    def _lay_out(self, blocks: list[dict[str, Any]], article: SetArticle | None) -> Any:
        from layout.page import lay_out_page
        from layout.spec.validate import validate

        document = dict(self.base, blocks=blocks)
        lines = self._lines(article)
        name = str(self.set.path)
        spec = validate(document, lines, name)  # raises SpecInvalid: FILE:LINE in the set
        self.layouts += 1
        return lay_out_page(LoadedSpec(self.template.path, spec, {}), memo=self.memo)

    def _lines(self, article: SetArticle | None) -> dict[KeyPath, int]:
        """Spec key paths of the measurement page mapped to the set's lines: an error in an
        article's text is reported where the set has it."""
        if article is None:
            return {}
        out: dict[KeyPath, int] = {(): article.line, ("blocks",): article.line, ("blocks", 0): article.line}
        prefix = ("articles", article.order)
        for path, line in self.set.lines.items():
            if path[:2] == prefix:
                out[("blocks", 0, *path[2:])] = line
        return out

    def photo_lines(self, article: SetArticle, span: int, aspect: float) -> int:
        """Grid lines of a photo ``span`` columns wide at ``aspect``: image and caption rows."""
        assert article.photo is not None
        width = span * self.grid.column_width + (span - 1) * self.grid.gutter
        image = max(1, round(width / aspect / self.grid.pitch))
        image = min(image, max(1, int(self.grid.n_lines * PHOTO_MAX_SHARE)))
        photo = article.photo
        key = ("arrange photo", self.digest, photo.caption, photo.credit, span, image)

        def compute() -> int:
            trial = min(self.grid.n_lines, image + 40)
            block = {"type": "photo", "id": "p", "frame": {"column": 1, "span": span, "line": 1, "lines": trial}}
            if photo.caption:
                block["caption"] = photo.caption
            if photo.credit:
                block["credit"] = photo.credit
            page = self._lay_out([block], None)
            rows = max(0, page.photos[0].result.lines_needed - 1)
            return image + rows

        return int(self.memo.get(key, compute))

    def measure(self, article: SetArticle, rank: int, aspect: float | None, widest: float | None = None) -> Measured:
        """``widest``: the photo's widest frame (pt) at the press's least resolution."""
        size = title_size(rank, article.priority)
        options: list[Option] = []
        unfit: list[int] = []
        for width in allowed_widths(article, rank, self.grid.columns):
            bare = self._need(article, size, width, 0, 0, 0)
            if bare is None:
                unfit.append(width)
                continue
            need, head, _ = bare
            if article.photo is None:
                options.append(Option(width, need, head))
                continue
            fitted = False
            for span in photo_spans(width, self._columns_within(widest)):
                natural = self.photo_lines(article, span, aspect or DEFAULT_ASPECT)
                found = self._photo_option(article, size, width, head, span, natural)
                if found is not None:
                    options.append(found)
                    fitted = True
            if not fitted:
                unfit.append(width)
        shallow = tuple(o for o in options if o.need <= self.grid.n_lines * MAX_DEPTH_SHARE)
        return Measured(article, rank, size, shallow or tuple(options), tuple(unfit))

    def _columns_within(self, width: float | None) -> int | None:
        """The most page columns (with their gutters) that fit in ``width`` pt."""
        if width is None:
            return None
        step = self.grid.column_width + self.grid.gutter
        return int((width + self.grid.gutter) // step)

    def _photo_option(self, article: SetArticle, size: str, width: int, head: int, span: int,
                      natural: int) -> Option | None:
        """The article with its photo ``span`` columns wide: at its natural height, or cropped
        shorter until the text beside it reaches its foot (no hole under the text)."""
        lines = natural
        for _ in range(PHOTO_CROP_STEPS):
            got = self._need(article, size, width, head, span, lines)
            if got is None:
                return None
            need, _, empty = got
            if not empty or span >= width:
                return Option(width, need, head, span, lines)
            beside = max(1, width - span)  # text columns beside the photo
            lines -= max(1, math.ceil(empty / beside))
            if lines < max(1, math.ceil(natural * PHOTO_MIN_CROP)):
                return None
        return None

    def _need(self, article: SetArticle, size: str, width: int, head: int, span: int,
              photo_lines: int) -> tuple[int, int, int] | None:
        """(lines needed, headline lines, empty lines under the text) at ``width``, or None
        when it cannot be set there (it overflows the page, or an error such as a headline
        over its allowed lines)."""
        key = ("arrange need 2", self.digest, self.set.digest, article.id, size, width, head, span, photo_lines)

        def compute() -> tuple[int, int] | None:
            blocks = [article_block(article, size, width, "auto")]
            if span:
                if 1 + head + photo_lines - 1 > self.grid.n_lines:
                    return None
                blocks.append({"type": "photo", "id": f"{article.id}-photo",
                               "frame": {"column": 1, "span": span, "line": 1 + head, "lines": photo_lines}})
            page = self._lay_out(blocks, article)
            laid = page.articles[0]
            # overflow past the page, a headline over its allowed lines …: not an option
            if any(p.severity == "error" and p.block == article.id for p in page.problems):
                return None
            lines = round(laid.frame.height / self.grid.pitch)
            empty = sum(int(p.details.get("lines_empty", 0)) for p in page.problems
                        if p.kind is ProblemKind.UNDERFULL and p.block == article.id)
            return lines, laid.headline_lines, empty

        return self.memo.get(key, compute)


def template_error(path: Path, line: int, en: str, zh: str) -> SpecInvalid:
    return SpecInvalid([SpecError(str(path), line, en, zh)])
