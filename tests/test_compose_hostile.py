"""Hostile input stays near-linear (issue 10): long unbreakable tokens, long titles, many
missing characters, zero-width atoms.  Each case is composed at 1k and 4k characters
(10k for a few), in process with the synthetic font; it must finish in seconds, grow
about linearly, lose no character and keep the line-start prohibitions where it can."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from layout.compose.headline import set_headline
from layout.compose.paragraph import Composed, ParagraphStyle, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.fontdb import Face
from layout.problems import missing_glyph_problems
from layout.spec.styles import BLACK, TextStyle
from layout.text.clreq import NO_START
from layout.text.measure import MISSING_MARK
from tests.conftest import SyntheticAdvances, resolve, synthetic_face

SIZE = 10.0
#: A column of 20 Han characters.
WIDTH = 20 * SIZE
#: Seconds any one case may take (they take well under one; generous against a slow CI).
CASE_SECONDS = 2.0
#: time(4k) / time(1k) for linear work is about 4; quadratic work gives 16, cubic 64.
MAX_GROWTH = 6.0
#: Times below this are noise: the ratio is taken against it at least.
TIME_FLOOR = 0.02
#: Variants composed per size (the fastest counts); each differs so that no cache answers.
REPEATS = 3
VARIANTS = "甲乙丙丁"

PUA = "".join(chr(0xE000 + k) for k in range(6000))
EXT_B = "".join(chr(0x20000 + k) for k in range(10_000))


def _missing_resolver(missing: str) -> Callable[[str], Face | None]:
    face = synthetic_face(missing)
    absent = frozenset(missing)

    def resolve_missing(char: str) -> Face | None:
        return None if char in absent else face

    return resolve_missing


class _ZeroWidthSpaces(SyntheticAdvances):
    """The synthetic metrics, with the zero-width space as wide as its name says."""

    def get(self, codepoint: int, default: float = 0.0) -> float:  # type: ignore[override]
        return 0.0 if codepoint == 0x200B else super().get(codepoint, default)


ZERO_WIDTH_FACE = Face("zero-width", Path("zero-width.ttf"), _ZeroWidthSpaces())


def resolve_zero_width(char: str) -> Face | None:
    return ZERO_WIDTH_FACE


RESOLVE_PUA = _missing_resolver(PUA)
RESOLVE_EXT_B = _missing_resolver(EXT_B)

# name -> (text of about n characters, resolver, whether every line start can obey A3)
CASES: dict[str, tuple[Callable[[int], str], Callable[[str], Face | None], bool]] = {
    "latin word": (lambda n: "正文" + "a" * n + "。", resolve, True),
    "digits": (lambda n: "正文" + "1" * n + "。", resolve, True),
    "url without break points": (lambda n: "见https://" + "x" * n + "。", resolve, True),
    "url with break points": (lambda n: "见https://" + "ab/" * (n // 3) + "。", resolve, True),
    "closing marks only": (lambda n: "正" + "）" * n, resolve, False),
    "closing mark after every character": (lambda n: "正）" * (n // 2), resolve, True),
    "one combining cluster": (lambda n: "正文" + "e\u0301" * (n // 2), resolve, True),
    "zero-width spaces": (lambda n: "正文" + "\u200b" * n + "。", resolve_zero_width, True),
    "zero-width space after every character": (lambda n: "正\u200b" * (n // 2), resolve_zero_width, True),
    "distinct private-use characters": (lambda n: "正文" + PUA[:n] + "。", RESOLVE_PUA, True),
    "distinct extension B characters": (lambda n: "正文" + EXT_B[:n] + "。", RESOLVE_EXT_B, True),
}


def _counted(text: str) -> int:
    """Characters that count (what composition reports as placed): no spaces, no format marks."""
    return sum(1 for c in text if not c.isspace() and c != "\u200d" and not 0xFE00 <= ord(c) <= 0xFE0F)


def _compose(text: str, resolver: Callable[[str], Face | None]) -> Composed:
    style = ParagraphStyle(SIZE, "justify", ComposeConfig())
    return compose_paragraph(text, style, WIDTH, resolver)


def _fastest(run: Callable[[str], object], n: int) -> float:
    best = float("inf")
    for variant in VARIANTS[:REPEATS]:
        start = time.perf_counter()
        run(variant + str(n))
        best = min(best, time.perf_counter() - start)
    return best


def _line_starts(composed: Composed) -> list[str]:
    return [composed.prep.atoms[line.placed[0].index].kind for line in composed.lines if line.placed]


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_paragraph_loses_no_character_and_keeps_line_starts(name):
    make, resolver, obeys = CASES[name]
    text = make(4000)
    composed = _compose(text, resolver)
    assert composed.chars == _counted(text)
    if obeys:
        assert not [k for k in _line_starts(composed)[1:] if k in NO_START["basic"]]
    if resolver in (RESOLVE_PUA, RESOLVE_EXT_B):
        reported = set(composed.missing)
        assert reported == {c for c in text if resolver(c) is None}
        drawn = "".join(composed.prep.atoms[p.index].text for line in composed.lines for p in line.placed)
        assert drawn.count(MISSING_MARK) >= len(reported)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_paragraph_time_grows_about_linearly(name):
    make, resolver, _ = CASES[name]

    def run(tag: str) -> None:
        n = int(tag[1:])
        _compose(tag[0] + make(n), resolver)

    small, large = _fastest(run, 1000), _fastest(run, 4000)
    assert large < CASE_SECONDS
    assert large / max(small, TIME_FLOOR) < MAX_GROWTH


def test_ten_thousand_distinct_missing_characters_in_seconds():
    text = "正文" + EXT_B + "。"
    start = time.perf_counter()
    composed = _compose(text, RESOLVE_EXT_B)
    assert time.perf_counter() - start < CASE_SECONDS
    assert len(set(composed.missing)) == len(EXT_B)
    assert composed.chars == _counted(text)


# ---- headlines: the min_size shrink ladder and the phrase partition ----

TITLES: dict[str, Callable[[int], str]] = {
    "han title": lambda n: ("标题很长" * n)[:n],
    "title of phrases": lambda n: ("茂南区“一巩二优”活动　" * n)[:n],
    "latin title": lambda n: "a" * n,
}


def _title(text: str, min_size: float | None) -> tuple[int, int]:
    """(characters accounted for, lines) of a title set in a 40-character frame, max 2
    lines: those on the allowed lines plus those reported over (composed or only counted)."""
    style = TextStyle("song", "regular", 4 * SIZE, 4.8 * SIZE, BLACK, "center", 2, min_size=min_size)
    block = set_headline({"title": text}, {"title": style}, 40 * SIZE, 13.5, lambda s: resolve, ComposeConfig())
    element = block.elements[0]
    if not block.too_long:
        return element.chars, element.line_count
    lines = [line for part in element.parts for line in part.lines]
    kept = sum(line.chars for line in lines[: element.style.max_lines])
    return kept + block.too_long[0].chars_over, element.line_count


@pytest.mark.parametrize("name", list(TITLES))
@pytest.mark.parametrize("min_size", [None, 0.2 * SIZE])
def test_long_title_is_set_whole_in_about_linear_time(name, min_size):
    make = TITLES[name]

    def run(tag: str) -> None:
        _title(tag[0] + make(int(tag[1:])), min_size)

    small, large = _fastest(run, 1000), _fastest(run, 4000)
    assert large < CASE_SECONDS
    assert large / max(small, TIME_FLOOR) < MAX_GROWTH
    text = make(3000)
    chars, _ = _title(text, min_size)
    assert chars == _counted(text)


@pytest.mark.parametrize("chars", [70, 150, 400])
def test_shrinking_title_takes_the_largest_size_that_fits(chars):
    """Skipping and bisecting the ladder still finds what stepping 1 pt at a time finds."""
    text = ("标题很长" * chars)[:chars]
    style = TextStyle("song", "regular", 40.0, 48.0, BLACK, "center", 2, min_size=5.0)
    block = set_headline({"title": text}, {"title": style}, 40 * SIZE, 13.5, lambda s: resolve, ComposeConfig())
    got = block.elements[0].style.size
    # stepping by hand: the largest whole size at which the title takes at most 2 lines,
    # or the min_size when none does
    stepped = next((size for size in range(40, 4, -1) if _title_lines_at(text, float(size)) <= 2), 5)
    assert got == stepped < 40


def _title_lines_at(text: str, size: float) -> int:
    style = TextStyle("song", "regular", size, 1.2 * size, BLACK, "center", 2)
    block = set_headline({"title": text}, {"title": style}, 40 * SIZE, 13.5, lambda s: resolve, ComposeConfig())
    return block.elements[0].line_count


@pytest.mark.parametrize("repeat", [1, 3])
def test_missing_glyph_report_is_linear_and_counts_each_character(repeat):
    chars = list(EXT_B) * repeat
    start = time.perf_counter()
    problems = missing_glyph_problems("a", chars, "article a")
    assert time.perf_counter() - start < CASE_SECONDS
    assert [p.details["char"] for p in problems] == list(EXT_B)  # once each, in order of appearance
    assert {p.details["count"] for p in problems} == {repeat}
