"""The YAML text of an imported article: one block, as a list item to paste under a
page's ``blocks:`` (indented as the examples are), the body as a literal block.

Every value is written plain when YAML reads it back as the same text, else double
quoted; the whole block is read back before it is returned (``EmitError`` if it would
not be the same data, which the tests hold never to happen).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from layout.importer.structure import ImportedArticle

#: Where an imported block is put until the editor places it: three columns (a usual
#: story's width, in every page of four columns or more: a headline of 15–20 characters
#: fits), from the top, as tall as its text.
DEFAULT_FRAME = {"column": 1, "span": 3, "line": 1, "lines": "auto"}
#: Spaces before ``- type: article``: the examples indent blocks by two under ``blocks:``.
INDENT = 2


class EmitError(AssertionError):
    """The YAML written would not read back as the article (a bug, never bad input)."""


def block_data(article: ImportedArticle, block_id: str) -> dict[str, Any]:
    """The article block as the spec has it (the keys that have values)."""
    data: dict[str, Any] = {"type": "article", "id": block_id, "frame": dict(DEFAULT_FRAME)}
    for key in ("kicker", "title", "subtitle", "byline"):
        value = getattr(article, key)
        if value is not None:
            data[key] = value
    if article.body:
        data["body"] = "\n\n".join(article.body) + "\n"
    return data


def block_yaml(article: ImportedArticle, block_id: str, source: str) -> str:
    """The block as YAML text, with a comment naming its source file."""
    data = block_data(article, block_id)
    pad = " " * INDENT
    lines = [f"{pad}# imported from {_comment(source)}: place it by editing its frame",
             f"{pad}- type: article", f"{pad}  id: {_scalar(block_id)}",
             f"{pad}  frame: {{{', '.join(f'{k}: {v}' for k, v in DEFAULT_FRAME.items())}}}"]
    for key in ("kicker", "title", "subtitle", "byline"):
        if key in data:
            lines.append(f"{pad}  {key}: {_scalar(data[key])}")
    if "body" in data:
        lines.append(f"{pad}  body: {_literal(data['body'], pad + '    ')}")
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != [data]:
        raise EmitError("the imported block does not read back as written")
    return text


def _scalar(value: str) -> str:
    """Plain when that reads back as the same string, else a double-quoted (JSON) string."""
    if value and "\n" not in value and "#" not in value and value == value.strip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _literal(text: str, indent: str) -> str:
    """A literal block (``|``) when every line reads back as is, else a quoted string."""
    lines = text.rstrip("\n").split("\n")
    plain = all(line == line.rstrip() and not line.startswith((" ", "\t")) for line in lines) and \
        all(ch == "\n" or ch.isprintable() or ch == "\u3000" for ch in text)
    if not plain:
        return json.dumps(text, ensure_ascii=False)
    return "|\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


def _comment(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)
