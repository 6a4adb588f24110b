"""Read a spec file into a validated :class:`~layout.spec.data.PageSpec`, or into
``FILE:LINE: message`` errors.

Reading YAML with lines (``yamlread.py``) and validating with pydantic (``validate.py``)
happen once per version of a document: the result, plain dataclasses, is kept in the
cache under a digest of the document's bytes and of the code that validates it.  A spec
that has not changed since it was last checked (an edition at deadline, a CI run, a
re-render) is read back without importing PyYAML or pydantic at all — about 0.13 s of
imports and schema building, more than its whole layout.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from layout.cache import code_digest, prune_cached, read_pickled, write_pickled
from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular
from layout.spec.data import PageSpec
from layout.spec.errors import KeyPath, SpecError, SpecInvalid, line_for

__all__ = ["KeyPath", "LoadedSpec", "SpecError", "SpecInvalid", "load_spec"]

#: Bump when what is cached changes shape.
VALIDATED_CACHE_VERSION = 1
#: Validated specs kept in the cache; beyond this the oldest go (each edit of a spec
#: adds one, ~20 kB).
SPEC_CACHE_ENTRIES = 1000
SPEC_FOLDER = "specs"
#: The code whose behaviour a cached validation stands for (beside pydantic's version).
_VALIDATING_MODULES = ("spec/data.py", "spec/models.py", "spec/validate.py", "spec/yamlread.py", "spec/errors.py",
                       "units.py")


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
        return line_for(self.lines, path)


def load_spec(path: str | Path) -> LoadedSpec:
    """Load and validate one spec file.

    Raises:
        SpecInvalid: with ``FILE:LINE: message`` errors; never another exception
            for bad content.
    """
    path = Path(path)
    name = str(path)
    try:  # a regular file of bounded size: never a FIFO, a device or a runaway file
        raw = read_regular(path, SPEC_MAX_BYTES)
    except UnreadableFile as exc:
        raise SpecInvalid([SpecError(name, 0, f"cannot read the spec: {exc.reason}",
                                     f"无法读取版面描述文件：{exc.reason}")]) from None
    key = _cache_name(raw)
    found = _read_validated(key) if key else None
    if found is not None:
        return LoadedSpec(path, *found)
    from layout.spec.validate import validate  # PyYAML and pydantic: only for a new document
    from layout.spec.yamlread import read_document

    document, lines = read_document(raw, name)
    spec = validate(document, lines, name)
    if key:
        _write_validated(key, spec, lines)
    return LoadedSpec(path, spec, lines)


@cache
def _code_digest() -> bytes | None:
    """What the validation depends on: our validating modules and pydantic's version
    (None when they cannot be read: then nothing is cached)."""
    found = importlib.util.find_spec("pydantic")  # locates the package without importing it
    if found is None or not found.origin:
        return None
    digest = code_digest(_VALIDATING_MODULES, Path(found.origin).with_name("version.py"))
    return None if digest is None else str(VALIDATED_CACHE_VERSION).encode() + digest


def _cache_name(raw: bytes) -> str | None:
    code = _code_digest()
    return f"{SPEC_FOLDER}/{hashlib.sha1(code + raw).hexdigest()}.pickle" if code else None


def _read_validated(name: str) -> tuple[PageSpec, dict[KeyPath, int]] | None:
    found = read_pickled(name)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], PageSpec) \
            and isinstance(found[1], dict):
        return found
    return None


def _write_validated(name: str, spec: PageSpec, lines: dict[KeyPath, int]) -> None:
    write_pickled(name, (spec, lines))
    prune_cached(SPEC_FOLDER, SPEC_CACHE_ENTRIES)
