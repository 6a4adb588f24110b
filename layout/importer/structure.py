"""Which paragraph of the copy is what: kicker (引题), title, subtitle (副题), byline,
subhead (小标题) or body text, by simple conventions (documented in docs/cli.md):

* a paragraph starting ``引题：`` / ``标题：`` (or ``主题：``) / ``副题：`` is that part
  (a half-width colon too);
* in a .docx, the paragraph styled Title is the title and one styled Subtitle the
  subtitle; a paragraph before the Title paragraph is the kicker;
* otherwise the first paragraph is the title, and a paragraph right after it that starts
  with ``——`` is the subtitle;
* a line of roles and names (``记者 张三 通讯员 李四``, ``■本报记者：张三``) among the first
  paragraphs is the byline, rewritten in the house form ``■记者　张三　通讯员　李四``;
* a subhead is a paragraph styled Heading 1–9, or a short line (at most
  ``SUBHEAD_MAX_CHARS``, no closing 。！？) that starts with ■ (□◆●▲), is wrapped in
  【】, starts ``一、`` … ``十、``, or (in a .docx) is all bold; ■ and 【】 are dropped;
* everything else is body text; bold runs become ``**…**`` (黑体), italic runs ``*…*``
  (楷体); a body that opens with 本报讯 gets it in bold, the house dateline.

Half-width punctuation in Chinese text is set full width as the spec loader does
(``layout.text.normalize``); every change maps one character to one, so the runs' bold
and italic stay where they were.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from enum import StrEnum

from layout.importer import Note
from layout.text.normalize import normalize

#: A subhead marked by ■ or 【】, or all bold, is at most this many characters: longer
#: lines are paragraphs that happen to start with a mark.
SUBHEAD_MAX_CHARS = 24
#: A byline is looked for among this many first paragraphs (an end-of-story
#: ``（记者 张三）`` is body text).
BYLINE_WINDOW = 6
#: A byline line is at most this many characters.
BYLINE_MAX_CHARS = 60
#: A Chinese name is 2–4 characters (欧阳娜娜); with a middle dot (少数民族) up to 12.
NAME_CHARS = (2, 4)
DOTTED_NAME_MAX_CHARS = 12


class Hint(StrEnum):
    """What the source says a paragraph is (a .docx paragraph style); text files say nothing."""

    BODY = "body"
    TITLE = "title"
    SUBTITLE = "subtitle"
    HEADING = "heading"


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Para:
    runs: tuple[Run, ...]
    hint: Hint = Hint.BODY

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    title: str
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    body: tuple[str, ...] = ()  # paragraphs; a subhead is "## 小标题"
    notes: tuple[Note, ...] = field(default=())


#: A marked headline part: 引题：…, 标题：…, 副题：….
_MARK = re.compile(r"^(引题|肩题|标题|主题|副题|子题)\s*[：:]\s*(.*)$", re.S)
_MARKED_FIELD = {"引题": "kicker", "肩题": "kicker", "标题": "title", "主题": "title", "副题": "subtitle",
                 "子题": "subtitle"}
#: Marks that open a subhead (or a byline).
_BULLETS = "■□◆◇●▲★"
_ROLE = re.compile(r"(?:本报)?(?:首席|特约|见习|实习|摄影)?记者|通讯员|实习生")
_NAME_SEPARATORS = re.compile(r"[\s　、，,;；/／]+")
_NAME = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]+(?:[·•・][\u3400-\u9fff\U00020000-\U0003134f]+)*")
_NUMBERED = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_CLOSING = ("。", "！", "？", "；", "…", "：")
_WHITESPACE = " \t\u3000\u00a0\u200b\ufeff"
#: Characters that would be read as inline markup in a body paragraph; escaped in copy.
_MARKUP_CHARS = re.compile(r"([\\*\[\]]|=(?==))")


def structure(paras: list[Para]) -> ImportedArticle:
    """The article's parts from its paragraphs, in order (see the module docstring)."""
    paras = [p for p in (_stripped(p) for p in paras) if p.text]
    if not paras:
        return ImportedArticle(title="", notes=())
    parts: dict[str, str] = {}
    body: list[str] = []
    changed: Counter[str] = Counter()
    suspects: set[str] = set()
    explicit_title = any(p.hint is Hint.TITLE or (_marked(p.text) or ("",))[0] == "title" for p in paras)
    for index, para in enumerate(paras):
        para = _normalized(para, changed, suspects)
        text = para.text
        marked = _marked(text)
        if marked is not None and marked[0] not in parts:
            parts[marked[0]] = marked[1]
        elif para.hint is Hint.TITLE and "title" not in parts:
            parts["title"] = text
        elif para.hint is Hint.SUBTITLE and "subtitle" not in parts:
            parts["subtitle"] = text
        elif "byline" not in parts and index < BYLINE_WINDOW and (byline := house_byline(text)) is not None:
            parts["byline"] = byline
        elif not explicit_title and "title" not in parts and not body:
            parts["title"] = text
        elif explicit_title and "title" not in parts and "kicker" not in parts and not body:
            parts["kicker"] = text  # before the Title paragraph: the 引题
        elif "title" in parts and "subtitle" not in parts and not body and text.startswith("——"):
            parts["subtitle"] = text
        elif (subhead := _subhead(para)) is not None:
            body.append(f"## {subhead}")
        else:
            body.append(_markup(para))
    body = _dateline(body)
    notes = _notes(changed, suspects)
    return ImportedArticle(title=parts.get("title", ""), kicker=parts.get("kicker"), subtitle=parts.get("subtitle"),
                           byline=parts.get("byline"), body=tuple(body), notes=notes)


