"""Copyfit (压行/拉行): the cheapest bounded adjustment that makes an article fit.

For every article that overflows or is underfull, the fitter tries the discrete steps
of its policy (``fit:`` on the page and on the article, docs/fit.md) in a fixed cost
order, cheapest first, and lays the article out again with the real composer for each
trial; the first trial whose article is ``ok`` wins.  Single adjustments come first
(tracking in 0.5 % steps, then punctuation squeeze, then the photo in whole grid lines,
then the title in 字号 steps, then horizontal scale in 1 % steps); combinations only when
no single one is enough, in order of their summed cost.  Vertical positions stay whole
grid lines: tracking, squeeze and scale change only where lines break; a photo changes
by whole lines; a title's size changes the headline's whole-line height.

Pure: no I/O, no rendering; trials go through :func:`layout.page.lay_out_page` on a
page holding only the article and what makes holes in it (photos, QR codes, slots), with
the front end's memo.  The work is bounded: at most :data:`MAX_FIT_TRIALS` trials an
article and :data:`MAX_FIT_ARTICLES` articles a page.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from layout.memo import Memo
from layout.problems import ProblemKind
from layout.spec.data import (
    Ad,
    Article,
    Block,
    Ear,
    FitAdjustment,
    FitPolicy,
    Index,
    Masthead,
    PageSpec,
    Photo,
    Qr,
    StyleOverride,
)
from layout.spec.load import LoadedSpec
from layout.spec.styles import build_stylesheet, with_overrides
from layout.units import SIZE_NAMES

#: The policy of a page without ``fit:`` (and of every key neither page nor article sets):
#: what ``check`` suggests with and ``--fit`` applies.
DEFAULT_POLICY = FitPolicy(tracking=(-0.03, 0.02), squeeze=True, scale=(0.95, 1.0), headline=(-1, 0), photo=2)
#: Tracking is tried in steps of this share of the body size (0.5 %).
TRACKING_STEP = 0.005
#: Horizontal scale is tried in steps of 1 %.
SCALE_STEP = 0.01
#: Trials (re-layouts of one article) at most per article: a hostile page is still
#: reported in seconds.
MAX_FIT_TRIALS = 40
#: Articles fitted at most per page; the rest are reported without a suggestion.
MAX_FIT_ARTICLES = 40
#: Cost of one step of each adjustment (the search order of combinations; singles go in
#: the order of this table, each from its smallest step).
STEP_COST = {"tracking": 1, "squeeze": 3, "photo": 4, "headline": 6, "scale": 8}
#: Punctuation styles that squeezing can still tighten (开明式 and 半角式 already are).
SQUEEZABLE = frozenset({"quanjiao", "line_end_half"})
#: 字号 in points, largest first: the steps of a title.
SIZE_STEPS = tuple(sorted(set(SIZE_NAMES.values()), reverse=True))


class Need(StrEnum):
    """What an article needs: fewer lines (压行) or more (拉行)."""

    OVER = "overflow"
    UNDER = "underfull"


@dataclass(frozen=True, slots=True)
class Trial:
    """An article laid out with one adjustment: its status and how far off it is."""

    status: str
    lines: int  # lines over (overflow) or empty (underfull), 0 when ok
    chars: int  # characters over, or about how many fill the empty lines


@dataclass(frozen=True, slots=True)
class FitResult:
    """The fitter's answer for one article."""

    article: str
    need: Need
    lines: int  # lines over or empty as the article stands
    chars: int
    adjustment: FitAdjustment | None  # None: no adjustment within the policy is enough
    remaining: int  # with the strongest adjustment: lines still over or empty (0 when it fits)
    remaining_chars: int
    trials: int
    applied: bool = False
    line: int | None = None  # the article's spec line

    @property
    def fits(self) -> bool:
        return self.adjustment is not None

    def message(self, lang: str = "en") -> str:
        if self.adjustment is not None:
            how = describe(self.adjustment, lang)
            if lang == "zh":
                done = "排下" if self.need is Need.OVER else "排满"
                return f"稿件 {self.article}：已按{how}{done}" if self.applied else f"稿件 {self.article}：{how}即可{done}"
            verb = "fitted" if self.applied else "fits"
            return f"article {self.article}: {verb} with {how}"
        if self.need is Need.OVER:
            if lang == "zh":
                return (f"稿件 {self.article}：删 {self.remaining} 行（约 {self.remaining_chars} 字）：调整范围内无法排下"
                        f"（现超 {self.lines} 行）")
            return (f"article {self.article}: cut {self.remaining} line{_s(self.remaining)} (about "
                    f"{self.remaining_chars} characters): no adjustment is enough ({self.lines} over now)")
        if lang == "zh":
            return (f"稿件 {self.article}：补 {self.remaining} 行（约 {self.remaining_chars} 字）：调整范围内无法排满"
                    f"（现空 {self.lines} 行）")
        return (f"article {self.article}: add {self.remaining} line{_s(self.remaining)} (about "
                f"{self.remaining_chars} characters): no adjustment is enough ({self.lines} empty now)")

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "article": self.article, "need": str(self.need), "lines": self.lines, "chars": self.chars,
            "fits": self.fits, "applied": self.applied,
            "adjustment": adjustment_json(self.adjustment) if self.adjustment is not None else None,
            "remaining_lines": self.remaining, "remaining_chars": self.remaining_chars, "trials": self.trials,
            "message": self.message(lang),
        }

    @property
    def kind(self) -> str:
        """``fit`` (a suggestion) or ``fit_applied`` (``--fit``), as JUnit names it."""
        return "fit_applied" if self.applied else "fit"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def adjustment_json(a: FitAdjustment) -> dict[str, Any]:
    """An adjustment in the report: percentages as numbers (−1.5 means −1.5 %)."""
    return {"tracking": round(a.tracking * 100, 2), "squeeze": a.squeeze, "scale": round(a.scale * 100, 2),
            "headline": a.headline, "photo": a.photo, "photo_id": a.photo_id}


