"""Spec errors: ``FILE:LINE: message``, and key paths of a spec document."""

from __future__ import annotations

from dataclasses import dataclass

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
    """Raised by :func:`layout.spec.load.load_spec` with every error found in the file."""

    def __init__(self, errors: list[SpecError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def dotted(path: KeyPath) -> str:
    """A key path as it reads in a message: ``blocks[0].frame.span``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def line_for(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of ``path``, or of its nearest ancestor written in the document."""
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)
