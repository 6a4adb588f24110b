"""Lay out one QR code (二维码): the symbol as vector art in 100 % K, a caption under it.

The symbol is made by segno (a maintained ISO/IEC 18004 encoder) and drawn as filled
rectangles, its dark modules merged into runs (rows, then runs stacked in the rows
below): a 25 × 25 symbol of ~300 dark modules becomes ~100 rectangles, all filled in one
operation so that no seam shows where two of them abut.

Under the dark modules lies a white box, the symbol and its quiet zone: on a tint (底纹)
or over a photo, the light modules and the quiet zone must be paper, or a phone sees no
contrast; so the box knocks out whatever is under it.  The dark modules on it are 100 %
K and overprint like all black text and rules: on white paper overprinting and knocking
out print the same, and the house rule stays one rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import segno

from layout.context import LayoutContext
from layout.display import Box, DisplayItem, FilledRects, RectXYWH
from layout.geometry.grid import Rect
from layout.photo import (
    CAPTION_GAP_LINES,
    MISSING_LINE,
    PLACEHOLDER_FILL,
    caption_chars,
    caption_rows,
    draw_caption_rows,
)
from layout.problems import BlockResult, Problem, ProblemKind, missing_glyph_problems
from layout.spec.data import Qr
from layout.spec.styles import BLACK
from layout.units import EPS, mm

#: The smallest module (the side of one square of the symbol) printed on newsprint.
#: The GS1 General Specifications (§5.12.3.1) allow QR Code X-dimensions of 0.396 to
#: 0.990 mm for codes scanned at a retail till, printed on packaging; coldset newsprint
#: prints worse (its dot gain spreads each dark module into the light ones around it),
#: so it gets a quarter more than that minimum, rounded: 0.5 mm.
MIN_MODULE = mm(0.5)
#: The paper under the symbol and its quiet zone (knocks out a tint or photo beneath).
PAPER = (0.0, 0.0, 0.0, 0.0)
#: The dark modules: single-channel black, which registers sharp and overprints.
INK = BLACK
#: Module sizes in reports, in mm to this many decimals (0.495 mm must not read as 0.5).
MM_DECIMALS = 3

Matrix = Sequence[Sequence[int]]  # rows of modules, 1 dark, 0 light, without the quiet zone


@dataclass(frozen=True, slots=True)
class Symbol:
    """An encoded QR symbol: its modules and what segno chose for it."""

    matrix: Matrix
    version: int  # 1–40: the symbol is 17 + 4 × version modules across
    error: str  # the error correction level used: the asked one, or higher where it cost nothing
    mode: str  # segno's encoding mode: numeric, alphanumeric, byte

    @property
    def size(self) -> int:
        return len(self.matrix)


def encode(data: str, error: str) -> Symbol | None:
    """The QR symbol of ``data`` at error correction ``error`` or higher, or None when no
    QR symbol (up to version 40) can hold it.

    Always a full QR code, never a Micro QR (phones' readers skip those); text beyond
    ASCII goes in byte mode as UTF-8, what phone readers expect (segno would otherwise put
    characters it finds in Shift_JIS, 中国 for one, in Kanji mode).
    """
    ascii_only = data.isascii()
    try:
        code = segno.make_qr(data, error=error, boost_error=True, mode=None if ascii_only else "byte",
                             encoding=None if ascii_only else "utf-8")
    except segno.DataOverflowError:
        return None
    matrix = tuple(tuple(int(bool(v)) for v in row) for row in code.matrix_iter(scale=1, border=0))
    return Symbol(matrix, int(code.version), str(code.error).upper(), str(code.mode))


def merged_runs(matrix: Matrix) -> list[tuple[int, int, int, int]]:
    """The dark modules as rectangles in module units (column, row, columns, rows): the
    runs of each row, a run stacked on an equal run in the row above merged with it.

    In reading order (by top row, then column); linear in the modules.
    """
    done: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (first column, end column) -> first row
    for r, row in enumerate(matrix):
        here: set[tuple[int, int]] = set()
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                here.add((start, c))
            else:
                c += 1
        for run, top in list(open_runs.items()):
            if run not in here:  # the run ends above this row
                done.append((run[0], top, run[1] - run[0], r - top))
                del open_runs[run]
        for run in here:
            open_runs.setdefault(run, r)
    for run, top in open_runs.items():
        done.append((run[0], top, run[1] - run[0], len(matrix) - top))
    return sorted(done, key=lambda q: (q[1], q[0]))


def module_rects(runs: Iterable[tuple[int, int, int, int]], x: float, y: float, module: float) -> tuple[RectXYWH, ...]:
    """Runs in module units as rectangles on the page, the symbol's top-left module at x, y.

    Each edge is computed from its module index alone, so the right edge of one
    rectangle and the left edge of the next are the same number: they abut exactly.
    """
    out = []
    for c, r, w, h in runs:
        x0, y0 = x + c * module, y + r * module
        out.append((x0, y0, (x + (c + w) * module) - x0, (y + (r + h) * module) - y0))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class QrLayout:
    id: str
    frame: Rect
    symbol: Rect | None  # the symbol with its quiet zone; None when the data cannot be encoded
    module: float  # pt; 0 without a symbol
    version: int | None
    error: str | None
    display: tuple[DisplayItem, ...]
    result: BlockResult
    problems: tuple[Problem, ...]
    chars_total: int
    chars_placed: int


@dataclass(frozen=True, slots=True)
class _Caption:
    """What the photo caption composer reads: a QR code has a caption and no credit."""

    caption: str | None
    credit: str | None = None


def lay_out_qr(qr: Qr, ctx: LayoutContext) -> QrLayout:
    grid = ctx.grid
    lines = min(int(qr.frame.lines), max(grid.n_lines - qr.frame.line + 1, 1))
    span = max(min(qr.frame.span, grid.columns - qr.frame.column + 1), 1)
    frame = grid.frame_rect(replace(qr.frame, span=span), lines=lines)
    caption_ctx = _centred_caption(qr, ctx)
    rows, rest = caption_rows(_Caption(qr.caption), caption_ctx, frame.width, lines)
    fits = len(rows) + rest.lines < lines
    shown = rows if fits else rows[: max(lines - 1, 0)]
    caption_top = frame.bottom - len(shown) * grid.pitch
    gap = CAPTION_GAP_LINES * grid.pitch if shown else 0.0
    area = Rect(frame.x, frame.y, frame.width, max(caption_top - frame.y - gap, 0.0))
    problems: list[Problem] = []
    symbol = encode(qr.data, qr.error_correction)
    display: list[DisplayItem] = []
    placed: Rect | None = None
    module = 0.0
    if symbol is None:
        problems.append(_too_long(qr))
        display.append(Box(area.x, area.y, area.width, area.height, PLACEHOLDER_FILL, MISSING_LINE, cross=True))
    else:
        units = symbol.size + 2 * qr.quiet_zone
        module = max(min(area.width, area.height), 0.0) / units
        side = units * module
        # centred across; down, right above the caption (a caption belongs to its symbol), else centred
        x = frame.x + (frame.width - side) / 2
        y = area.bottom - side if shown else area.y + (area.height - side) / 2
        placed = Rect(x, y, side, side)
        if module > 0:
            display.append(Box(x, y, side, side, PAPER, None))
            origin = qr.quiet_zone * module
            display.append(FilledRects(module_rects(merged_runs(symbol.matrix), x + origin, y + origin, module), INK))
        if module < MIN_MODULE - EPS:
            problems.append(_too_small(qr, symbol, module))
    display += draw_caption_rows(shown, frame.x, caption_top, caption_ctx)
    chars_total, chars_placed = caption_chars(rows, shown, rest)
    if not fits:
        over = len(rows) + rest.lines - len(shown)
        problems.append(Problem(
            ProblemKind.OVERFLOW, f"QR code {qr.id}: caption {over} line{'s' if over != 1 else ''} "
            f"(about {chars_total - chars_placed} characters) do not fit", qr.id,
            {"lines_over": over, "chars_over": chars_total - chars_placed},
            message_zh=f"二维码 {qr.id}：说明文字超出 {over} 行（约 {chars_total - chars_placed} 字），需删减"))
    paragraphs = {id(c): c for row in rows for c, _, _ in row}.values()
    problems += missing_glyph_problems(qr.id, [ch for c in paragraphs for ch in c.missing], f"qr {qr.id}")
    result = BlockResult(qr.id, "qr", lines, len(rows) + rest.lines + 1, (lines,), "ok" if fits else "overflow")
    return QrLayout(qr.id, frame, placed, module, symbol.version if symbol else None, symbol.error if symbol else None,
                    tuple(display), result, tuple(problems), chars_total, chars_placed)


def _centred_caption(qr: Qr, ctx: LayoutContext) -> LayoutContext:
    """The caption is centred under the symbol unless the block's own styles align it."""
    own = qr.styles.get("caption")
    if own is not None and own.align is not None:
        return ctx
    return replace(ctx, styles={**ctx.styles, "caption": replace(ctx.styles["caption"], align="center")})


def _too_long(qr: Qr) -> Problem:
    size = len(qr.data.encode("utf-8"))
    return Problem(
        ProblemKind.QR_DATA_TOO_LONG,
        f"QR code {qr.id}: its data ({len(qr.data)} characters, {size} bytes) does not fit in any QR symbol at "
        f"error correction {qr.error_correction}; shorten it (a short link) or lower error_correction",
        qr.id, {"chars": len(qr.data), "bytes": size, "error_correction": qr.error_correction},
        message_zh=f"二维码 {qr.id}：内容（{len(qr.data)} 个字符，{size} 字节）在纠错等级 {qr.error_correction} 下"
                   "任何版本的二维码都容纳不下；请缩短（改用短链接）或降低 error_correction")


def _too_small(qr: Qr, symbol: Symbol, module: float) -> Problem:
    units = symbol.size + 2 * qr.quiet_zone
    got = round(module / mm(1), MM_DECIMALS)
    floor = round(MIN_MODULE / mm(1), MM_DECIMALS)
    need = round(units * MIN_MODULE / mm(1), 1)
    return Problem(
        ProblemKind.QR_MODULE_TOO_SMALL,
        f"QR code {qr.id}: modules of {got:g} mm ({symbol.size} × {symbol.size}, quiet zone {qr.quiet_zone}) are "
        f"below the {floor:g} mm newsprint can print; give the symbol {need:g} mm square or shorten the data",
        qr.id, {"module_mm": got, "min_module_mm": floor, "modules": symbol.size, "needed_mm": need},
        message_zh=f"二维码 {qr.id}：模块只有 {got:g} 毫米（{symbol.size} × {symbol.size}，静区 {qr.quiet_zone}），"
                   f"小于新闻纸能印清的 {floor:g} 毫米；请留出 {need:g} 毫米见方或缩短内容")
