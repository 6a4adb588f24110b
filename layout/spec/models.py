"""Pydantic models of the page spec (contract shared/docs/page-spec.md §1, §3, §4).

Lengths are read into points as they are validated, so every model downstream holds
plain floats.  Unknown keys are rejected (``extra='forbid'``) and block types are
discriminated on ``type``.  This is the edge: :func:`to_data` hands the validated spec
on as the frozen dataclasses of ``layout/spec/data.py``, which is all layout reads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from layout.spec import data
from layout.spec.data import Align, Punctuation, Role
from layout.spec.errors import BilingualValueError, StrayBoolean
from layout.units import (
    PAGE_SIZES_MM,
    UnitError,
    leading_factor,
    mm,
    parse_font_size,
    parse_leading,
    parse_length,
    shown,
)

_LENGTH_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*[0-9.]+\s*(pt|mm|cm|in|q|Q)?\s*$"}],
    "description": "a length: a number with pt, mm, cm, in or q (0.25 mm); a bare number is points",
}
_SIZE_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string"}],
    "description": "a font size: a length or a Chinese size name (初号 … 八号, e.g. 五号 = 10.5pt)",
}
_LEADING_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string"}],
    "description": "a length, or a bare factor of the size below 4 (1.5 = 150 %)",
}

Length = Annotated[float, BeforeValidator(parse_length), WithJsonSchema(_LENGTH_SCHEMA)]
#: Font sizes a newspaper can print: from 1 pt (rules of thumb say 5 pt is the floor) to 500 pt.
MIN_FONT_SIZE, MAX_FONT_SIZE = 1.0, 500.0
#: Page columns (栏) and text columns (变栏): a broadsheet has 8, a tabloid 4–6.
MAX_COLUMNS = 24
#: Grid lines a frame may start at or cover, and lines a title may take: a broadsheet of
#: 9 pt body text has ~130 lines; the smallest leading allowed gives ~28,000 on the
#: largest page, so this bounds every loop over lines without refusing a real page.
MAX_GRID_LINES = 10_000
#: A leading given as a length is at least this (points): the grid pitch of the page.
MIN_LEADING_PT = 1.0
#: A leading given as a bare factor of the size is at least this (at most 4, see units.py).
MIN_LEADING_FACTOR = 0.5
#: Image resolutions (ppi) a spec may name: a press needs 200–300; 10,000 is a scanner's.
MAX_PPI = 10_000.0
#: Largest page number (版次) given as a number: a paper has tens of pages.
MAX_PAGE_NUMBER = 9999
#: Characters of a block id: it names the block in every report.
MAX_ID_CHARS = 100


def _sane_size(value: float) -> float:
    if not MIN_FONT_SIZE <= value <= MAX_FONT_SIZE:
        raise BilingualValueError(
            f"font size must be between {MIN_FONT_SIZE:g} and {MAX_FONT_SIZE:g} pt, got {value:g}",
            f"字号必须在 {MIN_FONT_SIZE:g} 到 {MAX_FONT_SIZE:g} pt 之间，实际是 {value:g}")
    return value


def _not_negative(value: float) -> float:
    if value < 0:
        raise BilingualValueError(f"must not be negative, got {value:g} pt", f"不能为负数，实际是 {value:g} pt")
    return value


FontSize = Annotated[float, BeforeValidator(parse_font_size), AfterValidator(_sane_size), WithJsonSchema(_SIZE_SCHEMA)]
Margin = Annotated[float, BeforeValidator(parse_length), AfterValidator(_not_negative), WithJsonSchema(_LENGTH_SCHEMA)]
#: Leading stays raw here: a bare factor needs the size, which styles.py resolves.
Leading = Annotated[float | str, WithJsonSchema(_LEADING_SCHEMA)]



def _check_leading(value: Any) -> Any:
    try:
        factor = leading_factor(value)
        points = parse_leading(value, 10.0)
    except UnitError as exc:
        raise BilingualValueError(str(exc), exc.zh) from None
    if points <= 0:
        raise BilingualValueError("leading must be positive", "行距必须是正数")
    if factor is not None and factor < MIN_LEADING_FACTOR:
        raise BilingualValueError(f"a leading factor must be at least {MIN_LEADING_FACTOR:g}, got {factor:g}",
                                  f"行距倍数不能小于 {MIN_LEADING_FACTOR:g}，实际是 {factor:g}")
    if factor is None and points < MIN_LEADING_PT:
        raise BilingualValueError(f"leading must be at least {MIN_LEADING_PT:g} pt, got {points:g} pt",
                                  f"行距不能小于 {MIN_LEADING_PT:g} pt，实际是 {points:g} pt")
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_stray_booleans(cls, value: Any) -> Any:
        """``true``/``false`` only where a yes/no is asked: pydantic would otherwise read
        ``columns: true`` as 1 and ``version: true`` as version 1.  Where a number is
        asked, the word is handed on as text, so the field itself (and its line) says
        what it expected; text fields refuse a boolean themselves."""
        if not isinstance(value, dict):
            return value
        fields = cls.model_fields
        stray = {key: StrayBoolean("true" if item else "false") for key, item in value.items()
                 if isinstance(item, bool) and key in fields and not _admits(fields[key].annotation, bool)
                 and not _admits(fields[key].annotation, str, literals=False)}
        return {**value, **stray} if stray else value


def _admits(annotation: Any, kind: type, literals: bool = True) -> bool:
    """Whether values of ``kind`` are among what ``annotation`` accepts as they are (with
    ``literals=False``, any value of it: ``Literal["auto"]`` does not count)."""
    if annotation is kind:
        return True
    if get_origin(annotation) is Literal:
        return literals and any(type(arg) is kind for arg in get_args(annotation))
    return any(_admits(arg, kind, literals) for arg in get_args(annotation) if arg is not None)


class Margins(Model):
    top: Margin = Field(description="top margin; the header line is set in it")
    right: Margin
    bottom: Margin = Field(description="bottom margin; the hotline footer is set in it")
    left: Margin


class BodyStyle(Model):
    font: str = Field("song", description="font family of body text")
    size: FontSize = Field(description="body size, e.g. 9pt or 小五")
    leading: Leading = Field(description="line pitch; it is the page's baseline-grid pitch")

    @field_validator("leading", mode="before")
    @classmethod
    def _leading(cls, value: Any) -> Any:
        return _check_leading(value)


def _page_size(value: Any) -> Any:
    if isinstance(value, str):
        name = value.strip()
        if name not in PAGE_SIZES_MM:
            names = ", ".join(PAGE_SIZES_MM)
            raise BilingualValueError(f"unknown page size {shown(value)}; use [width, height] or one of {names}",
                                      f"未知的纸张尺寸 {shown(value)}；请写 [宽, 高] 或 {names} 之一")
        width, height = PAGE_SIZES_MM[name]
        return (mm(width), mm(height))
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return tuple(parse_length(v) for v in value)
    raise BilingualValueError("page size must be [width, height] or a name such as A3, broadsheet, tabloid",
                              "纸张尺寸应写作 [宽, 高]，或 A3、broadsheet、tabloid 等名称")


class PageSettings(Model):
    size: Annotated[
        tuple[float, float],
        BeforeValidator(_page_size),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "array", "items": _LENGTH_SCHEMA, "minItems": 2, "maxItems": 2},
                    {"type": "string", "enum": list(PAGE_SIZES_MM)},
                ],
                "description": "trim size [width, height] or a name: "
                + ", ".join(f"{k} {w:g}×{h:g} mm" for k, (w, h) in PAGE_SIZES_MM.items()),
            }
        ),
    ] = Field(description="trim size of the finished page")
    margins: Margins = Field(description="margins around the type area (版心)")
    bleed: Length = Field(0.0, ge=0, description="bleed beyond the trim on every side")
    crop_marks: bool = Field(False, description="draw crop marks outside the bleed")
    columns: int = Field(ge=1, le=MAX_COLUMNS, description="number of page columns (栏)")
    gutter: Length = Field(ge=0, description="space between page columns (栏空)")
    body: BodyStyle = Field(description="body style; its leading is the baseline-grid pitch")

    @field_validator("size")
    @classmethod
    def _positive(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] <= 0 or value[1] <= 0:
            raise BilingualValueError("page width and height must be positive", "页面的宽和高必须是正数")
        return value

    @model_validator(mode="after")
    def _type_area(self) -> PageSettings:
        width = self.size[0] - self.margins.left - self.margins.right
        height = self.size[1] - self.margins.top - self.margins.bottom
        if width <= 0 or height <= 0:
            raise BilingualValueError(f"the margins leave no type area ({width:.1f} × {height:.1f} pt)",
                                      f"页边距之内没有版心（{width:.1f} × {height:.1f} pt）")
        if width - (self.columns - 1) * self.gutter <= 0:
            raise BilingualValueError(
                f"{self.columns} columns with a {self.gutter:.1f} pt gutter do not fit the {width:.1f} pt type area",
                f"{self.columns} 栏、栏空 {self.gutter:.1f} pt 放不进 {width:.1f} pt 宽的版心")
        return self


class Folio(Model):
    paper: str | None = Field(None, description="newspaper name, e.g. 茂名日报")
    section: str | None = Field(None, description="section name, e.g. 茂南新闻")
    date: dt.date | str | None = Field(None, description="issue date (YYYY-MM-DD)")
    page: Annotated[int, Field(ge=0, le=MAX_PAGE_NUMBER)] | str | None = Field(None, description="page number (版次)")


class Header(Model):
    credits: dict[str, str | list[str]] = Field(
        default_factory=dict, description="role -> name or list of names, kept in order (值班主任, 责编, 版式 …)"
    )
    folio: Folio | None = Field(None, description="optional paper name, section, date and page number")


class Footer(Model):
    hotline: Annotated[str | None, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)] = Field(
        None, description="news hotline (新闻热线)"
    )
    email: str | None = Field(None, description="submission e-mail (投稿邮箱)")


_PUNCTUATION_HELP = (
    "punctuation style (CLREQ A6.3): line_end_half (default: full width, ½ em at line ends — mainland "
    "newspapers, GB/T 15834 §5.1.10), quanjiao (全角), kaiming (开明: ½ em except 。？！), banjiao (半角), none"
)


class StyleOverride(Model):
    font: str | None = Field(None, description="font family: song, hei, kai or one named under fonts:")
    weight: Literal["regular", "bold"] | None = Field(None, description="weight within the family")
    size: FontSize | None = None
    leading: Leading | None = None
    color: tuple[float, float, float, float] | None = Field(None, description="CMYK in percent, e.g. [0, 0, 0, 100]")
    align: Align | None = None
    max_lines: int | None = Field(None, ge=1, le=MAX_GRID_LINES, description="most lines a title, kicker or subtitle may take")
    punctuation: Punctuation | None = Field(None, description=_PUNCTUATION_HELP)
    min_size: FontSize | None = Field(
        None, description="titles, kickers, subtitles: shrink in 1 pt steps down to this size to fit max_lines"
    )
    overprint: bool | None = Field(
        None, description="true: the text overprints, false: it knocks out; default: 100 % K overprints, other colours knock out"
    )

    @field_validator("leading", mode="before")
    @classmethod
    def _leading(cls, value: Any) -> Any:
        return None if value is None else _check_leading(value)

    @field_validator("color")
    @classmethod
    def _percent(cls, value: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
        if value is not None and any(not 0 <= c <= 100 for c in value):
            raise BilingualValueError("CMYK values are percentages from 0 to 100", "CMYK 值是 0 到 100 的百分数")
        return value


def _cmyk_percent(value: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if any(not 0 <= c <= 100 for c in value):
        raise BilingualValueError("CMYK values are percentages from 0 to 100", "CMYK 值是 0 到 100 的百分数")
    return value


Cmyk = Annotated[tuple[float, float, float, float], AfterValidator(_cmyk_percent)]

#: The Chinese names of the rule types a spec may write instead of the English ones.
RULE_TYPE_ZH = {"正线": "thin", "细线": "thin", "粗线": "thick", "双线": "double", "文武线": "thick-thin",
                "点线": "dotted", "虚线": "dashed", "波纹线": "wavy", "无": "none"}
#: Heaviest rule weight a spec may ask for: a 粗线 of a masthead is a few points.
MAX_RULE_WEIGHT = 20.0
#: Grid lines a box may keep free inside its top and bottom edges.
MAX_BOX_INSET_LINES = 10


def _rule_shorthand(value: Any) -> Any:
    """``rule: dotted`` (or ``rule: 点线``) is ``rule: {type: dotted}``; Chinese type names read as English."""
    if isinstance(value, str):
        value = {"type": value}
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        name = value["type"].strip()
        value = {**value, "type": RULE_TYPE_ZH.get(name, name)}
    return value


class RuleSpec(Model):
    """A rule (栏线): line type, weight and colour (paiban addition)."""

    type: data.RuleTypeName = Field(
        "thin", description="thin 正线, thick 粗线, double 双线, thick-thin 文武线, dotted 点线, dashed 虚线, wavy 波纹线, "
        "or none; the Chinese names are accepted too")
    weight: Annotated[float, BeforeValidator(parse_length), WithJsonSchema(_LENGTH_SCHEMA)] | None = Field(
        None, ge=0, le=MAX_RULE_WEIGHT, description="stroke weight (pt or mm); default per type: thin 0.5pt, thick 1.5pt, "
        "double 0.5pt each stroke, thick-thin 1.5pt thick stroke, dotted 1pt, dashed 0.5pt, wavy 0.5pt")
    color: Cmyk | None = Field(None, description="CMYK in percent; default [0, 0, 0, 100] (overprints)")


RuleValue = Annotated[RuleSpec, BeforeValidator(_rule_shorthand)]


class BoxInset(Model):
    lines: int = Field(1, ge=0, le=MAX_BOX_INSET_LINES,
                       description="whole grid lines kept free inside the box's top and bottom edges (text stays on the grid)")
    side: Margin = Field(mm(2.0), description="space inside the box's left and right edges; the text columns get narrower")


class BoxSpec(Model):
    """A box (加框) around an article (paiban addition)."""

    rule: RuleValue = Field(default_factory=lambda: RuleSpec.model_validate({}),
                            description="the box's rule; default a 0.5pt black thin rule")
    inset: BoxInset = Field(default_factory=lambda: BoxInset.model_validate({}),
                            description="space inside the box: lines above and below, a length at the sides")


class Band(Model):
    """A solid band behind an article's headline group (paiban addition)."""

    color: Cmyk = Field(description="CMYK in percent of the band")
    reverse: bool = Field(False, description="set the headline in white (反白), knocked out of the band")