def describe(a: FitAdjustment, lang: str = "en") -> str:
    """``−1.5 % tracking, the photo 2 lines shorter`` / ``字距 −1.5%、图片缩短 2 行``."""
    parts: list[str] = []
    zh = lang == "zh"
    if a.tracking:
        value = f"{a.tracking * 100:+.1f}%".replace("-", "−")
        parts.append(f"字距 {value}" if zh else f"{value} tracking")
    if a.squeeze:
        parts.append("标点挤压" if zh else "punctuation squeezed")
    if a.photo:
        n = abs(a.photo)
        if zh:
            parts.append(f"图片{'缩短' if a.photo < 0 else '加高'} {n} 行")
        else:
            parts.append(f"the photo {n} line{_s(n)} {'shorter' if a.photo < 0 else 'taller'}")
    if a.headline:
        n = abs(a.headline)
        if zh:
            parts.append(f"标题{'缩小' if a.headline < 0 else '放大'} {n} 级字号")
        else:
            parts.append(f"the title {n} size{_s(n)} {'smaller' if a.headline < 0 else 'larger'}")
    if a.scale != 1.0:
        parts.append(f"字宽 {a.scale * 100:.0f}%" if zh else f"{a.scale * 100:.0f} % glyph width")
    if not parts:
        return "不调整" if zh else "no adjustment"
    return "、".join(parts) if zh else ", ".join(parts)


def resolve_policy(page: FitPolicy | None, article: FitPolicy | None) -> FitPolicy:
    """The article's policy: its own keys, else the page's, else the default's."""
    out = DEFAULT_POLICY
    for layer in (page, article):
        if layer is None:
            continue
        out = FitPolicy(
            tracking=layer.tracking if layer.tracking is not None else out.tracking,
            squeeze=layer.squeeze if layer.squeeze is not None else out.squeeze,
            scale=layer.scale if layer.scale is not None else out.scale,
            headline=layer.headline if layer.headline is not None else out.headline,
            photo=layer.photo if layer.photo is not None else out.photo)
    return out


# --- the steps ---------------------------------------------------------------------------


def _steps(limit: float, step: float) -> list[float]:
    """0 excluded, up to ``limit`` (either sign) in ``step``s, smallest first."""
    count = int(abs(limit) / step + 1e-9)
    sign = -1.0 if limit < 0 else 1.0
    return [round(sign * step * k, 6) for k in range(1, count + 1)]


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    values: tuple[Any, ...]  # non-neutral values, weakest first


