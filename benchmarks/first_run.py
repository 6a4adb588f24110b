"""The first run against the next: cold and warm renders of one page, as whole processes.

    python benchmarks/first_run.py [--runs 5] [--spec examples/maonan/page.yaml] [--repo DIR]

- cold: every run with an empty cache folder and a new cache key (every CI container,
  every newcomer's first render);
- warm: the same cache folder, after one run that filled it;
- edited: warm, but the spec's bytes changed before each run (a new nonce in a trailing
  comment), so it is validated anew, as after an editor's change;
- in process: the page laid out and written again with one memo (a preview server).

Time is the median wall time of the whole process; peak memory the largest max RSS of
one run.  ``--repo`` measures another checkout (an older commit, for before/after).  The
package is byte-compiled first, as an installed one is (a shell with
PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

#: Runs each child and prints its wall time and max RSS (KiB) as JSON.
_TIMED_CHILD = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], capture_output=True).returncode
print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code]))
"""


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one whole process."""
    out = subprocess.run([sys.executable, "-c", _TIMED_CHILD, *command], cwd=cwd, env=env, capture_output=True,
                         text=True, check=True)
    seconds, kib, code = json.loads(out.stdout)
    if code not in (0, 1):
        raise SystemExit(f"render failed with status {code}: {' '.join(command)}")
    return seconds, kib / 1024


def render_command(repo: Path, spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "layout", "render", str(spec), "-o", str(out)]


def measure(repo: Path, spec: Path, runs: int) -> dict[str, tuple[float, float]]:
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        out = tmp_path / "out.pdf"
        base = {**os.environ, "PYTHONPATH": str(repo)}
        cold = []
        for n in range(runs):
            env = {**base, "PAIBAN_CACHE_DIR": str(tmp_path / f"cold-{n}"), "PAIBAN_CONFIG_DIR": str(tmp_path / f"key-{n}")}
            cold.append(timed(render_command(repo, spec, out), repo, env))
        results["cold"] = _summary(cold)
        env = {**base, "PAIBAN_CACHE_DIR": str(tmp_path / "warm"), "PAIBAN_CONFIG_DIR": str(tmp_path / "key")}
        timed(render_command(repo, spec, out), repo, env)  # fills the cache
        results["warm"] = _summary([timed(render_command(repo, spec, out), repo, env) for _ in range(runs)])
        edited = spec.parent / f".bench-edited-{os.getpid()}.yaml"
        try:
            text = spec.read_text(encoding="utf-8")
            runs_edited = []
            for _ in range(runs):
                edited.write_text(text + f"\n# edit {random.getrandbits(64):016x}\n", encoding="utf-8")
                runs_edited.append(timed(render_command(repo, edited, out), repo, env))
            results["edited"] = _summary(runs_edited)
        finally:
            edited.unlink(missing_ok=True)
    return results


def _summary(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def in_process(repo: Path, spec: Path, runs: int) -> float:
    """Median seconds of a re-render (layout + PDF) with everything kept in one memo."""
    code = f"""
import statistics, sys, time
sys.path.insert(0, {str(repo)!r})
from layout.page import lay_out_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.spec.load import load_spec
from pathlib import Path
if (Path({str(repo)!r}) / "layout" / "memo.py").exists():
    from layout.memo import Memo
    memo = Memo()
else:  # an older checkout: its caches were module-level
    memo = None
def once():
    if memo is None:
        render_pdf([lay_out_page(load_spec({str(spec)!r}), probe=make_probe)])
    else:
        loaded = load_spec({str(spec)!r}, memo)
        page = lay_out_page(loaded, probe=lambda press: make_probe(press, memo), memo=memo)
        render_pdf([page], memo=memo)
once()
times = []
for _ in range({runs}):
    start = time.perf_counter(); once(); times.append(time.perf_counter() - start)
print(statistics.median(times))
"""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PAIBAN_CACHE_DIR": str(Path(tmp) / "c"), "PAIBAN_CONFIG_DIR": str(Path(tmp) / "k")}
        out = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True,
                             check=True)
    return float(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--spec", type=Path, default=HERE / "examples" / "maonan" / "page.yaml")
    parser.add_argument("--repo", type=Path, default=HERE, help="the checkout to measure (default: this one)")
    args = parser.parse_args()
    repo = args.repo.resolve()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(repo / "layout")], check=True)
    spec = args.spec if args.spec.is_absolute() else (Path.cwd() / args.spec)
    spec = spec.resolve()
    results = measure(repo, spec, args.runs)
    print(f"{'render of ' + spec.name + ' (median of ' + str(args.runs) + ')':<40} {'seconds':>8} {'peak MiB':>9}")
    for name, (seconds, peak) in results.items():
        print(f"{name:<40} {seconds:8.3f} {peak:9.1f}")
    print(f"{'cold ÷ warm':<40} {results['cold'][0] / results['warm'][0]:8.2f}")
    print(f"{'in-process re-render, one memo':<40} {in_process(repo, spec, args.runs * 2):8.3f}")


if __name__ == "__main__":
    main()
