"""``paiban check --explain [KIND]``: what a problem kind means, in English or Chinese,
from ``ProblemKind.describe``; an unknown kind is unusable input (exit 2) with a did-you-mean."""

from __future__ import annotations

import pytest

from layout.check import UnknownKind, explain_all, explain_kind, find_kind
from layout.problems import ProblemKind
from tests.test_cli import paiban


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", list(ProblemKind), ids=[k.value for k in ProblemKind])
def test_every_kind_is_explained_by_its_own_description(kind: ProblemKind, lang: str) -> None:
    line = explain_kind(kind, lang)
    assert line.startswith(kind.value)
    assert line.endswith(kind.describe(lang))
    assert kind.severity.label(lang) in line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_list_has_one_line_per_kind_in_order(lang: str) -> None:
    lines = explain_all(lang).splitlines()
    assert [line.split()[0] for line in lines] == [k.value for k in ProblemKind]
    for line, kind in zip(lines, ProblemKind, strict=True):
        assert line.endswith(kind.describe(lang))
    # the descriptions start in one column (Chinese severities are two columns a character)
    starts = {line.index(kind.describe(lang)) + sum(1 for c in line[:line.index(kind.describe(lang))] if ord(c) > 0x2E80)
              for line, kind in zip(lines, ProblemKind, strict=True)}
    assert len(starts) == 1


@pytest.mark.parametrize(("name", "kind"), [
    ("overflow", ProblemKind.OVERFLOW),
    ("MISSING_GLYPH", ProblemKind.MISSING_GLYPH),
    ("missing-glyph", ProblemKind.MISSING_GLYPH),
    (" frames_overlap ", ProblemKind.FRAMES_OVERLAP),
])
def test_kind_names_forgive_case_and_hyphens(name: str, kind: ProblemKind) -> None:
    assert find_kind(name) is kind


@pytest.mark.parametrize(("name", "guess"), [
    ("overflw", "overflow"),
    ("missing_glyf", "missing_glyph"),
    ("frame_overlap", "frames_overlap"),
    ("low_resolution", "low_resolution_image"),
    ("xyzzy", None),
])
def test_an_unknown_kind_suggests_the_closest(name: str, guess: str | None) -> None:
    with pytest.raises(UnknownKind) as caught:
        find_kind(name)
    message, zh = str(caught.value), caught.value.zh
    assert repr(name) in message and repr(name) in zh
    if guess is None:
        assert "did you mean" not in message and "是否想写" not in zh
    else:
        assert f"did you mean `{guess}`?" in message and f"是否想写 `{guess}`？" in zh


def test_cli_explains_one_kind_on_stdout():
    result = paiban("check", "--explain", "overflow")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"overflow (error): {ProblemKind.OVERFLOW.describe('en')}"
    assert result.stderr == ""


def test_cli_explains_in_chinese():
    result = paiban("check", "--explain", "empty_photo_slot", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"empty_photo_slot（警告）：{ProblemKind.EMPTY_PHOTO_SLOT.describe('zh')}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cli_lists_every_kind_without_a_name(lang: str) -> None:
    result = paiban("check", "--explain", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout == explain_all(lang) + "\n"
    assert len(result.stdout.splitlines()) == len(ProblemKind)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "paiban: unknown problem kind 'overflw'; did you mean `overflow`?"),
    ("zh", "paiban：未知的问题类型 'overflw'；是否想写 `overflow`？"),
])
def test_cli_unknown_kind_exits_2_with_did_you_mean(lang: str, expected: str) -> None:
    result = paiban("check", "--explain", "overflw", "--lang", lang)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(expected), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_cli_check_without_specs_or_explain_is_unusable():
    result = paiban("check")
    assert result.returncode == 2
    assert result.stderr.strip() == "paiban: check needs at least one spec (or --explain [KIND])"
