"""Inserts in an article's flow: 编者按, 提要/导语, 相关链接, 背景资料 and pull quotes (引语).

An insert is set at its own width (one text column, or the article's whole frame) by
the same composer as the body, and takes whole grid lines (vertical positions stay on
the page grid):

* one line of clearance above and below; the frame's edge (the box, the tint, the rule)
  runs through the middle of these lines, half a line from the text around it;
* the label on lines of its own (``title_position: above``), centred in whole grid
  lines, or run in at the start of the first paragraph (``run_in``: 编者按：……);
* the text lines.  At the grid pitch (the default for every kind but ``quote``) they sit
  on the page's baselines; at another leading they form a sub-grid centred in whole
  grid lines, so that the block starts and ends on the grid (as subheads do).

The defaults of every key come from the insert's ``kind`` (:data:`KIND_DEFAULTS`): a
黑体 label and 楷体 text for 编者按, as newspapers set it.  The frame is drawn by one
function, :func:`insert_frame`, so that a rule-style vocabulary can replace it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from layout.compose.justify import SetLine
from layout.compose.paragraph import Composed, ParagraphStyle, compose_balanced, compose_paragraph
from layout.context import LayoutContext
from layout.display import CMYK, Box, DisplayItem, GlyphRun, Rule, baseline_in_box, line_runs
from layout.flow.collect import split_body
from layout.geometry.grid import Rect
from layout.spec.data import Insert, InsertKind
from layout.spec.styles import BLACK, TextStyle, override_style
from layout.units import EPS, SIZE_NAMES

Border = Literal["box", "rules", "none"]
Span = Literal["column", "frame"]
TitlePosition = Literal["above", "run_in"]

#: Grid lines of clearance above and below an insert; its frame's edge runs through their middle.
CLEARANCE_LINES = 1
#: Space between a box's (or tint's) edge and its text, left and right, in em of the body size.
PADDING_EM = 1.0
#: Outline of a boxed insert, pt (a thin rule, 细线).
BOX_RULE_WIDTH = 0.5
#: The rules above and below an insert with ``border: rules`` (a pull quote), pt.
RULES_WIDTH = 1.0
#: The text of a pull quote: 四号 at 1.4 × its size (a sub-grid centred in whole grid lines).
QUOTE_SIZE = SIZE_NAMES["四号"]
QUOTE_LEADING = 1.4
#: The label of a run-in title keeps its full-width colon: it is never at a line end.
RUN_IN_PUNCTUATION = "quanjiao"


@dataclass(frozen=True, slots=True)
class KindDefaults:
    """What an insert of one kind looks like when the spec says nothing more."""

    at: int | Literal["end"]
    span: Span
    border: Border
    tint: CMYK | None
    title: str
    title_position: TitlePosition
    title_font: str
    text_font: str
    text_size: float  # 0: the body size
    text_leading: float  # 0: the grid pitch; else a factor of the size
    align: str
    indent: bool  # paragraphs take the page's first-line indent


#: 10 % K: the tint of 提要 and 背景资料 (light enough for 100 % K text on it).
LIGHT_TINT: CMYK = (0.0, 0.0, 0.0, 10.0)

KIND_DEFAULTS: dict[InsertKind, KindDefaults] = {
    "editor_note": KindDefaults(0, "frame", "box", None, "编者按：", "run_in", "hei", "kai", 0.0, 0.0, "justify", True),
    "summary": KindDefaults(0, "frame", "none", LIGHT_TINT, "提要：", "run_in", "hei", "kai", 0.0, 0.0, "justify", True),
    "related": KindDefaults("end", "column", "box", None, "【相关链接】", "above", "hei", "song", 0.0, 0.0, "justify",
                            True),
    "background": KindDefaults("end", "column", "none", LIGHT_TINT, "【背景资料】", "above", "hei", "kai", 0.0, 0.0,
                               "justify", True),
    "quote": KindDefaults(1, "column", "rules", None, "", "above", "hei", "kai", QUOTE_SIZE, QUOTE_LEADING, "center",
                          False),
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """An insert's keys with the kind's defaults filled in."""

    kind: InsertKind
    at: int | Literal["end"]
    span: Span
    border: Border
    tint: CMYK | None
    title: str
    title_position: TitlePosition


def resolve(insert: Insert) -> Resolved:
    d = KIND_DEFAULTS[insert.kind]
    tint = d.tint if insert.tint is None else (tuple(insert.tint) if any(insert.tint) else None)
    return Resolved(
        insert.kind, d.at if insert.at is None else insert.at, insert.span or d.span, insert.border or d.border,
        tint,  # type: ignore[arg-type]
        d.title if insert.title is None else insert.title, insert.title_position or d.title_position,
    )


@dataclass(frozen=True, slots=True)
class SetInsert:
    """An insert composed at its width: what the flow places and :func:`draw_insert` draws."""

    index: int  # under the article's ``inserts:``
    spec: Resolved
    width: float  # outer width, pt
    padding: float  # text inset left and right, pt
    title_style: TextStyle
    text_style: TextStyle
    title: Composed | None  # lines above the text
    label: Composed | None  # a run-in label (one line)
    label_x: float  # where the run-in label starts, from the text's left edge
    paragraphs: tuple[Composed, ...]
    title_lines: int  # grid lines of the title block
    text_lines: int  # grid lines of the text block
    pitch: float
    rest_chars: int = 0  # text past ``max_chars``: counted, not composed (it cannot fit)
    rest_lines: int = 0  # its grid lines, estimated

    @property
    def height(self) -> int:
        """Grid lines the insert takes."""
        return 2 * CLEARANCE_LINES + self.title_lines + self.text_lines + self.rest_lines

    @property
    def chars(self) -> int:
        parts = [self.title, self.label, *self.paragraphs]
        return sum(p.chars for p in parts if p is not None) + self.rest_chars

    @property
    def missing(self) -> tuple[str, ...]:
        parts = [self.title, self.label, *self.paragraphs]
        return tuple(c for p in parts if p is not None for c in p.missing)


def insert_styles(insert: Insert, ctx: LayoutContext) -> tuple[TextStyle, TextStyle]:
    """(label style, text style): the body's, in the kind's faces, with the insert's overrides."""
    d = KIND_DEFAULTS[insert.kind]
    body = ctx.styles["body"]
    size = d.text_size or body.size
    leading = d.text_leading * size if d.text_leading else ctx.grid.pitch
    text = replace(body, family=d.text_font, weight="regular", size=size, leading=leading, align=d.align)
    title = replace(body, family=d.title_font, weight="regular", align="left")
    return override_style(title, insert.title_style), override_style(text, insert.text_style)


