"""YAML (or JSON) to Python data, with the line of every key (for ``FILE:LINE`` errors).

The spec is untrusted text.  PyYAML's own composer would build every node of the file
before we could look at it, and aliases (``*name``) let a 1 kB file stand for a billion
values (the "billion laughs").  So we compose the node tree ourselves from the parser's
events, counting as we go: the values the document stands for once its aliases are
expanded, and how deep it nests, are bounded *before* anything is expanded.  Only the
core YAML types are read (text, numbers, true/false, null, dates, lists, mappings): any
other tag, a merge key ``<<``, a non-finite or huge number, a key that is not text or a
string holding a NUL or a lone surrogate is an error with its line.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from layout.spec.errors import KeyPath, SpecError, SpecInvalid, StrayBoolean, block_labels, dotted, spec_error

#: libyaml's parser when PyYAML was built with it (5–10× faster; the same events, with line
#: marks), else the pure-Python one.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Values (scalars, lists, mappings) a document may stand for once its aliases are
#: expanded.  A whole broadsheet page is about 1,000; a billion-laughs file is refused
#: after this many, before it is expanded.
MAX_NODES = 100_000
#: How deep lists and mappings may nest (aliases included).  A spec nests 6 deep
#: (blocks[0].styles.title.color[0]); the bound keeps the tree walks' recursion shallow.
MAX_DEPTH = 50
#: Largest whole number a spec may hold: beyond it a float loses units, and no length,
#: count or size comes near it.
MAX_INT = 10**15
#: Below this many characters a syntax error found by libyaml is re-read by the
#: pure-Python parser, which words its errors better; above, libyaml's wording is kept
#: (the pure-Python parser is ~20× slower).
REWORD_MAX_CHARS = 256_000

_CORE = "tag:yaml.org,2002:"
#: Tags a spec may use (explicitly or, as usual, implicitly).
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))
#: Characters YAML forbids in a file (PyYAML's reader would stop on them with no line).
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
#: Characters refused inside a value: NUL (C strings end there) and lone surrogates
#: (from escapes such as "\ud800"; no encoder can write them).
_BAD_IN_TEXT = re.compile("[\x00\ud800-\udfff]")


def read_document(raw: bytes, name: str) -> tuple[Any, dict[KeyPath, int]]:
    """The document's data, and the line of every key path in it."""
    text = _decode(raw, name)
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        raise SpecInvalid([SpecError(name, line, f"the character {code} is not allowed in a YAML file",
                                     f"YAML 文件中不允许出现字符 {code}")])
    node = _compose(text, name)
    if node is None:
        raise SpecInvalid([SpecError(name, 1, "the spec is empty", "版面描述文件是空的")])
    builder = _Builder(name)
    data = builder.build(node, ())
    if builder.errors:  # named once the whole document is read: blocks by their ids
        labels = block_labels(data)
        raise SpecInvalid([spec_error(name, line, dotted(path, labels), en, zh)
                           for line, path, en, zh in builder.errors])
    return data, builder.lines


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")  # a leading byte-order mark is dropped
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint_en, hint_zh = "", ""
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint_en, hint_zh = " (it looks like UTF-16: save it as UTF-8)", "（看来是 UTF-16 编码，请另存为 UTF-8）"
        raise SpecInvalid([SpecError(name, line, f"the spec is not UTF-8 text{hint_en}",
                                     f"版面描述文件不是 UTF-8 文本{hint_zh}")]) from None


def _compose(text: str, name: str) -> yaml.Node | None:
    try:
        return _Composer(_PARSER, text, name).document()
    except yaml.YAMLError as exc:
        if _PARSER is yaml.SafeLoader or len(text) > REWORD_MAX_CHARS:
            raise _syntax_error(exc, name) from None
    try:  # the pure-Python parser words its errors better ("found character '\t' …"); same line
        return _Composer(yaml.SafeLoader, text, name).document()
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, name) from None


