"""The memo and its disk tier: results found again only for the same inputs, fonts and
code; nothing read from disk is ever run; a poisoned, damaged or foreign cache changes
no output byte."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layout import memo as memo_module
from layout.compose import paragraph
from layout.compose.paragraph import ParagraphStyle, compose_balanced, compose_paragraph
from layout.compose.prepare import ComposeConfig
from layout.fontdb import make_fontbook
from layout.memo import DiskCache, Memo, front_end_memo
from tests.conftest import REPO, resolve

TEXT = "本报讯　日前，茂南区举行第八期基层党建“一巩二优三提升”活动，区委常委、组织部部长参加活动。"
STYLE = ParagraphStyle(9.0, "justify", ComposeConfig(first_indent=2.0))
HEADING = "茂南区第八期基层党建“一巩二优三提升”活动在三镇举行"
EXAMPLE = REPO / "examples" / "maonan" / "page.yaml"


@pytest.fixture
def home(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A private cache and key folder; ``home.new()`` is what a new process starts with."""
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PAIBAN_CONFIG_DIR", str(tmp_path / "config"))

    class Home:
        cache = tmp_path / "cache"

        @staticmethod
        def new() -> Memo:
            memo = front_end_memo()
            assert memo.disk is not None, memo.warnings
            return memo

    return Home


def _resolver(memo: Memo, extra: dict[str, Path] | None = None, family: str = "song"):  # type: ignore[no-untyped-def]
    return make_fontbook(extra, memo).resolver(family, "regular")


def _no_composing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("composed again although the composition was kept")

    monkeypatch.setattr(paragraph, "_prepare", refuse)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.entry"))


def test_a_kept_composition_is_read_back_the_same(home, monkeypatch):
    first = compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))
    heading = compose_balanced(HEADING, STYLE, 80.0, _resolver(home.new()))
    assert len(_entries(home.cache)) == 2
    _no_composing(monkeypatch)
    again = compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))
    assert again == first and again.lines[0].runs == first.lines[0].runs
    assert again.lines[0].runs[0].face.file is not None  # a real face of the book, not a copy
    assert compose_balanced(HEADING, STYLE, 80.0, _resolver(home.new())) == heading


@pytest.mark.parametrize("change", ["text", "measure", "style"])
def test_any_other_input_is_composed(home, change):
    compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))
    args = {"text": (TEXT + "又一句。", STYLE, 100.0), "measure": (TEXT, STYLE, 99.0),
            "style": (TEXT, ParagraphStyle(9.0, "justify", ComposeConfig(first_indent=0.0)), 100.0)}[change]
    compose_paragraph(*args, _resolver(home.new()))
    assert len(_entries(home.cache)) == 2


def test_a_changed_font_file_is_read_again_by_layout_and_pdf(home, tmp_path):
    copy = tmp_path / "MySong.ttf"
    shutil.copy(REPO / "fonts" / "NotoSerifSC-Regular.ttf", copy)
    memo = home.new()  # one memo, as in a preview server that keeps running
    first = _resolver(memo, {"mysong": copy}, "mysong")
    before = compose_paragraph(TEXT, STYLE, 100.0, first)
    shutil.copy(REPO / "fonts" / "LXGWWenKai-Regular.ttf", copy)  # replaced under the server
    second = _resolver(memo, {"mysong": copy}, "mysong")
    assert second.fingerprint != first.fingerprint
    after = compose_paragraph(TEXT, STYLE, 100.0, second)
    face = after.lines[0].runs[0].face
    assert face is not before.lines[0].runs[0].face
    assert face.file is not None and face.file.n_glyphs != before.lines[0].runs[0].face.file.n_glyphs
    # layout measured with the file the PDF embeds: same object, same advances
    char = ord(TEXT[3])
    assert face.advance(char) == face.file.advance(char)
    assert len(_entries(home.cache)) == 2


def test_short_texts_stay_in_memory(home):
    memo = home.new()
    assert len(HEADING) >= paragraph.MIN_DISK_CHARS > len("短标题")
    first = compose_paragraph("短标题", STYLE, 100.0, _resolver(memo))
    assert compose_paragraph("短标题", STYLE, 100.0, _resolver(memo)) is first  # kept in memory
    assert not home.cache.exists() or not _entries(home.cache)


def test_plain_resolvers_are_never_kept(home):
    compose_paragraph(TEXT, STYLE, 100.0, resolve)  # a test's plain function
    assert not home.cache.exists() or not _entries(home.cache)


