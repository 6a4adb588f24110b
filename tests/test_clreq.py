"""The CLREQ tables: line-start/end prohibition (A3) and adjacent punctuation (A6.1)."""

import pytest

from layout.text.clreq import Kind, adjacent_trim, break_allowed, punct_kind

K = Kind


@pytest.mark.parametrize(
    ("before", "after", "level", "allowed"),
    [
        (K.HAN, K.HAN, "basic", True),
        (K.HAN, K.PAUSE, "basic", False),  # ，never starts a line
        (K.HAN, K.STOP, "basic", False),
        (K.HAN, K.CLOSE, "basic", False),
        (K.OPEN, K.HAN, "basic", False),  # “ never ends a line
        (K.HAN, K.OPEN, "basic", True),
        (K.CLOSE, K.HAN, "basic", True),
        (K.HAN, K.MIDDLE, "basic", False),
        (K.HAN, K.CONNECTOR, "basic", False),
        (K.HAN, K.DASH, "basic", True),
        (K.HAN, K.DASH, "strict", False),  # —— may not start a line at strict level
        (K.HAN, K.ELLIPSIS, "strict", False),
        (K.SOLIDUS, K.HAN, "basic", True),
        (K.SOLIDUS, K.HAN, "gb", False),  # gb: no solidus at a line end
        (K.HAN, K.PAUSE, "none", True),
        (K.LATIN, K.SPACE, "basic", False),  # a break never falls before a word space
        (K.SPACE, K.LATIN, "basic", True),
    ],
)
def test_break_allowed(before, after, level, allowed):
    assert break_allowed(before, after, level) is allowed


@pytest.mark.parametrize(
    ("pair", "trim"),
    [
        ("）。", (0.5, 0.0)),
        ("。”", (0.5, 0.0)),
        ("，“", (0.5, 0.0)),
        ("）（", (0.5, 0.0)),
        ("（“", (0.0, 0.5)),
        ("》·", (0.5, 0.0)),
        ("中文", (0.0, 0.0)),
        ("“中", (0.0, 0.0)),
    ],
)
def test_adjacent_trim(pair, trim):
    a, b = pair
    kind = lambda c: punct_kind(c) or K.HAN  # noqa: E731
    assert adjacent_trim(kind(a), kind(b)) == trim
