"""``paiban arrange``: an article set and a page template in, ranked page specs out."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from layout.arrange.articleset import ArticleSet, load_set
from layout.arrange.emit import Frame, Score, frames_of, page_document, score, to_yaml, touching_headlines
from layout.arrange.measure import Measured, Measurer, ranked
from layout.arrange.solve import Cell, Outcome, solve
from layout.article import UNDERFULL_SLACK_LINES
from layout.context import ProbeFactory
from layout.memo import Memo
from layout.problems import ProblemKind
from layout.safeio import IMAGE_MAX_BYTES, SPEC_MAX_BYTES, UnreadableFile, read_regular
from layout.spec.errors import SpecError, SpecInvalid
from layout.spec.load import LoadedSpec, load_spec

#: Alternatives asked for by default, and at most.
DEFAULT_ALTERNATIVES, MAX_ALTERNATIVES = 3, 10
#: The solver's whole budget by default, in (deterministic) seconds, and at most.
DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT = 6.0, 120.0
#: Resolution of the PNG previews.
PREVIEW_DPI = 50
#: Files a template may name (ads, artwork, fonts) copied beside the arrangements, at most this big.
ASSET_MAX_BYTES = 64 * 1024 * 1024
#: Where photos and the template's files go inside the output folder.
ASSET_FOLDER = "assets"
#: Keys of template blocks that name a file.
FILE_KEYS = ("src", "artwork")


@dataclass(frozen=True, slots=True)
class Arrangement:
    rank: int
    name: str  # arrangement-1.yaml …
    frames: tuple[Frame, ...]
    score: Score
    overflow: int  # articles that overflow when laid out by the engine
    touching: tuple[tuple[str, str], ...]  # 碰题 pairs
    errors: int  # error problems of the laid-out page
    warnings: int
    solver_seconds: float
    optimal: bool
    hole: int = 0  # empty lines under an underfull article's text, when laid out by the engine (the most of one
    # article, all its columns together; 0: every article ends within a line of its frame's foot)


@dataclass(slots=True)
class Report:
    set_path: str
    template: str
    arrangements: list[Arrangement] = field(default_factory=list)
    impossible: list[tuple[str, str]] = field(default_factory=list)  # (English, Chinese) reasons
    measured: list[dict[str, Any]] = field(default_factory=list)
    free_cells: int = 0
    measure_seconds: float = 0.0
    solver_seconds: float = 0.0
    total_seconds: float = 0.0
    layouts: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "set": self.set_path, "template": self.template, "ok": bool(self.arrangements) and not self.impossible,
            "impossible": [{"message": en, "message_zh": zh} for en, zh in self.impossible],
            "free_cells": self.free_cells, "measured": self.measured,
            "seconds": {"measure": round(self.measure_seconds, 3), "solver": round(self.solver_seconds, 3),
                        "total": round(self.total_seconds, 3)},
            "arrangements": [{
                "rank": a.rank, "file": a.name, "score": a.score.total,
                "terms": {"fill": a.score.fill, "order": a.score.order, "tidy": a.score.tidy},
                "overflow": a.overflow, "touching_headlines": [list(p) for p in a.touching], "hole_lines": a.hole,
                "errors": a.errors, "warnings": a.warnings, "solver_seconds": round(a.solver_seconds, 3),
                "optimal": a.optimal,
                "frames": [{"id": f.id, "priority": f.priority, "column": f.cell.x + 1, "span": f.cell.w,
                            "line": f.cell.y + 1, "lines": f.cell.h, "need": f.need} for f in a.frames],
            } for a in self.arrangements],
        }

    def text(self, lang: str = "en") -> str:
        zh = lang == "zh"
        out = [f"{self.set_path} → {self.template}"]
        for en, cn in self.impossible:
            out.append(cn if zh else en)
        for a in self.arrangements:
            touching = ", ".join("/".join(p) for p in a.touching) or ("无" if zh else "none")
            if zh:
                out.append(f"方案 {a.rank}（{a.name}）：得分 {a.score.total:.1f}；版面填充 {a.score.fill:.1%}，"
                           f"主次顺序 {a.score.order:.0%}，齐整 {a.score.tidy:.0%}；超版 {a.overflow}，碰题 {touching}；"
                           f"求解 {a.solver_seconds:.2f} 秒")
            else:
                out.append(f"arrangement {a.rank} ({a.name}): score {a.score.total:.1f}; fill {a.score.fill:.1%}, "
                           f"order {a.score.order:.0%}, tidy {a.score.tidy:.0%}; overflow {a.overflow}, "
                           f"touching headlines {touching}; solver {a.solver_seconds:.2f} s")
            for f in sorted(a.frames, key=lambda f: (f.cell.y, f.cell.x)):
                out.append(f"  {f.id}: " + (f"第 {f.cell.x + 1}–{f.cell.x + f.cell.w} 栏，第 {f.cell.y + 1}–"
                           f"{f.cell.y + f.cell.h} 行（需 {f.need} 行）" if zh else
                           f"columns {f.cell.x + 1}–{f.cell.x + f.cell.w}, lines {f.cell.y + 1}–"
                           f"{f.cell.y + f.cell.h} (needs {f.need})"))
        out.append(f"耗时：测量 {self.measure_seconds:.2f} 秒，求解 {self.solver_seconds:.2f} 秒，共 "
                   f"{self.total_seconds:.2f} 秒" if zh else
                   f"time: measuring {self.measure_seconds:.2f} s, solver {self.solver_seconds:.2f} s, "
                   f"total {self.total_seconds:.2f} s")
        return "\n".join(out)


Writer = Callable[[Path, bytes], None]


def arrange(set_path: Path, template_path: Path, out: Path | None, memo: Memo, write: Writer,
            alternatives: int = DEFAULT_ALTERNATIVES, time_limit: float = DEFAULT_TIME_LIMIT,
            preview: bool = False, probe: ProbeFactory | None = None) -> Report:
    """Arrange the set on the template; write the ranked specs (and previews) into ``out``
    (None: nothing written); ``probe``: the renderer's image probe factory, for the check
    of the laid-out pages.

    Raises:
        SpecInvalid: unusable input (the set, the template, a photo), ``FILE:LINE: message``.
    """
    started = time.perf_counter()
    article_set = load_set(set_path)
    template = load_spec(template_path, memo)
    document = _template_document(template_path)
    _check_ids(article_set, template)
    from layout.geometry.grid import make_grid
    from layout.spec.styles import build_stylesheet

    grid = make_grid(template.spec.page, build_stylesheet(template.spec)["body"].leading)
    fixed = _fixed_cells(template, grid.columns, grid.n_lines)
    free = grid.columns * grid.n_lines - _covered(fixed, grid.columns, grid.n_lines)
    report = Report(str(set_path), str(template_path), free_cells=free)
    aspects, widest = _aspects(article_set, template, memo)
    digest = hashlib.sha256(read_regular(template_path, SPEC_MAX_BYTES)).hexdigest()
    measurer = Measurer(template, document, grid, memo, article_set, digest)
    order = ranked(article_set.articles)
    measured = [measurer.measure(a, rank, aspects.get(a.id), widest.get(a.id)) for rank, a in enumerate(order)]
    report.measure_seconds = time.perf_counter() - started
    report.layouts = measurer.layouts
    report.measured = [{"id": m.article.id, "priority": m.article.priority, "title_size": m.title_size,
                        "options": [{"width": o.width, "need": o.need, "photo_span": o.photo_span}
                                    for o in m.options]} for m in measured]
    report.impossible = _impossible(measured, free, grid.n_lines)
    if report.impossible:
        report.total_seconds = time.perf_counter() - started
        return report
    outcome = solve(measured, grid.columns, grid.n_lines, fixed, UNDERFULL_SLACK_LINES, alternatives, time_limit)
    report.solver_seconds = outcome.seconds
    if not outcome.solutions:
        report.impossible = [_no_solution(outcome, time_limit)]
        report.total_seconds = time.perf_counter() - started
        return report
    report.arrangements = _finish(outcome, measured, article_set, template, document, out, memo, write, free,
                                  preview, probe)
    report.total_seconds = time.perf_counter() - started
    return report


def _template_document(path: Path) -> dict[str, Any]:
    from layout.spec.yamlread import read_document

    document, _ = read_document(read_regular(path, SPEC_MAX_BYTES), str(path))
    return dict(document)


def _check_ids(article_set: ArticleSet, template: LoadedSpec) -> None:
    used = {b.id: i for i, b in enumerate(template.spec.blocks)}
    errors = [SpecError(str(article_set.path), article_set.line_of(("articles", a.order, "id")),
                        f"articles[{a.order}].id: {a.id} is already a block of the page template {template.path}",
                        f"articles[{a.order}].id：{a.id} 已是版面模板 {template.path} 中的版块")
              for a in article_set.articles if a.id in used]
    if errors:
        raise SpecInvalid(errors)


def _fixed_cells(template: LoadedSpec, columns: int, lines: int) -> list[Cell]:
    """The template's blocks as cells on the grid (clipped to it; the template's own check
    reports frames outside the page)."""
    cells = []
    for block in template.spec.blocks:
        f = block.frame
        height = f.lines if isinstance(f.lines, int) else 1
        x0, y0 = min(f.column - 1, columns - 1), min(f.line - 1, lines - 1)
        w, h = min(f.span, columns - x0), min(height, lines - y0)
        if w > 0 and h > 0:
            cells.append(Cell(x0, y0, w, h))
    return cells


def _covered(cells: list[Cell], columns: int, lines: int) -> int:
    grid = [[False] * columns for _ in range(lines)]
    for c in cells:
        for y in range(c.y, c.y + c.h):
            for x in range(c.x, c.x + c.w):
                grid[y][x] = True
    return sum(row.count(True) for row in grid)


def _photo_path(article_set: ArticleSet, src: str, line: int) -> Path:
    """The photo's file, which must be a regular file inside the set's folder tree."""
    name = str(article_set.path)
    folder = article_set.folder.resolve()
    try:
        path = (article_set.folder / src).resolve()
    except (OSError, RuntimeError) as exc:
        raise SpecInvalid([SpecError(name, line, f"photo {src}: its path cannot be followed ({exc})",
                                     f"图片 {src}：路径无法解析（{exc}）")]) from None
    if folder not in path.parents:
        raise SpecInvalid([SpecError(name, line, f"photo {src} is outside the set's folder",
                                     f"图片 {src} 在稿件集所在目录之外")])
    return path


def _aspects(article_set: ArticleSet, template: LoadedSpec, memo: Memo) -> tuple[dict[str, float], dict[str, float]]:
    """Width / height of each photo, read from its file's header by the renderer's probe,
    and the widest it may be set (pt) at the press's least resolution (``output.min_ppi``)."""
    from layout.press import press_settings
    from layout.render.images import make_probe

    press = press_settings(template.spec.output, template.folder, None, memo)
    probe = make_probe(press, memo)
    out, widest = {}, {}
    for a in article_set.articles:
        if a.photo is None:
            continue
        path = _photo_path(article_set, a.photo.src, a.photo.line)
        try:
            read_regular(path, IMAGE_MAX_BYTES)  # a regular file of bounded size, before any decoder sees it
            info = probe(path)
        except (UnreadableFile, ValueError, OSError) as exc:
            reason = exc.reason if isinstance(exc, UnreadableFile) else str(exc)
            raise SpecInvalid([SpecError(str(article_set.path), a.photo.line,
                                         f"articles[{a.order}].photo.src: cannot read {a.photo.src}: {reason}",
                                         f"articles[{a.order}].photo.src：无法读取 {a.photo.src}：{reason}")]) from None
        out[a.id] = info.width / max(info.height, 1)
        widest[a.id] = info.width / press.min_ppi * 72.0
    return out, widest


