"""Validate a spec document with pydantic and check what the schema cannot (the edge).

The pydantic models (``layout/spec/models.py``) parse units and check types, ranges and
unknown keys; each error is mapped back to the line it was written on and reworded for
someone new to the format, in English and Chinese: blocks are named by their id, a
misspelled key gets one "did you mean" instead of "unknown key" plus "missing key", and
a wrong type says what was expected, with an example.  The result is handed on as the
dataclasses of ``layout/spec/data.py``.
"""

from __future__ import annotations

import difflib
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from layout.spec import data
from layout.spec.errors import KeyPath, SpecError, SpecInvalid, block_labels, dotted, line_for, spec_error
from layout.spec.models import Block, PageSpec, to_data
from layout.spec.yamlread import describe
from layout.units import shown

#: How alike a misspelled key must be to an allowed one to be suggested (difflib's ratio).
SUGGEST_CUTOFF = 0.6
#: Short examples of each mapping, for "expected a mapping like …".
MODEL_EXAMPLES = {
    "FrameRef": "{column: 1, span: 2, line: 1, lines: 20}",
    "Margins": "{top: 20mm, right: 15mm, bottom: 20mm, left: 15mm}",
    "BodyStyle": "{font: song, size: 9pt, leading: 13.5pt}",
    "PageSettings": "{size: A3, margins: {…}, columns: 6, gutter: 4mm, body: {…}}",
    "Header": "{credits: {责编: 张三}}",
    "Folio": "{paper: 茂名日报, date: 2024-05-01, page: 3}",
    "Footer": "{hotline: 0668-1234567}",
    "StyleOverride": "{font: hei, size: 24pt}",
    "Output": "{ink_limit: 240}",
    "Typography": "{kinsoku: basic}",
    "Placeholder": "{placeholder: 800}",
    "Insert": "{kind: related, text: …}",
    "TableColumn": "{head: 品名, width: 2, align: left}",
    "TableRules": "{top: 1pt, rows: none}",
    "Block": "{type: article, id: lead, frame: {…}, title: …}",
    "Qr": "{type: qr, id: code, frame: {…}, data: https://example.com}",
    "RuleSpec": "{type: double, weight: 0.5pt, color: [0, 100, 100, 0]}",
    "BoxSpec": "{rule: {type: thin}, inset: {lines: 1, side: 2mm}}",
    "BoxInset": "{lines: 1, side: 2mm}",
    "Band": "{color: [0, 100, 100, 0], reverse: true}",
    "Headline": "{form: vertical, side: right, span: 1}",
    "PageRules": "{between: {type: thin, weight: 0.5pt}, columns: none}",
}
#: Pydantic's type errors, as what was expected (English, Chinese).
_EXPECTED: dict[str, tuple[str, str]] = {
    "int_type": ("a whole number", "整数"),
    "int_parsing": ("a whole number", "整数"),
    "int_from_float": ("a whole number", "整数"),
    "float_type": ("a number", "数字"),
    "float_parsing": ("a number", "数字"),
    "bool_type": ("true or false", "true 或 false"),
    "bool_parsing": ("true or false", "true 或 false"),
    "string_type": ("text", "文字"),
    "list_type": ("a list", "列表"),
    "tuple_type": ("a list", "列表"),
    "dict_type": ("a mapping (key: value)", "映射（键: 值）"),
    "date_type": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "date_parsing": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "date_from_datetime_inexact": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
}
#: Range errors: (English, Chinese) with the bound's name in pydantic's context.
_RANGES: dict[str, tuple[str, str, str]] = {
    "greater_than_equal": ("ge", "must be at least {bound}", "不能小于 {bound}"),
    "less_than_equal": ("le", "must be at most {bound}", "不能大于 {bound}"),
    "greater_than": ("gt", "must be more than {bound}", "必须大于 {bound}"),
    "less_than": ("lt", "must be less than {bound}", "必须小于 {bound}"),
}