def set_insert(insert: Insert, index: int, ctx: LayoutContext, width: float, max_chars: int | None = None) -> SetInsert:
    """Compose an insert ``width`` points wide (its frame's outer width).

    Text past ``max_chars`` (far more than the frame holds) is counted and its lines
    estimated, not composed: a wire file pasted into an insert is reported in seconds.
    """
    spec = resolve(insert)
    kind = KIND_DEFAULTS[insert.kind]
    title_style, text_style = insert_styles(insert, ctx)
    framed = spec.border == "box" or spec.tint is not None
    padding = PADDING_EM * ctx.styles["body"].size if framed else 0.0
    inner = max(width - 2 * padding, 1.0)
    pitch = ctx.grid.pitch
    title_font = ctx.resolver(title_style)
    label: Composed | None = None
    title: Composed | None = None
    if spec.title:
        if spec.title_position == "run_in":
            label_style = ParagraphStyle(title_style.size, "left", replace(
                ctx.config, first_indent=0.0, punctuation=RUN_IN_PUNCTUATION))
            label = compose_paragraph(spec.title, label_style, inner, title_font)
            if len(label.lines) != 1:  # a label as wide as the insert goes on lines of its own
                label = None
        if label is None:
            title = compose_paragraph(spec.title, ctx.paragraph(title_style), inner, title_font)
    base_indent = ctx.config.first_indent if kind.indent else 0.0
    texts, rest = _within([p.text for p in split_body(insert.text)], max_chars)
    paragraphs = []
    for k, text in enumerate(texts):
        para = ctx.paragraph(text_style, indent=kind.indent)
        if k == 0 and label is not None:
            extra = label.lines[0].used / text_style.size
            para = replace(para, config=replace(para.config, first_indent=base_indent + extra, trim_after_indent=False))
        compose = compose_balanced if text_style.align == "center" else compose_paragraph
        paragraphs.append(compose(text, para, inner, ctx.resolver(text_style)))
    if label is not None and not paragraphs:
        title, label = compose_paragraph(spec.title, ctx.paragraph(title_style), inner, title_font), None
    title_lines = _grid_lines(len(title.lines), title_style.leading, pitch) if title else 0
    text_lines = _grid_lines(sum(len(p.lines) for p in paragraphs), text_style.leading, pitch)
    rest_lines = 0
    if rest:
        composed = [line for p in paragraphs for line in p.lines]
        per_line = sum(line.chars for line in composed) / len(composed) if composed else inner / text_style.size
        rest_lines = _grid_lines(math.ceil(rest / max(per_line, 1.0)), text_style.leading, pitch)
    return SetInsert(index, spec, width, padding, title_style, text_style, title, label,
                     base_indent * text_style.size, tuple(paragraphs), title_lines, text_lines, pitch, rest, rest_lines)


