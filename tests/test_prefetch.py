"""Photos separated in a background thread while the articles are composed: the same
press images, the same PDF bytes, and a photo that fails there is met again by the PDF
writer (issue 10: a fast first run)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from layout.display import Image
from layout.memo import Memo
from layout.page import lay_out_page
from layout.render import images
from layout.render.images import Prefetcher, make_probe, prepare_image
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO

EXAMPLES = [REPO / "examples" / "maonan" / "page.yaml", REPO / "examples" / "photos" / "page.yaml"]


def _probe(memo: Memo):  # type: ignore[no-untyped-def]
    return lambda press: make_probe(press, memo)


@pytest.mark.parametrize("spec", EXAMPLES, ids=["maonan", "photos"])
def test_prefetched_photos_give_the_same_pdf_bytes(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = images._prepare

    def watched(item, press, memo):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(item, press, memo)

    monkeypatch.setattr(images, "_prepare", watched)
    plain_memo = Memo()
    plain = render_pdf([lay_out_page(load_spec(spec), probe=_probe(plain_memo), memo=plain_memo)], memo=plain_memo)
    assert threads and all(name == threading.current_thread().name for name in threads)

    threads.clear()
    memo = Memo()
    prefetcher = Prefetcher(memo)
    layout = lay_out_page(load_spec(spec), probe=_probe(memo), memo=memo, prefetch=prefetcher.factory)
    prefetcher.close()
    slots = [item for item in layout.display if isinstance(item, Image)]
    assert len(threads) == len(slots) and all(name.startswith("paiban-photo") for name in threads)
    separated = len(threads)
    assert render_pdf([layout], memo=memo) == plain
    assert len(threads) == separated  # the PDF writer found every photo in the memo


def test_a_photo_failing_in_the_background_is_met_again_by_the_pdf_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = images._prepare

    def flaky(item, press, memo):  # type: ignore[no-untyped-def]
        calls.append(threading.current_thread().name)
        if threading.current_thread().name.startswith("paiban-photo"):
            raise OSError("the file changed under the thread")
        return real(item, press, memo)

    monkeypatch.setattr(images, "_prepare", flaky)
    memo = Memo()
    prefetcher = Prefetcher(memo)
    layout = lay_out_page(load_spec(EXAMPLES[0]), probe=_probe(memo), memo=memo, prefetch=prefetcher.factory)
    prefetcher.close()  # waits, and keeps the failure to itself
    (slot,) = [item for item in layout.display if isinstance(item, Image)]
    assert prepare_image(slot, layout.press, memo).mode == "CMYK"  # computed again, in this thread
    assert calls[0].startswith("paiban-photo") and calls[-1] == threading.current_thread().name


def test_the_cli_separates_photos_beside_the_composing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``paiban render`` hands the slots over as layout finds them: the photo is separated
    in the background thread, and the PDF is byte-identical to one made without it."""
    from layout import cli

    names: list[str] = []
    real = images._prepare

    def watched(item, press, memo):  # type: ignore[no-untyped-def]
        names.append(threading.current_thread().name)
        return real(item, press, memo)

    monkeypatch.setattr(images, "_prepare", watched)
    monkeypatch.setenv("PAIBAN_CACHE_DIR", "off")
    out = tmp_path / "page.pdf"
    assert cli.main(["render", str(EXAMPLES[0]), "-o", str(out)]) in (0, None)
    assert names and all(name.startswith("paiban-photo") for name in names)
    memo = Memo()
    plain = render_pdf([lay_out_page(load_spec(EXAMPLES[0]), probe=_probe(memo), memo=memo)], memo=memo)
    assert out.read_bytes() == plain