def validate(document: Any, lines: dict[KeyPath, int], name: str) -> data.PageSpec:
    """The validated spec, or :class:`SpecInvalid` with every error as ``FILE:LINE: message``."""
    labels = block_labels(document)
    try:
        spec: data.PageSpec = to_data(PageSpec.model_validate(document))
    except ValidationError as exc:
        raise SpecInvalid(_from_pydantic(name, lines, labels, exc.errors())) from None
    errors = _semantic_errors(name, lines, labels, spec)
    if errors:
        raise SpecInvalid(errors)
    return spec


@dataclass(frozen=True, slots=True)
class _Found:
    """One pydantic error, reworded; ``expected`` is set for a wrong type (several of them
    at one key, from the members of a union, read as one message)."""

    path: KeyPath
    en: str
    zh: str
    kind: str = ""
    expected: tuple[str, str] | None = None
    got: tuple[str, str] = ("", "")
    suggestion: str | None = None


def _from_pydantic(name: str, lines: dict[KeyPath, int], labels: dict[int, str], errors: list[Any]) -> list[SpecError]:
    found = [_reword(lines, err) for err in errors]
    # a misspelled key: "did you mean `title`?" says it all; no "title: required key is missing" beside it
    suggested = {f.path[:-1] + (f.suggestion,) for f in found if f.suggestion}
    found = [f for f in found if not (f.kind == "missing" and f.path in suggested)]
    out: list[tuple[KeyPath, str, str]] = []
    typed: dict[KeyPath, list[_Found]] = {}
    for f in found:
        if f.expected is None:
            out.append((f.path, f.en, f.zh))
        elif not any(g.path[: len(f.path)] == f.path and (len(g.path) > len(f.path) or g.expected is None)
                     for g in found):  # a union member that read further, or got the type right, speaks instead
            typed.setdefault(f.path, []).append(f)
    for path, group in typed.items():
        wanted = list(dict.fromkeys(f.expected for f in group if f.expected))
        en = " or ".join(w[0] for w in wanted)
        zh = "或".join(w[1] for w in wanted)
        got_en, got_zh = group[0].got
        if path == ():
            out.append((path, f"the spec must be a mapping of keys (version: 1, page: …, blocks: …), got {got_en}",
                        f"版面描述应是由键组成的映射（version: 1、page: …、blocks: …），实际是{got_zh}"))
        else:
            out.append((path, f"expected {en}, got {got_en}", f"应为{zh}，实际是{got_zh}"))
    errors_out = [spec_error(name, line_for(lines, path), dotted(path, labels), en, zh) for path, en, zh in out]
    return sorted(errors_out, key=lambda e: e.line)


def _data_path(lines: dict[KeyPath, int], loc: tuple[Any, ...]) -> KeyPath:
    """Drop the parts of a pydantic location that are not in the document (union tags)."""
    path: KeyPath = ()
    for part in loc:
        if path + (part,) in lines:
            path = path + (part,)
        elif isinstance(part, str) and part.isdigit() and path + (int(part),) in lines:
            path = path + (int(part),)
    return path