def dimensions(policy: FitPolicy, need: Need, squeezable: bool, photo: Photo | None,
               has_title: bool) -> tuple[Dimension, ...]:
    """The policy's steps that move the article the way it needs, in cost order."""
    assert policy.tracking is not None and policy.scale is not None and policy.headline is not None
    over = need is Need.OVER
    dims = [Dimension("tracking", tuple(_steps(policy.tracking[0] if over else policy.tracking[1], TRACKING_STEP)))]
    if over and policy.squeeze and squeezable:
        dims.append(Dimension("squeeze", (True,)))
    if photo is not None and policy.photo:
        dims.append(Dimension("photo", tuple(range(-1, -policy.photo - 1, -1) if over else range(1, policy.photo + 1))))
    if has_title:
        limit = policy.headline[0] if over else policy.headline[1]
        dims.append(Dimension("headline", tuple(range(-1, limit - 1, -1) if over else range(1, limit + 1))))
    scale = [round(1.0 + s, 6) for s in _steps((policy.scale[0] if over else policy.scale[1]) - 1.0, SCALE_STEP)]
    dims.append(Dimension("scale", tuple(scale)))
    return tuple(d for d in dims if d.values)


def _cost(name: str, value: Any) -> float:
    if name == "tracking":
        return STEP_COST[name] * abs(value) / TRACKING_STEP
    if name == "scale":
        return STEP_COST[name] * abs(value - 1.0) / SCALE_STEP
    if name == "squeeze":
        return STEP_COST[name]
    return STEP_COST[name] * abs(value)


def _adjustment(choice: dict[str, Any], photo: Photo | None) -> FitAdjustment:
    p = choice.get("photo", 0)
    return FitAdjustment(tracking=choice.get("tracking", 0.0), squeeze=choice.get("squeeze", False),
                         scale=choice.get("scale", 1.0), headline=choice.get("headline", 0), photo=p,
                         photo_id=photo.id if p and photo is not None else None)


def candidates(dims: tuple[Dimension, ...]) -> Iterator[dict[str, Any]]:
    """Singles in cost order (each dimension from its smallest step), then combinations of
    two or more dimensions by summed cost (ties: in the order of the dimensions)."""
    for d in dims:
        for v in d.values:
            yield {d.name: v}
    combos = []
    for values in itertools.product(*((None, *d.values) for d in dims)):
        chosen = {d.name: v for d, v in zip(dims, values, strict=True) if v is not None}
        if len(chosen) >= 2:
            key = tuple(dims.index(d) if v is not None else -1 for d, v in zip(dims, values, strict=True))
            combos.append((sum(_cost(n, v) for n, v in chosen.items()), key, values, chosen))
    combos.sort(key=lambda c: (c[0], c[1], str(c[2])))
    for *_, chosen in combos:
        yield chosen


# --- applying an adjustment to the spec ---------------------------------------------------


def title_size(spec: PageSpec, article: Article) -> float:
    return with_overrides(build_stylesheet(spec), article.styles)["title"].size


def step_size(size: float, steps: int) -> float:
    """``size`` moved ``steps`` 字号 (negative: smaller) along the size names."""
    if steps < 0:
        smaller = [s for s in SIZE_STEPS if s < size - 1e-6]
        return smaller[min(-steps, len(smaller)) - 1] if smaller else size
    if steps > 0:
        larger = [s for s in reversed(SIZE_STEPS) if s > size + 1e-6]
        return larger[min(steps, len(larger)) - 1] if larger else size
    return size


def apply(loaded: LoadedSpec, article: Article, a: FitAdjustment) -> LoadedSpec:
    """The page with ``a`` applied to ``article``: its title's size and its photo in the
    spec, its body's adjustment in ``LoadedSpec.fitted`` (the spec keeps what was written)."""
    spec = loaded.spec
    styles = dict(article.styles)
    if a.headline:
        old = styles.get("title")
        size = step_size(title_size(spec, article), a.headline)
        styles["title"] = replace(old, size=size) if old is not None else StyleOverride(
            None, None, size, None, None, None, None, None, None)
    fitted = {k: v for k, v in loaded.fitted.items() if k != article.id}
    if a.tracking or a.squeeze or a.scale != 1.0:
        fitted[article.id] = a
    new_article = replace(article, styles=styles)
    blocks: list[Block] = []
    for b in spec.blocks:
        if b is article:
            blocks.append(new_article)
        elif isinstance(b, Photo) and a.photo and b.id == a.photo_id:
            blocks.append(_resized(b, article, a.photo))
        else:
            blocks.append(b)
    return replace(loaded, spec=replace(spec, blocks=blocks), fitted=fitted)


