"""Typographic figures of issue 3: first-fit vs total-fit vs Typst on the same text.

    pip install -e '.[bench]' && python benchmarks/typography.py

For every body line that is justified (not a paragraph's last line), the inter-character
expansion in em: paiban's from its layout (the PDF read-back tests check that this is
what is drawn); Typst's read back from its PDF as the median over the line's Han–Han
gaps of (distance between glyph origins − 1 em).  A non-final line that falls short of
the column edge counts as ragged (and as infinitely loose).  Typst (PyPI
``typst``) sets the same article bodies in one column of the same width, size and font
(Noto Serif SC from ``fonts/``), justified, with a 2-em first-line indent; it cannot
balance columns, so widows/orphans are paiban's only.  Also counted: adjacent
full-width mark pairs left uncompressed (origins a full em apart), and the time to lay
out and render all pages (in process, median of 5).
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import layout.page as page_module  # noqa: E402
from layout.article import BodyLine  # noqa: E402
from layout.flow.collect import split_body  # noqa: E402
from layout.page import lay_out_page  # noqa: E402
from layout.render.pdf import render_pdf  # noqa: E402
from layout.spec.data import Article  # noqa: E402
from layout.spec.load import load_spec  # noqa: E402
from layout.text.clreq import Kind, punct_kind  # noqa: E402
from tests.readback import FLUSH_TOLERANCE, Char, read_chars  # noqa: E402

PAGES = [REPO / "examples" / "maonan" / "page.yaml", *sorted((REPO / "specs" / "regression").glob("*.yaml"))]
LOOSE_EM = 0.1
#: "Above 0.1 em" means above: a line spread by 0.1 em (1 em over 10 gaps) must not count
#: because a column is 13.00004 em wide (margins rounded to 0.001 mm).  1e-4 em is
#: 0.0009 pt at 9 pt, far below any output device's resolution (2400 dpi: 0.03 pt).
FLOAT_NOISE = 1e-4
VERBOSE = "-v" in sys.argv
RUNS = 5
_CLOSING = {Kind.CLOSE, Kind.PAUSE, Kind.STOP}


def is_han(char: str) -> bool:
    return 0x4E00 <= ord(char) <= 0x9FFF


def line_figures(rows: list[list[Char]], columns: list[Area], size: float) -> tuple[list[float], int]:
    """Expansion (em) of each justified line, and uncompressed adjacent mark pairs.

    A line is a paragraph's last line when the next line of its column starts indented,
    or when it is its column's last and falls short.  Any other line that falls short of
    the column edge counts as infinitely loose (a ragged line inside a paragraph).
    """
    expansions, uncompressed = [], 0
    ordered = sorted(rows, key=lambda r: (_column_of(r, columns), r[0].baseline))
    for index, row in enumerate(ordered):
        for a, b in zip(row, row[1:], strict=False):
            ka, kb = punct_kind(a.text), punct_kind(b.text)
            pair = (ka in _CLOSING and (kb in _CLOSING or kb is Kind.OPEN)) or (ka is Kind.OPEN and kb is Kind.OPEN)
            if pair and ord(a.text) > 0x2000 and ord(b.text) > 0x2000 and b.x - a.x >= 0.9 * size:
                uncompressed += 1
                if VERBOSE:
                    print("uncompressed:", "".join(c.text for c in row))
        column = columns[_column_of(row, columns)]
        nxt = ordered[index + 1] if index + 1 < len(ordered) else None
        same_column = nxt is not None and _column_of(nxt, columns) == _column_of(row, columns)
        flush = max(c.x for c in row) + size >= column[1] - 0.6 * size
        if (same_column and nxt[0].x >= column[0] + 1.5 * size) or (not same_column and not flush):
            continue  # a paragraph's last line: not justified
        if not flush:
            expansions.append(float("inf"))
            if VERBOSE:
                print("ragged:", "".join(c.text for c in row))
            continue
        gaps = [(b.x - a.x) / size - 1 for a, b in zip(row, row[1:], strict=False) if is_han(a.text) and is_han(b.text)]
        if gaps:
            expansions.append(max(statistics.median(gaps), 0.0))
    return expansions, uncompressed


def _column_of(row: list[Char], columns: list[Area]) -> int:
    return next((i for i, (x0, x1, y0, y1) in enumerate(columns)
                 if x0 - 1 <= row[0].x <= x1 and y0 <= row[0].baseline <= y1), 0)


Area = tuple[float, float, float, float]  # x0, x1, y0, y1 of one text column's body


def body_rows(chars: list[Char], size: float, areas: list[Area]) -> list[list[Char]]:
    """Characters of body size grouped into lines: same text column, same baseline."""
    rows: dict[tuple[int, float], list[Char]] = {}
    for char in chars:
        if abs(char.size - size) > 0.01:
            continue
        for index, (x0, x1, y0, y1) in enumerate(areas):
            if x0 - 1 <= char.x <= x1 and y0 <= char.baseline <= y1:
                rows.setdefault((index, round(char.baseline, 1)), []).append(char)
                break
    return [sorted(row, key=lambda c: c.x) for row in rows.values()]


def article_areas(layout) -> list[Area]:  # type: ignore[no-untyped-def]
    grid = layout.grid
    return [(c.x, c.x + c.width, a.frame.y + a.headline_lines * grid.pitch, a.frame.bottom)
            for a in layout.articles for c in a.columns]


def paiban_figures(composer: str) -> dict[str, float]:
    """paiban's figures from its own layout (what the PDF read-back tests verify is drawn)."""
    original = page_module._compose_config
    page_module._compose_config = lambda spec: replace(original(spec), composer=composer)
    try:
        expansions, uncompressed, widows, orphans = [], 0, 0, 0
        for path in PAGES:
            layout = lay_out_page(load_spec(path))
            size = layout.spec.page.body.size
            for article in layout.articles:
                widows += article.distribution.widows
                orphans += article.distribution.orphans
                for placement in article.distribution.placements:
                    payload = placement.item.payload
                    if not isinstance(payload, BodyLine):
                        continue
                    line = payload.composed.lines[payload.index]
                    if line.last or not _has_han_pair(payload.composed, line):
                        continue  # as for Typst: only lines with Han–Han gaps are measured
                    flush = line.used >= line.width - FLUSH_TOLERANCE
                    expansions.append(line.expansion / size if flush else float("inf"))
            areas = article_areas(layout)
            uncompressed += line_figures(body_rows(read_chars(render_pdf([layout])), size, areas), areas, size)[1]
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            for path in PAGES:
                render_pdf([lay_out_page(load_spec(path))])
            times.append(time.perf_counter() - start)
    finally:
        page_module._compose_config = original
    return summary(expansions) | {"uncompressed": uncompressed, "widows": widows, "orphans": orphans,
                                  "time": statistics.median(times)}


