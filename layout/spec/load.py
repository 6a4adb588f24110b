"""Read a spec file into a validated :class:`~layout.spec.data.PageSpec`, or into
``FILE:LINE: message`` errors.

Reading YAML with lines (``yamlread.py``) and validating with pydantic (``validate.py``)
happen once per version of a document: the result, plain dataclasses, is kept in the
front end's memo (and its disk tier, as data: ``layout/datacodec.py``) under a digest
of the document's bytes; the memo adds the digest of the code.  A spec that has not
changed since it was last checked (an edition at deadline, a CI run, a re-render) is
read back without importing PyYAML or pydantic at all — about 0.13 s of imports and
schema building, more than its whole layout.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from layout.datacodec import TreeCodec
from layout.memo import Memo
from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular
from layout.spec import data
from layout.spec.data import FitAdjustment, PageSpec
from layout.spec.errors import KeyPath, SpecError, SpecInvalid, line_for

if TYPE_CHECKING:
    from layout.jump import PageJumps

__all__ = ["KeyPath", "LoadedSpec", "PageRef", "SpecError", "SpecInvalid", "load_spec"]

class PageRef(NamedTuple):
    """Where an article is in an edition: what a front-page index (导读) prints."""

    number: int | str | None  # page number (版次); None: a single page without a folio number
    name: str | None  # page name (版名)
    title: str | None  # the article's title, an index entry's default text


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    """A validated spec with where it came from.

    ``articles`` is set for a page of an edition (``layout/spec/manifest.py``): every
    article id of the edition with the page it is on, for an index (导读) on this page;
    None for a spec read on its own.  ``jumps`` likewise: where its articles' text goes
    on and where its continuations' text comes from (转版).
    """

    path: Path
    spec: PageSpec
    lines: dict[KeyPath, int]
    articles: dict[str, PageRef] | None = field(default=None, compare=False)
    jumps: PageJumps | None = field(default=None, compare=False)  # 转版 in the edition (layout/jump.py)
    #: Copyfit applied (``--fit``, layout/fit.py): article id -> the adjustment of its body.
    fitted: dict[str, FitAdjustment] = field(default_factory=dict, compare=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line_of(self, path: KeyPath) -> int:
        return line_for(self.lines, path)


def load_spec(path: str | Path, memo: Memo | None = None) -> LoadedSpec:
    """Load and validate one spec file (validated once per version of its bytes in ``memo``).

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
    digest = hashlib.sha256(raw).hexdigest()
    spec, lines = (memo or Memo()).stored("spec", digest, _CODEC, lambda: _validate(raw, name))
    return LoadedSpec(path, spec, lines)


def _validate(raw: bytes, name: str) -> tuple[PageSpec, dict[KeyPath, int]]:
    from layout.spec.validate import validate  # PyYAML and pydantic: only for a new document
    from layout.spec.yamlread import read_document

    document, lines = read_document(raw, name)
    return validate(document, lines, name), lines


#: Everything a validated spec is made of (``layout/datacodec.py`` builds only these).
_CODEC = TreeCodec([cls for cls in vars(data).values() if isinstance(cls, type) and is_dataclass(cls)
                    and cls.__module__ == data.__name__])