def _impossible(measured: list[Measured], free: int, lines: int) -> list[tuple[str, str]]:
    """Why the set cannot fit, before solving: an article that fits at no allowed width,
    or more copy than the free cells hold (with the least important articles that would
    have to go)."""
    out = []
    for m in measured:
        if not m.options:
            out.append((f"article {m.article.id} does not fit the page at any allowed width "
                        f"({', '.join(map(str, m.unfit))} columns): it is longer than the page's {lines} lines",
                        f"稿件 {m.article.id} 在允许的任何栏宽（{'、'.join(map(str, m.unfit))} 栏）下都排不下："
                        f"比版面的 {lines} 行还长"))
    if out:
        return out
    smallest = [min(o.width * o.need for o in m.options) for m in measured]
    total = sum(smallest)
    if total <= free:
        return []
    dropped, left = [], total
    for m, area in sorted(zip(measured, smallest, strict=True), key=lambda p: (-p[0].article.priority, -p[0].article.order)):
        if left <= free:
            break
        dropped.append(m.article.id)
        left -= area
    names = ", ".join(dropped)
    return [(f"too much copy for the page: the articles need at least {total} column-lines at their most compact, "
             f"the page has {free} free ({total - free} over, about {100 * (total - free) / free:.0f} %); "
             f"leave out or cut: {names}",
             f"稿件太多，版面排不下：各稿最紧凑时至少需要 {total} 栏行，版面只有 {free} 栏行空位"
             f"（超出 {total - free}，约 {100 * (total - free) / free:.0f}%）；请撤下或删减：{'、'.join(dropped)}")]


