"""Kept only for the import of :func:`data_dir` by older modules; see ``layout/paths.py``
and, for everything kept to save time, ``layout/memo.py``."""

from layout.paths import data_dir

__all__ = ["data_dir"]
