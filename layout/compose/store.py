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
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from layout.cache import prune_cached, read_cached, write_cached

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
    digest = hashlib.sha1(str(STORE_VERSION).encode())
    package = Path(__file__).resolve().parent.parent
    try:
        for relative in _COMPOSING_MODULES:
            digest.update((package / relative).read_bytes())
    except OSError:
        return None  # cannot tell which code composed: keep nothing
    return digest.digest()


def entry_name(kind: str, resolver: Any, *parts: object) -> str | None:
    """The entry of one composition, or None when it must not be stored."""
    fingerprint = getattr(resolver, "fingerprint", None)
    code = _code_digest()
    if fingerprint is None or code is None:
        return None
    key = repr((kind, fingerprint, parts)).encode("utf-8", "surrogatepass")
    return f"{FOLDER}/{hashlib.sha1(code + key).hexdigest()}.pickle"


def load(name: str | None) -> Any:
    if name is None:
        return None
    data = read_cached(name)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry only costs a composition
        return None


_written = False


def save(name: str | None, value: object) -> None:
    global _written
    if name is None:
        return
    write_cached(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    if not _written:  # keep the store bounded, looking once per process that adds to it
        _written = True
        prune_cached(FOLDER, STORE_ENTRIES)
