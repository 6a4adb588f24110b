"""Read a spec file into :class:`PageSpec`, or into ``FILE:LINE: message`` errors.

PyYAML's composer keeps a mark (line) on every node; we walk the node tree ourselves
so that every key path of the document has the line it was written on, and map each
pydantic error location back to that line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from layout.spec.models import PageSpec

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SpecError:
    """One problem with a spec file; str() gives ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class SpecInvalid(Exception):
    """Raised by :func:`load_spec` with every error found in the file."""

    def __init__(self, errors: list[SpecError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    """A validated spec with where it came from."""

    path: Path
    spec: PageSpec
    lines: dict[KeyPath, int]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line_of(self, path: KeyPath) -> int:
        return _line_for(self.lines, path)


def load_spec(path: str | Path) -> LoadedSpec:
    """Load and validate one spec file.

    Raises:
        SpecInvalid: with ``FILE:LINE: message`` errors; never another exception
            for bad content.
    """
    path = Path(path)
    name = str(path)
    data, lines = _read_yaml(path, name)
    try:
        spec = PageSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecInvalid([_from_pydantic(name, lines, err) for err in exc.errors()]) from None
    errors = _semantic_errors(name, lines, spec, path.parent)
    if errors:
        raise SpecInvalid(errors)
    return LoadedSpec(path, spec, lines)


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


def _read_yaml(path: Path, name: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecInvalid([SpecError(name, 0, f"cannot read the spec: {exc.strerror or exc}")]) from None
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
            self.errors.append(SpecError(self.name, node.start_mark.line + 1, f"{_dotted(path)}: {exc}"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        self._constructor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._constructor.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int)):
                self.errors.append(SpecError(self.name, line, f"{_dotted(path)}: keys must be text, got {key!r}"))
                continue
            if key in result:
                self.errors.append(SpecError(self.name, line, f"{_dotted(path + (key,))}: duplicate key"))
            self.lines[path + (key,)] = line
            result[key] = self.build(value_node, path + (key,))
        return result


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _data_path(lines: dict[KeyPath, int], loc: tuple[Any, ...]) -> KeyPath:
    """Drop the parts of a pydantic location that are not in the document (union tags)."""
    path: KeyPath = ()
    for part in loc:
        if path + (part,) in lines:
            path = path + (part,)
        elif isinstance(part, str) and part.isdigit() and path + (int(part),) in lines:
            path = path + (int(part),)
    return path


def _line_for(lines: dict[KeyPath, int], path: KeyPath) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _from_pydantic(name: str, lines: dict[KeyPath, int], err: Any) -> SpecError:
    loc = tuple(err.get("loc", ()))
    path = _data_path(lines, loc)
    kind = err.get("type", "")
    message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        path = _data_path(lines, loc)
        message = "unknown key"
    elif kind == "missing":
        missing = loc[-1] if loc else "?"
        return SpecError(name, _line_for(lines, path), f"{_dotted(path + (missing,))}: required key is missing")
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        message = "type must be article or photo"
        path = path + ("type",) if path + ("type",) in lines else path
    return SpecError(name, _line_for(lines, path), f"{_dotted(path)}: {message}")


BUILTIN_FAMILIES = ("song", "hei", "kai")


def _semantic_errors(name: str, lines: dict[KeyPath, int], spec: PageSpec, folder: Path) -> list[SpecError]:
    errors: list[SpecError] = []
    seen: dict[str, int] = {}
    for index, block in enumerate(spec.blocks):
        if block.id in seen:
            where = _line_for(lines, ("blocks", index, "id"))
            errors.append(SpecError(name, where, f"blocks[{index}].id: duplicate block id {block.id!r}"))
        seen.setdefault(block.id, index)
    families = set(BUILTIN_FAMILIES) | set(spec.fonts)
    used: list[tuple[KeyPath, str]] = [(("page", "body", "font"), spec.page.body.font)]
    used += [(("styles", role, "font"), style.font) for role, style in spec.styles.items() if style.font]
    for index, block in enumerate(spec.blocks):
        used += [(("blocks", index, "styles", role, "font"), style.font)
                 for role, style in block.styles.items() if style.font]
    for path, family in used:
        if family not in families:
            known = ", ".join(sorted(families))
            errors.append(SpecError(name, _line_for(lines, path), f"{_dotted(path)}: unknown font family {family!r} ({known})"))
    return errors
