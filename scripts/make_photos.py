"""Make the photograph-like test images of the examples (released under CC0 1.0).

    python scripts/make_photos.py

No photograph of the seed page's event is freely licensed, so the examples use images
drawn here: a street scene for examples/maonan, and for examples/photos a landscape, a
portrait-shaped scene, a square detail, a grey image and a pre-separated CMYK image.
They are deterministic (fixed random seed) and carry an sRGB profile (the CMYK one none).
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parent.parent
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def sky(draw: ImageDraw.ImageDraw, size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int],
        horizon: int) -> None:
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        draw.line([(0, y), (size[0], y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))


def street(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Low-rise blocks, windows, trees and people on a street (a community visit)."""
    w, h = size
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    horizon = int(h * 0.45)
    sky(d, size, (120, 160, 215), (215, 225, 235), horizon)
    x = 0
    while x < w:
        bw, bh = rng.randint(w // 8, w // 4), rng.randint(h // 5, h // 2)
        colour = tuple(rng.randint(150, 220) for _ in range(3))
        d.rectangle([x, horizon - bh, x + bw, int(h * 0.72)], fill=colour)
        for wy in range(horizon - bh + 20, int(h * 0.7) - 30, 45):
            for wx in range(x + 15, x + bw - 25, 40):
                shade = rng.randint(40, 110)
                d.rectangle([wx, wy, wx + 22, wy + 28], fill=(shade, shade + 10, shade + 25))
        x += bw + rng.randint(0, 10)
    d.rectangle([0, int(h * 0.72), w, h], fill=(105, 105, 100))
    for _ in range(9):  # trees
        tx, ty, r = rng.randint(0, w), int(h * rng.uniform(0.55, 0.7)), rng.randint(w // 30, w // 14)
        d.rectangle([tx - r // 8, ty, tx + r // 8, ty + 3 * r], fill=(80, 60, 40))
        d.ellipse([tx - r, ty - r, tx + r, ty + r], fill=(rng.randint(40, 70), rng.randint(110, 150), 50))
    for _ in range(14):  # people
        px, py = rng.randint(0, w), int(h * rng.uniform(0.74, 0.9))
        s = int(h * 0.06 * (py / h))
        coat = (rng.randint(20, 200), rng.randint(20, 120), rng.randint(20, 200))
        d.rectangle([px - s // 3, py - 2 * s, px + s // 3, py], fill=coat)
        d.ellipse([px - s // 4, py - 2 * s - s // 2, px + s // 4, py - 2 * s], fill=(225, 190, 160))
    return finish(im, rng)


def landscape(size: tuple[int, int], rng: random.Random) -> Image.Image:
    w, h = size
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    horizon = int(h * 0.5)
    sky(d, size, (70, 120, 200), (250, 200, 150), horizon)
    d.ellipse([int(w * 0.7), int(h * 0.15), int(w * 0.8), int(h * 0.15) + int(w * 0.1)], fill=(255, 235, 180))
    for layer, colour in enumerate([(90, 110, 130), (60, 100, 70), (40, 80, 45)]):
        base = horizon + layer * h // 10
        points = [(0, h)]
        for x in range(0, w + 40, 40):
            points.append((x, base - rng.randint(0, h // 6)))
        points.append((w, h))
        d.polygon(points, fill=colour)
    d.rectangle([0, int(h * 0.82), w, h], fill=(70, 120, 170))  # a river
    return finish(im, rng)


def finish(im: Image.Image, rng: random.Random) -> Image.Image:
    """Soften and add grain so the image behaves like a photograph under JPEG and ICC."""
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(im.size, 18).convert("RGB")
    return Image.blend(im, noise, 0.06)


def save_jpeg(im: Image.Image, path: Path, icc: bytes | None = SRGB) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    kwargs = {"icc_profile": icc} if icc else {}
    im.save(out, "JPEG", quality=88, **kwargs)
    path.write_bytes(out.getvalue())


def main() -> None:
    rng = random.Random(2023_12_06)
    save_jpeg(street((1500, 1800), rng), REPO / "examples" / "maonan" / "images" / "luocun.jpg")
    photos = REPO / "examples" / "photos" / "images"
    save_jpeg(landscape((2400, 1350), rng), photos / "river.jpg")
    save_jpeg(street((1200, 1800), rng), photos / "street.jpg")
    save_jpeg(landscape((1400, 1400), rng), photos / "square.jpg")
    street((1600, 1100), rng).convert("L").save(photos / "grey.png", optimize=True)
    # pre-separated for press, no profile, within 240 % total ink
    separated = landscape((2000, 1500), rng)  # ≥ 250 ppi in its slot, whichever way it is cropped.convert("CMYK")
    save_jpeg(separated, photos / "separated.jpg", icc=None)
    (REPO / "examples" / "LICENSE-images.md").write_text(
        "The images under examples/*/images/ were drawn by scripts/make_photos.py for paiban's examples.\n"
        "They are dedicated to the public domain under CC0 1.0 "
        "(https://creativecommons.org/publicdomain/zero/1.0/).\n", encoding="utf-8")


if __name__ == "__main__":
    main()
