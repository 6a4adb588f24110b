"""Read a rendered PDF back (pypdfium2) and measure it against the layout rules.

Used by the integration tests and by ``benchmarks/acceptance.py``.  pypdfium2 gives
each character's origin and size (pdfminer misplaces glyphs after the first string of a
line that uses character spacing; see shared tool facts), so positions come from it.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from layout.article import ArticleLayout, BodyLine
from layout.display import BASELINE_IN_EM_BOX
from layout.fontdb import Face, make_fontbook
from layout.geometry.grid import PageGrid
from layout.page import PageLayout
from layout.text.clreq import NO_END, NO_START, Kind, punct_kind

#: Flush tolerance for a justified line's right edge (the acceptance bound, pt).
FLUSH_TOLERANCE = 0.5
GRID_TOLERANCE = 0.01
#: pdfium reports a hyphen it takes for a line-end soft hyphen as U+0002.
PDFIUM_HYPHEN_FIX = {0x02: ord("-")}


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x: float  # origin, trim coordinates (pt from the trim's left)
    baseline: float  # pt from the trim's top, downwards
    size: float


def read_chars(pdf: bytes | Path, page_index: int = 0) -> list[Char]:
    """Every drawn character of a page in content-stream order (generated spaces dropped)."""
    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        page = doc[page_index]
        left, _, _, top = page.get_trimbox()
        textpage = page.get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        chars = []
        for i in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, i):
                continue
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            code = PDFIUM_HYPHEN_FIX.get(code, code)
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, i)
            chars.append(Char(chr(code), x.value - left, top - y.value, size))
        return chars
    finally:
        doc.close()


@dataclass
class Measures:
    """The acceptance figures of issue 2 for one page."""

    body_lines: int = 0
    justified_lines: int = 0  # non-final body lines
    flush_lines: int = 0  # of those, right edge within FLUSH_TOLERANCE
    on_grid: int = 0
    start_violations: list[str] = field(default_factory=list)
    end_violations: list[str] = field(default_factory=list)
    ragged: list[str] = field(default_factory=list)
    articles: int = 0
    balanced_articles: int = 0
    chars_total: int = 0
    chars_recovered: int = 0
    chars_reported: int = 0

    def merge(self, other: Measures) -> None:
        for name in ("body_lines", "justified_lines", "flush_lines", "on_grid", "articles", "balanced_articles",
                     "chars_total", "chars_recovered", "chars_reported"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.start_violations += other.start_violations
        self.end_violations += other.end_violations
        self.ragged += other.ragged


def measure_page(layout: PageLayout, chars: list[Char]) -> Measures:
    """Compare a page's read-back characters with its layout."""
    m = Measures()
    grid, body = layout.grid, layout.spec.page.body
    size = body.size
    level = layout.spec.typography.kinsoku
    face = make_fontbook().face(body.font if body.font in ("song", "hei", "kai") else "song")
    offset = (grid.pitch - size) / 2 + BASELINE_IN_EM_BOX * size
    for article in layout.articles:
        m.articles += 1
        m.balanced_articles += int(article.distribution.balanced or bool(article.distribution.leftover))
        lines = _body_lines(article, chars, size, grid)
        final = _final_lines(article)
        for (column, grid_line), row in sorted(lines.items()):
            m.body_lines += 1
            baseline = row[0].baseline
            m.on_grid += int(abs(baseline - (grid.line_y(grid_line) + offset)) < GRID_TOLERANCE)
            text = "".join(c.text for c in row)
            first, last = row[0].text, row[-1].text
            if text.startswith(("——", "……")) and level != "strict":
                first = ""  # a 2-em dash or ellipsis unit may start a line below strict (A3)
            if last == "/" and len(row) > 1 and row[-2].text.isascii():
                last = ""  # a URL broken after its slash (A4: allowed when longer than the line)
            if _kind(first) in NO_START[level] and not _starts_paragraph(article, column, grid_line):
                m.start_violations.append(f"{article.id}: line starts with {first}: {text}")
            if _kind(last) in NO_END[level]:
                m.end_violations.append(f"{article.id}: line ends with {last}: {text}")
            if (column, grid_line) in final:
                continue
            m.justified_lines += 1
            col = article.columns[column]
            edge = _right_edge(row[-1], face)
            flush = abs(edge - (col.x + col.width)) <= FLUSH_TOLERANCE
            m.flush_lines += int(flush)
            if not flush:
                m.ragged.append(f"{article.id}: right edge {edge - col.x - col.width:+.2f} pt: {text}")
    return m


def _kind(char: str) -> Kind | None:
    return punct_kind(char)