def _within(texts: list[str], max_chars: int | None) -> tuple[list[str], int]:
    """The paragraphs up to ``max_chars`` characters, and how many (not spaces) are left."""
    if max_chars is None:
        return texts, 0
    out: list[str] = []
    room = max_chars
    for k, text in enumerate(texts):
        if len(text) > room:
            if room:
                out.append(text[:room])
            rest = [text[room:], *texts[k + 1:]]
            return out, sum(len("".join(t.split())) for t in rest)
        out.append(text)
        room -= len(text)
    return out, 0


def _grid_lines(rows: int, leading: float, pitch: float) -> int:
    """Whole grid lines that ``rows`` lines of ``leading`` take."""
    return math.ceil(rows * leading / pitch - EPS) if rows else 0


def draw_insert(s: SetInsert, x: float, top: float) -> tuple[DisplayItem, ...]:
    """The insert's frame and text, its first grid line starting at ``top``."""
    pitch = s.pitch
    frame = Rect(x, top + CLEARANCE_LINES * pitch - pitch / 2, s.width,
                 (s.height - 2 * CLEARANCE_LINES + 1) * pitch)
    out: list[DisplayItem] = list(insert_frame(frame, s.spec.border, s.spec.tint))
    text_x = x + s.padding
    y = top + CLEARANCE_LINES * pitch
    if s.title is not None:
        out += _block(s.title.lines, s.title_style, text_x, y, s.title_lines * pitch)
        y += s.title_lines * pitch
    lines = [line for p in s.paragraphs for line in p.lines]
    text = _block(lines, s.text_style, text_x, y, s.text_lines * pitch)
    if s.label is not None and text:
        style = s.title_style
        out += line_runs(s.label.lines[0], text_x + s.label_x, text[0].baseline, style.color)
    return (*out, *text)


def _block(lines: Sequence[SetLine], style: TextStyle, x: float, top: float, height: float) -> list[GlyphRun]:
    """Lines of ``style`` centred in a block of whole grid lines (on the grid at the pitch)."""
    out: list[GlyphRun] = []
    text_top = top + (height - len(lines) * style.leading) / 2
    for k, line in enumerate(lines):
        baseline = baseline_in_box(text_top + k * style.leading, style.leading, style.size)
        out.extend(line_runs(line, x, baseline, style.color))
    return out


def insert_frame(rect: Rect, border: Border, tint: CMYK | None) -> tuple[DisplayItem, ...]:
    """The box, tint or rules of an insert around ``rect`` (the one place they are drawn)."""
    if border == "box":
        return (Box(rect.x, rect.y, rect.width, rect.height, tint, BLACK, line_width=BOX_RULE_WIDTH),)
    out: list[DisplayItem] = []
    if tint is not None:
        out.append(Box(rect.x, rect.y, rect.width, rect.height, tint, None))
    if border == "rules":
        out += [Rule(rect.x, y, rect.right, y, RULES_WIDTH, BLACK) for y in (rect.y, rect.bottom)]
    return tuple(out)