def _has_han_pair(composed, line) -> bool:  # type: ignore[no-untyped-def]
    texts = [composed.prep.atoms[p.index].text for p in line.placed]
    return any(is_han(a[-1]) and is_han(b[0]) for a, b in zip(texts, texts[1:], strict=False))


def typst_sources(path: Path) -> list[tuple[str, float, float]]:
    """One Typst document per article: its body paragraphs in one column of its text-column width."""
    layout = lay_out_page(load_spec(path))
    body = layout.spec.page.body
    leading = layout.grid.pitch - body.size
    out = []
    articles = [b for b in layout.spec.blocks if isinstance(b, Article)]
    for block, article in zip(articles, layout.articles, strict=True):
        width = article.columns[0].width
        paragraphs = [_escape(p.text) for p in split_body(block.body) if not p.subhead]
        # the same Han–Latin spacing as the page: Typst's automatic ¼ em, or none
        spacing = "auto" if layout.spec.typography.cjk_latin_space else "none"
        source = (f'#set page(width: {width + 2 * TYPST_MARGIN:.3f}pt, height: auto, margin: {TYPST_MARGIN}pt)\n'
                  f'#set text(font: "Noto Serif SC", size: {body.size}pt, lang: "zh", region: "cn", '
                  f'cjk-latin-spacing: {spacing})\n'
                  f'#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: {leading:.3f}pt, '
                  f'spacing: {leading:.3f}pt)\n' + "\n\n".join(paragraphs))
        out.append((source, body.size, width))
    return out


TYPST_MARGIN = 10.0


def _escape(text: str) -> str:
    for char in "\\#*_@$<`[]=~":
        text = text.replace(char, "\\" + char)
    return text


def typst_figures() -> dict[str, float] | None:
    try:
        import pypdfium2
        import typst
    except ImportError:
        return None
    expansions, uncompressed, times = [], 0, []
    sources = [s for path in PAGES for s in typst_sources(path)]
    for source, size, width in sources:
        pdf = typst.compile(source.encode("utf-8"), font_paths=[str(REPO / "fonts")])
        column = [(TYPST_MARGIN, TYPST_MARGIN + width, 0.0, float("inf"))]
        for index in range(len(pypdfium2.PdfDocument(pdf))):
            e, u = line_figures(body_rows(read_chars(pdf, index), size, column), column, size)
            expansions += e
            uncompressed += u
    for _ in range(RUNS):
        start = time.perf_counter()
        for source, _, _ in sources:
            typst.compile(source.encode("utf-8"), font_paths=[str(REPO / "fonts")])
        times.append(time.perf_counter() - start)
    return summary(expansions) | {"uncompressed": uncompressed, "widows": float("nan"), "orphans": float("nan"),
                                  "time": statistics.median(times)}


def summary(expansions: list[float]) -> dict[str, float]:
    ordered = sorted(expansions)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0  # noqa: E731
    finite = [x for x in ordered if x != float("inf")]
    return {"lines": len(ordered), "median": pick(0.5), "p95": pick(0.95), "max": finite[-1] if finite else 0.0,
            "loose": sum(1 for x in ordered if x > LOOSE_EM + FLOAT_NOISE), "ragged": len(ordered) - len(finite)}


def main() -> None:
    rows = {"paiban first-fit": paiban_figures("first-fit"), "paiban total-fit": paiban_figures("total-fit")}
    typst = typst_figures()
    if typst is not None:
        rows["Typst (one column)"] = typst
    print(f"{'composer':<20} {'lines':>6} {'median':>8} {'p95':>7} {'max':>7} {'>0.1em':>7} {'ragged':>6} "
          f"{'uncompr.':>8} {'widows':>6} {'orphans':>7} {'time s':>7}")
    for name, r in rows.items():
        print(f"{name:<20} {r['lines']:>6} {r['median']:>8.4f} {r['p95']:>7.4f} {r['max']:>7.3f} {r['loose']:>7} "
              f"{r['ragged']:>6} {r['uncompressed']:>8} {r['widows']:>6} {r['orphans']:>7} {r['time']:>7.3f}")
    first, total = rows["paiban first-fit"]["time"], rows["paiban total-fit"]["time"]
    print(f"total-fit / first-fit time: {total / first:.2f}×")
    if typst is None:
        print("(Typst not installed: pip install typst)")


if __name__ == "__main__":
    main()