def _syntax_error(exc: yaml.YAMLError, name: str) -> SpecInvalid:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    return SpecInvalid([SpecError(name, line, f"YAML syntax error: {problem}", f"YAML 语法错误：{problem}")])


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _Composer:
    """PyYAML's composer, bounded: nodes from parser events, with every alias counted as
    the values it stands for, and nesting (through aliases too) limited."""

    def __init__(self, loader_class: type, text: str, name: str):
        self.loader = loader_class(text)
        self.name = name
        self.anchors: dict[str, tuple[yaml.Node, int, int]] = {}  # anchor -> node, values, height
        self.open: set[str] = set()  # anchors of collections still being read
        self.values = 0

    def document(self) -> yaml.Node | None:
        try:
            loader = self.loader
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                return None
            loader.get_event()  # document start
            node, _, _ = self._node(1)
            loader.get_event()  # document end
            if not loader.check_event(yaml.StreamEndEvent):
                raise self._fail(loader.get_event().start_mark, "the spec must be one YAML document, not several "
                                 "(remove the second '---')", "版面描述文件只能有一个 YAML 文档（删去第二个“---”）")
            return node
        finally:
            self.loader.dispose()

    def _fail(self, mark: Any, en: str, zh: str) -> SpecInvalid:
        return SpecInvalid([SpecError(self.name, mark.line + 1, en, zh)])

    def _count(self, values: int, mark: Any) -> None:
        self.values += values
        if self.values > MAX_NODES:
            raise self._fail(mark, f"the spec stands for more than {MAX_NODES:,} values once its aliases (*name) "
                             "are expanded", f"展开别名（*name）后，版面描述超过 {MAX_NODES:,} 个值")

    def _tag(self, event: Any, kind: type, value: str | None) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, value, event.implicit)
        if tag == _CORE + "value":  # a lone '=' (YAML 1.1's "default value"): plain text
            return _CORE + "str"
        if tag == _CORE + "merge":
            raise self._fail(event.start_mark, "merge keys (<<) are not supported: write the keys out "
                             "(or quote '<<' if you mean the text)", "不支持合并键（<<）：请把键逐一写出"
                             "（如果指的是文字，请给 '<<' 加引号）")
        if tag not in _ALLOWED_TAGS:
            shown = _short_tag(tag)
            raise self._fail(event.start_mark, f"the YAML tag {shown} is not allowed: a spec holds only text, "
                             "numbers, true/false, dates, lists and mappings",
                             f"不允许使用 YAML 标签 {shown}：版面描述只能包含文字、数字、true/false、日期、列表和映射")
        return tag

    def _node(self, depth: int) -> tuple[yaml.Node, int, int]:
        """The next node, the values it stands for, and its height (1 for a scalar)."""
        loader = self.loader
        event = loader.get_event()
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, depth)
        if depth > MAX_DEPTH:
            raise self._fail(event.start_mark, f"lists and mappings nest more than {MAX_DEPTH} deep",
                             f"列表和映射的嵌套超过 {MAX_DEPTH} 层")
        anchor = event.anchor
        self._count(1, event.start_mark)
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            tag = self._tag(event, yaml.ScalarNode, event.value)
            node, values, height = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                                   style=event.style), 1, 1
        else:
            is_map = isinstance(event, yaml.MappingStartEvent)
            kind, end = (yaml.MappingNode, yaml.MappingEndEvent) if is_map else (yaml.SequenceNode, yaml.SequenceEndEvent)
            tag = self._tag(event, kind, None)
            if anchor is not None:
                self.open.add(anchor)
            items: list[yaml.Node] = []
            values, height = 1, 1
            while not loader.check_event(end):
                child, child_values, child_height = self._node(depth + 1)
                items.append(child)
                values += child_values
                height = max(height, child_height + 1)
            closing = loader.get_event()
            value: list[Any] = list(zip(items[::2], items[1::2], strict=True)) if is_map else items
            node = kind(tag, value, event.start_mark, closing.end_mark, flow_style=event.flow_style)
            self.open.discard(anchor or "")
        if anchor is not None:
            self.anchors[anchor] = (node, values, height)
        return node, values, height

    def _alias(self, event: Any, depth: int) -> tuple[yaml.Node, int, int]:
        found = self.anchors.get(event.anchor)
        if found is None:
            if event.anchor in self.open:
                raise self._fail(event.start_mark, f"the alias *{event.anchor} is inside the value it names",
                                 f"别名 *{event.anchor} 位于它所指的值之内")
            raise self._fail(event.start_mark, f"the alias *{event.anchor} names no anchor (&{event.anchor}) above it",
                             f"别名 *{event.anchor} 之前没有对应的锚点（&{event.anchor}）")
        node, values, height = found
        if depth - 1 + height > MAX_DEPTH:
            raise self._fail(event.start_mark, f"lists and mappings nest more than {MAX_DEPTH} deep",
                             f"列表和映射的嵌套超过 {MAX_DEPTH} 层")
        self._count(values, event.start_mark)
        return node, values, height


