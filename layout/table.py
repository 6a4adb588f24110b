"""Lay out one table (表格): title, note, header row, body rows on the baseline grid, rules.

Every band (title, note, header row, each body row, source line) takes a whole number of
grid lines, so a table sits on the page's baseline grid like an article.  Each cell is
composed by the paragraph composer at its cell width (CLREQ line breaking); the tallest
cell of a row sets the row's lines, and shorter cells are centred in it by whole lines.
Rows never split: a row that does not fit the frame, and every row after it, is not
printed and is reported (``table_rows_over``), with its lines and characters.

The work is one composition per cell (kept in the front end's memo like any paragraph)
and one pass over the rows: linear in the number of cells.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from layout.compose.justify import SetLine
from layout.compose.paragraph import compose_balanced, compose_paragraph
from layout.context import LayoutContext
from layout.display import Box, DisplayItem, Rule, baseline_in_box, line_runs
from layout.geometry.grid import Rect
from layout.problems import BlockResult, Problem, ProblemKind, missing_glyph_problems
from layout.spec.data import Table, TableColumn
from layout.spec.styles import BLACK, StyleSheet, TextStyle, with_overrides
from layout.units import EPS, SIZE_NAMES

#: Space each side of a cell's text, in em of the cell size: keeps text off the column rules.
CELL_PADDING_EM = 0.5
#: The number a decimal column aligns: the first in the cell (a sign, digits with
#: thousands separators, an optional decimal part).  Its decimal point, or the end of its
#: whole part when it has none, is the cell's alignment axis.
_NUMBER = re.compile(r"[-+−]?\d[\d,，]*(?:\.\d+)?")
#: Leading of a table title, as a factor of its size: with a 9/13.5 pt page a 小四 title
#: takes two grid lines, clear of the rule under it.
TITLE_LEADING = 1.4
#: Column alignments as the composer names them: a left-aligned cell of several lines is
#: justified (its last line flush left), as Chinese text is set.
_COMPOSER_ALIGN = {"left": "justify", "center": "center", "right": "right", "decimal": "left"}


def table_styles(ctx: LayoutContext, table: Table) -> StyleSheet:
    """The table's text styles: built-ins on the page's body style, then the block's ``styles:``.

    Heads and cells are set on the grid pitch (one text line per grid line at the body
    size); title, note and source take whole grid lines too.
    """
    body, pitch = ctx.styles["body"], ctx.grid.pitch
    size = body.size
    title_size = max(SIZE_NAMES["小四"], size)
    sheet: StyleSheet = {
        "title": TextStyle("hei", "regular", title_size, TITLE_LEADING * title_size, BLACK, "center", 3),
        "note": TextStyle("kai", "regular", size, pitch, BLACK, "right", 3),
        "source": TextStyle("kai", "regular", size, pitch, BLACK, "left", 3),
        "head": TextStyle("hei", "regular", size, pitch, BLACK, "center", 1_000),
        "cell": TextStyle(body.family, "regular", size, pitch, BLACK, "left", 1_000),
    }
    return with_overrides(sheet, table.styles)  # type: ignore[arg-type]  # table roles name this sheet's styles


def table_rule(x0: float, y0: float, x1: float, y1: float, weight: float) -> DisplayItem:
    """The one place a table draws a rule (the page's rule styles can be swapped in here)."""
    return Rule(x0, y0, x1, y1, weight, BLACK)


@dataclass(frozen=True, slots=True)
class SetText:
    """Text composed for one cell (or the title, note, source): its lines, each line's
    shift from the text area's left, and the grid lines the text takes."""

    style: TextStyle
    lines: tuple[SetLine, ...]
    shifts: tuple[float, ...]
    grid_lines: int
    chars: int
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Band:
    """A horizontal slice of the table taking whole grid lines: title, note, the header
    row, a body row or the source; ``cells`` one text per column (one for a full-width band)."""

    kind: str  # "title", "note", "head", "row", "source"
    cells: tuple[SetText, ...]
    lines: int
    row: int = 0  # body rows: 1-based row number

    @property
    def chars(self) -> int:
        return sum(c.chars for c in self.cells)


@dataclass(frozen=True, slots=True)
class TableLayout:
    id: str
    frame: Rect  # resolved (auto height filled in)
    column_x: tuple[float, ...]  # left edge of each column, and the table's right edge last
    rows_placed: int
    display: tuple[DisplayItem, ...]
    result: BlockResult
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int


def lay_out_table(table: Table, ctx: LayoutContext) -> TableLayout:
    grid = ctx.grid
    styles = table_styles(ctx, table)
    frame_ref = table.frame
    room = max(grid.n_lines - frame_ref.line + 1, 0)
    auto = frame_ref.lines == "auto"
    capacity = room if auto else min(int(frame_ref.lines), room)
    span = max(min(frame_ref.span, grid.columns - frame_ref.column + 1), 1)
    box = grid.frame_rect(replace(frame_ref, span=span), lines=max(capacity, 1))
    cell_style, head_style = styles["cell"], styles["head"]
    widths = column_widths(table.columns, box.width, cell_style.size)
    edges = tuple(box.x + sum(widths[:k]) for k in range(len(widths) + 1))
    pad = CELL_PADDING_EM * cell_style.size
    inner = tuple(w - 2 * pad for w in widths)
    problems = _narrow_columns(table, inner, max(cell_style.size, head_style.size))
    measure = tuple(max(w, cell_style.size, head_style.size) for w in inner)  # text is never lost, even too narrow

    bands = _bands(table, styles, box.width, measure, ctx)
    source = [b for b in bands if b.kind == "source"]
    budget = capacity - sum(b.lines for b in source)
    placed: list[tuple[Band, int]] = []  # band, first line (0-based within the frame)
    cursor, over = 0, False
    for band in (b for b in bands if b.kind != "source"):
        if over or cursor + band.lines > budget:
            over = True
            continue
        placed.append((band, cursor))
        cursor += band.lines
    for band in source:  # room was kept for it
        if cursor + band.lines <= capacity:
            placed.append((band, cursor))
            cursor += band.lines
    frame = Rect(box.x, box.y, box.width, cursor * grid.pitch) if auto else box

    display = _draw(table, placed, edges, pad, box, ctx)
    total_lines = sum(b.lines for b in bands)
    used_lines = sum(b.lines for b, _ in placed)
    chars_total = sum(b.chars for b in bands)
    chars_placed = sum(b.chars for b, _ in placed)
    rows_placed = sum(1 for b, _ in placed if b.kind == "row")
    if len(placed) < len(bands):
        problems.append(rows_over_problem(table.id, len(table.rows) - rows_placed, total_lines - used_lines,
                                          chars_total - chars_placed))
    problems += missing_glyph_problems(table.id, [c for b in bands for t in b.cells for c in t.missing],
                                       f"table {table.id}")
    status = "overflow" if len(placed) < len(bands) else "ok"
    lines_capacity = cursor if auto and status == "ok" else capacity
    result = BlockResult(table.id, "table", lines_capacity, total_lines, (used_lines,), status)
    return TableLayout(table.id, frame, edges, rows_placed, display, result, tuple(problems),
                       chars_total, chars_placed)


def column_widths(columns: list[TableColumn], total: float, em: float) -> tuple[float, ...]:
    """Each column's width: fixed widths (a length, or characters plus the cell padding)
    first, the rest shared by weight.  Fixed widths wider than the table are scaled down
    to it, leaving the weighted columns nothing (they are then reported too narrow)."""
    pad = 2 * CELL_PADDING_EM * em
    fixed = [amount if kind == "pt" else amount * em + pad if kind == "em" else 0.0 for kind, amount in
             (c.width for c in columns)]
    fixed_total = sum(fixed)
    if fixed_total > total:
        fixed = [f * total / fixed_total for f in fixed]
        fixed_total = total
    weights = [amount if kind == "weight" else 0.0 for kind, amount in (c.width for c in columns)]
    rest = total - fixed_total
    weight_total = sum(weights)
    return tuple(f if kind != "weight" else rest * w / weight_total
                 for f, w, (kind, _) in zip(fixed, weights, (c.width for c in columns), strict=True))


def cell_text(value: str | int | float, column: TableColumn) -> str:
    """A cell's text: numbers written with the column's decimals (else as whole numbers)."""
    if isinstance(value, str):
        return value
    if column.decimals is not None:
        return f"{value:.{column.decimals}f}"
    return str(value)


def _bands(table: Table, styles: StyleSheet, width: float, measure: tuple[float, ...],
           ctx: LayoutContext) -> list[Band]:
    """Every band of the table, composed, in order (title, note, header, rows, source)."""
    bands: list[Band] = []
    for kind, text in (("title", table.title), ("note", table.note)):
        if text:
            set_text = _compose(text, styles[kind], styles[kind].align, width, ctx, balanced=kind == "title")
            bands.append(Band(kind, (set_text,), set_text.grid_lines))
    if any(c.head for c in table.columns):
        head = styles["head"]
        cells = tuple(_compose(c.head or "", head, head.align, m, ctx) for c, m in zip(table.columns, measure, strict=True))
        bands.append(Band("head", cells, max([1, *(c.grid_lines for c in cells)])))
    cell = styles["cell"]
    composed: list[list[SetText]] = [
        [_compose(cell_text(value, column), cell, _COMPOSER_ALIGN[column.align], m, ctx)
         for value, column, m in zip(row, table.columns, measure, strict=True)] for row in table.rows
    ]
    for k, column in enumerate(table.columns):
        if column.align == "decimal":
            aligned = _align_decimals([texts[k] for texts in composed], [cell_text(r[k], column) for r in table.rows],
                                      measure[k])
            for texts, one in zip(composed, aligned, strict=True):
                texts[k] = one
    for number, texts in enumerate(composed, 1):
        bands.append(Band("row", tuple(texts), max([1, *(t.grid_lines for t in texts)]), number))
    if table.source:
        set_text = _compose(table.source, styles["source"], styles["source"].align, width, ctx)
        bands.append(Band("source", (set_text,), set_text.grid_lines))
    return bands


def _compose(text: str, style: TextStyle, align: str, width: float, ctx: LayoutContext,
             balanced: bool = False) -> SetText:
    """``text`` set at ``width``: a line break in it starts a new paragraph (line)."""
    para = ctx.paragraph(style, align=align)
    resolve = ctx.resolver(style)
    lines: list[SetLine] = []
    missing: list[str] = []
    chars = 0
    for part in (p for p in text.split("\n") if p.strip()):
        composed = (compose_balanced if balanced else compose_paragraph)(part, para, width, resolve)
        lines += composed.lines
        missing += composed.missing
        chars += composed.chars
    grid_lines = math.ceil(len(lines) * style.leading / ctx.grid.pitch - EPS) if lines else 0
    return SetText(style, tuple(lines), (0.0,) * len(lines), grid_lines, chars, tuple(missing))


def _align_decimals(cells: list[SetText], texts: list[str], width: float) -> list[SetText]:
    """Shift one-line numbers of a decimal column so their decimal points (or the ends of
    their whole parts) share one x, the block of them centred in the column.  A cell
    without a number is centred; a cell of several lines, or a column whose numbers
    cannot share an axis within its width, is right-aligned."""
    axes = [_axis(text, cell.lines[0]) if len(cell.lines) == 1 else None for cell, text in zip(cells, texts, strict=True)]
    aligned = [(k, a) for k, a in enumerate(axes) if a is not None]
    left = max((a for _, a in aligned), default=0.0)
    right = max((cells[k].lines[0].used - a for k, a in aligned), default=0.0)
    fits = left + right <= width + EPS
    axis = (width - left - right) / 2 + left
    out: list[SetText] = []
    for k, cell in enumerate(cells):
        own = axes[k]
        shifts: tuple[float, ...]
        if not cell.lines:
            out.append(cell)
            continue
        if own is not None and fits:
            shifts = (axis - own,)
        elif len(cell.lines) == 1 and own is None:
            shifts = ((width - cell.lines[0].used) / 2,)
        else:
            shifts = tuple(width - line.used for line in cell.lines)
        out.append(replace(cell, shifts=shifts))
    return out


def _axis(text: str, line: SetLine) -> float | None:
    """Where a cell's decimal axis falls on its set line (x from the line's left), or None
    when it holds no number."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    number = found.group()
    dot = number.find(".")
    split = found.start() + (dot if dot >= 0 else len(number))
    glyphs_before = sum(1 for c in text[:split] if not c.isspace())
    origins: list[float] = []
    end = 0.0
    for run in line.runs:
        x = run.x
        for char in run.text:
            origins.append(x)
            advance = run.face.advance(ord(char)) * run.size * run.hscale
            end = x + advance
            x = end + run.char_space
    if glyphs_before > len(origins):
        return None
    return origins[glyphs_before] if glyphs_before < len(origins) else end


def _narrow_columns(table: Table, inner: tuple[float, ...], one_char: float) -> list[Problem]:
    """A column whose text width (inside the padding) cannot hold one character."""
    out = []
    for k, width in enumerate(inner):
        if width < one_char - EPS:
            out.append(Problem(
                ProblemKind.TABLE_COLUMN_TOO_NARROW,
                f"table {table.id}: column {k + 1} leaves {max(width, 0):.1f} pt for text inside its padding, less "
                f"than one character ({one_char:g} pt); widen it or the frame, or take a column out",
                table.id, {"column": k + 1, "text_width": round(max(width, 0.0), 2), "char_size": one_char},
                message_zh=f"表格 {table.id}：第 {k + 1} 列除去边距只剩 {max(width, 0):.1f} pt，不到一个字宽"
                           f"（{one_char:g} pt）；请加宽该列或版框，或减少列数",
            ))
    return out


def rows_over_problem(block_id: str, rows: int, lines: int, chars: int) -> Problem:
    """Rows (and grid lines, characters) of a table that do not fit its frame."""
    message = (f"table {block_id}: {rows} row{'s' if rows != 1 else ''} ({lines} grid line{'s' if lines != 1 else ''}, "
               f"about {chars} characters) do not fit the frame and are not printed")
    zh = f"表格 {block_id}：{rows} 行（占 {lines} 个网格行，约 {chars} 字）在框内排不下，未印出；需删行或加大版框"
    return Problem(ProblemKind.TABLE_ROWS_OVER, message, block_id,
                   {"rows_over": rows, "lines_over": lines, "chars_over": chars}, message_zh=zh)


def _draw(table: Table, placed: list[tuple[Band, int]], edges: tuple[float, ...], pad: float, box: Rect,
          ctx: LayoutContext) -> tuple[DisplayItem, ...]:
    """Tints first, then text, then rules (rules over tints; black overprints)."""
    grid = ctx.grid
    tints: list[DisplayItem] = []
    text: list[DisplayItem] = []
    for band, first in placed:
        top = box.y + first * grid.pitch
        if band.kind == "row" and table.zebra is not None and band.row % 2 == 0:
            tints.append(Box(box.x, top, box.width, band.lines * grid.pitch, table.zebra, None))
        if band.kind in ("head", "row"):
            for k, cell in enumerate(band.cells):
                text += _draw_text(cell, edges[k] + pad, top, band.lines, ctx)
        else:
            text += _draw_text(band.cells[0], box.x, top, band.lines, ctx)
    return tuple(tints) + tuple(text) + _rules(table, placed, edges, box, ctx)


def _draw_text(cell: SetText, x: float, top: float, band_lines: int, ctx: LayoutContext) -> list[DisplayItem]:
    """A text centred by whole grid lines in its band, its lines centred in their own lines."""
    pitch = ctx.grid.pitch
    style = cell.style
    block_top = top + (band_lines - cell.grid_lines) // 2 * pitch
    text_top = block_top + (cell.grid_lines * pitch - len(cell.lines) * style.leading) / 2
    out: list[DisplayItem] = []
    for k, (line, shift) in enumerate(zip(cell.lines, cell.shifts, strict=True)):
        baseline = baseline_in_box(text_top + k * style.leading, style.leading, style.size)
        out += line_runs(line, x + shift, baseline, style.color)
    return out


def _rules(table: Table, placed: list[tuple[Band, int]], edges: tuple[float, ...], box: Rect,
           ctx: LayoutContext) -> tuple[DisplayItem, ...]:
    """Rules at the row boundaries and between columns, over the placed header and rows."""
    pitch, rules = ctx.grid.pitch, table.rules
    grid_bands = [(b, box.y + first * pitch) for b, first in placed if b.kind in ("head", "row")]
    if not grid_bands:
        return ()
    top = grid_bands[0][1]
    bottom = grid_bands[-1][1] + grid_bands[-1][0].lines * pitch
    x0, x1 = edges[0], edges[-1]
    out: list[DisplayItem] = []
    if rules.top:
        out.append(table_rule(x0, top, x1, top, rules.top))
    for (band, _), (_, next_y) in zip(grid_bands, grid_bands[1:], strict=False):
        weight = rules.header if band.kind == "head" else rules.rows
        if weight:
            out.append(table_rule(x0, next_y, x1, next_y, weight))
    if grid_bands[-1][0].kind == "head" and rules.header and not rules.bottom:
        out.append(table_rule(x0, bottom, x1, bottom, rules.header))
    if rules.bottom:
        out.append(table_rule(x0, bottom, x1, bottom, rules.bottom))
    if rules.columns:
        out += [table_rule(x, top, x, bottom, rules.columns) for x in edges[1:-1]]
    if rules.sides:
        out += [table_rule(x, top, x, bottom, rules.sides) for x in (x0, x1)]
    return tuple(out)
