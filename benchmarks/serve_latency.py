"""How soon ``paiban serve`` shows an edit (not part of the test run).

    python benchmarks/serve_latency.py [--edits 7] [--dpi 72] [--start 0]

Starts ``paiban serve`` on a copy of examples/maonan, then edits the spec N times (each
edit lengthens the lead article's first paragraph by one more sentence) and times, per
edit, from the write to the moment ``/state.json`` reports the new version — what the
browser page polls, every 150 ms, before it loads the new PNG.  Prints the median and
the range, and what the last version showed (problems, copyfit suggestions).  The
browser's own poll adds at most 150 ms on top.  ``--start 12`` adds twelve sentences
before the first edit: the lead is then a line or more over and every re-render runs the
copyfit search (docs/fit.md); with the default the page stays clean and the fitter
never runs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ANCHOR = "党的工作最坚实的力量支撑在基层"
#: How often this script asks the server for its state while waiting, seconds.
POLL = 0.005


def state(url: str) -> dict:
    with urllib.request.urlopen(url + "state.json") as response:
        return json.loads(response.read())


def version(url: str) -> int:
    return int(state(url)["version"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--dpi", type=int, default=72)
    parser.add_argument("--start", type=int, default=0, help="sentences added before the first edit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(REPO / "examples" / "maonan", Path(tmp) / "maonan")
        spec = Path(tmp) / "maonan" / "page.yaml"
        original = spec.read_text(encoding="utf-8")
        process = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(spec), "--port", "0",
                                    "--dpi", str(args.dpi)], cwd=REPO, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            assert process.stdout is not None
            match = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
            if not match:
                raise SystemExit("serve did not start")
            url = match.group()
            times = []
            for n in range(1, args.edits + 1):
                before = version(url)
                time.sleep(0.3)  # let the watcher settle, as between an editor's saves
                started = time.perf_counter()
                spec.write_text(original.replace(ANCHOR, ANCHOR + "。" + "新增一句。" * (args.start + n), 1), encoding="utf-8")
                while version(url) == before:
                    time.sleep(POLL)
                times.append(time.perf_counter() - started)
            last = state(url)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"serve at {args.dpi} dpi, examples/maonan, {args.edits} edits: median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}) from the write to the new version")
    print(f"last version: {len(last.get('problems', []))} problems; copyfit: "
          + ("; ".join(f["message"] for f in last.get("fits", [])) or "none"))


if __name__ == "__main__":
    main()
