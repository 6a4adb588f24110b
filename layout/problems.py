"""Problems and per-block results that layout reports (contract §6 ``check --json``).

The kinds of problem are one closed vocabulary, :class:`ProblemKind`: each kind has its
default severity and a one-line description in English and Chinese (for the docs and
``paiban check --explain KIND``).  A :class:`Problem` of a kind not in it cannot be made,
and every problem carries its message in both languages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a problem matters: only errors make a page fail (exit status 1)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def label(self, lang: str = "en") -> str:
        """The severity as a person reads it: ``warning`` / ``警告``."""
        return _SEVERITY_ZH[self] if lang == "zh" else self.value


_SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTE: "提示"}


class ProblemKind(StrEnum):
    """Every kind of problem paiban reports (docs/report.md explains each one).

    A member is its JSON name (a ``str``: ``kind == "overflow"`` holds), with its default
    severity and a one-line description in English and Chinese.
    """

    severity: Severity
    en: str
    zh: str

    def __new__(cls, value: str, severity: str, en: str, zh: str) -> ProblemKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = Severity(severity)
        member.en = en
        member.zh = zh
        return member

    def describe(self, lang: str = "en") -> str:
        """What the kind means, in one line."""
        return self.zh if lang == "zh" else self.en

    # text
    OVERFLOW = ("overflow", "error",
                "an article's text (or a photo's caption) does not fit its frame; cut it or enlarge the frame",
                "稿件正文（或图片说明）在框内排不下，需删减或加大版框")
    UNDERFULL = ("underfull", "warning",
                 "an article's text ends well above its frame's bottom (an empty window); add copy or shrink the frame",
                 "稿件正文排完后框底留空（开天窗），需补稿或缩小版框")
    UNBALANCED = ("unbalanced", "warning",
                  "an article's columns end several grid lines apart: subheads leave no balanced split",
                  "稿件各栏末行相差数行：小标题使各栏无法排齐")
    INSERT_OVERFLOW = ("insert_overflow", "error",
                       "an insert (编者按, 相关链接, 引语 …) does not fit its article's frame or text column; its lines "
                       "are counted in the article's overflow",
                       "插入块（编者按、相关链接、引语等）在稿件框或栏内排不下，其行数计入稿件的超出行数")
    INSERT_PAST_END = ("insert_past_end", "warning",
                       "an insert's `at` names a paragraph past the article's last one; it is set after the text",
                       "插入块的 at 超出了稿件的段落数，已排在正文之后")
    HEADLINE_TOO_LONG = ("headline_too_long", "error",
                         "a kicker, title or subtitle takes more lines than its style's max_lines",
                         "引题、主题或副题所占行数超过样式的 max_lines")
    HEADLINE_NO_ROOM = ("headline_no_room", "error",
                        "an inset headline (文包题) or a group title needs more grid lines than its frame has below it",
                        "文包题或组合标题所需的行数超出了版框")
    HEADLINE_SHRUNK = ("headline_shrunk", "note",
                       "a headline was set smaller than asked (down to min_size) to fit its max_lines",
                       "标题为不超过 max_lines 已缩小字号（不小于 min_size）")
    VERTICAL_HEADLINE_TOO_WIDE = ("vertical_headline_too_wide", "error",
                                  "a vertical headline's lines (right to left) are wider than its strip",
                                  "竖排标题各行排开后比所留的竖条宽")
    MISSING_GLYPH = ("missing_glyph", "error",
                     "no font has a character of the text; it is printed as 〓",
                     "字库缺字：没有字体含有该字，印为〓")
    NORMALIZED = ("normalized", "note",
                  "half-width punctuation in Chinese text was set full width",
                  "中文里的半角标点已改为全角")
    SUSPECT_PUNCTUATION = ("suspect_punctuation", "warning",
                           "--, ... or 。。。 in Chinese text, left as written: did you mean —— or ……?",
                           "中文里有 --、... 或 。。。，未改动：是否应为——或……？")
    TEXT_TOO_SMALL = ("text_too_small", "error",
                      "text is set below the press's smallest text size (output.min_text_size)",
                      "文字字号小于印刷允许的最小字号（output.min_text_size）")
    RICH_BLACK_TEXT = ("rich_black_text", "error",
                       "small text is in four colours; it must be 100 % K to print sharp",
                       "小字用了四色叠印，须为单黑（100% K）才能印清楚")
    # rules, tints and reversed type
    REVERSED_TEXT_TOO_SMALL = ("reversed_text_too_small", "warning",
                               "reversed (white) text is set below the size that stays legible on newsprint (9 pt)",
                               "反白文字字号小于新闻纸上可辨读的字号（9 pt）")
    WHITE_OVERPRINT = ("white_overprint", "error",
                       "white text is set to overprint: it does not print at all",
                       "白色文字设为叠印：印刷时完全消失")
    TINT_TOO_DARK = ("tint_too_dark", "warning",
                     "body text sits on a tint too dark to read (darkness: K plus weighted C, M, Y, over 30 %)",
                     "正文底纹太深，难以辨读（深度：K 加 C、M、Y 的加权值，超过 30%）")
    TINT_INK_LIMIT = ("tint_ink_limit", "error",
                      "a tint or headline band has more total ink than output.ink_limit",
                      "底纹或标题色块的总墨量超过 output.ink_limit")
    # frames and page furniture
    FRAME_OUTSIDE_PAGE = ("frame_outside_page", "error",
                          "a block's frame reaches past the page grid",
                          "版块的框超出了版面网格")
    INDEX_ARTICLE_MISSING = ("index_article_missing", "error",
                             "an index (导读) entry names an article that is not in the edition (or, for a page on its "
                             "own, not on the page): its page number is unknown",
                             "导读条目所指的稿件不在本期报纸（单独一版时：不在本版）上，无法标出版次")
    JUMP_CONTINUATION_MISSING = ("jump_continuation_missing", "error",
                                 "an article's jump (转版) names a continuation that is on no page of the edition: "
                                 "the text that does not fit has nowhere to go",
                                 "稿件的转版所指的接续版块不在本期任何一版上：排不下的文字无处可转")
    JUMP_BACKWARD = ("jump_backward", "error",
                     "an article jumps to a continuation on the same or an earlier page: a jump goes to a later page",
                     "稿件转往同一版或前面的版：转版只能转往后面的版")
    JUMP_CONFLICT = ("jump_conflict", "error",
                     "two articles jump into one continuation, or two pages have a continuation of the same id",
                     "两篇稿件转入同一个接续版块，或两版有同一 id 的接续版块")
    JUMP_UNRESOLVED = ("jump_unresolved", "warning",
                       "a page checked on its own has an article that jumps to another page: the lines that go on "
                       "there are counted here; check the edition to see them placed",
                       "单独检查的一版有转往他版的稿件：转出的行数列于此，请检查整期以确认其排入")
    JUMP_UNNEEDED = ("jump_unneeded", "warning",
                     "an article with a jump fits its frame: nothing goes on, and its continuation stays empty",
                     "设了转版的稿件在本版已排完：无文字转出，接续版块为空")
    CONTINUATION_OVERFLOW = ("continuation_overflow", "error",
                             "the continuation of a jumped article does not hold the rest of its text",
                             "转版稿件的接续版块排不下转来的文字")
    CONTINUATION_EMPTY = ("continuation_empty", "warning",
                          "no text goes on in a continuation (转版接续): no article of the edition jumps to it, or "
                          "its article fits on its own page",
                          "接续版块没有文字：本期没有稿件转到这里，或其稿件已在原版排完")
    CONTINUATION_ALONE = ("continuation_alone", "note",
                          "a page checked on its own has a continuation: its text comes from an earlier page of the "
                          "edition; check the edition to see it",
                          "单独检查的一版有转版接续版块：其文字来自前面的版，请检查整期")
    JUMP_TEXT_LOST = ("jump_text_lost", "error",
                      "a jumped article's continuation received fewer characters than went on from its first page",
                      "转版稿件的接续部分收到的字数少于原版转出的字数")
    HEADLINE_COVERED = ("headline_covered", "error",
                        "a photo, QR code, masthead, ear, ad or index lies over an article's kicker, title, subtitle "
                        "or byline: the body flows around it, the headline group would be hidden",
                        "图片、二维码、报头、报眼、广告或导读压住了稿件的引题、主题、副题或署名：正文会绕排，标题组则被遮住")
    FRAMES_OVERLAP = ("frames_overlap", "error",
                      "two article frames (or two photo frames) overlap",
                      "两个稿件框（或两个图片框）互相重叠")
    FRAME_TOO_NARROW = ("frame_too_narrow", "error",
                        "an article's text columns are narrower than one body character",
                        "稿件的分栏比一个正文字还窄")
    FURNITURE_OUTSIDE_PAGE = ("furniture_outside_page", "error",
                              "the top (or bottom) margin is too small for the header (footer) line",
                              "天头（地脚）太窄，放不下报眉（报脚）")
    FURNITURE_TOO_LONG = ("furniture_too_long", "error",
                          "the header or footer line is wider than the type area",
                          "报眉或报脚比版心还宽")
    # tables
    TABLE_ROWS_OVER = ("table_rows_over", "error",
                       "a table's rows do not all fit its frame; the rows over are not printed: cut rows or enlarge the frame",
                       "表格的行在框内排不下，超出的行不印：需删行或加大版框")
    TABLE_COLUMN_TOO_NARROW = ("table_column_too_narrow", "error",
                               "a table column is narrower than one character of its text (inside the cell padding)",
                               "表格某列（除去单元格边距）比一个字还窄")
    # images and fonts
    MISSING_IMAGE = ("missing_image", "error",
                     "a photo's image file does not exist; a crossed placeholder is printed",
                     "找不到图片文件；印出打叉的占位框")
    EMPTY_PHOTO_SLOT = ("empty_photo_slot", "warning",
                        "a photo block has no image (no src); it prints as blank paper",
                        "图片位没有图片（未给 src），印刷时留白")
    UNREADABLE_IMAGE = ("unreadable_image", "error",
                        "a photo's image file cannot be read (corrupt, not JPEG/PNG, or too large to decode)",
                        "图片文件无法读取（已损坏、不是 JPEG/PNG，或大到无法解码）")
    OVERSIZED_IMAGE = ("oversized_image", "error",
                       "an image has more pixels than paiban places; scale it down first",
                       "图片像素过多，超出排版允许的上限；请先缩小")
    IMAGE_PROFILE_IGNORED = ("image_profile_ignored", "warning",
                             "an image's embedded ICC profile is damaged or for the wrong colour space; it is ignored",
                             "图片内嵌的色彩特性文件已损坏或色彩空间不符，已忽略")
    IMAGE_OUTSIDE_FOLDER = ("image_outside_folder", "error",
                            "an image lies outside the spec's folder (allow with --allow-outside-images)",
                            "图片在版面描述所在目录之外（如确需使用，加 --allow-outside-images）")
    LOW_RESOLUTION_IMAGE = ("low_resolution_image", "error",
                            "an image has fewer pixels per inch in its slot than output.min_ppi",
                            "图片在版面上的分辨率低于 output.min_ppi")
    INK_LIMIT = ("ink_limit", "error",
                 "a separated CMYK image has more total ink than output.ink_limit",
                 "已分色的 CMYK 图片总墨量超过 output.ink_limit")
    # QR codes
    QR_DATA_TOO_LONG = ("qr_data_too_long", "error",
                        "a QR code's data is too long for any QR symbol at its error correction level",
                        "二维码内容太长，在所选纠错等级下任何版本的二维码都容纳不下")
    QR_MODULE_TOO_SMALL = ("qr_module_too_small", "error",
                           "a QR code's modules are smaller than newsprint can print and phones can read (0.5 mm)",
                           "二维码的模块（小方格）小于新闻纸能印清、手机能识读的尺寸（0.5 毫米）")
    MISSING_FONT = ("missing_font", "error",
                    "a font under fonts: is missing or unusable; its text falls back to the built-in fonts",
                    "fonts: 下的字体文件缺失或无法使用，其文字改用内置字体")
    # supplied files: ads, masthead artwork (issue 11)
    MISSING_PLACED_FILE = ("missing_placed_file", "error",
                           "an ad's file or a masthead's artwork does not exist; a crossed placeholder is printed",
                           "找不到广告文件或报头图稿；印出打叉的占位框")
    UNREADABLE_PDF = ("unreadable_pdf", "error",
                      "an ad or artwork PDF cannot be used (damaged, encrypted, too large or complex, no such page)",
                      "广告或报头图稿 PDF 无法使用（已损坏、已加密、过大过繁或没有该页）")
    AD_SIZE_MISMATCH = ("ad_size_mismatch", "error",
                        "an ad's trim (or media) size differs from its slot; it is scaled to fit",
                        "广告的成品（或媒体框）尺寸与版位不符，已缩放放入")
    PDF_NOT_CMYK = ("pdf_not_cmyk", "error",
                    "a placed PDF has RGB (or other non-CMYK, non-grey) colour, which PDF/X-1a forbids",
                    "置入的 PDF 含有 RGB（或其他非 CMYK、非灰度）颜色，PDF/X-1a 不允许")
    PDF_FONT_NOT_EMBEDDED = ("pdf_font_not_embedded", "error",
                             "a placed PDF uses a font that is not embedded",
                             "置入的 PDF 有未嵌入的字体")
    PDF_TRANSPARENCY = ("pdf_transparency", "error",
                        "a placed PDF has transparency (soft masks, blend modes, alpha below 1), which PDF/X-1a forbids",
                        "置入的 PDF 含有透明效果（软蒙版、混合模式、不透明度小于 1），PDF/X-1a 不允许")
    PDF_INK_LIMIT = ("pdf_ink_limit", "error",
                     "a placed PDF has colours with more total ink than output.ink_limit",
                     "置入的 PDF 中有颜色的总墨量超过 output.ink_limit")
    # unusable specs
    SPEC_ERROR = ("spec_error", "error",
                  "the spec cannot be used (FILE:LINE: message); nothing is laid out",
                  "版面描述无法使用（文件:行: 说明），不排版")


#: Every kind by its name (a member is also its own name: ``ProblemKind`` is a ``str``).
_KIND_BY_NAME: dict[str, ProblemKind] = {kind.value: kind for kind in ProblemKind}


@dataclass(frozen=True, slots=True, init=False)
class Problem:
    """One thing wrong with a page, in both languages.

    ``kind`` must be a :class:`ProblemKind` (or its name); ``severity`` defaults to the
    kind's; ``message_zh`` is required and not empty: ``--lang zh`` says everything in Chinese.
    """

    kind: ProblemKind
    message: str
    block: str | None
    details: dict[str, Any]
    severity: Severity  # ERROR makes the page not ok; WARNING and NOTE do not
    message_zh: str
    line: int | None  # the spec line it is about (a block's frame), when there is one

    def __init__(self, kind: ProblemKind | str, message: str, block: str | None = None,
                 details: dict[str, Any] | None = None, severity: Severity | str | None = None, *,
                 message_zh: str, line: int | None = None) -> None:
        typed = _KIND_BY_NAME.get(kind) if isinstance(kind, str) else None
        if typed is None:
            raise ValueError(f"unknown problem kind {kind!r}: add it to ProblemKind (and docs/report.md)")
        if not message_zh.strip():
            raise ValueError(f"problem {typed}: message_zh is empty")
        object.__setattr__(self, "kind", typed)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "block", block)
        object.__setattr__(self, "details", dict(details) if details else {})
        object.__setattr__(self, "severity", typed.severity if severity is None else Severity(severity))
        object.__setattr__(self, "message_zh", message_zh)
        object.__setattr__(self, "line", line if line else None)

    def text(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" else self.message

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value}
        if self.block is not None:
            out["block"] = self.block
        if self.line is not None:
            out["line"] = self.line
        out.update(self.details)
        out["message"] = self.text(lang)
        if self.severity is not Severity.ERROR:
            out["severity"] = self.severity.value
        return out


@dataclass(frozen=True, slots=True)
class BlockResult:
    id: str
    type: str
    lines_capacity: int
    lines_needed: int
    columns_used: tuple[int, ...]
    status: str  # ok, underfull, overflow

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "lines_capacity": self.lines_capacity,
            "lines_needed": self.lines_needed, "columns_used": list(self.columns_used), "status": self.status,
        }


_WHAT_ZH = {"article": "稿件", "photo": "图片", "qr": "二维码", "block": "版块", "masthead": "报头", "ear": "报眼",
            "ad": "广告", "table": "表格", "group_title": "组合标题", "index": "导读",
            "continuation": "转版接续"}


def what_zh(where: str) -> str:
    """``article lead`` / ``photo pic`` / ``block x`` as ``稿件 lead`` / ``图片 pic`` / ``版块 x``;
    ``header`` and ``footer`` as 报眉 / 报脚; anything else as it is."""
    what, _, name = where.partition(" ")
    if name and what in _WHAT_ZH:
        return f"{_WHAT_ZH[what]} {name}"
    return {"header": "报眉", "footer": "报脚", "page furniture": "报眉报脚"}.get(where, where)


_ROLE_ZH = {"kicker": "引题", "title": "主题", "subtitle": "副题", "subhead": "小标题", "label": "栏目名", "byline": "署名"}


def role_zh(role: str) -> str:
    """A headline role (``kicker``, ``title``, ``subtitle``) as an editor names it in Chinese."""
    return _ROLE_ZH.get(role, role)


def overflow_problem(block_id: str, lines: int, chars: int, what: str = "article") -> Problem:
    """Lines and characters the editor must cut."""
    message = f"{what} {block_id}: {lines} line{'s' if lines != 1 else ''} (about {chars} characters) do not fit"
    zh = f"{_WHAT_ZH.get(what, what)} {block_id}：超出 {lines} 行（约 {chars} 字），需删减"
    return Problem(ProblemKind.OVERFLOW, message, block_id, {"lines_over": lines, "chars_over": chars}, message_zh=zh)


def underfull_problem(block_id: str, lines: int, chars: int) -> Problem:
    """Empty lines at the bottom of an article and about how many characters would fill them."""
    message = f"article {block_id}: {lines} line{'s' if lines != 1 else ''} empty (about {chars} characters would fill them)"
    zh = f"稿件 {block_id}：空 {lines} 行（约需补 {chars} 字）"
    return Problem(ProblemKind.UNDERFULL, message, block_id, {"lines_empty": lines, "chars_to_fill": chars},
                   message_zh=zh)


def missing_glyph_problems(block_id: str | None, chars: list[str], where: str) -> list[Problem]:
    """One problem per distinct missing character, in order of first appearance, with its count."""
    from layout.fontdb import unicode_block  # here: the CLI imports this module for every message

    out = []
    for char, count in Counter(chars).items():  # a Counter keeps first-seen order: linear in len(chars)
        block = unicode_block(char)
        message = f"{where}: no font has {char!r} (U+{ord(char):04X}, {block}); {count}× marked 〓"
        zh = f"{what_zh(where)}：字库缺字 {char}（U+{ord(char):04X}，{block}），{count} 处以〓标出"
        out.append(Problem(ProblemKind.MISSING_GLYPH, message, block_id,
                           {"char": char, "codepoint": f"U+{ord(char):04X}", "unicode_block": block, "count": count},
                           message_zh=zh))
    return out