def _no_solution(outcome: Outcome, time_limit: float) -> tuple[str, str]:
    if outcome.infeasible:
        return ("no arrangement keeps every rule (each article in a frame on the free grid, the lead story on top, "
                "no touching headlines): allow other widths (span) or cut copy",
                "没有满足全部规则的拼版方案（各稿占用空白网格、头条在最上、不碰题）：请放宽栏宽（span）或删减稿件")
    return (f"no arrangement found within the time limit ({time_limit:g} s); try a longer --time-limit",
            f"在时限（{time_limit:g} 秒）内未找到拼版方案；请加大 --time-limit")


def _finish(outcome: Outcome, measured: list[Measured], article_set: ArticleSet, template: LoadedSpec,
            document: dict[str, Any], out: Path | None, memo: Memo, write: Writer, free: int,
            preview: bool, probe: ProbeFactory | None) -> list[Arrangement]:
    """Each solution as a page spec, laid out by the engine, checked and scored; ranked."""
    from layout.page import lay_out_page
    from layout.spec.validate import validate
    from layout.spec.yamlread import read_document

    folder = out if out is not None else template.folder
    srcs = _copy_assets(article_set, template, document, out, write) if out is not None else {}
    base = _rebased(document, srcs) if out is not None else document
    taken = {b.id for b in template.spec.blocks} | {a.id for a in article_set.articles}
    built = []
    for solution in outcome.solutions:
        frames = frames_of(solution, measured)
        photos = {a.id: srcs.get(("photo", a.id), a.photo.src) for a in article_set.articles if a.photo}
        page = page_document(base, solution, measured, photos, set(taken))
        header = (f"# Arranged by paiban arrange from {article_set.path.name} on the template {template.path.name}.\n")
        text = to_yaml(page, header)
        name = str(folder / "arrangement.yaml")
        data, lines = read_document(text.encode(), name)
        spec = validate(data, lines, name)
        laid = lay_out_page(LoadedSpec(folder / "arrangement.yaml", spec, lines), memo=memo,
                            probe=probe if out is not None else None)
        overflow = {p.block for p in laid.problems if p.kind in (ProblemKind.OVERFLOW, ProblemKind.INSERT_OVERFLOW)}
        errors = sum(1 for p in laid.problems if p.severity == "error")
        warnings = sum(1 for p in laid.problems if p.severity == "warning")
        hole = max((int(p.details.get("lines_empty", 0)) for p in laid.problems if p.kind is ProblemKind.UNDERFULL),
                   default=0)
        built.append((score(frames, free), frames, overflow, errors, warnings, solution, text, laid, hole))
    built.sort(key=lambda b: -b[0].total)  # stable: the solver's order breaks ties
    result = []
    for rank, (sc, frames, overflow, errors, warnings, solution, text, laid, hole) in enumerate(built, 1):
        name = f"arrangement-{rank}.yaml"
        if out is not None:
            write(out / name, text.replace("arrangement.yaml", name).encode())
            if preview:
                from layout.render.png import render_png

                write(out / f"arrangement-{rank}.png", render_png(laid, dpi=PREVIEW_DPI, memo=memo))
        result.append(Arrangement(rank, name, tuple(frames), sc, len(overflow), tuple(touching_headlines(frames)),
                                  errors, warnings, solution.seconds, solution.optimal, hole))
    return result