#: Longest number set upright side by side in one em in a vertical headline (纵中横): past
#: four digits the figures are too narrow to read, so longer numbers are rotated like words.
MAX_UPRIGHT_DIGITS = 4


#: Most characters of a column label (栏目名): a label is a short name such as 茂南观察.
MAX_LABEL_CHARS = 20


class Headline(Model):
    """Where and how an article's headline group is set (paiban addition, issue 12): over
    the article (``form: top``, the default), as a vertical strip beside the body
    (``form: vertical``, 竖排标题) or set into its text (``form: inset``, 文包题/串文)."""

    form: Literal["top", "vertical", "inset"] = Field(
        "top", description="top: a band over the article (the default); vertical: 竖排 — set top to bottom in a "
        "strip beside the body, lines right to left; inset: a box inside the text columns, the body flowing above, "
        "beside and below it (文包题)")
    side: Literal["left", "right"] = Field("right", description="vertical: the strip at the frame's right or left edge")
    column: int | None = Field(
        None, ge=1, le=MAX_COLUMNS, description="vertical: the page column of the frame (1 = its first) where the "
        "strip starts, inside the frame, instead of side; inset: the article's text column (1-based) where the "
        "headline box starts")
    line: int | None = Field(None, ge=1, le=MAX_GRID_LINES,
                             description="inset: the grid line of the frame (1 = its first line) where the box starts; "
                             "a clear line above is part of the box unless it starts at the frame's top")
    span: int = Field(1, ge=1, le=MAX_COLUMNS, description="vertical: page columns the strip takes; inset: text "
                      "columns the headline box takes")
    width: Length | None = Field(None, gt=0, description="vertical: the strip's width instead of span, e.g. 25mm")
    lines: int | None = Field(None, ge=1, le=MAX_GRID_LINES, description="vertical: grid lines the headline may run "
                              "down; default the frame's (an auto frame: to the page bottom)")
    upright_digits: int = Field(3, ge=1, le=MAX_UPRIGHT_DIGITS, description="vertical: numbers of up to this many "
                                "characters stand upright side by side in one em (纵中横); longer ones and Latin words "
                                "are turned 90° clockwise; 1: only single digits upright")
    rule: RuleValue | None = Field(None, description="inset: a rule boxing the headline (e.g. thin, double); default none")

    @model_validator(mode="after")
    def _placed(self) -> Headline:
        given = self.model_fields_set
        if self.form == "inset" and (self.column is None or self.line is None):
            raise BilingualValueError("an inset headline needs column and line (where its box starts)",
                                      "文包题（inset）需要给出 column 和 line（标题框的起点）")
        allowed = {"top": {"form"}, "inset": {"form", "column", "line", "span", "rule"},
                   "vertical": {"form", "side", "column", "span", "width", "lines", "upright_digits"}}[self.form]
        stray = sorted(given - allowed)
        if stray and self.form == "top":
            keys = ", ".join(stray)
            raise BilingualValueError(f"{keys} place an inset or vertical headline; with form: top leave them out",
                                      f"{keys} 用于文包题或竖排标题（form: inset 或 vertical）；form: top 时不要写")
        if stray:
            keys = ", ".join(stray)
            raise BilingualValueError(f"{keys} do not go with form: {self.form}",
                                      f"{keys} 不能与 form: {self.form} 一起使用")
        return self


