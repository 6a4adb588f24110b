"""Stage 0 of a page: full-width punctuation in Chinese text (see ``layout.text.normalize``).

Every text of every block is normalised, and each block that changed gets one note
saying what changed; ``--`` or ``...`` in Chinese text gets a warning (left unchanged).
Switched off with ``typography: {normalize: false}``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from layout.problems import Problem, ProblemKind, what_zh
from layout.spec.data import Article, Block, Insert, PageSpec, Table
from layout.text.normalize import FULL_WIDTH, normalize

_FULL_FORMS = {**FULL_WIDTH, '"': "“”", "'": "‘’"}
_TEXT_FIELDS = {"article": ("kicker", "title", "subtitle", "byline", "body"), "photo": ("caption", "credit"),
               "qr": ("caption",),  # never a QR code's data: a URL is encoded as written
               "masthead": ("weather",), "ear": ("title", "text"), "ad": (),
               "table": ("title", "note", "source"), "group_title": ("kicker", "title", "subtitle"),
               "index": ("title",), "continuation": ("title",)}  # an entry's teaser is set as written


def normalize_spec(spec: PageSpec) -> tuple[PageSpec, list[Problem]]:
    """The spec with normalised texts, and the notes saying what changed."""
    if not spec.typography.normalize:
        return spec, []
    blocks = []
    problems: list[Problem] = []
    for block in spec.blocks:
        changed: Counter[str] = Counter()
        suspects: set[str] = set()
        update: dict[str, Any] = {}  # field -> normalised text
        for field in _TEXT_FIELDS[block.type]:
            value = getattr(block, field)
            new_value = _normalized(value, changed, suspects)
            if new_value != value:
                update[field] = new_value
        if isinstance(block, Article) and block.inserts:  # an insert's label and text are the article's text too
            inserts = [_normalized_insert(i, changed, suspects) for i in block.inserts]
            if inserts != block.inserts:
                update["inserts"] = inserts
        if isinstance(block, Table):
            update.update(_table_cells(block, changed, suspects))
        blocks.append(replace(block, **update) if update else block)
        problems += _notes(block, changed, suspects)
    return replace(spec, blocks=blocks), problems


def _normalized(value: Any, changed: Counter[str], suspects: set[str]) -> Any:
    """A text (or list of texts) normalised, counting what changed; anything else as it is
    (absent, or a placeholder: filler text needs no cleaning)."""
    if not isinstance(value, (str, list)):
        return value
    results = [normalize(v) for v in value] if isinstance(value, list) else [normalize(value)]
    for result in results:
        changed.update(result.changed)
        suspects.update(result.suspects)
    return [r.text for r in results] if isinstance(value, list) else results[0].text


def _normalized_insert(insert: Insert, changed: Counter[str], suspects: set[str]) -> Insert:
    title, text = _normalized(insert.title, changed, suspects), _normalized(insert.text, changed, suspects)
    return replace(insert, title=title, text=text) if (title, text) != (insert.title, insert.text) else insert


def _table_cells(table: Table, changed: Counter[str], suspects: set[str]) -> dict[str, Any]:
    """A table's column heads and text cells, normalised (numbers are left as they are)."""
    def clean(text: str) -> str:
        result = normalize(text)
        changed.update(result.changed)
        suspects.update(result.suspects)
        return result.text

    columns = [replace(c, head=clean(c.head)) if c.head else c for c in table.columns]
    rows = [[clean(v) if isinstance(v, str) else v for v in row] for row in table.rows]
    update: dict[str, Any] = {}
    if columns != table.columns:
        update["columns"] = columns
    if rows != table.rows:
        update["rows"] = rows
    return update


def _notes(block: Block, changed: Counter[str], suspects: set[str]) -> list[Problem]:
    out = []
    if changed:
        parts = [f"{mark}→{_FULL_FORMS.get(mark)}×{count}" for mark, count in sorted(changed.items())]
        total = sum(changed.values())
        out.append(Problem(
            ProblemKind.NORMALIZED, f"{block.type} {block.id}: {total} half-width marks in Chinese text set full width "
            f"({', '.join(parts)})", block.id, {"changes": dict(sorted(changed.items()))}, severity="note",
            message_zh=f"{what_zh(block.type + ' ' + block.id)}：中文里 {total} 个半角标点已改为全角（{'，'.join(parts)}）",
        ))
    for suspect in sorted(suspects):
        meant = {"--": "——", "...": "……", "。。。": "……"}[suspect]
        out.append(Problem(
            ProblemKind.SUSPECT_PUNCTUATION, f"{block.type} {block.id}: {suspect!r} in Chinese text; did you mean {meant}?",
            block.id, {"found": suspect, "suggest": meant}, severity="warning",
            message_zh=f"{what_zh(block.type + ' ' + block.id)}：中文里有 {suspect!r}，是否应为{meant}？",
        ))
    return out
