"""Validate a spec document with pydantic and check what the schema cannot (the edge).

The pydantic models (``layout/spec/models.py``) parse units and check types, ranges and
unknown keys; each error location is mapped back to the line it was written on.  The
result is handed on as the dataclasses of ``layout/spec/data.py``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from layout.spec import data
from layout.spec.errors import KeyPath, SpecError, SpecInvalid, dotted, line_for
from layout.spec.models import PageSpec, to_data


def validate(document: Any, lines: dict[KeyPath, int], name: str) -> data.PageSpec:
    """The validated spec, or :class:`SpecInvalid` with every error as ``FILE:LINE: message``."""
    try:
        spec: data.PageSpec = to_data(PageSpec.model_validate(document))
    except ValidationError as exc:
        raise SpecInvalid([_from_pydantic(name, lines, err) for err in exc.errors()]) from None
    errors = _semantic_errors(name, lines, spec)
    if errors:
        raise SpecInvalid(errors)
    return spec


def _data_path(lines: dict[KeyPath, int], loc: tuple[Any, ...]) -> KeyPath:
    """Drop the parts of a pydantic location that are not in the document (union tags)."""
    path: KeyPath = ()
    for part in loc:
        if path + (part,) in lines:
            path = path + (part,)
        elif isinstance(part, str) and part.isdigit() and path + (int(part),) in lines:
            path = path + (int(part),)
    return path


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
        return SpecError(name, line_for(lines, path), f"{dotted(path + (missing,))}: required key is missing")
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        message = "type must be article or photo"
        path = path + ("type",) if path + ("type",) in lines else path
    return SpecError(name, line_for(lines, path), f"{dotted(path)}: {message}")


BUILTIN_FAMILIES = ("song", "hei", "kai")


def _semantic_errors(name: str, lines: dict[KeyPath, int], spec: data.PageSpec) -> list[SpecError]:
    errors: list[SpecError] = []
    seen: dict[str, int] = {}
    for index, block in enumerate(spec.blocks):
        if block.id in seen:
            where = line_for(lines, ("blocks", index, "id"))
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
            errors.append(SpecError(name, line_for(lines, path), f"{dotted(path)}: unknown font family {family!r} ({known})"))
    return errors
