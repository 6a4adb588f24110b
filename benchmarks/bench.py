"""Timings of paiban, printed as a table (not part of the test run): the one command.

    python benchmarks/bench.py [--runs 5] [--no-compare]

- whole process: ``python -m layout render examples/maonan/page.yaml`` (median of N runs,
  after one warm-up run that fills the font cache);
- warm in-process re-render (what a preview server does): layout + PDF of the same spec,
  with one memo;
- an edition: every spec of ``specs/regression`` plus the example in one PDF;
- peak memory (max RSS) of the whole-process render;
- then ``benchmarks/first_run.py`` (cold, warm and edited-spec renders: time and peak
  memory) and ``benchmarks/compare.py``: the same text in paiban, Typst and WeasyPrint (those
  installed; ``pip install -e '.[bench]'``), where the one-page time goes, the growth curve.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "maonan" / "page.yaml"


def whole_process(specs: list[Path], runs: int, jobs: int = 1) -> tuple[float, list[float]]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pdf"
        command = [sys.executable, "-m", "layout", "render", *map(str, specs), "-o", str(out), "--jobs", str(jobs)]
        subprocess.run(command, cwd=REPO, check=False, capture_output=True)  # warm-up: font cache
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, cwd=REPO, check=False, capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times), times


def distinct_pages(folder: Path, count: int) -> list[Path]:
    """``count`` pages of an edition: the example page with every paragraph numbered per
    page, so that no page repeats another's text (a real edition shares no copy)."""
    import shutil

    shutil.copytree(EXAMPLE.parent / "images", folder / "images")
    source = EXAMPLE.read_text(encoding="utf-8")
    pages = []
    for page in range(1, count + 1):
        text = source.replace("本报讯", f"本报讯（{page}）").replace("\n\n      ", f"\n\n      第{page}版　")
        path = folder / f"p{page:02d}.yaml"
        path.write_text(text, encoding="utf-8")
        pages.append(path)
    return pages


def warm_rerender(runs: int) -> float:
    sys.path.insert(0, str(REPO))
    from layout.memo import Memo
    from layout.page import lay_out_page
    from layout.render.images import make_probe
    from layout.render.pdf import render_pdf
    from layout.spec.load import load_spec

    memo = Memo()

    def once() -> None:
        page = lay_out_page(load_spec(EXAMPLE, memo), probe=lambda press: make_probe(press, memo), memo=memo)
        render_pdf([page], memo=memo)

    once()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-compare", action="store_true", help="skip the comparison with Typst and WeasyPrint")
    args = parser.parse_args()
    one, one_all = whole_process([EXAMPLE], args.runs)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    edition_specs = [EXAMPLE, *sorted((REPO / "specs" / "regression").glob("*.yaml"))]
    edition, _ = whole_process(edition_specs, args.runs)
    warm = warm_rerender(args.runs * 2)
    with tempfile.TemporaryDirectory() as tmp:
        sixteen = distinct_pages(Path(tmp), 16)
        edition_1, _ = whole_process(sixteen, max(3, args.runs // 2))
        edition_2, _ = whole_process(sixteen, max(3, args.runs // 2), jobs=2)
    print(f"{'measure':<44} {'seconds':>8}")
    print(f"{'example page, whole process (median of ' + str(args.runs) + ')':<44} {one:8.3f}")
    print(f"{'  runs':<44} " + " ".join(f"{t:.3f}" for t in one_all))
    print(f"{f'edition of {len(edition_specs)} pages, whole process':<44} {edition:8.3f}")
    print(f"{'example page, warm in-process re-render':<44} {warm:8.3f}")
    print(f"{'16-page edition, --jobs 1':<44} {edition_1:8.3f}")
    print(f"{'16-page edition, --jobs 2':<44} {edition_2:8.3f}")
    print(f"{'peak memory of the renders (max RSS, MiB)':<44} {peak_mib:8.1f}")
    print(flush=True)
    subprocess.run([sys.executable, str(Path(__file__).with_name("first_run.py")), "--runs", str(args.runs)],
                   cwd=REPO, check=False)
    if not args.no_compare:
        # then paiban beside Typst and WeasyPrint (those installed: the bench extra), from a
        # fresh process: a child's peak memory would otherwise include this one's heap
        print(flush=True)
        subprocess.run([sys.executable, str(Path(__file__).with_name("compare.py")), "--runs", str(args.runs)],
                       cwd=REPO, check=False)


if __name__ == "__main__":
    main()
