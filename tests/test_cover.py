"""Cropping a photo to its slot (fit: cover) never fails on rounding, for any shapes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from layout.render.images import _cover


@settings(max_examples=300, deadline=None)
@given(width=st.integers(1, 400), height=st.integers(1, 400), tw=st.integers(1, 500), th=st.integers(1, 500),
       fx=st.floats(0, 1), fy=st.floats(0, 1))
def test_cover_fills_the_target_whatever_the_rounding(width, height, tw, th, fx, fy):
    image = PILImage.new("RGB", (width, height), (10, 20, 30))
    out = _cover(image, (tw, th), (fx, fy))
    assert out.size == (tw, th) and out.getpixel((0, 0)) == (10, 20, 30)


def test_an_image_smaller_than_its_slot_is_scaled_up():
    """A photo decoded smaller than its slot (1400 px square on a five-column A4 frame in
    the hostile sweep): the crop came out a hair past the image and Pillow refused it,
    so render and preview ended in an internal error."""
    image = PILImage.new("RGB", (197, 199), (200, 100, 50))
    out = _cover(image, (235, 222), (0.5, 0.5))
    assert out.size == (235, 222)


@settings(max_examples=100, deadline=None)
@given(width=st.integers(2, 60), height=st.integers(2, 60), cut=st.integers(0, 59), across=st.booleans(),
       fx=st.floats(0, 1), fy=st.floats(0, 1))
def test_at_the_images_own_resolution_the_crop_is_exact_pixels(width, height, cut, across, fx, fy):
    """One side of the target equal to the image's and the other no larger: the placed
    pixels are the source's own (no resampling blur), around the focus point."""
    image = PILImage.frombytes("L", (width, height), bytes((i * 37 + i // width * 11) % 256 for i in range(width * height)))
    target = (width, max(1, height - cut % height)) if across else (max(1, width - cut % width), height)
    out = _cover(image, target, (fx, fy))
    assert out.size == target
    matches = [image.crop((x, y, x + target[0], y + target[1])).tobytes()
               for x in range(width - target[0] + 1) for y in range(height - target[1] + 1)]
    assert out.tobytes() in matches
