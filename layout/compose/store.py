"""Composed paragraphs kept on disk between processes (the composition cache).

A whole-process render recomposes every paragraph of a page, yet after an edit nearly
all of them are as they were.  Each composition is kept in the cache under a digest of
everything it depends on: the text, the paragraph style, the measure, the font files
behind the resolver (paths, sizes, times) and the code that composes.  Reading one back
costs about a third of composing it.  Anything unreadable is composed again; a resolver
without a fingerprint (a test's plain function) is never stored.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from layout.cache import code_digest, prune_cached, read_pickled, write_pickled

#: Bump when what is stored changes shape.
STORE_VERSION = 1
#: The code a stored composition stands for.
_COMPOSING_MODULES = ("compose/prepare.py", "compose/linebreak.py", "compose/totalfit.py", "compose/justify.py",
                      "compose/paragraph.py", "text/segment.py", "text/measure.py", "text/clreq.py", "fontdb.py",
                      "units.py", "pickling.py")
#: Compositions kept; beyond this the oldest go (about 10 kB each).
STORE_ENTRIES = 5000
FOLDER = "composed"


@cache
def _code_digest() -> bytes | None:
    digest = code_digest(_COMPOSING_MODULES)  # None: cannot tell which code composed, keep nothing
    return None if digest is None else str(STORE_VERSION).encode() + digest


def entry_name(kind: str, resolver: Any, *parts: object) -> str | None:
    """The entry of one composition, or None when it must not be stored."""
    fingerprint = getattr(resolver, "fingerprint", None)
    code = _code_digest()
    if fingerprint is None or code is None:
        return None
    key = repr((kind, fingerprint, parts)).encode("utf-8", "surrogatepass")
    return f"{FOLDER}/{hashlib.sha1(code + key).hexdigest()}.pickle"


def load(name: str | None) -> Any:
    return None if name is None else read_pickled(name)


_written = False


def save(name: str | None, value: object) -> None:
    global _written
    if name is None:
        return
    write_pickled(name, value)
    if not _written:  # keep the store bounded, looking once per process that adds to it
        _written = True
        prune_cached(FOLDER, STORE_ENTRIES)
