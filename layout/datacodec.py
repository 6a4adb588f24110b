"""Frozen dataclass trees as JSON, for the disk tier of the memo (``layout/memo.py``).

Data only: decoding builds nothing but the dataclasses and enums named when the codec
is made, from JSON scalars, lists and dicts — no class is looked up by a name read
from disk, nothing is imported or called beyond those constructors.  Every list in the
encoding starts with a marker saying what it stands for:

* ``["T", a, b]`` a tuple, ``["L", a, b]`` a list, ``["D", k1, v1, k2, v2]`` a dict;
* ``["C", "Name", f1, f2, …]`` a dataclass, fields in declaration order;
* ``["E", "Name", value]`` an enum member; ``["d", "2023-12-06"]`` a date;

Floats survive exactly (JSON holds ``repr``), NaN and infinities included.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any

#: Nesting allowed when decoding (a composed paragraph is about 6 deep).
MAX_DEPTH = 64


class TreeCodec:
    """Encodes and decodes trees of the given dataclasses and enums."""

    def __init__(self, types: Iterable[type]):
        self._classes: dict[str, type] = {}
        self._enums: dict[str, type[enum.Enum]] = {}
        for cls in types:
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                self._enums[cls.__name__] = cls
            elif is_dataclass(cls):
                self._classes[cls.__name__] = cls
            else:
                raise TypeError(f"{cls!r} is neither a dataclass nor an enum")
        self._arity = {name: len(fields(cls)) for name, cls in self._classes.items()}
        self._names = {name: tuple(f.name for f in fields(cls)) for name, cls in self._classes.items()}

    def encode(self, value: Any) -> bytes:
        """JSON bytes; TypeError or ValueError for a value outside the codec's types."""
        return json.dumps(self._out(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        """The value; ValueError (or KeyError/TypeError/IndexError) for anything malformed."""
        return self._in(json.loads(data.decode("utf-8")), 0)

    def _out(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, tuple):
            return ["T", *map(self._out, value)]
        if isinstance(value, list):
            return ["L", *map(self._out, value)]
        if isinstance(value, dict):
            out: list[Any] = ["D"]
            for key, item in value.items():
                out += (self._out(key), self._out(item))
            return out
        if isinstance(value, enum.Enum) and type(value).__name__ in self._enums:
            return ["E", type(value).__name__, value.value]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return ["d", value.isoformat()]
        name = type(value).__name__
        if self._classes.get(name) is type(value):
            return ["C", name, *(self._out(getattr(value, field)) for field in self._names[name])]
        raise TypeError(f"cannot keep a {name} on disk")

    def _in(self, node: Any, depth: int) -> Any:
        if not isinstance(node, list):
            if isinstance(node, dict):
                raise ValueError("unexpected object")
            return node
        if depth > MAX_DEPTH or not node:
            raise ValueError("malformed entry")
        marker, depth = node[0], depth + 1
        if marker == "T":
            return tuple([self._in(item, depth) for item in node[1:]])
        if marker == "L":
            return [self._in(item, depth) for item in node[1:]]
        if marker == "C":
            cls = self._classes[node[1]]
            if len(node) - 2 != self._arity[node[1]]:
                raise ValueError(f"{node[1]}: wrong number of fields")
            return cls(*[self._in(item, depth) for item in node[2:]])
        if marker == "D":
            items = node[1:]
            if len(items) % 2:
                raise ValueError("odd dict")
            return {self._hashable(self._in(items[i], depth)): self._in(items[i + 1], depth)
                    for i in range(0, len(items), 2)}
        if marker == "E":
            return self._enums[node[1]](node[2])
        if marker == "d":
            return dt.date.fromisoformat(node[1])
        raise ValueError(f"unknown marker {marker!r}")

    @staticmethod
    def _hashable(key: Any) -> Any:
        hash(key)  # TypeError for a list key
        return key