def test_the_disk_tier_stays_bounded(home, monkeypatch):
    monkeypatch.setitem(memo_module.DISK_ENTRIES, "paragraph", 2)
    for n in range(4):
        compose_paragraph(f"{TEXT}{n}", STYLE, 100.0, _resolver(home.new()))
    compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))  # a later process adds one more
    assert len(_entries(home.cache / "paragraph")) == 2


def test_memory_stays_bounded():
    memo = Memo(entries=3)
    for n in range(10):
        memo.get(("k", n), lambda n=n: n)
    assert memo.get(("k", 9), lambda: -1) == 9 and memo.get(("k", 0), lambda: -1) == -1


# -- poisoning ------------------------------------------------------------------------


class _Payload:
    """Unpickling this creates a marker file: proof that a pickle from disk was run."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def _poison(entry: Path, how: str, marker: Path, other: Path) -> None:
    data = entry.read_bytes()
    if how == "pickle":
        entry.write_bytes(pickle.dumps(_Payload(marker)))
    elif how == "pickle after header":  # the right magic, then a pickle
        entry.write_bytes(data[: memo_module._HEADER.size] + pickle.dumps(_Payload(marker)))
    elif how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "random":
        entry.write_bytes(os.urandom(len(data)))
    elif how == "one bit":
        flipped = bytearray(data)
        flipped[-1] ^= 1
        entry.write_bytes(bytes(flipped))
    elif how == "swapped":  # another entry's valid bytes under this name
        entry.write_bytes(other.read_bytes())
    elif how == "forged":  # well formed, another result's payload, signed with a key not the user's
        forger = DiskCache(entry.parent.parent, b"x" * memo_module.SECRET_BYTES)
        same_kind = other.parent == entry.parent and other != entry
        payload = (other.read_bytes() if same_kind else data)[memo_module._HEADER.size:]
        if not same_kind:
            payload = payload.replace("茂".encode(), "伪".encode())
        forger.write(entry.parent.name, entry.stem, payload)
    elif how == "fifo":
        entry.unlink()
        os.mkfifo(entry)
    elif how == "symlink":
        entry.unlink()
        entry.symlink_to(other)
    elif how == "huge":
        with entry.open("wb") as handle:
            handle.truncate(memo_module.MAX_ENTRY_BYTES + 1)
    else:
        raise AssertionError(how)


POISONS = ["pickle", "pickle after header", "truncated", "random", "one bit", "swapped", "forged", "fifo",
           "symlink", "huge"]


@pytest.mark.parametrize("how", POISONS)
def test_a_poisoned_composition_is_ignored(home, tmp_path, how):
    marker = tmp_path / "ran"
    first = compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))
    compose_paragraph("另一段文字：区委常委、组织部部长参加了这次活动，并作了讲话。", STYLE, 100.0, _resolver(home.new()))
    entries = _entries(home.cache / "paragraph")
    target, other = entries[0], entries[1]
    _poison(target, how, marker, other)
    started = time.perf_counter()
    again = compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))
    second = compose_paragraph("另一段文字：区委常委、组织部部长参加了这次活动，并作了讲话。", STYLE, 100.0, _resolver(home.new()))
    assert time.perf_counter() - started < 5  # a FIFO is never opened for reading
    assert again == first and second.lines
    assert not marker.exists()


@pytest.mark.parametrize("how", ["pickle", "truncated", "random", "swapped", "forged"])
def test_a_poisoned_cache_changes_no_output_byte(tmp_path, how):
    """Every entry of a warm cache poisoned the same way: nothing runs, same PDF bytes."""
    env = {**os.environ, "PAIBAN_CACHE_DIR": str(tmp_path / "cache"), "PAIBAN_CONFIG_DIR": str(tmp_path / "key")}
    marker = tmp_path / "ran"

    def render(name: str) -> bytes:
        out = tmp_path / name
        result = subprocess.run([sys.executable, "-m", "layout", "render", str(EXAMPLE), "-o", str(out)], cwd=REPO,
                                env=env, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return out.read_bytes()

    clean = render("clean.pdf")
    entries = _entries(tmp_path / "cache")
    assert {e.parent.name for e in entries} >= {"spec", "paragraph", "balanced", "image", "profile"}
    for k, entry in enumerate(entries):
        _poison(entry, how, marker, entries[(k + 1) % len(entries)])
    assert render("poisoned.pdf") == clean
    assert not marker.exists()


# -- the folder and the key ---------------------------------------------------------------


def _shared_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A link to a folder anybody can write (a team folder, a restored CI cache)."""
    real = tmp_path / "team"
    real.mkdir()
    real.chmod(0o777)
    link = tmp_path / "shared-cache"
    link.symlink_to(real)
    return link, real