def _resized(photo: Photo, article: Article, lines: int) -> Photo:
    """The photo ``lines`` taller (negative: shorter); one standing on the article's
    bottom keeps its bottom there, any other keeps its top."""
    f = photo.frame
    assert isinstance(f.lines, int)
    new_lines = max(1, f.lines + lines)
    bottom = f.line + f.lines - 1
    a = article.frame
    on_bottom = isinstance(a.lines, int) and bottom == a.line + a.lines - 1
    line = f.line + (f.lines - new_lines) if on_bottom else f.line
    return replace(photo, frame=replace(f, line=max(line, 1), lines=new_lines))


def article_photo(spec: PageSpec, article: Article) -> Photo | None:
    """The photo inside the article's frame (and no other article's) that may change height."""
    others = [b for b in spec.blocks if isinstance(b, Article) and b is not article]
    for b in spec.blocks:
        if not isinstance(b, Photo) or not isinstance(b.frame.lines, int):
            continue
        if _inside(b, article) and not any(_overlap(o, b) for o in others):
            return b
    return None


def _inside(photo: Photo, article: Article) -> bool:
    a, f = article.frame, photo.frame
    a_last = a.line + a.lines - 1 if isinstance(a.lines, int) else 10**6
    lines = f.lines if isinstance(f.lines, int) else 0
    return a.column <= f.column and f.column + f.span <= a.column + a.span and a.line <= f.line \
        and f.line + lines - 1 <= a_last


def _overlap(article: Article, photo: Photo) -> bool:
    a, f = article.frame, photo.frame
    assert isinstance(f.lines, int)
    a_last = a.line + a.lines - 1 if isinstance(a.lines, int) else 10**6
    assert isinstance(f.lines, int)
    return (a.column < f.column + f.span and f.column < a.column + a.span
            and a.line <= f.line + f.lines - 1 and f.line <= a_last)


# --- the search ---------------------------------------------------------------------------

#: Lays out a spec and returns the article's trial (injected: layout.page imports this module).
TrialRunner = Callable[[LoadedSpec, str], Trial]


def fit_article(loaded: LoadedSpec, article: Article, base: Trial, run: TrialRunner) -> FitResult:
    """The cheapest adjustment within the article's policy that makes it ``ok``."""
    spec = loaded.spec
    need = Need.OVER if base.status == "overflow" else Need.UNDER
    policy = resolve_policy(spec.fit, article.fit)
    punctuation = article.styles.get("body")
    current = (punctuation.punctuation if punctuation is not None and punctuation.punctuation else None) \
        or spec.typography.punctuation
    photo = article_photo(spec, article)
    dims = dimensions(policy, need, current in SQUEEZABLE, photo, bool(article.title))
    if photo is not None:  # a photo changed only as far as it stays inside the article's frame
        dims = tuple(replace(d, values=tuple(v for v in d.values if _inside(_resized(photo, article, v), article)))
                     if d.name == "photo" else d for d in dims)
        dims = tuple(d for d in dims if d.values)
    trials = 0

    def attempt(choice: dict[str, Any]) -> Trial:
        nonlocal trials
        trials += 1
        return run(apply(loaded, article, _adjustment(choice, photo)), article.id)

    strongest = {d.name: d.values[-1] for d in dims}
    result = attempt(strongest) if strongest else base
    still = result.status == base.status
    if not dims or still:  # nothing is enough: how far the strongest adjustment leaves it
        return FitResult(article.id, need, base.lines, base.chars, None, result.lines, result.chars, trials)
    if result.status == "ok" and len(dims) == 1 and len(dims[0].values) == 1:
        return FitResult(article.id, need, base.lines, base.chars, _adjustment(strongest, photo), 0, 0, trials)
    weak: list[dict[str, Any]] = []  # tried and still short the same way: anything weaker is too
    for choice in candidates(dims):
        if trials >= MAX_FIT_TRIALS:
            break
        if any(_weaker(choice, w, dims) for w in weak):
            continue
        got = attempt(choice)
        if got.status == "ok":
            return FitResult(article.id, need, base.lines, base.chars, _adjustment(choice, photo), 0, 0, trials)
        if got.status == base.status:
            weak.append(choice)
    if result.status == "ok":  # only the strongest fits (or the cap came first)
        return FitResult(article.id, need, base.lines, base.chars, _adjustment(strongest, photo), 0, 0, trials)
    return FitResult(article.id, need, base.lines, base.chars, None, base.lines, base.chars, trials)


