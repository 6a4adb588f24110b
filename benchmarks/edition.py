"""A whole edition as whole processes: render with ``--jobs 1`` and ``--jobs 2``, cold and
warm, and the digital-edition export's extra time.

    python benchmarks/edition.py [--runs 3] [--manifest examples/edition/edition.yaml] [--dpi 150]

- cold: an empty cache folder every run (a CI container, the first render of the night);
- warm: the same cache folder, after one run that filled it (the next render at deadline);
- export: ``paiban export EDITION --out DIR`` warm, and its extra time over the warm render
  with the same jobs (the page images and JSON documents).

Time is the median wall time of the whole process; peak memory the largest max RSS of one
process (with ``--jobs 2`` the largest of the parent and its workers).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from first_run import timed  # noqa: E402  (the same child timer as the single-page benchmark)


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def measure(manifest: Path, runs: int, dpi: int) -> dict[str, tuple[float, float]]:
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base = {**os.environ, "PYTHONPATH": str(HERE)}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE / "layout")], check=True)
        for jobs in (1, 2):
            render = [sys.executable, "-m", "layout", "render", str(manifest), "-o", str(tmp_path / "e.pdf"),
                      "--jobs", str(jobs)]
            cold = []
            for k in range(runs):
                env = {**base, "PAIBAN_CACHE_DIR": str(tmp_path / f"cold-{jobs}-{k}"),
                       "PAIBAN_CONFIG_DIR": str(tmp_path / f"key-{jobs}-{k}")}
                cold.append(timed(render, HERE, env))
            results[f"render --jobs {jobs}, cold"] = _median(cold)
            env = {**base, "PAIBAN_CACHE_DIR": str(tmp_path / f"warm-{jobs}")}
            timed(render, HERE, env)  # fills the cache
            results[f"render --jobs {jobs}, warm"] = _median([timed(render, HERE, env) for _ in range(runs)])
            export = [sys.executable, "-m", "layout", "export", str(manifest), "--out", str(tmp_path / f"ep-{jobs}"),
                      "--dpi", str(dpi), "--jobs", str(jobs)]
            timed(export, HERE, env)
            results[f"export --jobs {jobs} ({dpi} dpi), warm"] = _median([timed(export, HERE, env) for _ in range(runs)])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--manifest", type=Path, default=HERE / "examples" / "edition" / "edition.yaml")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.manifest.resolve(), args.runs, args.dpi)
    if args.json:
        print(json.dumps({k: {"seconds": round(t, 3), "peak_mib": round(m, 1)} for k, (t, m) in results.items()}))
        return
    for name, (seconds, mib) in results.items():
        print(f"{name:34} {seconds:7.3f} s  {mib:6.0f} MiB")
    for jobs in (1, 2):
        extra = results[f"export --jobs {jobs} ({args.dpi} dpi), warm"][0] - results[f"render --jobs {jobs}, warm"][0]
        print(f"export's extra time, --jobs {jobs}:    {extra:7.3f} s")


if __name__ == "__main__":
    main()