class Label(Model):
    """A column label (栏目名/题花) of an article, e.g. 茂南观察 (paiban addition)."""

    text: StrictStr = Field(min_length=1, max_length=MAX_LABEL_CHARS, description="the label, e.g. 茂南观察 or 记者手记")
    style: data.LabelStyle = Field(
        "box", description="box: in a ruled box; tint: on a tint; reverse: white on a solid band (反白); "
        "ornament: after a solid bar, over a rule")
    position: Literal["before_title", "corner"] = Field(
        "before_title", description="before_title: on the title's first line, the title shifted right; corner: in "
        "the frame's top-left corner on whole grid lines of its own, the headline below")
    color: Cmyk | None = Field(
        None, description="CMYK percent: the box's rule and text (box), the tint (tint), the band (reverse), the "
        "bar and rule (ornament); default 100 % K, [0, 0, 0, 15], [0, 100, 100, 0], [0, 100, 100, 0]")


class PageRules(Model):
    """Page-wide rule defaults (paiban addition)."""

    between: RuleValue | None = Field(None, description="the rule between adjacent articles; default a 0.5pt black thin rule")
    columns: RuleValue | None = Field(None, description="rules between an article's text columns (栏线); default none")


class Output(Model):
    """Press settings: colour, resolution and preflight (paiban addition)."""

    profile: str | None = Field(
        None, description="output CMYK ICC profile (the paper's, from the printer); default ISO Coated v2 300% (basICColor)"
    )
    ink_limit: float = Field(240, ge=100, le=400, description="total area coverage limit of placed images, percent")
    min_ppi: float = Field(200, gt=0, le=MAX_PPI, description="images below this effective resolution are reported")
    target_ppi: float = Field(300, gt=0, le=MAX_PPI, description="images above 1.5× this are downsampled to it")
    jpeg_quality: int = Field(90, ge=30, le=100, description="JPEG quality of placed images")
    min_text_size: FontSize = Field(6.0, description="text below this size is reported (text_too_small)")
    pdfx: bool = Field(True, description="write PDF/X-1a:2001 (OutputIntent, GTS_PDFXVersion, Trapped)")


