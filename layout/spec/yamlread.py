"""YAML (or JSON) to Python data, with the line of every key (for ``FILE:LINE`` errors).

PyYAML's composer keeps a mark (line) on every node; we walk the node tree ourselves
so that every key path of the document has the line it was written on.
"""

from __future__ import annotations

from typing import Any

import yaml

from layout.spec.errors import KeyPath, SpecError, SpecInvalid, dotted

#: libyaml's parser when PyYAML was built with it (5–10× faster; the same nodes, with line
#: marks), else the pure-Python one.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_PARSER)
    except yaml.YAMLError:
        if _PARSER is yaml.SafeLoader:
            raise
    # the pure-Python parser words its errors better ("found character '\t' …"); same line
    return yaml.compose(text, Loader=yaml.SafeLoader)


def read_document(raw: bytes, name: str) -> tuple[Any, dict[KeyPath, int]]:
    """The document's data, and the line of every key path in it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecInvalid([SpecError(name, line, "the spec is not UTF-8 text")]) from None
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecInvalid([SpecError(name, line, f"YAML syntax error: {problem}")]) from None
    if node is None:
        raise SpecInvalid([SpecError(name, 1, "the spec is empty")])
    builder = _Builder(name)
    data = builder.build(node, ())
    if builder.errors:
        raise SpecInvalid(builder.errors)
    return data, builder.lines


class _Builder:
    """Turns a composed YAML node tree into Python data, recording each key's line."""

    def __init__(self, name: str):
        self.name = name
        self.lines: dict[KeyPath, int] = {(): 1}
        self.errors: list[SpecError] = []
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,)))
            return items
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.errors.append(SpecError(self.name, node.start_mark.line + 1, f"{dotted(path)}: {exc}"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        self._constructor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._constructor.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)):
                self.errors.append(SpecError(self.name, line, f"{dotted(path)}: keys must be text, got {key!r}"))
                continue
            if key in result:
                self.errors.append(SpecError(self.name, line, f"{dotted(path + (key,))}: duplicate key"))
            self.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,))
        return result