def _body_lines(article: ArticleLayout, chars: list[Char], size: float, grid: PageGrid) -> dict[tuple[int, int], list[Char]]:
    """Body characters of an article grouped by (text column, grid line), stream order kept."""
    slots = {(p.column, p.line) for p in article.distribution.placements if isinstance(p.item.payload, BodyLine)}
    rows: dict[tuple[int, int], list[Char]] = defaultdict(list)
    for char in chars:
        if abs(char.size - size) > 0.01:
            continue
        line = int((char.baseline - grid.type_area.y) // grid.pitch) + 1
        for column, col in enumerate(article.columns):
            if col.x - 0.01 <= char.x <= col.x + col.width and (column, line) in slots:
                rows[(column, line)].append(char)
                break
    return rows


def _final_lines(article: ArticleLayout) -> set[tuple[int, int]]:
    """(column, grid line) of every paragraph's last line."""
    out = set()
    for p in article.distribution.placements:
        payload = p.item.payload
        if isinstance(payload, BodyLine) and payload.composed.lines[payload.index].last:
            out.add((p.column, p.line))
    return out


def _starts_paragraph(article: ArticleLayout, column: int, line: int) -> bool:
    for p in article.distribution.placements:
        if p.column == column and p.line == line and isinstance(p.item.payload, BodyLine):
            return p.item.payload.index == 0
    return False


#: Marks whose blank half is trimmed at a line end (CLREQ A6.2): their edge is ½ em in.
_HALF_AT_END = frozenset("，。、；：？！）》」』”’】〕")


def _right_edge(char: Char, face: Face) -> float:
    if char.text in _HALF_AT_END:
        return char.x + 0.5 * char.size
    if char.text in "—…":
        return char.x + char.size
    return char.x + face.advance(ord(char.text)) * char.size


def recovered_text(layout: PageLayout, chars: list[Char]) -> tuple[int, int, int]:
    """(characters in the spec's texts, recovered from the PDF in order, reported as overflow).

    The page's drawn characters, in stream order, must contain every placed text in
    reading order: header, each block's texts in spec order, footer.  Whitespace is not
    drawn and not counted.
    """
    drawn = "".join(c.text for c in chars)
    expected = _expected_texts(layout)
    total = recovered = 0
    position = 0
    for text in expected:
        total += len(text)
        found = drawn.find(text[: min(len(text), 8)], position) if text else position
        if found < 0:
            # pdfium may order blocks whose lines share a baseline by position, not by
            # stream; each text must still be whole and in order within itself
            found = drawn.find(text[: min(len(text), 8)])
        if found < 0:
            continue
        k = 0
        while k < len(text) and found + k < len(drawn) and drawn[found + k] == text[k]:
            k += 1
        recovered += k
        position = found + k
    reported = sum(int(p.details.get("chars_over", 0)) for p in layout.problems
                   if p.kind in ("overflow", "table_rows_over"))
    return total, recovered, reported


def _expected_texts(layout: PageLayout) -> list[str]:
    from layout.furniture import credits_text, folio_text, footer_text
    from layout.spec.data import Article, GroupTitle, Photo, Table
    from layout.table import cell_text

    def squash(text: str | None) -> str:
        return "".join((text or "").split())

    spec = layout.spec
    out = []
    if spec.header is not None:
        out += [squash(folio_text(spec.header)), squash(credits_text(spec.header))]
    for block in spec.blocks:
        if isinstance(block, Article):
            out.append(squash(block.label.text) if block.label is not None else "")  # drawn before the headline
            out += [squash(t) for t in (block.kicker, block.title, block.subtitle, block.byline)]
            out += _body_texts(block, squash)
        elif isinstance(block, Photo):
            out += [squash(block.caption), squash(block.credit)]
        elif isinstance(block, GroupTitle):
            out += [squash(t) for t in (block.kicker, block.title, block.subtitle)]
        elif isinstance(block, Table):  # drawn band by band, each row's cells left to right
            out += [squash(block.title), squash(block.note)] + [squash(c.head) for c in block.columns]
            out += [squash(cell_text(v, c)) for row in block.rows for v, c in zip(row, block.columns, strict=True)]
            out.append(squash(block.source))
    if spec.footer is not None:
        out.append(squash(footer_text(spec.footer)))
    return [t for t in out if t]


def _body_texts(block, squash) -> list[str]:  # type: ignore[no-untyped-def]
    """An article's body in reading order: runs of paragraphs, and each insert (its label,
    its text) where it stands among them."""
    from layout.flow.collect import split_body
    from layout.insert import resolve
    from layout.text.markup import parse_inline, plain_text

    # body paragraphs as drawn: inline markup understood is not text (subheads have none)
    paragraphs = [squash(p.text if p.subhead else plain_text(parse_inline(p.text))) for p in split_body(block.body)]
    at: dict[int, list[str]] = {}
    for insert in block.inserts:
        spec = resolve(insert)
        index = len(paragraphs) if spec.at == "end" else min(spec.at, len(paragraphs))
        text = squash(spec.title) + "".join(squash(p.text) for p in split_body(insert.text))
        at.setdefault(index, []).append(text)
    out, run = [], ""
    for index in range(len(paragraphs) + 1):
        if index in at:
            out += [run, *at[index]]
            run = ""
        run += paragraphs[index] if index < len(paragraphs) else ""
    return [*out, run]
