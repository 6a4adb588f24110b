"""The on-disk cache: validated specs, composed paragraphs, parsed font metrics, prepared
images, the compressed output profile.  Everything in it only saves time: a missing,
unreadable or unwritable cache changes no output byte."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any


def data_dir(name: str) -> Path:
    """A folder of shipped data (``fonts``, ``profiles``): beside the package in a checkout
    or an editable install, under ``<prefix>/share/paiban`` in a wheel install."""
    beside = Path(__file__).resolve().parent.parent / name
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "paiban" / name


def cache_dir() -> Path:
    """$PAIBAN_CACHE_DIR, else the user cache folder (~/.cache/paiban)."""
    explicit = os.environ.get("PAIBAN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "paiban"


def read_cached(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write_cached(name: str, data: bytes) -> None:
    """Write atomically (a torn file would be read back next run) or not at all."""
    target = cache_dir() / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def prune_cached(folder: str, keep: int) -> None:
    """Keep the ``keep`` newest files of a cache folder, removing the oldest."""
    try:
        entries = [entry for entry in (cache_dir() / folder).iterdir() if not entry.name.startswith(".tmp-")]
        if len(entries) > keep:
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for entry in entries[: len(entries) - keep]:
                entry.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned first, or the cache is not writable: only space is at stake


def code_digest(modules: tuple[str, ...], *extra_files: Path) -> bytes | None:
    """A digest of the package's ``modules`` (paths below ``layout/``) and of other files
    a cached result depends on; None when one cannot be read (a bytecode-only install):
    then nothing may be cached, for nobody can tell which code made an entry."""
    digest = hashlib.sha1()
    package = Path(__file__).resolve().parent
    try:
        for path in (*(package / m for m in modules), *extra_files):
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.digest()


def read_pickled(name: str) -> Any:
    """A value kept by :func:`write_pickled`, or None when missing or unreadable."""
    data = read_cached(name)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry only costs recomputing it
        return None


def write_pickled(name: str, value: object) -> None:
    write_cached(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
