"""Where paiban's shipped data lives."""

from __future__ import annotations

import sys
from pathlib import Path


def data_dir(name: str) -> Path:
    """A folder of shipped data (``fonts``, ``profiles``, ``specs``): beside the package
    in a checkout or an editable install, under ``<prefix>/share/paiban`` in a wheel install."""
    beside = Path(__file__).resolve().parent.parent / name
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "paiban" / name