def _reword(lines: dict[KeyPath, int], err: Any) -> _Found:
    loc = tuple(err.get("loc", ()))
    path = _data_path(lines, loc)
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return _Found(path + (loc[-1],) if loc else path, "required key is missing", "缺少必需的键", kind)
    if kind == "extra_forbidden":
        return _unknown_key(path, loc)
    if kind in _EXPECTED:
        return _Found(path, "", "", kind, _EXPECTED[kind], describe(value))
    if kind in ("model_type", "model_attributes_type", "dataclass_type"):
        model = ctx.get("class_name") or getattr(_model_at(loc), "__name__", None) or "Block"
        example = MODEL_EXAMPLES.get(model, "{key: value}")
        return _Found(path, "", "", kind, (f"a mapping like {example}", f"形如 {example} 的映射"), describe(value))
    if kind in _RANGES:
        key, en, zh = _RANGES[kind]
        bound = _number(ctx.get(key))
        got = shown(value)
        return _Found(path, en.format(bound=bound) + f", got {got}", zh.format(bound=bound) + f"，实际是 {got}", kind)
    if kind == "int_parsing_size":
        return _Found(path, "the number is too large", "数字太大", kind)
    if kind == "finite_number":
        return _Found(path, "must be a finite number", "必须是有限的数", kind)
    if kind == "literal_error":
        return _literal(path, loc, str(ctx.get("expected", "")), value)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _block_type(lines, path, ctx, kind)
    if kind in ("too_short", "too_long"):
        count = ctx.get("min_length" if kind == "too_short" else "max_length")
        actual = ctx.get("actual_length")
        return _Found(path, f"expected {count} values, got {actual}", f"应有 {count} 个值，实际有 {actual} 个", kind)
    if kind == "string_too_short":
        return _Found(path, "must not be empty", "不能为空", kind)
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return _Found(path, f"is too long (at most {limit} characters)", f"太长（最多 {limit} 个字符）", kind)
    if kind == "value_error":
        error = ctx.get("error")
        en = str(error) if error is not None else str(err.get("msg", "invalid value"))
        return _Found(path, en, getattr(error, "zh", en), kind)
    message = str(err.get("msg", "invalid value"))
    return _Found(path, message, f"无效的值（{message}）", kind)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


#: Words newcomers write for a style role, a key or a type that spelling cannot guess.
SYNONYMS = {"headline": "title", "heading": "title", "head": "title", "deck": "subtitle", "subheading": "subhead",
            "author": "byline", "text": "body", "content": "body", "picture": "photo", "image": "photo",
            "story": "article", "name": "id"}


def _did_you_mean(word: str, allowed: list[str]) -> str | None:
    """The allowed word ``word`` was most likely meant to be, if any is close."""
    by_case = [a for a in allowed if a.lower() == word.lower()]
    if by_case:
        return by_case[0]
    if SYNONYMS.get(word.lower()) in allowed:
        return SYNONYMS[word.lower()]
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=SUGGEST_CUTOFF)
    return close[0] if close else None


def _unknown_key(path: KeyPath, loc: tuple[Any, ...]) -> _Found:
    model = _model_at(loc[:-1])
    key = str(loc[-1]) if loc else ""
    allowed = list(model.model_fields) if model is not None else []
    guess = _did_you_mean(key, allowed) if allowed else None
    if guess:
        return _Found(path, f"unknown key; did you mean `{guess}`?", f"未知的键；是否想写 `{guess}`？",
                      "extra_forbidden", suggestion=guess)
    if allowed:
        keys = ", ".join(allowed)
        return _Found(path, f"unknown key; the keys here are {keys}", f"未知的键；这里可用的键有 {keys}", "extra_forbidden")
    return _Found(path, "unknown key", "未知的键", "extra_forbidden")


def _literal(path: KeyPath, loc: tuple[Any, ...], expected: str, value: Any) -> _Found:
    options = re.findall(r"'([^']*)'", expected) or [expected]
    listed = ", ".join(options)
    if loc and loc[-1] == "[key]":  # a key of styles: must be a role
        en, zh = _choices(_did_you_mean(str(value), options), "roles", "角色", listed)
        return _Found(path, f"unknown style role; {en}", f"未知的样式角色；{zh}", "literal_error")
    guess = _did_you_mean(str(value), options) if isinstance(value, str) else None
    if len(options) == 1:
        en, zh = f"must be {options[0]}, got {shown(value)}", f"必须是 {options[0]}，实际是 {shown(value)}"
    else:
        en, zh = f"must be one of {listed}, got {shown(value)}", f"必须是 {listed} 之一，实际是 {shown(value)}"
    if guess:
        en, zh = en + f"; did you mean `{guess}`?", zh + f"；是否想写 `{guess}`？"
    return _Found(path, en, zh, "literal_error")


#: The block models (members of the ``Block`` union), and their ``type:`` names.
BLOCK_MODELS: tuple[type[BaseModel], ...] = get_args(get_args(Block)[0])
BLOCK_TYPES: tuple[str, ...] = tuple(get_args(m.model_fields["type"].annotation)[0] for m in BLOCK_MODELS)


