"""Each solution as a complete page spec: the template's keys and blocks, the articles in
their frames, photos as photo blocks under their headlines; YAML text, checks and score."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from layout.arrange.measure import Measured, article_block
from layout.arrange.solve import HEADLINE_CLEARANCE, Cell, Solution

#: Score weights (they sum to 1; the score is out of 100): page fill, priority reading
#: order, tidy frames (no spare line under the text).
SCORE_FILL, SCORE_ORDER, SCORE_TIDY = 0.6, 0.3, 0.1


@dataclass(frozen=True, slots=True)
class Frame:
    """An article as placed: its id, priority, cell and the lines its text needs."""

    id: str
    priority: int
    cell: Cell
    need: int


@dataclass(frozen=True, slots=True)
class Score:
    fill: float  # share of the free cells covered by article frames (photos are inside them)
    order: float  # share of pairs of different priority read in priority order
    tidy: float  # share of articles whose frame has no spare line
    total: float  # 100 × the weighted sum


def frames_of(solution: Solution, measured: list[Measured]) -> list[Frame]:
    out = []
    for p in solution.placed:
        m = measured[p.index]
        out.append(Frame(m.article.id, m.article.priority, p.cell, m.options[p.option].need))
    return out


def page_document(template: dict[str, Any], solution: Solution, measured: list[Measured],
                  photo_srcs: dict[str, str], taken: set[str]) -> dict[str, Any]:
    """The page spec of one solution, as data (``photo_srcs``: the article id -> the photo's
    path as the page spec names it; ``taken``: ids already used on the page)."""
    document = copy.deepcopy(template)
    blocks = list(document.get("blocks") or [])
    for p in sorted(solution.placed, key=lambda p: (p.cell.y, p.cell.x)):
        m = measured[p.index]
        opt = m.options[p.option]
        c = p.cell
        block = article_block(m.article, m.title_size, c.w, c.h, c.x + 1, c.y + 1)
        block["frame"] = Flow(block["frame"])
        block["styles"] = {"title": Flow(block["styles"]["title"])}
        blocks.append(block)
        photo = m.article.photo
        if photo is not None and opt.photo_span:
            pid = _free_id(f"{m.article.id}-photo", taken)
            taken.add(pid)
            pblock: dict[str, Any] = {
                "type": "photo", "id": pid,
                "frame": Flow({"column": c.x + 1, "span": opt.photo_span, "line": c.y + 1 + opt.head_lines,
                               "lines": opt.photo_lines}),
                "src": photo_srcs[m.article.id]}
            if photo.caption:
                pblock["caption"] = photo.caption
            if photo.credit:
                pblock["credit"] = photo.credit
            blocks.append(pblock)
    document["blocks"] = blocks
    return document


def _free_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


class Flow(dict):  # type: ignore[type-arg]
    """A mapping written on one line (``{column: 1, span: 3, …}``), as hand-written specs do."""


def to_yaml(document: dict[str, Any], header: str) -> str:
    """The spec as readable YAML: frames on one line, multi-line text as literal blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.Node:
        return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)

    Dumper.add_representer(str, text)
    Dumper.add_representer(Flow, flow)
    body = yaml.dump(document, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
    return header + body


def touching_headlines(frames: list[Frame], clearance: int = HEADLINE_CLEARANCE) -> list[tuple[str, str]]:
    """碰题: pairs of articles whose frames touch side by side and start fewer than
    ``clearance`` grid lines apart (1: on the same line)."""
    pairs = []
    for i, a in enumerate(frames):
        for b in frames[i + 1:]:
            level = abs(a.cell.y - b.cell.y) < clearance
            if level and (a.cell.x + a.cell.w == b.cell.x or b.cell.x + b.cell.w == a.cell.x):
                pairs.append((a.id, b.id))
    return pairs


def score(frames: list[Frame], free_cells: int) -> Score:
    covered = sum(f.cell.w * f.cell.h for f in frames)
    fill = covered / free_cells if free_cells else 0.0
    pairs = ordered = 0
    for a in frames:
        for b in frames:
            if a.priority < b.priority:
                pairs += 1
                ordered += (a.cell.y, a.cell.x) < (b.cell.y, b.cell.x)
    order = ordered / pairs if pairs else 1.0
    tidy = sum(1 for f in frames if f.cell.h == f.need) / len(frames) if frames else 1.0
    total = 100 * (SCORE_FILL * fill + SCORE_ORDER * order + SCORE_TIDY * tidy)
    return Score(round(fill, 4), round(order, 4), round(tidy, 4), round(total, 2))