def _marked(text: str) -> tuple[str, str] | None:
    match = _MARK.match(text)
    if match is None or not match.group(2).strip():
        return None
    return _MARKED_FIELD[match.group(1)], match.group(2).strip(_WHITESPACE)


def house_byline(text: str) -> str | None:
    """``■记者　张三　通讯员　李四`` from a line that is only roles and names, else None.

    Accepted: an optional ■ (or another bullet) and ``文/``, then roles (记者, 本报记者,
    通讯员, 实习生 …) each followed by one or more names, separated by spaces, full-width
    spaces, 、 or commas, with or without a colon after the role.
    """
    line = text.strip(_WHITESPACE).lstrip(_BULLETS).strip(_WHITESPACE)
    line = re.sub(r"^文\s*[/／:：]\s*", "", line)
    if len(line) > BYLINE_MAX_CHARS or not _ROLE.match(line):
        return None
    pieces = _ROLE.split(line)
    roles = _ROLE.findall(line)
    groups: list[str] = []
    for role, names_text in zip(roles, pieces[1:], strict=True):
        names = [n for n in _NAME_SEPARATORS.split(names_text.strip(_WHITESPACE + "：:")) if n]
        if not names or not all(_is_name(n) for n in names):
            return None
        groups.append("　".join([role, *names]))
    return "■" + "　".join(groups)


def _is_name(text: str) -> bool:
    if not _NAME.fullmatch(text):
        return False
    if any(dot in text for dot in "·•・"):
        return len(text) <= DOTTED_NAME_MAX_CHARS
    return NAME_CHARS[0] <= len(text) <= NAME_CHARS[1]


def _subhead(para: Para) -> str | None:
    text = para.text
    if para.hint is Hint.HEADING:
        return _bare_subhead(text)
    if len(text) > SUBHEAD_MAX_CHARS or text.endswith(_CLOSING):
        return None
    if text[0] in _BULLETS or (text.startswith("【") and text.endswith("】")) or _NUMBERED.match(text):
        return _bare_subhead(text)
    if all(run.bold for run in para.runs if run.text.strip(_WHITESPACE)):
        return _bare_subhead(text)
    return None