def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    folder, real = _shared_folder(tmp_path)
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(folder))
    monkeypatch.setenv("PAIBAN_CONFIG_DIR", str(tmp_path / "key"))
    memo = front_end_memo()
    assert memo.disk is None and "written by other users" in memo.warnings[0].en
    assert "其他用户也能写入" in memo.warnings[0].zh
    compose_paragraph(TEXT, STYLE, 100.0, _resolver(memo))
    assert not any(folder.iterdir()) and stat.S_IMODE(real.stat().st_mode) == 0o777


def test_our_own_lax_folder_is_tightened_and_used(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o775)  # what an older paiban made under umask 002
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(folder))
    monkeypatch.setenv("PAIBAN_CONFIG_DIR", str(tmp_path / "key"))
    memo = front_end_memo()
    assert memo.disk is not None and not memo.warnings
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize("content", [b"", b"short", b"x" * (memo_module.SECRET_BYTES + 5)])
def test_a_damaged_key_of_ours_is_made_again(home, tmp_path, content):
    home.new()
    key = tmp_path / "config" / memo_module.SECRET_NAME
    key.write_bytes(content)  # an interrupted first run, or a truncated copy
    memo = front_end_memo()
    assert memo.disk is not None and not memo.warnings
    assert len(key.read_bytes()) == memo_module.SECRET_BYTES and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_long_running_process_keeps_the_disk_tier_bounded(home, monkeypatch):
    monkeypatch.setitem(memo_module.DISK_ENTRIES, "paragraph", 5)
    monkeypatch.setattr(memo_module, "PRUNE_EVERY", 10)
    memo = home.new()  # one process (a preview server) writing all day
    for n in range(60):
        compose_paragraph(f"{TEXT}（{n}）", STYLE, 100.0, _resolver(memo))
    assert len(_entries(home.cache / "paragraph")) <= 5 + 10


def test_memory_is_bounded_in_bytes_as_well():
    memo = Memo(entries=1000, budget=10_000)
    for n in range(10):
        memo.get(("photo", n), lambda: bytes(3_000))
    assert memo.get(("photo", 9), lambda: b"") == bytes(3_000)  # the newest stay
    assert memo.get(("photo", 0), lambda: b"gone") == b"gone"  # the oldest went: at most 3 fit
    memo.get(("small", 1), lambda: 1)
    assert memo.get(("small", 1), lambda: 2) == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to hand a folder over")
def test_a_folder_of_another_user_is_not_used(tmp_path, monkeypatch):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, -1)
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(folder))
    monkeypatch.setenv("PAIBAN_CONFIG_DIR", str(tmp_path / "key"))
    memo = front_end_memo()
    assert memo.disk is None and "another user" in memo.warnings[0].en and "属于其他用户" in memo.warnings[0].zh


def test_the_folder_and_key_are_private(home, tmp_path):
    compose_paragraph(TEXT, STYLE, 100.0, _resolver(home.new()))
    assert stat.S_IMODE(home.cache.stat().st_mode) == 0o700
    key = tmp_path / "config" / memo_module.SECRET_NAME
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == memo_module.SECRET_BYTES
    for entry in _entries(home.cache):
        assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0


def test_a_key_others_can_read_is_refused(home, tmp_path):
    home.new()
    key = tmp_path / "config" / memo_module.SECRET_NAME
    key.chmod(0o644)
    memo = front_end_memo()
    assert memo.disk is None and "cache key" in memo.warnings[0].en and "缓存密钥" in memo.warnings[0].zh


def test_the_cli_warns_and_renders_without_an_unsafe_cache(tmp_path):
    folder, _ = _shared_folder(tmp_path)
    out = tmp_path / "x.pdf"
    env = {**os.environ, "PAIBAN_CACHE_DIR": str(folder), "PAIBAN_CONFIG_DIR": str(tmp_path / "key")}
    result = subprocess.run([sys.executable, "-m", "layout", "render", str(EXAMPLE), "-o", str(out)], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and "warning: cache folder" in result.stderr and out.exists()
    assert not any(folder.iterdir())


def test_faces_sent_from_workers_are_read_once_per_file_version():
    """An edition's pages come back from worker processes pickled: every page names the
    same faces, which must become one face per font file, not one per page."""
    memo = Memo()
    face = make_fontbook(memo=memo).face("song")
    pages = [pickle.loads(pickle.dumps(("page", n, face))) for n in range(5)]
    received = {id(page[2]) for page in pages}
    assert len(received) == 1 and pages[0][2].identity == face.identity