def _block_type(lines: dict[KeyPath, int], path: KeyPath, ctx: dict[str, Any], kind: str) -> _Found:
    types_ = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", ""))) or list(BLOCK_TYPES)
    listed = ", ".join(types_)
    if kind == "union_tag_not_found":
        known = {name for model in BLOCK_MODELS for name in model.model_fields}
        keys = [str(p[-1]) for p in lines if len(p) == len(path) + 1 and p[: len(path)] == path and p[-1] not in known]
        guess = _did_you_mean("type", keys)  # "tyep:" is the type, misspelled
        if guess is not None:
            return _Found(path + (guess,), f"unknown key; did you mean `type`? (a block's type is one of {listed})",
                          f"未知的键；是否想写 `type`？（块的类型是 {listed} 之一）", "extra_forbidden")
        return _Found(path + ("type",), f"required key is missing; a block's type is one of {listed}",
                      f"缺少必需的键；块的类型（type）是 {listed} 之一", kind)
    tag = str(ctx.get("tag", ""))
    en, zh = _choices(_did_you_mean(tag, types_), "types", "类型", listed)
    return _Found(path + ("type",) if path + ("type",) in lines else path, f"unknown block type {shown(tag)}; {en}",
                  f"未知的块类型 {shown(tag)}；{zh}", kind)


def _choices(guess: str | None, what_en: str, what_zh: str, listed: str) -> tuple[str, str]:
    """"did you mean `x`? (roles: …)", or "the roles are …" when nothing is close."""
    if guess:
        return f"did you mean `{guess}`? ({what_en}: {listed})", f"是否想写 `{guess}`？（可用的{what_zh}：{listed}）"
    return f"the {what_en} are {listed}", f"可用的{what_zh}有 {listed}"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model a location (with union tags, as pydantic gives it) points into."""
    current: Any = PageSpec
    index = 0
    while True:
        while get_origin(current) is Annotated:
            current = get_args(current)[0]
        if get_origin(current) in (Union, types.UnionType):
            members = [m for m in get_args(current) if m is not type(None)]
            part = loc[index] if index < len(loc) else None
            named = [m for m in members if isinstance(part, str) and part in _tags_of(m)]
            if named:
                current, index = named[0], index + 1
                continue
            if len(members) != 1:
                return None
            current = members[0]
            continue
        if index == len(loc):
            return current if isinstance(current, type) and issubclass(current, BaseModel) else None
        part, index = loc[index], index + 1
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (list, tuple) and get_args(current):
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None


def _tags_of(member: Any) -> set[str]:
    """The names pydantic gives a union member in an error's location."""
    name = getattr(member, "__name__", str(member))
    return {name, name.lower(), str(member)}


BUILTIN_FAMILIES = ("song", "hei", "kai")


def _semantic_errors(name: str, lines: dict[KeyPath, int], labels: dict[int, str],
                     spec: data.PageSpec) -> list[SpecError]:
    errors: list[SpecError] = []
    seen: dict[str, int] = {}
    for index, block in enumerate(spec.blocks):
        if block.id in seen:  # named by index: the id names two blocks
            where = line_for(lines, ("blocks", index, "id"))
            errors.append(spec_error(name, where, f"blocks[{index}].id", f"duplicate block id {block.id!r}",
                                     f"重复的块 id {block.id!r}（blocks[{seen[block.id]}] 已经用了它）"))
        seen.setdefault(block.id, index)
    errors += _headline_form_errors(name, lines, labels, spec)
    families = set(BUILTIN_FAMILIES) | set(spec.fonts)
    used: list[tuple[KeyPath, str]] = [(("page", "body", "font"), spec.page.body.font)]
    used += [(("styles", role, "font"), style.font) for role, style in spec.styles.items() if style.font]
    for index, block in enumerate(spec.blocks):
        used += [(("blocks", index, "styles", role, "font"), style.font)
                 for role, style in getattr(block, "styles", {}).items() if style.font]
        if isinstance(block, data.Masthead):
            used.append((("blocks", index, "font"), block.font))
        for k, insert in enumerate(getattr(block, "inserts", ())):
            used += [(("blocks", index, "inserts", k, key, "font"), style.font)
                     for key, style in (("text_style", insert.text_style), ("title_style", insert.title_style))
                     if style is not None and style.font]
    errors += _headline_errors(name, lines, labels, spec)
    for path, family in used:
        if family not in families:
            known = ", ".join(sorted(families))
            errors.append(spec_error(name, line_for(lines, path), dotted(path, labels),
                                     f"unknown font family {shown(family)} ({known})",
                                     f"未知的字体族 {shown(family)}（可用：{known}）"))
    return errors