class Typography(Model):
    kinsoku: Literal["none", "basic", "gb", "strict"] = Field(
        "basic", description="CLREQ line-start/line-end prohibition level (避头尾)"
    )
    cjk_latin_space: float = Field(
        0.0, ge=0, le=1, description="space between Han and Latin letters or digits, in em (0 = none; CLREQ uses 0.25)"
    )
    first_indent: float = Field(2.0, ge=0, le=4, description="first-line indent of body paragraphs, in em")
    trim_line_start: bool = Field(True, description="an opening bracket at a line start loses its left blank")
    trim_after_indent: bool = Field(True, description="an opening bracket right after the paragraph indent too")
    punctuation: Punctuation = Field("line_end_half", description=_PUNCTUATION_HELP)
    hanging: Literal["none", "allow"] = Field(
        "none", description="allow: 、，。 may hang half an em into the gutter at a line end (CLREQ A9)"
    )
    composer: Literal["total-fit", "first-fit"] = Field(
        "total-fit", description="line breaker: total-fit (whole paragraph, fewer loose lines) or first-fit"
    )
    normalize: bool = Field(
        True, description="half-width , : ; ( ) ! ? and straight quotes inside Chinese text become full width"
    )


class FrameRef(Model):
    column: int = Field(ge=1, le=MAX_COLUMNS, description="first page column (1-based)")
    span: int = Field(1, ge=1, le=MAX_COLUMNS, description="number of page columns covered")
    line: int = Field(ge=1, le=MAX_GRID_LINES, description="first grid line (1-based)")
    lines: int | Literal["auto"] = Field(description="grid lines covered, or auto (articles): as tall as the text")

    @field_validator("lines")
    @classmethod
    def _positive(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value > MAX_GRID_LINES:
            raise BilingualValueError(f"must be at most {MAX_GRID_LINES}", f"不能大于 {MAX_GRID_LINES}")
        if isinstance(value, int) and value < 1:
            raise BilingualValueError("lines must be at least 1 (or auto)", "行数至少为 1（或 auto）")
        return value


class Placeholder(Model):
    """Neutral filler text (假文) of a given length, so that a template previews as a page."""

    placeholder: int = Field(ge=1, le=200_000, description="characters of filler text")


Body = str | list[str] | Placeholder


#: Inserts one article may hold: a page has a handful; the bound keeps loops over them short.
MAX_INSERTS = 50
#: Largest paragraph number an insert's ``at`` may name.
MAX_PARAGRAPHS = 100_000
_CMYK_HELP = "CMYK in percent, e.g. [0, 0, 0, 10] (10 % K)"


def _cmyk_percent(value: Any) -> Any:
    if isinstance(value, (tuple, list)) and any(isinstance(c, (int, float)) and not 0 <= c <= 100 for c in value):
        raise BilingualValueError("CMYK values are percentages from 0 to 100", "CMYK 值是 0 到 100 的百分数")
    return value


def _no_tint(value: Any) -> Any:
    return (0.0, 0.0, 0.0, 0.0) if isinstance(value, str) and value.strip() == "none" else value


#: A fill colour; ``none`` reads as 0 % of every ink (no fill), so that one type speaks in errors.
Tint = Annotated[tuple[float, float, float, float], BeforeValidator(_no_tint), AfterValidator(_cmyk_percent),
                 WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100},
                                            "minItems": 4, "maxItems": 4}, {"const": "none"}],
                                 "description": _CMYK_HELP + ", or none"})]


class Insert(Model):
    """An insert in an article's flow: 编者按, 提要, 相关链接, 背景资料 or a pull quote (引语)."""

    kind: data.InsertKind = Field(
        description="editor_note (编者按), summary (提要/导语), related (相关链接), background (背景资料) or quote "
        "(引语); it sets the defaults of every other key")
    at: Annotated[int, Field(ge=0, le=MAX_PARAGRAPHS)] | Literal["end"] | None = Field(
        None, description="where in the body: before paragraph N (0 = before the first; subheads count as "
        "paragraphs), or end; default by kind (0 for editor_note and summary, end for the others)")
    span: Literal["column", "frame"] | None = Field(
        None, description="column: one text column wide, in the column flow; frame: across the whole frame, the "
        "body above it balanced on its own; default by kind")
    border: Literal["box", "rules", "none"] | None = Field(
        None, description="box: a rule around it; rules: a rule above and below; none; default by kind")
    tint: Tint | None = Field(
        None, description=f"fill behind it, {_CMYK_HELP}, or none; default by kind")
    title: str | None = Field(
        None, description="its label, e.g. 编者按： or 【相关链接】 (\"\" for none); default by kind")
    title_position: Literal["above", "run_in"] | None = Field(
        None, description="above: the label on lines of its own; run_in: at the start of the first paragraph")
    text: Body = Field(description="its text: paragraphs separated by blank lines, or {placeholder: N}")
    text_style: StyleOverride | None = Field(None, description="overrides of the kind's text style (font, size …)")
    title_style: StyleOverride | None = Field(None, description="overrides of the kind's label style")


