"""Copyfit figures (issue 14, docs/fit.md).

    python benchmarks/fit.py [N]

Builds N pages (default 12) from the copy of examples/, 1–3 articles each, every article
1–3 lines over or the least it can be underfull (tests/fitpages.py), and reports: the
share of such articles that fit within the default policy, the adjustments used (by
kind), the trials, and the extra time of ``check`` with the fitter (the layout with the
fitter's suggestions against the plain layout, same memo, warm).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layout.fit import describe  # noqa: E402
from layout.memo import Memo  # noqa: E402
from layout.page import lay_out_fitted, lay_out_page  # noqa: E402
from layout.spec.load import load_spec  # noqa: E402
from tests.fitpages import build, statuses  # noqa: E402


def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="paiban-fit-bench-"))
    memo = Memo()
    pages = [b for b in (build(folder, seed, memo, articles=1 + seed % 3) for seed in range(count)) if b is not None]
    kinds: Counter[str] = Counter()
    by_need: Counter[tuple[str, bool]] = Counter()
    trials: list[int] = []
    plain_time = fit_time = 0.0
    verified = 0
    for b in pages:
        loaded = load_spec(b.path)
        lay_out_page(loaded, memo=memo)  # warm: both timings below reuse the compositions
        start = time.perf_counter()
        lay_out_page(loaded, memo=memo)
        plain_time += time.perf_counter() - start
        start = time.perf_counter()
        fitted = lay_out_fitted(loaded, False, memo=memo)
        fit_time += time.perf_counter() - start
        applied = statuses(lay_out_fitted(loaded, True, memo=memo))
        for f in fitted.fits:
            by_need[(str(f.need), f.fits)] += 1
            trials.append(f.trials)
            if f.adjustment is not None:
                verified += applied[f.article] == "ok"
                a = f.adjustment
                used = [n for n, on in (("tracking", a.tracking), ("squeeze", a.squeeze), ("photo", a.photo),
                                        ("headline", a.headline), ("scale", a.scale != 1.0)) if on]
                kinds["+".join(used)] += 1
                print(f"  {f.article:8} {f.need:9} {f.lines} lines: {describe(a)}")
            else:
                print(f"  {f.article:8} {f.need:9} {f.lines} lines: {f.message()}")
    total = sum(by_need.values())
    fit = sum(n for (_, ok), n in by_need.items() if ok)
    print(f"\npages {len(pages)}, articles off by 1-3 lines {total}")
    for need in ("overflow", "underfull"):
        n = by_need[(need, True)] + by_need[(need, False)]
        if n:
            print(f"  {need:9}: {by_need[(need, True)]}/{n} fit within the default policy")
    print(f"  all      : {fit}/{total} = {100 * fit / max(total, 1):.0f} %; re-laid out ok after applying: {verified}/{fit}")
    print("adjustments used:", ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    print(f"trials per article: mean {sum(trials) / max(len(trials), 1):.1f}, max {max(trials, default=0)}")
    print(f"check time: plain {plain_time:.2f} s, with the fitter {fit_time:.2f} s "
          f"(+{fit_time - plain_time:.2f} s, {(fit_time - plain_time) / max(len(pages), 1) * 1000:.0f} ms a page)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12)
