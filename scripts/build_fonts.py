"""Rebuild the fonts shipped in ``fonts/`` from their published sources.

The Noto faces come as TrueType-outline (glyf) TTFs in the npm packages
``@expo-google-fonts/noto-serif-sc`` and ``@expo-google-fonts/noto-sans-sc``
(reportlab cannot embed the CFF-outline Noto CJK OpenType files).  They are
subset with fontTools to what a newspaper prints: every character of GBK
(traditional forms included), the 8,105 characters of 通用规范汉字表, ASCII,
Latin-1, general and CJK punctuation, full-width forms and common symbols.
OpenType layout tables and hinting are dropped: reportlab applies no shaping
and print output needs no hinting.

LXGW WenKai is shipped unmodified (its licence reserves the names "LXGW" and
"霞鹜" for unmodified copies), straight from Debian's ``fonts-lxgw-wenkai``.

Usage::

    mkdir src && cd src
    npm pack @expo-google-fonts/noto-serif-sc @expo-google-fonts/noto-sans-sc
    apt-get download fonts-lxgw-wenkai
    cd .. && python scripts/build_fonts.py src

The script unpacks the archives, writes ``fonts/*.ttf`` and prints the
SHA-256 of every source and output file for ``fonts/SOURCES.md``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"
TYGF_8105 = REPO / "layout" / "data" / "tygf-8105.txt"

# (output file, npm tarball prefix, path inside the tarball)
NOTO_FACES = (
    ("NotoSerifSC-Regular.ttf", "expo-google-fonts-noto-serif-sc", "400Regular/NotoSerifSC_400Regular.ttf"),
    ("NotoSerifSC-Bold.ttf", "expo-google-fonts-noto-serif-sc", "700Bold/NotoSerifSC_700Bold.ttf"),
    ("NotoSansSC-Bold.ttf", "expo-google-fonts-noto-sans-sc", "700Bold/NotoSansSC_700Bold.ttf"),
    ("NotoSansSC-Black.ttf", "expo-google-fonts-noto-sans-sc", "900Black/NotoSansSC_900Black.ttf"),
)
WENKAI = ("LXGWWenKai-Regular.ttf", "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")

# Unicode blocks kept whole besides GBK and 8105 (start, end inclusive).
EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x0100, 0x017F),  # Latin Extended-A (names in foreign news)
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # super- and subscripts
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols (℃ № ™)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ ½)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (■ ● ◆ ▲)
    (0x2600, 0x26FF),  # miscellaneous symbols (★ ☆)
    (0x2E80, 0x2EFF),  # CJK radicals supplement
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
)


def gbk_characters() -> set[int]:
    """Every code point that GBK encodes in two bytes."""
    found: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                found.update(ord(c) for c in bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                continue
    return found


def wanted_unicodes() -> set[int]:
    wanted = gbk_characters()
    wanted.update(ord(c) for c in TYGF_8105.read_text(encoding="utf-8").split())
    for start, end in EXTRA_RANGES:
        wanted.update(range(start, end + 1))
    return wanted


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def extract_npm(src: Path, prefix: str, inner: str, work: Path) -> Path:
    tarball = sorted(src.glob(prefix + "-*.tgz"))[-1]
    target = work / tarball.stem
    if not target.exists():
        with tarfile.open(tarball) as tar:
            tar.extractall(target, filter="data")
    return target / "package" / inner


def subset_face(source: Path, output: Path, unicodes: set[int]) -> None:
    options = subset.Options()
    options.layout_features = []  # reportlab does no shaping
    options.hinting = False  # print output: outlines only
    options.glyph_names = False
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(output)


def main(src: Path) -> None:
    work = src / "unpacked"
    work.mkdir(exist_ok=True)
    unicodes = wanted_unicodes()
    FONTS.mkdir(exist_ok=True)
    for name, prefix, inner in NOTO_FACES:
        source = extract_npm(src, prefix, inner, work)
        subset_face(source, FONTS / name, unicodes)
        print(f"{name}\tsource {sha256(source)}\toutput {sha256(FONTS / name)}")
    deb = sorted(src.glob("fonts-lxgw-wenkai_*.deb"))[-1]
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "wenkai")], check=True)
    shutil.copyfile(work / "wenkai" / WENKAI[1], FONTS / WENKAI[0])
    print(f"{WENKAI[0]}\tsource {sha256(deb)} (deb)\toutput {sha256(FONTS / WENKAI[0])}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
