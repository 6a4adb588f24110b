"""Which kind of spec a file is — a page spec (``version: 1``) or an edition manifest
(``edition: 1``) — told from its text alone.

The CLI asks before every command on a spec, so this imports neither PyYAML nor
pydantic: a page spec validated before is read back from the memo without them.
"""

from __future__ import annotations

import re
from pathlib import Path

from layout.safeio import SPEC_MAX_BYTES, UnreadableFile, read_regular

#: The manifest's version key: its presence at the top level tells a manifest from a page spec.
EDITION_KEY = "edition"
#: A top-level ``edition:`` key, at the start of a line (block style, not indented) or
#: just inside a flow mapping's brace; a byte-order mark may come first.
_EDITION_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?(?:\{[ \t]*)?[\"']?edition[\"']?[ \t]*:", re.MULTILINE)


def is_manifest(path: Path) -> bool:
    """Whether the file at ``path`` is an edition manifest (has a top-level ``edition:``
    key); False for anything unreadable (loading it as a page spec says why)."""
    try:
        raw = read_regular(path, SPEC_MAX_BYTES)
    except UnreadableFile:
        return False
    return _EDITION_LINE.search(raw) is not None
