"""The page spec as layout reads it: frozen dataclasses, lengths already in points.

``layout/spec/models.py`` validates a spec document with pydantic (the edge: unknown keys
refused, units parsed, ranges checked, errors with their key paths) and hands over these
plain classes, field for field.  Nothing here imports pydantic: a spec validated before
(``layout/spec/load.py`` keeps them by the document's bytes) is read back without it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Role = Literal["body", "kicker", "title", "subtitle", "byline", "subhead", "caption", "credit", "header", "footer",
               "label", "jump"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
Align = Literal["left", "center", "right", "justify", "distribute"]
Punctuation = Literal["line_end_half", "quanjiao", "kaiming", "banjiao", "none"]
#: Line types of rules and boxes (layout/rules.py RuleType): 正线, 粗线, 双线, 文武线, 点线, 虚线, 波纹线.
RuleTypeName = Literal["thin", "thick", "double", "thick-thin", "dotted", "dashed", "wavy", "none"]
CMYKPercent = tuple[float, float, float, float]
InsertKind = Literal["editor_note", "summary", "related", "background", "quote"]


@dataclass(frozen=True, slots=True)
class Margins:
    top: float
    right: float
    bottom: float
    left: float


@dataclass(frozen=True, slots=True)
class BodyStyle:
    font: str
    size: float
    leading: float | str  # a length in points, or a factor of the size (styles.py resolves it)


@dataclass(frozen=True, slots=True)
class PageSettings:
    size: tuple[float, float]
    margins: Margins
    bleed: float
    crop_marks: bool
    columns: int
    gutter: float
    body: BodyStyle


@dataclass(frozen=True, slots=True)
class Folio:
    paper: str | None
    section: str | None
    date: dt.date | str | None
    page: int | str | None


@dataclass(frozen=True, slots=True)
class Header:
    credits: dict[str, str | list[str]]
    folio: Folio | None


@dataclass(frozen=True, slots=True)
class Footer:
    hotline: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class StyleOverride:
    font: str | None
    weight: Literal["regular", "bold"] | None
    size: float | None
    leading: float | str | None
    color: tuple[float, float, float, float] | None
    align: Align | None
    max_lines: int | None
    punctuation: Punctuation | None
    min_size: float | None
    overprint: bool | None = None


@dataclass(frozen=True, slots=True)
class Output:
    profile: str | None
    ink_limit: float
    min_ppi: float
    target_ppi: float
    jpeg_quality: int
    min_text_size: float
    pdfx: bool


@dataclass(frozen=True, slots=True)
class Typography:
    kinsoku: Literal["none", "basic", "gb", "strict"]
    cjk_latin_space: float
    first_indent: float
    trim_line_start: bool
    trim_after_indent: bool
    punctuation: Punctuation
    hanging: Literal["none", "allow"]
    composer: Literal["total-fit", "first-fit"]
    normalize: bool


@dataclass(frozen=True, slots=True)
class FrameRef:
    column: int
    span: int
    line: int
    lines: int | Literal["auto"]


@dataclass(frozen=True, slots=True)
class Placeholder:
    placeholder: int


Body = str | list[str] | Placeholder


@dataclass(frozen=True, slots=True)
class RuleSpec:
    type: RuleTypeName
    weight: float | None  # None: the type's default weight
    color: CMYKPercent | None  # None: 100 % K


@dataclass(frozen=True, slots=True)
class BoxInset:
    lines: int
    side: float


@dataclass(frozen=True, slots=True)
class BoxSpec:
    rule: RuleSpec
    inset: BoxInset


@dataclass(frozen=True, slots=True)
class Band:
    color: CMYKPercent
    reverse: bool


@dataclass(frozen=True, slots=True)
class Headline:
    """Where and how an article's headline group is set (``headline:``): ``top`` (the band
    over the article), ``vertical`` (竖排标题: a strip beside the body) or ``inset`` (文包题:
    a box in the text columns, the body around it)."""

    form: Literal["top", "vertical", "inset"]
    side: Literal["left", "right"]  # vertical: the strip's edge of the frame
    column: int | None  # vertical: page column of the frame where the strip starts (None: at ``side``); inset: first text column
    line: int | None  # inset: first grid line, counted from the frame's top (1-based)
    span: int  # vertical: page columns; inset: text columns
    width: float | None  # vertical: pt; None: ``span`` page columns
    lines: int | None  # vertical: grid lines the headline may run down
    upright_digits: int  # vertical: 纵中横 up to this many characters
    rule: RuleSpec | None  # inset: a box rule around the headline; None: no box


@dataclass(frozen=True, slots=True)
class PageRules:
    between: RuleSpec | None = None  # None: the 0.5 pt black 正线
    columns: RuleSpec | None = None  # None: no column rules


@dataclass(frozen=True, slots=True)
class Insert:
    kind: InsertKind
    at: int | Literal["end"] | None  # None: the kind's default
    span: Literal["column", "frame"] | None
    border: Literal["box", "rules", "none"] | None
    tint: tuple[float, float, float, float] | None  # [0, 0, 0, 0]: none
    title: str | None
    title_position: Literal["above", "run_in"] | None
    text: Body
    text_style: StyleOverride | None
    title_style: StyleOverride | None


LabelStyle = Literal["box", "tint", "reverse", "ornament"]


@dataclass(frozen=True, slots=True)
class Label:
    """A column label (栏目名/题花) of an article."""

    text: str
    style: LabelStyle
    position: Literal["before_title", "corner"]
    color: CMYKPercent | None  # None: the style's default


@dataclass(frozen=True, slots=True)
class Article:
    type: Literal["article"]
    id: str
    frame: FrameRef
    columns: int | None
    kicker: str | None
    title: str
    subtitle: str | None
    byline: str | None
    body: Body
    styles: dict[Role, StyleOverride]
    inserts: list[Insert]
    rule: RuleSpec | None = None  # the rule on its edges; None: the page's rules.between
    column_rules: RuleSpec | None = None  # None: the page's rules.columns
    box: BoxSpec | None = None
    tint: CMYKPercent | None = None
    band: Band | None = None
    headline: Headline | None = None  # None: form top
    label: Label | None = None
    jump: str | None = None  # 转版: the id of its continuation on a later page
    fit: FitPolicy | None = None  # its copyfit policy, over the page's key by key (layout/fit.py)


@dataclass(frozen=True, slots=True)
class GroupTitle:
    """A title over a group of articles (组合标题)."""

    type: Literal["group_title"]
    id: str
    frame: FrameRef
    kicker: str | None
    title: str
    subtitle: str | None
    articles: list[str]  # ids of the group's articles
    styles: dict[Role, StyleOverride]


@dataclass(frozen=True, slots=True)
class Photo:
    type: Literal["photo"]
    id: str
    frame: FrameRef
    src: str | None
    caption: str | None
    credit: str | None
    fit: Literal["cover", "contain"]
    focus: tuple[float, float] | None
    styles: dict[Role, StyleOverride]


@dataclass(frozen=True, slots=True)
class Qr:
    type: Literal["qr"]
    id: str
    frame: FrameRef
    data: str
    caption: str | None
    error_correction: Literal["L", "M", "Q", "H"]
    quiet_zone: int
    styles: dict[Role, StyleOverride]


@dataclass(frozen=True, slots=True)
class Masthead:
    type: Literal["masthead"]
    id: str
    frame: FrameRef
    name: str
    artwork: str | None
    artwork_page: int
    font: str
    color: tuple[float, float, float, float] | None
    date: dt.date | None
    issue: int | None
    cn: str | None
    postal: str | None
    weather: str | None


@dataclass(frozen=True, slots=True)
class Ear:
    type: Literal["ear"]
    id: str
    frame: FrameRef
    title: str | None
    text: str | None
    src: str | None
    border: bool


@dataclass(frozen=True, slots=True)
class Ad:
    type: Literal["ad"]
    id: str
    frame: FrameRef
    src: str
    page: int


TableRole = Literal["title", "note", "source", "head", "cell"]


@dataclass(frozen=True, slots=True)
class TableColumn:
    head: str | None
    width: tuple[str, float]  # ("weight", w), ("em", characters) or ("pt", points)
    align: Literal["left", "center", "right", "decimal"]
    decimals: int | None


@dataclass(frozen=True, slots=True)
class TableRules:
    top: float | None  # rule weights in points; None: no rule
    bottom: float | None
    sides: float | None
    header: float | None
    rows: float | None
    columns: float | None


@dataclass(frozen=True, slots=True)
class Table:
    type: Literal["table"]
    id: str
    frame: FrameRef
    title: str | None
    note: str | None
    source: str | None
    columns: list[TableColumn]
    rows: list[list[str | int | float]]
    rules: TableRules
    zebra: tuple[float, float, float, float] | None
    styles: dict[TableRole, StyleOverride]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    article: str
    teaser: str | None


@dataclass(frozen=True, slots=True)
class Index:
    """导读: articles with the page each is on."""

    type: Literal["index"]
    id: str
    frame: FrameRef
    title: str | None
    marker: str
    entries: list[IndexEntry]
    border: bool


@dataclass(frozen=True, slots=True)
class Continuation:
    """转版: where an article begun on an earlier page goes on."""

    type: Literal["continuation"]
    id: str
    frame: FrameRef
    columns: int | None
    title: str | None
    styles: dict[Role, StyleOverride]
    rule: RuleSpec | None = None


Block = Article | Photo | Qr | Masthead | Ear | Ad | Table | GroupTitle | Index | Continuation


@dataclass(frozen=True, slots=True)
class PageSpec:
    version: Literal[1]
    page: PageSettings
    header: Header | None
    footer: Footer | None
    styles: dict[Role, StyleOverride]
    fonts: dict[str, str]
    typography: Typography
    output: Output
    blocks: list[Block]
    rules: PageRules = PageRules()
    fit: FitPolicy | None = None  # the page's copyfit policy (layout/fit.py); None: the default


@dataclass(frozen=True, slots=True)
class FitPolicy:
    """A copyfit policy (``fit:``, docs/fit.md); None: not given here (the article's key
    falls back to the page's, the page's to the default).  Fractions, not percent."""

    tracking: tuple[float, float] | None = None  # added letter spacing of the body, share of its size
    squeeze: bool | None = None  # punctuation squeeze (标点挤压): 开明式 marks in the body
    scale: tuple[float, float] | None = None  # horizontal scale of the body glyphs (1.0 = 100 %)
    headline: tuple[int, int] | None = None  # 字号 steps of the title, down (negative) and up
    photo: int | None = None  # grid lines a photo in the article may lose or gain


@dataclass(frozen=True, slots=True)
class FitAdjustment:
    """One adjustment of an article (all zero / 1.0 / False: none)."""

    tracking: float = 0.0  # share of the body size added after each body character
    squeeze: bool = False
    scale: float = 1.0  # horizontal scale of the body glyphs
    headline: int = 0  # 字号 steps of the title (negative: smaller)
    photo: int = 0  # grid lines added to the article's photo (negative: shorter)
    photo_id: str | None = None  # the photo changed, when ``photo`` is not 0
