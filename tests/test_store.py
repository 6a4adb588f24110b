"""The composition cache on disk: found again only for the same text, style, measure,
fonts and code; anything unreadable is composed again; results are the same either way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from layout.compose import paragraph, store
from layout.compose.paragraph import ParagraphStyle, compose_balanced, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.context import FontResolver
from layout.fontdb import make_fontbook
from tests.conftest import REPO, resolve

TEXT = "本报讯　日前，茂南区举行第八期基层党建“一巩二优三提升”活动，区委常委、组织部部长参加活动。"
STYLE = ParagraphStyle(9.0, "justify", ComposeConfig(first_indent=2.0))


@pytest.fixture
def cache(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    paragraph._compose_cached.cache_clear()
    compose_balanced.cache_clear()
    yield tmp_path / "cache" / store.FOLDER
    paragraph._compose_cached.cache_clear()
    compose_balanced.cache_clear()


def _forget() -> None:
    """What a new process sees: nothing composed in memory."""
    paragraph._compose_cached.cache_clear()
    compose_balanced.cache_clear()


def _no_composing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("composed again although the composition was stored")

    monkeypatch.setattr(paragraph, "_prepare", refuse)


def test_a_stored_composition_is_read_back_the_same(cache, monkeypatch):
    resolver = FontResolver(make_fontbook(), "song", "regular")
    first = compose_paragraph(TEXT, STYLE, 100.0, resolver)
    heading = compose_balanced("茂南区第八期基层党建活动举行", STYLE, 80.0, resolver)
    assert len(list(cache.glob("*.pickle"))) == 2
    _forget()
    _no_composing(monkeypatch)
    again = compose_paragraph(TEXT, STYLE, 100.0, resolver)
    assert again == first and again.lines[0].runs == first.lines[0].runs
    assert compose_balanced("茂南区第八期基层党建活动举行", STYLE, 80.0, resolver) == heading


@pytest.mark.parametrize("change", ["text", "measure", "style"])
def test_any_other_input_is_composed(cache, change):
    resolver = FontResolver(make_fontbook(), "song", "regular")
    compose_paragraph(TEXT, STYLE, 100.0, resolver)
    _forget()
    args = {"text": (TEXT + "又一句。", STYLE, 100.0), "measure": (TEXT, STYLE, 99.0),
            "style": (TEXT, ParagraphStyle(9.0, "justify", ComposeConfig(first_indent=0.0)), 100.0)}[change]
    compose_paragraph(*args, resolver)
    assert len(list(cache.glob("*.pickle"))) == 2


def test_a_changed_font_file_is_composed_again(cache, tmp_path):
    copy = tmp_path / "MySong.ttf"
    shutil.copy(REPO / "fonts" / "NotoSerifSC-Regular.ttf", copy)
    first = FontResolver(make_fontbook({"mysong": copy}), "mysong", "regular")
    compose_paragraph(TEXT, STYLE, 100.0, first)
    _forget()
    os.utime(copy, ns=(1_000_000_000, 1_000_000_000))  # the file was replaced
    second = FontResolver(make_fontbook({"mysong": copy}), "mysong", "regular")
    assert second.fingerprint != first.fingerprint
    compose_paragraph(TEXT, STYLE, 100.0, second)
    assert len(list(cache.glob("*.pickle"))) == 2


def test_damaged_entries_and_plain_resolvers(cache):
    resolver = FontResolver(make_fontbook(), "song", "regular")
    first = compose_paragraph(TEXT, STYLE, 100.0, resolver)
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    _forget()
    assert compose_paragraph(TEXT, STYLE, 100.0, resolver) == first  # composed again
    shutil.rmtree(cache)
    _forget()
    compose_paragraph(TEXT, STYLE, 100.0, resolve)  # a test's plain function: never stored
    assert not cache.exists()


def test_the_store_stays_bounded(cache, monkeypatch):
    monkeypatch.setattr(store, "STORE_ENTRIES", 2)
    monkeypatch.setattr(store, "_written", False)
    resolver = FontResolver(make_fontbook(), "song", "regular")
    for n in range(4):
        compose_paragraph(f"{TEXT}{n}", STYLE, 100.0, resolver)
    monkeypatch.setattr(store, "_written", False)  # a later process adds one more
    compose_paragraph(TEXT, STYLE, 100.0, resolver)
    assert len(list(Path(cache).glob("*.pickle"))) == 2