def _headline_errors(name: str, lines: dict[KeyPath, int], labels: dict[int, str],
                     spec: data.PageSpec) -> list[SpecError]:
    """A vertical headline's strip must lie inside its article's frame."""
    errors: list[SpecError] = []
    for index, block in enumerate(spec.blocks):
        head = getattr(block, "headline", None)
        if not isinstance(block, data.Article) or head is None or head.form != "vertical":
            continue
        frame_span = block.frame.span
        if head.width is None and head.span > frame_span:
            path: KeyPath = ("blocks", index, "headline", "span")
            errors.append(spec_error(name, line_for(lines, path), dotted(path, labels),
                                     f"the strip takes {head.span} page columns; the frame has {frame_span}",
                                     f"竖排标题占 {head.span} 栏，但稿件框只有 {frame_span} 栏"))
        if head.column is not None and head.column + (head.span if head.width is None else 1) - 1 > frame_span:
            path = ("blocks", index, "headline", "column")
            errors.append(spec_error(name, line_for(lines, path), dotted(path, labels),
                                     f"column {head.column} puts the strip outside the frame's {frame_span} columns",
                                     f"column {head.column} 使竖排标题超出稿件框的 {frame_span} 栏"))
        if block.label is not None:
            path = ("blocks", index, "label")
            errors.append(spec_error(name, line_for(lines, path), dotted(path, labels),
                                     "a column label goes with a headline over the article or set into its text, "
                                     "not with a vertical one",
                                     "栏目名只能用于横排或文包题标题，不能用于竖排标题"))
    return errors


def _headline_form_errors(name: str, lines: dict[KeyPath, int], labels: dict[int, str],
                          spec: data.PageSpec) -> list[SpecError]:
    """An inset headline inside its article's text columns; a group title's articles
    named by the id of an article, each in one group only."""
    errors: list[SpecError] = []
    kinds = {block.id: block.type for block in spec.blocks}
    grouped: dict[str, str] = {}
    for index, block in enumerate(spec.blocks):
        if isinstance(block, data.Article) and block.headline is not None and block.headline.form == "inset":
            count = block.columns or block.frame.span
            column = block.headline.column or 1
            if column + block.headline.span - 1 > count:
                path: KeyPath = ("blocks", index, "headline")
                errors.append(spec_error(
                    name, line_for(lines, path), dotted(path, labels),
                    f"an inset headline in text columns {column}–{column + block.headline.span - 1}, but the article "
                    f"has {count} text column{'s' if count != 1 else ''}",
                    f"文包题占第 {column}–{column + block.headline.span - 1} 栏，但稿件只有 {count} 栏"))
        if isinstance(block, data.GroupTitle):
            for k, member in enumerate(block.articles):
                path = ("blocks", index, "articles", k)
                if kinds.get(member) != "article":
                    errors.append(spec_error(name, line_for(lines, path), dotted(path, labels),
                                             f"{member!r} is not the id of an article on this page",
                                             f"{member!r} 不是本版稿件的 id"))
                elif member in grouped:
                    errors.append(spec_error(name, line_for(lines, path), dotted(path, labels),
                                             f"article {member!r} is already in group {grouped[member]!r}",
                                             f"稿件 {member!r} 已属于组合标题 {grouped[member]!r}"))
                grouped.setdefault(member, block.id)
    return errors
