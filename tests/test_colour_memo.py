"""The colour engine keeps nothing of its own: LittleCMS profiles, transforms and the
RGB tables live in the front end's memo, keyed by the output profile's file identity,
the embedded profile's digest, the ink limit and the modes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from layout.memo import Memo
from layout.page import lay_out_page
from layout.press import DEFAULT_PROFILE, PressOverrides
from layout.render import colour
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from tests.conftest import REPO

PHOTOS = REPO / "examples" / "photos" / "page.yaml"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every LittleCMS transform built (pixel transforms and profile-link checks alike),
    as (input mode, flags) pairs."""
    built: list[tuple[str, str]] = []
    real = ImageCms.buildTransform

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append((args[2], str(kwargs.get("flags"))))
        return real(*args, **kwargs)

    monkeypatch.setattr(ImageCms, "buildTransform", counting)
    return built


def render(memo: Memo, profile: Path | None = None) -> bytes:
    overrides = PressOverrides(profile=profile) if profile is not None else None
    layout = lay_out_page(load_spec(PHOTOS, memo), probe=lambda press: make_probe(press, memo),
                          overrides=overrides, memo=memo)
    return render_pdf([layout], memo=memo)


def changed_copy(tmp_path: Path, name: str = "press.icc") -> Path:
    """The default profile, copied and changed: two bytes of padding after its declared
    end (still a valid profile, a different file)."""
    copy = tmp_path / name
    shutil.copyfile(DEFAULT_PROFILE, copy)
    with copy.open("ab") as handle:
        handle.write(b"\0\0")
    return copy


def test_a_second_render_with_the_same_memo_builds_no_transform(builds):
    memo = Memo()
    first = render(memo)
    assert builds, "the photo page separates RGB photos, so LittleCMS must have been asked"
    builds.clear()
    second = render(memo)
    assert builds == []
    assert second == first


def test_a_new_memo_builds_again_because_nothing_is_kept_in_the_module(builds):
    render(Memo())
    count = len(builds)
    builds.clear()
    render(Memo())
    assert len(builds) == count > 0


def test_another_output_profile_file_gives_a_new_transform(builds, tmp_path):
    memo = Memo()
    render(memo)
    builds.clear()
    render(memo, changed_copy(tmp_path))
    assert builds, "a different profile file must not meet the old transforms"


def test_a_profile_changed_in_place_gives_a_new_transform(tmp_path, builds):
    profile = changed_copy(tmp_path)
    memo, rgb = Memo(), Image.new("RGB", (8, 8), (200, 30, 40))
    first = colour.to_press(rgb, profile, 280.0, memo)
    assert len(builds) == 1
    colour.to_press(rgb, profile, 280.0, memo)
    assert len(builds) == 1  # same file, same limit: the table is kept
    with profile.open("ab") as handle:  # the same path, new content (size and time change)
        handle.write(b"\0\0")
    again = colour.to_press(rgb, profile, 280.0, memo)
    assert len(builds) == 2
    assert again.tobytes() == first.tobytes()  # padding only: the same separation


@pytest.mark.parametrize("change", ["ink limit", "embedded profile", "mode"])
def test_each_part_of_the_key_gives_its_own_transform_or_table(builds, change):
    memo, output = Memo(), DEFAULT_PROFILE.resolve()
    rgb = Image.new("RGB", (4, 4), (10, 20, 30))
    colour.to_press(rgb, output, 280.0, memo)
    before = len(builds)
    if change == "ink limit":
        colour.to_press(rgb, output, 240.0, memo)
        assert len(builds) == before  # a new table from the same transform
        assert sum(1 for key in memo._values if key[0] == "rgb table") == 2
        return
    if change == "embedded profile":
        tagged = rgb.copy()
        tagged.info["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        colour.to_press(tagged, output, 280.0, memo)
    else:
        cmyk = Image.new("CMYK", (4, 4), (10, 20, 30, 40))
        cmyk.info["icc_profile"] = _other_cmyk_profile()  # converted CMYK -> CMYK, not placed as it is
        colour.to_press(cmyk, output, 280.0, memo)
    assert len(builds) == before + 1


def _other_cmyk_profile() -> bytes:
    """A CMYK profile other than the output one: the output profile with padding."""
    return DEFAULT_PROFILE.read_bytes() + b"\0\0"


def test_the_link_check_is_kept_by_the_memo(builds):
    memo, output = Memo(), DEFAULT_PROFILE.resolve()
    colour.check_output_profile(output, memo)
    colour.check_output_profile(output, memo)
    assert len(builds) == 1
    colour.check_output_profile(output, Memo())
    assert len(builds) == 2