def _bare_subhead(text: str) -> str:
    text = text.lstrip(_BULLETS).strip(_WHITESPACE)
    if text.startswith("【") and text.endswith("】"):
        text = text[1:-1].strip(_WHITESPACE)
    return text


def _markup(para: Para) -> str:
    """The paragraph's text with its bold runs as ``**…**`` and italic runs as ``*…*``
    (bold wins when both); literal marks are escaped only when the paragraph will be
    parsed as markup (a paragraph without any is read as it stands)."""
    styled = any(run.bold or run.italic for run in para.runs)
    plain = para.text
    needs_escape = styled or "*" in plain or "==" in plain or "]{" in plain
    out: list[str] = []
    for bold, italic, text in _merged(para.runs):
        if needs_escape:
            text = _MARKUP_CHARS.sub(r"\\\1", text)
        mark = "**" if bold else "*" if italic else ""
        if mark and text.strip(_WHITESPACE):
            core = text.strip(_WHITESPACE)
            lead, trail = text[: len(text) - len(text.lstrip(_WHITESPACE))], text[len(text.rstrip(_WHITESPACE)):]
            out.append(f"{lead}{mark}{core}{mark}{trail}")  # marks hug the text: ** 本报讯** would not be read
        else:
            out.append(text)
    return "".join(out)


def _merged(runs: tuple[Run, ...]) -> list[tuple[bool, bool, str]]:
    """Neighbouring runs of the same style as one (Word splits runs at every edit)."""
    merged: list[tuple[bool, bool, str]] = []
    for run in runs:
        bold, italic = run.bold, run.italic and not run.bold
        if merged and merged[-1][:2] == (bold, italic):
            merged[-1] = (bold, italic, merged[-1][2] + run.text)
        else:
            merged.append((bold, italic, run.text))
    return merged


def _dateline(body: list[str]) -> list[str]:
    """The house dateline: a body opening with a plain 本报讯 gets it in bold."""
    if body and body[0].startswith("本报讯") and not body[0].startswith("**"):
        rest = body[0][len("本报讯"):]
        body[0] = "**本报讯**" + ("　" + rest.lstrip(" ") if rest.startswith(" ") else rest)  # the house 　 after it
    return body


def _stripped(para: Para) -> Para:
    """The paragraph without leading and trailing white space (the 　　 indent of typed
    copy: the layout indents paragraphs itself)."""
    runs = list(para.runs)
    while runs and not runs[0].text.lstrip(_WHITESPACE):
        runs.pop(0)
    while runs and not runs[-1].text.rstrip(_WHITESPACE):
        runs.pop()
    if not runs:
        return Para((), para.hint)
    runs[0] = replace(runs[0], text=runs[0].text.lstrip(_WHITESPACE))
    runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip(_WHITESPACE))  # the same run when there is one
    return Para(tuple(runs), para.hint)


def _normalized(para: Para, changed: Counter[str], suspects: set[str]) -> Para:
    """Full-width punctuation over the whole paragraph (a mark's neighbours may lie in
    another run), cut back into the runs: normalisation keeps every length."""
    result = normalize(para.text)
    changed.update(result.changed)
    suspects.update(result.suspects)
    if result.text == para.text:
        return para
    runs, start = [], 0
    for run in para.runs:
        runs.append(Run(result.text[start:start + len(run.text)], run.bold, run.italic))
        start += len(run.text)
    return Para(tuple(runs), para.hint)


def _notes(changed: Counter[str], suspects: set[str]) -> tuple[Note, ...]:
    notes = []
    if changed:
        total = sum(changed.values())
        notes.append(Note(f"{total} half-width marks in Chinese text set full width",
                          f"中文里 {total} 个半角标点已改为全角"))
    for suspect in sorted(suspects):
        meant = {"--": "——", "...": "……", "。。。": "……"}[suspect]
        notes.append(Note(f"{suspect!r} in Chinese text; did you mean {meant}? (left as it is)",
                          f"中文里有 {suspect!r}，是否应为{meant}？（未改动）"))
    return tuple(notes)
