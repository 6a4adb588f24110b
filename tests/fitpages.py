"""Pages built to be 1–3 lines over or under per article, from the real Chinese copy of
examples/ (the copyfit tests and benchmarks/fit.py)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from layout.fit import trial_of
from layout.memo import Memo
from layout.page import PageLayout, lay_out_page
from layout.spec.load import LoadedSpec, load_spec

REPO = Path(__file__).resolve().parent.parent

PAGE: dict[str, Any] = {
    "version": 1,
    "page": {"size": ["200mm", "280mm"], "margins": {"top": "20mm", "right": "15mm", "bottom": "18mm", "left": "15mm"},
             "columns": 4, "gutter": "9pt", "body": {"font": "song", "size": "9pt", "leading": "13.5pt"}},
}
#: Characters of an example body taken for one test article (it must fit the page).
BODY_CHARS = 420


def example_copy() -> list[tuple[str, str]]:
    """(title, body) of every article of examples/ with a plain-text body, in file order."""
    out = []
    for path in sorted(REPO.glob("examples/*/page.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in spec.get("blocks", []):
            if block.get("type") == "article" and isinstance(block.get("body"), str) and len(block["body"]) > 300:
                out.append((block["title"], block["body"]))
    return out


def _cut(body: str, chars: int) -> str:
    """The body's first ``chars`` characters or so, cut at a paragraph end."""
    out, size = [], 0
    for para in body.split("\n\n"):
        if size > chars:
            break
        out.append(para[: chars - size] + ("。" if size + len(para) > chars else ""))
        size += len(para)
    return "\n\n".join(out)


def write(spec: dict[str, Any], path: Path) -> LoadedSpec:
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_spec(path)


@dataclass(frozen=True)
class Built:
    path: Path
    targets: dict[str, tuple[str, int]]  # article id -> (status, lines over / empty)


def article(ident: str, column: int, span: int, lines: int, title: str, body: str,
            photo: bool = False) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [{"type": "article", "id": ident, "title": title, "body": body,
                                     "frame": {"column": column, "span": span, "line": 1, "lines": lines}}]
    if photo:  # a photo at the article's top, in its first column
        blocks.append({"type": "photo", "id": f"{ident}-pic", "frame": {"column": column, "span": 1, "line": 6,
                                                                         "lines": 8}})
    return blocks


def tune(folder: Path, ident: str, column: int, span: int, title: str, body: str, want: str, lines_off: int,
         photo: bool, memo: Memo, page: dict[str, Any] | None = None) -> tuple[list[dict[str, Any]], int] | None:
    """The article's blocks with a frame height that leaves it ``want`` (overflow /
    underfull) by 1–3 lines (as near ``lines_off`` as the columns allow), or None."""
    base = page or PAGE
    best = None
    for height in range(8, 110):
        spec = copy.deepcopy(base) | {"blocks": article(ident, column, span, height, title, body, photo)}
        layout = lay_out_page(write(spec, folder / f"tune-{ident}.yaml"), memo=memo)
        trial = trial_of(layout, ident)
        if want == "overflow" and trial.status == "overflow" and 1 <= trial.lines <= 3:
            if best is None or abs(trial.lines - lines_off) < abs(best[1] - lines_off):
                best = (spec["blocks"], trial.lines)
        if want == "underfull" and trial.status == "underfull":  # the least underfull it can be
            return spec["blocks"], trial.lines
        if trial.status != "overflow" and want == "overflow":
            return best
    return best


def build(folder: Path, seed: int, memo: Memo, articles: int = 2) -> Built | None:
    """Page ``seed``: ``articles`` articles side by side (2 columns each, or 1), each
    1–3 lines over or under, from the example copy in turn."""
    copy_ = example_copy()
    blocks: list[dict[str, Any]] = []
    targets: dict[str, tuple[str, int]] = {}
    span = 2 if articles <= 2 else 1
    for k in range(articles):
        title, body = copy_[(seed * articles + k) % len(copy_)]
        want = "overflow" if (seed + k) % 3 != 2 else "underfull"
        ident = f"p{seed}a{k}"
        photo = (seed + k) % 4 == 1
        tuned = tune(folder, ident, 1 + k * span, span, title, _cut(body, BODY_CHARS), want, 1 + (seed + k) % 3,
                     photo, memo)
        if tuned is None:
            continue
        blocks += tuned[0]
        targets[ident] = (want, tuned[1])
    if not targets:
        return None
    path = folder / f"page-{seed}.yaml"
    write(copy.deepcopy(PAGE) | {"blocks": blocks}, path)
    return Built(path, targets)


def statuses(layout: PageLayout) -> dict[str, str]:
    return {b.id: b.status for b in layout.blocks if b.type == "article"}