def _copy_assets(article_set: ArticleSet, template: LoadedSpec, document: dict[str, Any], out: Path,
                 write: Writer) -> dict[tuple[str, str], str]:
    """Copy the photos and the files the template names into ``out/assets``; their new
    relative names by (kind, key): ("photo", article id), ("block", block index / key),
    ("font", family)."""
    names: dict[tuple[str, str], str] = {}

    def put(path: Path, line: int, source: str) -> str:
        try:
            data = read_regular(path, ASSET_MAX_BYTES)
        except UnreadableFile as exc:
            raise SpecInvalid([SpecError(source, line, f"cannot read {path.name}: {exc.reason}",
                                         f"无法读取 {path.name}：{exc.reason}")]) from None
        name = f"{ASSET_FOLDER}/{hashlib.sha256(data).hexdigest()[:12]}-{path.name}"
        (out / ASSET_FOLDER).mkdir(exist_ok=True)
        write(out / name, data)
        return name

    for a in article_set.articles:
        if a.photo is not None:
            names[("photo", a.id)] = put(_photo_path(article_set, a.photo.src, a.photo.line), a.photo.line,
                                         str(article_set.path))
    for index, block in enumerate(document.get("blocks") or []):
        for key in FILE_KEYS:
            if isinstance(block, dict) and isinstance(block.get(key), str):
                names[("block", f"{index}/{key}")] = put(template.folder / block[key],
                                                         template.line_of(("blocks", index, key)), str(template.path))
    for family, file in (document.get("fonts") or {}).items():
        if isinstance(file, str):
            names[("font", family)] = put(template.folder / file, template.line_of(("fonts", family)),
                                          str(template.path))
    output = document.get("output")
    if isinstance(output, dict) and isinstance(output.get("profile"), str):
        names[("profile", "")] = put(template.folder / output["profile"], template.line_of(("output", "profile")),
                                     str(template.path))
    return names


def _rebased(document: dict[str, Any], names: dict[tuple[str, str], str]) -> dict[str, Any]:
    """The template with its files named as copied into the output folder."""
    import copy

    doc = copy.deepcopy(document)
    for index, block in enumerate(doc.get("blocks") or []):
        for key in FILE_KEYS:
            if ("block", f"{index}/{key}") in names:
                block[key] = names[("block", f"{index}/{key}")]
    for family in list(doc.get("fonts") or {}):
        if ("font", family) in names:
            doc["fonts"][family] = names[("font", family)]
    if ("profile", "") in names:
        doc["output"]["profile"] = names[("profile", "")]
    return doc
