"""Benchmark ``paiban arrange``: per article set, whether an arrangement was found, its
page fill, overflow and 碰题 (re-laid out by the engine), solver time and whole time.

    python benchmarks/arrange.py SET.yaml ... --page TEMPLATE.yaml [--time-limit S] [--out DIR]

Run it once, not in a loop: the machine is shared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from layout.arrange.run import DEFAULT_TIME_LIMIT, arrange
    from layout.cli import _probe_factory, write_atomically
    from layout.memo import Memo
    from layout.spec.errors import SpecInvalid

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--page", required=True, type=Path)
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT)
    parser.add_argument("--alternatives", type=int, default=3)
    parser.add_argument("--out", type=Path, help="keep the arrangements and previews here (default: a temporary folder)")
    args = parser.parse_args(argv)
    rows = []
    for path in args.sets:
        out = (args.out / path.stem) if args.out else Path(tempfile.mkdtemp(prefix="arrange-"))
        out.mkdir(parents=True, exist_ok=True)
        memo = Memo()  # a cold start per set: measuring is part of the time
        t0 = time.perf_counter()
        try:
            report = arrange(path, args.page, out, memo, write_atomically, args.alternatives, args.time_limit,
                             bool(args.out), _probe_factory(memo))
        except SpecInvalid as exc:
            rows.append((path.name, "bad input", "", "", "", "", "", f"{time.perf_counter() - t0:.2f}"))
            print(exc, file=sys.stderr)
            continue
        whole = time.perf_counter() - t0
        if not report.arrangements:
            rows.append((path.name, "no", "", "", "", "", f"{report.solver_seconds:.2f}", f"{whole:.2f}"))
            continue
        best = report.arrangements[0]
        ok = best.overflow == 0 and not best.touching and best.errors == 0 and best.hole == 0
        rows.append((path.name, "yes" if ok else "no (engine)", f"{best.score.fill:.1%}", str(best.overflow),
                     str(len(best.touching)), str(best.hole), f"{report.solver_seconds:.2f}", f"{whole:.2f}"))
    head = ("set", "valid", "fill", "overflow", "碰题", "empty lines (underfull)", "solver s", "whole s")
    print(" | ".join(head))
    for row in rows:
        print(" | ".join(row))
    valid = sum(1 for r in rows if r[1] == "yes")
    print(f"valid: {valid}/{len(rows)} on {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