# --- copyfit policy (fit:, docs/fit.md; the fitter is layout/fit.py) ----------------------

#: Legibility limits no policy may pass (docs/fit.md): letter spacing of the body between
#: −5 % and +5 % of its size, glyphs scaled to 90–105 % of their width, the title at most
#: three 字号 steps from its style, a photo at most six grid lines shorter or taller.  The
#: body's size and leading are never changed (the baseline grid is the body's leading).
MIN_FIT_TRACKING, MAX_FIT_TRACKING = -0.05, 0.05
MIN_FIT_SCALE, MAX_FIT_SCALE = 0.90, 1.05
MAX_FIT_HEADLINE_STEPS = 3
MAX_FIT_PHOTO_LINES = 6
_PERCENT = re.compile(r"^\s*([+\-\u2212]?[0-9]+(?:\.[0-9]+)?)\s*%?\s*$")
_PERCENT_SCHEMA = {
    "type": "array", "minItems": 2, "maxItems": 2,
    "items": {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*[+\-\u2212]?[0-9.]+\s*%?\s*$"}]},
    "description": "[least, most] in percent, e.g. [-3%, 2%]; a bare number is percent",
}


def _percent(value: Any) -> float:
    """``-3%``, ``−3 %``, ``-3`` (percent) as the fraction -0.03."""
    if isinstance(value, bool):
        raise BilingualValueError("expected a percentage such as -3%", "应为百分数，例如 -3%")
    if isinstance(value, int | float):
        return float(value) / 100
    match = _PERCENT.match(value) if isinstance(value, str) else None
    if match is None:
        raise BilingualValueError(f"expected a percentage such as -3%, got {shown(value)}",
                                  f"应为百分数，例如 -3%，实际是 {shown(value)}")
    return float(match.group(1).replace("\u2212", "-")) / 100


def _percent_range(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise BilingualValueError("expected [least, most], e.g. [-3%, 2%]", "应为 [最小, 最大]，例如 [-3%, 2%]")
    low, high = _percent(value[0]), _percent(value[1])
    if low > high:
        raise BilingualValueError(f"the least ({low:.1%}) is more than the most ({high:.1%})",
                                  f"最小值（{low:.1%}）大于最大值（{high:.1%}）")
    return low, high


PercentRange = Annotated[tuple[float, float], BeforeValidator(_percent_range), WithJsonSchema(_PERCENT_SCHEMA)]


def _within(name: str, zh: str, value: tuple[float, float], least: float, most: float, neutral: float) -> None:
    low, high = value
    if low < least - 1e-9 or high > most + 1e-9:
        raise BilingualValueError(f"{name} must stay within {least:.0%} … {most:.0%} (legibility limit), got "
                                  f"[{low:.1%}, {high:.1%}]",
                                  f"{zh}须在 {least:.0%} … {most:.0%} 之内（易读性下限），实际是 [{low:.1%}, {high:.1%}]")
    if not low <= neutral <= high:
        raise BilingualValueError(f"{name} must include {neutral:.0%} (no change)", f"{zh}须包含 {neutral:.0%}（不调整）")


class FitPolicy(Model):
    """How far the fitter may adjust an article to make its copy fit (压行/拉行): on the
    page (every article) and on an article (over the page's, key by key)."""

    tracking: PercentRange | None = Field(
        None, description="letter spacing the body may get, [least, most] as a share of its size, e.g. [-3%, 2%]; "
        f"within {MIN_FIT_TRACKING:.0%} … {MAX_FIT_TRACKING:.0%}")
    squeeze: bool | None = Field(None, description="true: the body's punctuation may be squeezed (标点挤压: 开明式, "
                                 "，、：；「」 set in half an em)")
    scale: PercentRange | None = Field(
        None, description="horizontal scale of the body glyphs, [least, most], e.g. [95%, 100%]; "
        f"within {MIN_FIT_SCALE:.0%} … {MAX_FIT_SCALE:.0%}")
    headline: tuple[int, int] | None = Field(
        None, description="字号 steps the title may move, [down, up], e.g. [-2, 0] (two sizes smaller at most); "
        f"at most {MAX_FIT_HEADLINE_STEPS} each way")
    photo: int | None = Field(None, ge=0, le=MAX_FIT_PHOTO_LINES,
                              description="grid lines a photo inside the article may be made shorter or taller")

    @field_validator("tracking")
    @classmethod
    def _tracking(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None:
            _within("tracking", "字距调整", value, MIN_FIT_TRACKING, MAX_FIT_TRACKING, 0.0)
        return value

    @field_validator("scale")
    @classmethod
    def _scale(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None:
            _within("scale", "字宽缩放", value, MIN_FIT_SCALE, MAX_FIT_SCALE, 1.0)
        return value

    @field_validator("headline")
    @classmethod
    def _headline(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None:
            down, up = value
            if not -MAX_FIT_HEADLINE_STEPS <= down <= 0 <= up <= MAX_FIT_HEADLINE_STEPS:
                raise BilingualValueError(
                    f"headline must be [down, up] with -{MAX_FIT_HEADLINE_STEPS} ≤ down ≤ 0 ≤ up ≤ "
                    f"{MAX_FIT_HEADLINE_STEPS}, got [{down}, {up}]",
                    f"headline 应为 [下调, 上调]，-{MAX_FIT_HEADLINE_STEPS} ≤ 下调 ≤ 0 ≤ 上调 ≤ {MAX_FIT_HEADLINE_STEPS}，"
                    f"实际是 [{down}, {up}]")
        return value


class Article(Model):
    type: Literal["article"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: FrameRef
    columns: int | None = Field(None, ge=1, le=MAX_COLUMNS, description="text columns inside the frame (变栏); default span")
    kicker: str | None = Field(None, description="引题 above the title")
    title: str = Field(description="主题")
    subtitle: str | None = Field(None, description="副题 below the title")
    byline: str | None = Field(None, description="set as given, e.g. ■通讯员 张三")
    body: Body = Field(
        "", description="paragraphs separated by blank lines ('## ' starts a subhead), or {placeholder: N} for N "
        "characters of filler text (假文). Inline styles in paragraphs: **黑体** (e.g. **本报讯**), *楷体*, "
        "==着重号== (emphasis dots), [文字]{.red} (套红) or [文字]{color=\"C M Y K\"}, classes combine "
        "([文字]{.hei .red .dots}; .song .hei .kai .red .dots); a backslash keeps a mark literal (5\\*3); "
        "markup not closed or not known stays as typed"
    )
    styles: dict[Role, StyleOverride] = Field(
        default_factory=dict, description="style overrides for this article only (e.g. a bigger lead title)"
    )
    inserts: list[Insert] = Field(
        default_factory=list, max_length=MAX_INSERTS,
        description="inserts in the body's flow: 编者按, 提要, 相关链接, 背景资料, 引语 (paiban addition)")
    rule: RuleValue | None = Field(None, description="the rule on this article's edges (to its neighbours), or none; "
                                   "default the page's rules.between")
    column_rules: RuleValue | None = Field(None, description="rules between this article's text columns; default the "
                                           "page's rules.columns")
    box: BoxSpec | None = Field(None, description="a box (加框) around the article, its text inset on the grid")
    tint: Cmyk | None = Field(None, description="a tint (底纹) behind the article, CMYK in percent, e.g. [0, 0, 0, 10]")
    band: Band | None = Field(None, description="a solid band behind the headline group, optionally reversed (反白)")
    headline: Headline | None = Field(
        None, description="how the headline group is set: {form: top} (default), {form: vertical, side: right, "
        "span: 1} (竖排标题) or {form: inset, column, line, span} (文包题: set into the text)")
    label: Label | None = Field(None, description="a column label (栏目名/题花) beside the title or in the corner")
    jump: str | None = Field(
        None, min_length=1, max_length=MAX_ID_CHARS,
        description="转版: the id of a continuation block (type: continuation) on a later page of the edition; the "
        "text that does not fit this frame goes on there, with 下转第N版 / 上接第M版 lines set by paiban")
    fit: FitPolicy | None = Field(None, description="this article's copyfit policy, over the page's key by key "
                                  "(docs/fit.md)")


class Photo(Model):
    type: Literal["photo"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: FrameRef
    src: str | None = Field(None, description="JPEG or PNG, relative to the spec's folder")
    caption: str | None = None
    credit: str | None = None
    fit: Literal["cover", "contain"] = "cover"
    focus: tuple[float, float] | None = Field(None, description="point kept in view when cropping, fractions 0–1")
    styles: dict[Role, StyleOverride] = Field(default_factory=dict, description="caption/credit style overrides")

    @field_validator("focus")
    @classmethod
    def _fractions(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and any(not 0 <= f <= 1 for f in value):
            raise BilingualValueError("focus is [x, y] as fractions of the photo, each from 0 to 1",
                                      "focus 写作 [x, y]，是图片宽高的比例，各在 0 到 1 之间")
        return value

    @field_validator("frame")
    @classmethod
    def _fixed_height(cls, value: FrameRef) -> FrameRef:
        if value.lines == "auto":
            raise BilingualValueError("a photo frame needs a number of lines, not auto", "图片的框需要具体行数，不能用 auto")
        return value


#: Most characters a QR code's data may have: a version 40 symbol holds at most 7,089
#: digits (ISO/IEC 18004 Table 7); longer data can never be encoded, so it is refused here.
MAX_QR_DATA_CHARS = 7089


class Qr(Model):
    """A QR code (二维码) drawn as vector art in 100 % K, with an optional caption under it."""

    type: Literal["qr"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: FrameRef
    data: str = Field(min_length=1, max_length=MAX_QR_DATA_CHARS,
                      description="what the symbol encodes: a URL or any text (non-ASCII as UTF-8)")
    caption: str | None = Field(None, description="set under the symbol like a photo caption, e.g. 扫码看视频")
    error_correction: Literal["L", "M", "Q", "H"] = Field(
        "M", description="error correction level, at least: L 7 %, M 15 %, Q 25 %, H 30 % of the symbol recoverable")
    quiet_zone: int = Field(4, ge=2, le=16, description="white margin around the symbol, in modules (ISO/IEC 18004: 4)")
    styles: dict[Role, StyleOverride] = Field(default_factory=dict, description="caption style overrides")

    @field_validator("frame")
    @classmethod
    def _fixed_height(cls, value: FrameRef) -> FrameRef:
        if value.lines == "auto":
            raise BilingualValueError("a QR code's frame needs a number of lines, not auto",
                                      "二维码的框需要具体行数，不能用 auto")
        return value


# -- masthead, ear and advertisements (issue 11: 报头、报眼、广告) ---------------------------

#: Largest issue number (期号) a spec may give: a daily reaches 30,000 after 80 years.
MAX_ISSUE_NUMBER = 10_000_000


def _placed_frame(value: FrameRef) -> FrameRef:
    if value.lines == "auto":
        raise BilingualValueError("this block's frame needs a number of lines, not auto", "此版块的框需要具体行数，不能用 auto")
    return value


def _cmyk_percent(value: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
    if value is not None and any(not 0 <= c <= 100 for c in value):
        raise BilingualValueError("CMYK values are percentages from 0 to 100", "CMYK 值是 0 到 100 的百分数")
    return value


PlacedFrame = Annotated[FrameRef, AfterValidator(_placed_frame)]
Cmyk = Annotated[tuple[float, float, float, float] | None, AfterValidator(_cmyk_percent)]
Page1 = Annotated[int, Field(ge=1, le=100_000)]


class Masthead(Model):
    """报头: the paper's name (vector artwork or set in a font), its date line with the
    weekday and the 农历 date, 期号, 国内统一连续出版物号, 邮发代号 and an optional weather line."""

    type: Literal["masthead"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: PlacedFrame = Field(description="the masthead's slot; its last lines hold the date and number lines")
    name: str = Field(min_length=1, description="the paper's name, e.g. 茂名日报 (the document title; set in a font without artwork)")
    artwork: str | None = Field(
        None, description="the name as vector artwork: a PDF supplied by the paper (its first page, or `artwork_page`), "
        "relative to the spec's folder; fitted into the name's slot, centred")
    artwork_page: Page1 = Field(1, description="page of the artwork PDF to place (1-based)")
    font: str = Field("hei", description="font family of the name when it is set in type (song, hei, kai or one under fonts:)")
    color: Cmyk = Field(None, description="CMYK percent of the set name; default 100 % K")
    date: dt.date | None = Field(None, description="issue date (YYYY-MM-DD): the date line with weekday and 农历 (computed)")
    issue: Annotated[int, Field(ge=1, le=MAX_ISSUE_NUMBER)] | None = Field(None, description="issue number: 第N期")
    cn: str | None = Field(None, description="国内统一连续出版物号 without the CN, e.g. 44-0001")
    postal: str | None = Field(None, description="邮发代号, e.g. 45-1")
    weather: str | None = Field(None, description="an optional weather line, e.g. 晴　18～25℃")


class Ear(Model):
    """报眼: the slot beside the masthead, holding a short text (with an optional title) or an image."""

    type: Literal["ear"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: PlacedFrame = Field(description="the ear's slot, usually beside the masthead")
    title: str | None = Field(None, description="a short title over the text, e.g. 今日导读 (subhead style)")
    text: str | None = Field(None, description="short text, paragraphs separated by blank lines (body style)")
    src: str | None = Field(None, description="an image instead of text: JPEG or PNG, fitted whole into the slot")
    border: bool = Field(True, description="draw a thin box around the slot")

    @model_validator(mode="after")
    def _something(self) -> Ear:
        if self.src is not None and (self.text or self.title):
            raise BilingualValueError("an ear holds either text (title, text) or an image (src), not both",
                                      "报眼放文字（title、text）或图片（src），不能同时放")
        if self.src is None and not (self.text or self.title):
            raise BilingualValueError("an ear needs text (title, text) or an image (src)",
                                      "报眼需要文字（title、text）或图片（src）")
        return self


class Ad(Model):
    """广告: an advertiser's PDF page (PDF/X-1a at the slot's size) or a JPEG/PNG placed in its slot."""

    type: Literal["ad"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: PlacedFrame = Field(description="the ad's slot; the ad is placed at the slot's size, centred")
    src: str = Field(min_length=1, description="the ad: a PDF (one page of it) or a JPEG/PNG, relative to the spec's folder")
    page: Page1 = Field(1, description="page of a PDF ad to place (1-based)")


# --- tables (表格): price lists, results, public notices --------------------------------

#: Body rows a table may have: a full-page stock list has a few hundred; the bound keeps
#: a table's layout (one composition per cell) well under a second.
MAX_TABLE_ROWS = 2000
#: Columns a table may have: a results table has about a dozen.
MAX_TABLE_COLUMNS = 24
#: Decimal places a numeric column may format its numbers to.
MAX_TABLE_DECIMALS = 10
#: What a column width in em may be written with: ``4字`` or ``4em``.
_EM_WIDTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(字|em)\s*$")
_COLUMN_WIDTH_HELP = ("a weight (a bare number: columns share the width left by the fixed ones in proportion), "
                      "a width in characters of the cell text (4字 or 4em), or a length (20mm)")
_COLUMN_WIDTH_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string"}], "description": _COLUMN_WIDTH_HELP}
_RULE_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string"}],
    "description": "a rule weight (a length such as 0.5pt), or none (no rule)",
}


def _column_width(value: Any) -> Any:
    """``2`` (a weight), ``4字``/``4em`` (characters of the cell size) or ``20mm`` (a length),
    as (kind, amount)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value <= 0:
            raise BilingualValueError(f"a column weight must be positive, got {value:g}",
                                      f"列宽比例必须是正数，实际是 {value:g}")
        return ("weight", float(value))
    if isinstance(value, str):
        found = _EM_WIDTH.match(value)
        amount, kind = (float(found.group(1)), "em") if found else (parse_length(value), "pt")
        if amount <= 0:
            raise BilingualValueError(f"a column width must be positive, got {shown(value)}",
                                      f"列宽必须是正数，实际是 {shown(value)}")
        return (kind, amount)
    raise BilingualValueError("a column width is a weight (2), characters (4字) or a length (20mm)",
                              "列宽写作比例（2）、字数（4字）或长度（20mm）")


def _rule_weight(value: Any) -> Any:
    """A rule weight in points, or None for ``none`` / ``0``."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
        return None
    points = parse_length(value)
    if points < 0:
        raise BilingualValueError(f"a rule weight must not be negative, got {shown(value)}",
                                  f"线的粗细不能为负数，实际是 {shown(value)}")
    return points or None


ColumnWidth = Annotated[tuple[str, float], BeforeValidator(_column_width), WithJsonSchema(_COLUMN_WIDTH_SCHEMA)]
RuleWeight = Annotated[float | None, BeforeValidator(_rule_weight), WithJsonSchema(_RULE_SCHEMA)]
#: A cell: text, or a number (a number with decimals only in a column with ``decimals``).
Cell = Annotated[StrictStr | StrictInt | StrictFloat, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}],
                                                   "description": "cell text, or a number"})]
TableRole = Literal["title", "note", "source", "head", "cell"]


class TableColumn(Model):
    head: str | None = Field(None, description="the column's heading in the header row (表头)")
    width: ColumnWidth = Field(("weight", 1.0), description=_COLUMN_WIDTH_HELP)
    align: Literal["left", "center", "right", "decimal"] = Field(
        "left", description="cell alignment; decimal: numbers aligned on their decimal point (also those without one)"
    )
    decimals: int | None = Field(
        None, ge=0, le=MAX_TABLE_DECIMALS, description="numbers in this column are written with this many decimals"
    )


class TableRules(Model):
    top: RuleWeight = Field(1.0, description="rule above the table (the header row's top)")
    bottom: RuleWeight = Field(1.0, description="rule under the table's last row")
    sides: RuleWeight = Field(None, description="rules down the table's left and right edges")
    header: RuleWeight = Field(0.5, description="rule under the header row")
    rows: RuleWeight = Field(0.25, description="rules between body rows")
    columns: RuleWeight = Field(0.25, description="rules between columns")


class Table(Model):
    type: Literal["table"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: FrameRef
    title: str | None = Field(None, description="the table's title, set above it")
    note: str | None = Field(None, description="a line under the title, e.g. 单位：元/斤")
    source: str | None = Field(None, description="a line under the table, e.g. 资料来源：区统计局")
    columns: list[TableColumn] = Field(min_length=1, max_length=MAX_TABLE_COLUMNS,
                                       description="the columns, left to right: heading, width, alignment")
    rows: list[list[Cell]] = Field(default_factory=list, max_length=MAX_TABLE_ROWS,
                                   description="body rows, each a list of one cell per column")
    rules: TableRules = Field(default_factory=lambda: TableRules.model_validate({}),
                              description="which rules are drawn, and their weights")
    zebra: tuple[float, float, float, float] | None = Field(
        None, description="CMYK tint of every second body row (斑马纹), e.g. [0, 0, 0, 10]"
    )
    styles: dict[TableRole, StyleOverride] = Field(
        default_factory=dict, description="style overrides of the table's title, note, source, head and cell text"
    )

    @field_validator("zebra")
    @classmethod
    def _percent(cls, value: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
        if value is not None and any(not 0 <= c <= 100 for c in value):
            raise BilingualValueError("CMYK values are percentages from 0 to 100", "CMYK 值是 0 到 100 的百分数")
        return value

    @model_validator(mode="after")
    def _cells(self) -> Table:
        count = len(self.columns)
        for number, row in enumerate(self.rows, 1):
            if len(row) != count:
                raise BilingualValueError(
                    f"row {number} has {len(row)} cells, the table has {count} columns (write \"\" for an empty cell)",
                    f"第 {number} 行有 {len(row)} 个单元格，表格有 {count} 列（空单元格写 \"\"）")
            for k, cell in enumerate(row):
                if isinstance(cell, float) and self.columns[k].decimals is None:
                    raise BilingualValueError(
                        f"row {number}, column {k + 1}: {cell!r} is read as a number and would lose any trailing "
                        f"zeros; write it in quotes ('{cell!r}') or give the column decimals: N",
                        f"第 {number} 行第 {k + 1} 列：{cell!r} 被读作数字，末尾的 0 会丢失；"
                        f"请加引号（'{cell!r}'），或给该列设 decimals: N")
        return self


class GroupTitle(Model):
    """A title over a group of articles (组合标题, paiban addition): kicker, title and
    subtitle set like an article's headline, the articles under it keeping their own."""

    type: Literal["group_title"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: FrameRef
    kicker: str | None = Field(None, description="引题 above the title")
    title: str = Field(description="主题 of the group")
    subtitle: str | None = Field(None, description="副题 below the title")
    articles: list[StrictStr] = Field(
        min_length=1, max_length=MAX_COLUMNS * 10, description="ids of the group's articles: no rule is drawn between "
        "the group title and them, the page's rules set the group off from its neighbours")
    styles: dict[Role, StyleOverride] = Field(default_factory=dict,
                                              description="style overrides (kicker, title, subtitle) for this title only")


class IndexEntry(Model):
    """One line of a front-page index: an article and where it is."""

    article: StrictStr = Field(min_length=1, max_length=MAX_ID_CHARS,
                               description="id of the article (on any page of the edition; on this page for a single page)")
    teaser: str | None = Field(None, min_length=1, description="the entry's text (导读语); default the article's title")


class Index(Model):
    """导读 (front-page index, paiban addition): a boxed slot listing articles with the page
    each is on (``（2版·茂南新闻）``), the page numbers read from the edition's manifest."""

    type: Literal["index"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id, used in every report")
    frame: PlacedFrame = Field(description="the index's slot, e.g. the front page's ear or a column")
    title: str | None = Field("今日导读", description="title over the entries (subhead style); null for none")
    marker: str = Field("■", max_length=4, description="put before each entry's text; empty for none")
    entries: list[IndexEntry] = Field(min_length=1, max_length=100, description="the entries, in order (body style)")
    border: bool = Field(True, description="draw a thin box around the slot")


class Continuation(Model):
    """转版 (paiban addition): the frame where an article begun on an earlier page of the
    edition goes on; the article names it by its ``jump:``.  paiban sets a repeated short
    title and 上接第M版 over the text that did not fit on the first page."""

    type: Literal["continuation"]
    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="unique id in the edition; the article's `jump:` names it")
    frame: FrameRef
    columns: int | None = Field(None, ge=1, le=MAX_COLUMNS, description="text columns inside the frame; default span")
    title: str | None = Field(None, min_length=1, description="the repeated short title (短题); default the article's title")
    styles: dict[Role, StyleOverride] = Field(
        default_factory=dict, description="style overrides for this continuation (its title is 小二 黑体 by default)")
    rule: RuleValue | None = Field(None, description="the rule on its edges, or none; default the page's rules.between")


Block = Annotated[Article | Photo | Qr | Masthead | Ear | Ad | Table | GroupTitle | Index | Continuation,
                  Field(discriminator="type")]


class PageSpec(Model):
    version: Literal[1] = Field(description="format version, always 1")
    page: PageSettings
    header: Header | None = None
    footer: Footer | None = None
    styles: dict[Role, StyleOverride] = Field(default_factory=dict, description="overrides of the built-in styles")
    fonts: dict[str, str] = Field(default_factory=dict, description="extra font families: name -> TrueType file")
    typography: Typography = Field(default_factory=lambda: Typography.model_validate({}), description="composition settings (paiban addition)")
    output: Output = Field(default_factory=lambda: Output.model_validate({}), description="press settings (paiban addition)")
    blocks: list[Block] = Field(default_factory=list)
    rules: PageRules = Field(default_factory=lambda: PageRules.model_validate({}),
                             description="page-wide rule defaults: between articles, between text columns (paiban addition)")
    fit: FitPolicy | None = Field(None, description="the page's copyfit policy: how far `check`/`render --fit` may "
                                  "adjust an article to fit (docs/fit.md); default: the documented default policy")


def to_data(value: Any) -> Any:
    """The dataclass twin (``layout/spec/data.py``) of a validated model, field for field."""
    if isinstance(value, BaseModel):
        twin = getattr(data, type(value).__name__)
        return twin(**{name: to_data(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_data(v) for v in value)
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value