def _weaker(choice: dict[str, Any], than: dict[str, Any], dims: tuple[Dimension, ...]) -> bool:
    """Every step of ``choice`` is at most as strong as ``than``'s."""
    for d in dims:
        mine, theirs = choice.get(d.name), than.get(d.name)
        if mine is None:
            continue
        if theirs is None or d.values.index(mine) > d.values.index(theirs):
            return False
    return True


def holes_only(spec: PageSpec, article: Article) -> PageSpec:
    """The page with only ``article`` and the blocks that make holes in articles: a trial
    lays out no other text."""
    keep: list[Block] = [b for b in spec.blocks if b is article or isinstance(b, Photo | Qr | Masthead | Ear | Ad | Index)]
    return replace(spec, blocks=keep, header=None, footer=None)


def fit_page(loaded: LoadedSpec, statuses: dict[str, Trial], lay_out: Callable[[LoadedSpec], Any],
             memo: Memo | None = None) -> tuple[FitResult, ...]:
    """A :class:`FitResult` for every article of ``statuses`` that is not ``ok``, at most
    :data:`MAX_FIT_ARTICLES`, in page order.  ``lay_out`` lays out a LoadedSpec (a page)."""
    spec = loaded.spec
    out: list[FitResult] = []
    for index, block in enumerate(spec.blocks):
        if not isinstance(block, Article) or block.id not in statuses or statuses[block.id].status == "ok":
            continue
        if block.jump is not None:  # 转版: what does not fit goes on on a later page, by design
            continue
        if len(out) >= MAX_FIT_ARTICLES:
            break

        def run(trial: LoadedSpec, article_id: str) -> Trial:
            target = next(b for b in trial.spec.blocks if isinstance(b, Article) and b.id == article_id)
            return trial_of(lay_out(replace(trial, spec=holes_only(trial.spec, target))), article_id)

        result = fit_article(loaded, block, statuses[block.id], run)
        out.append(replace(result, line=loaded.line_of(("blocks", index, "frame")) or None))
    return tuple(out)


def trial_of(page: Any, article_id: str) -> Trial:
    """An article's status in a laid-out page (``PageLayout``), with its lines and characters off."""
    status = next((b.status for b in page.blocks if b.id == article_id), "ok")
    for p in page.problems:
        if p.block != article_id:
            continue
        if status == "overflow" and p.kind is ProblemKind.OVERFLOW:
            return Trial(status, p.details["lines_over"], p.details["chars_over"])
        if status == "underfull" and p.kind is ProblemKind.UNDERFULL:
            return Trial(status, p.details["lines_empty"], p.details["chars_to_fill"])
    return Trial(status, 0, 0)


def applied_spec(loaded: LoadedSpec, results: tuple[FitResult, ...]) -> LoadedSpec:
    """The page with every fitting adjustment applied."""
    for r in results:
        if r.adjustment is None:
            continue
        article = next(b for b in loaded.spec.blocks if isinstance(b, Article) and b.id == r.article)
        loaded = apply(loaded, article, r.adjustment)
    return loaded


def keywords(results: tuple[FitResult, ...]) -> str:
    """What the PDF's Info ``Keywords`` say of the adjustments applied (ASCII)."""
    done = [r for r in results if r.applied and r.adjustment is not None]
    if not done:
        return ""
    return "paiban-fit: " + "; ".join(f"{r.article} {describe(r.adjustment)}".replace("−", "-")  # type: ignore[arg-type]
                                      for r in done)
