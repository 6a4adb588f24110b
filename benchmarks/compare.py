"""paiban beside Typst and WeasyPrint on the same text, page geometry and font.

    pip install -e '.[bench]' && python benchmarks/compare.py [--runs 5]

The text is every article body of examples/maonan, set on one 对开 page (390 × 540 mm,
8 columns of 13 characters at 9 pt on a 13.5 pt grid, Noto Serif SC from fonts/), and on
16 such pages for an edition.  Each tool runs as a whole process (interpreter start and
imports included), the tools interleaved run by run, after one warm-up run each (which
fills paiban's caches: font metrics, the validated spec); medians, ratios (tool ÷ paiban)
and peak memory (max RSS of the process) are printed.  Then the one page with its spec
edited before every run (validated anew, as after an editor's change), where paiban's
start-up time goes, and paiban's cost as the text grows (×1 … ×10) in process, to show
it grows linearly.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layout.flow.collect import split_body  # noqa: E402
from layout.spec.data import Article  # noqa: E402
from layout.spec.load import load_spec  # noqa: E402

FONT = REPO / "fonts" / "NotoSerifSC-Regular.ttf"
PAGE = {"size": ("390mm", "540mm"), "margin": ("27mm", "18.787mm", "22.4mm", "18.787mm")}


def paragraphs() -> list[str]:
    spec = load_spec(REPO / "examples" / "maonan" / "page.yaml").spec
    return [p.text for b in spec.blocks if isinstance(b, Article) for p in split_body(b.body) if not p.subhead]


def paiban_spec(texts: list[str], folder: Path, name: str, lines: str = "103", height: str | None = None) -> Path:
    doc = {"version": 1, "page": {
        "size": [PAGE["size"][0], height or PAGE["size"][1]], "margins": dict(zip(("top", "right", "bottom", "left"), PAGE["margin"], strict=True)),
        "columns": 8, "gutter": "9pt", "body": {"font": "song", "size": "9pt", "leading": "13.5pt"}},
        "blocks": [{"type": "article", "id": "all", "frame": {"column": 1, "span": 8, "line": 1, "lines": lines},
                    "title": "茂南新闻", "body": texts}]}
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def typst_source(texts: list[str], pages: int) -> str:
    body = "\n\n".join(t.replace("#", "\\#").replace("*", "\\*").replace("_", "\\_").replace("@", "\\@")
                       .replace("$", "\\$").replace("<", "\\<").replace("`", "\\`") for t in texts)
    top, right, bottom, left = PAGE["margin"]
    head = (f'#set page(width: {PAGE["size"][0]}, height: {PAGE["size"][1]}, margin: (top: {top}, right: {right}, '
            f'bottom: {bottom}, left: {left}), columns: 8)\n#set columns(gutter: 9pt)\n'
            '#set text(font: "Noto Serif SC", size: 9pt, lang: "zh", region: "cn")\n'
            '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 4.5pt, spacing: 4.5pt)\n'
            '#align(center)[#text(size: 24pt)[茂南新闻]]\n')
    return head + "\n#pagebreak()\n".join([body] * pages)


def weasy_html(texts: list[str], pages: int) -> str:
    top, right, bottom, left = PAGE["margin"]
    css = (f"@font-face {{ font-family: song; src: url('{FONT.as_uri()}'); }}"
           f"@page {{ size: {PAGE['size'][0]} {PAGE['size'][1]}; margin: {top} {right} {bottom} {left}; }}"
           "body { font: 9pt/13.5pt song; columns: 8; column-gap: 9pt; } p { margin: 0; text-indent: 2em; "
           "text-align: justify; } h1 { column-span: all; text-align: center; font-size: 24pt; } "
           ".page { break-after: page; }")
    body = "".join(f"<p>{t}</p>" for t in texts)
    return f"<html><head><style>{css}</style></head><body>" + "".join(
        f"<div class='page'><h1>茂南新闻</h1>{body}</div>" for _ in range(pages)) + "</body></html>"


def timed(command: list[str]) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0 and os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{command[:3]} failed with {status}")
    return elapsed, usage.ru_maxrss / 1024


def commands(folder: Path, texts: list[str]) -> dict[str, dict[str, list[str]]]:
    one = paiban_spec(texts, folder, "one")
    out = str(folder / "out.pdf")
    typst_1, typst_16 = folder / "one.typ", folder / "sixteen.typ"
    typst_1.write_text(typst_source(texts, 1), encoding="utf-8")
    typst_16.write_text(typst_source(texts, 16), encoding="utf-8")
    html_1, html_16 = folder / "one.html", folder / "sixteen.html"
    html_1.write_text(weasy_html(texts, 1), encoding="utf-8")
    html_16.write_text(weasy_html(texts, 16), encoding="utf-8")
    py = sys.executable
    typst = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"
    weasy = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
    return {
        "1 page": {
            "paiban": [py, "-m", "layout", "render", str(one), "-o", out],
            "Typst": [py, "-c", typst, str(typst_1), out, str(REPO / "fonts")],
            "WeasyPrint": [py, "-c", weasy, str(html_1), out],
        },
        "16 pages": {
            "paiban": [py, "-m", "layout", "render", *[str(one)] * 16, "-o", out, "--jobs", "2"],
            "Typst": [py, "-c", typst, str(typst_16), out, str(REPO / "fonts")],
            "WeasyPrint": [py, "-c", weasy, str(html_16), out],
        },
    }


def available(tool: str) -> bool:
    module = {"paiban": "layout", "Typst": "typst", "WeasyPrint": "weasyprint"}[tool]
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def growth(texts: list[str]) -> list[tuple[int, float]]:
    """In-process layout time of one article as its text is repeated 1…10 times.

    With the command line's garbage-collector thresholds (``layout.cli.GC_THRESHOLD``),
    and a collection before each timed run, so that one run is not charged for the
    garbage of the one before; median of 5.  Each run has a new memo without a disk
    tier, its fonts opened before the clock starts: this measures composing.
    """
    import gc

    from layout.cli import GC_THRESHOLD
    from layout.fontdb import BUILTIN_FACES, make_fontbook
    from layout.memo import Memo
    from layout.page import lay_out_page

    def fresh_fonts():  # type: ignore[no-untyped-def]
        fonts = make_fontbook(memo=Memo())
        for family, weights in BUILTIN_FACES.items():
            for weight in weights:
                fonts.face(family, weight)
        return fonts

    gc.set_threshold(*GC_THRESHOLD)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, 2, 5, 10):
            # a page tall enough for all of it, so that every line is really composed
            # each copy numbered, so that no paragraph repeats (the paragraph cache would
            # otherwise compose a repeated one once)
            copies = [f"（{k}）{text}" for k in range(factor) for text in texts]
            spec = load_spec(paiban_spec(copies, Path(tmp), f"x{factor}", lines="auto", height="4000mm"))
            times = []
            for _ in range(5):
                fonts = fresh_fonts()
                gc.collect()
                start = time.perf_counter()
                lay_out_page(load_spec(spec.path), fonts=fonts, memo=fonts.memo)
                times.append(time.perf_counter() - start)
            out.append((factor, statistics.median(times)))
    return out


#: Cumulative start-up steps, each a whole process: what the one-page time cannot go below.
FLOOR_STEPS = (
    ("interpreter start", "pass"),
    ("+ pydantic", "from pydantic import BaseModel"),
    ("+ the spec models (pydantic schema building)", "import layout.spec.models"),
    ("+ PyYAML, reportlab and the rest of paiban", "import layout.spec.validate, layout.spec.yamlread, layout.cli, "
     "layout.page, layout.render.pdf"),
    ("paiban's imports for a validated spec", "import layout.cli, layout.spec.load, layout.page, layout.render.pdf"),
    ("Typst's import", "import typst"),
)


def floor(runs: int) -> list[tuple[str, float]]:
    out = []
    for label, code in FLOOR_STEPS:
        if "typst" in code and not available("Typst"):
            continue
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False, capture_output=True)
            times.append(time.perf_counter() - start)
        out.append((label, statistics.median(times[1:])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # Byte-compile the package first, as installing it does: with PYTHONDONTWRITEBYTECODE
    # set (as on some CI machines) an editable checkout would otherwise recompile every
    # module in every run (~25 ms), which the installed Typst and WeasyPrint never pay.
    compileall.compile_dir(REPO / "layout", quiet=1, legacy=False)
    texts = paragraphs()
    with tempfile.TemporaryDirectory() as tmp:
        table = commands(Path(tmp), texts)
        tools = [t for t in ("paiban", "Typst", "WeasyPrint") if available(t)]
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for case, cmds in table.items():
            for tool in tools:
                timed(cmds[tool])  # warm-up (caches, page cache of the files)
            for _ in range(args.runs):  # interleaved
                for tool in tools:
                    results.setdefault((case, tool), []).append(timed(cmds[tool]))
        # The same page with its spec edited before every run (new bytes, same content):
        # paiban validates it anew (PyYAML and pydantic imported), as after an editor's change.
        edited = Path(tmp) / "edited.json"
        original = (Path(tmp) / "one.json").read_text(encoding="utf-8")
        edited_runs = []
        for _ in range(args.runs):
            # trailing white space spelling a random 48-bit number: bytes never seen before,
            # in this run or an earlier one (whose validated specs are still in the cache)
            nonce = f"{random.getrandbits(48):048b}".replace("0", " ").replace("1", "\n")
            edited.write_text(original + nonce, encoding="utf-8")
            edited_runs.append(timed([sys.executable, "-m", "layout", "render", str(edited), "-o",
                                      str(Path(tmp) / "edited.pdf")]))
    print(f"{len(''.join(texts))} characters of body text; medians of {args.runs} whole-process runs")
    print(f"{'case':<10} {'tool':<11} {'seconds':>8} {'÷ paiban':>9} {'peak MiB':>9}")
    for case in table:
        base = statistics.median(t for t, _ in results[(case, "paiban")])
        for tool in tools:
            runs = results[(case, tool)]
            seconds = statistics.median(t for t, _ in runs)
            print(f"{case:<10} {tool:<11} {seconds:8.3f} {seconds / base:9.2f} {max(m for _, m in runs):9.1f}")
    edited_seconds = statistics.median(t for t, _ in edited_runs)
    typst_one = statistics.median(t for t, _ in results[("1 page", "Typst")]) if "Typst" in tools else None
    print(f"1 page, its spec edited before each run (validated anew): paiban {edited_seconds:.3f} s"
          + (f", {edited_seconds / typst_one:.2f}× Typst" if typst_one else ""))
    print("where paiban's one-page time goes (whole processes, medians):")
    for label, seconds in floor(args.runs):
        print(f"  {label:<44} {seconds:7.3f} s")
    print("paiban layout time as the text grows (in process):")
    base_time = None
    for factor, seconds in growth(texts):
        base_time = base_time or seconds
        print(f"  ×{factor:<3} {seconds:7.3f} s   {seconds / base_time:5.2f}× the ×1 time")


if __name__ == "__main__":
    main()