def describe(value: Any) -> tuple[str, str]:
    """What a value is, in a message ("got a list")."""
    if value is None:
        return "nothing (an empty value)", "空值"
    if isinstance(value, bool | StrayBoolean):
        return "true/false", "布尔值（true/false）"
    if isinstance(value, (int, float)):
        return "a number", "数字"
    if isinstance(value, str):
        return "a string", "字符串"
    if isinstance(value, list):
        return "a list", "列表"
    if isinstance(value, dict):
        return "a mapping", "映射"
    return "a date", "日期"


class _Builder:
    """Turns a composed YAML node tree into Python data, recording each key's line.

    The tree is bounded (:data:`MAX_NODES` values, :data:`MAX_DEPTH` deep) by the composer,
    so this walk is too, aliases included."""

    def __init__(self, name: str):
        self.name = name
        self.lines: dict[KeyPath, int] = {(): 1}
        self.errors: list[tuple[int, KeyPath, str, str]] = []  # line, key path, English, Chinese
        self._constructor = yaml.SafeLoader("")

    def _error(self, node: yaml.Node, path: KeyPath, en: str, zh: str) -> None:
        self.errors.append((node.start_mark.line + 1, path, en, zh))

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,)))
            return items
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError):
            if node.tag == _CORE + "timestamp":
                self._error(node, path, f"{node.value!r} is not a valid date (YYYY-MM-DD)",
                            f"{node.value!r} 不是有效的日期（YYYY-MM-DD）")
            else:  # an int of thousands of digits (Python refuses to read it)
                self._error(node, path, "the number is too large", "数字太大")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self._error(node, path, f"must be a finite number, got {node.value}", f"必须是有限的数，实际是 {node.value}")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            self._error(node, path, f"the number is too large (at most {MAX_INT:.0e})", f"数字太大（最大 {MAX_INT:.0e}）")
            return None
        if isinstance(value, str):
            bad = _BAD_IN_TEXT.search(value)
            if bad:
                code = f"U+{ord(bad.group()):04X}"
                what_en, what_zh = ("NUL", "空字符 NUL") if code == "U+0000" else ("a lone surrogate", "孤立的代理项")
                self._error(node, path, f"the text holds {what_en} ({code}), which is not a character",
                            f"文字中含有{what_zh}（{code}），它不是有效字符")
                return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self._scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else [key_node]
            if key is None and isinstance(key_node, yaml.ScalarNode) and key_node.tag != _CORE + "null":
                continue  # already reported (a bad number or text)
            if not isinstance(key, str):
                shown_en, shown_zh = describe(key)
                hint_en, hint_zh = (f" (quote it: '{key_node.value}')", f"（请加引号：'{key_node.value}'）") \
                    if isinstance(key_node, yaml.ScalarNode) and len(key_node.value) < 40 else ("", "")
                self._error(key_node, path, f"keys must be text, got {shown_en}{hint_en}",
                            f"键必须是文字，实际是{shown_zh}{hint_zh}")
                continue
            if key in result:
                self.errors.append((line, path + (key,), "duplicate key", "重复的键"))
            self.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,))
        return result
