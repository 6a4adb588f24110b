"""The layout figures of issue 2, read back from the rendered PDFs.

    python benchmarks/acceptance.py [SPEC ...]

For each page (default: the example and every regression spec): line-start / line-end
prohibition violations, non-final body lines flush with the column edge (±0.5 pt),
body baselines on the grid, articles whose columns end within one grid line, characters
recovered from the PDF text layer in reading order or reported as overflow, and whether
a second render gives the same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layout.page import lay_out_page  # noqa: E402
from layout.render.images import make_probe  # noqa: E402
from layout.render.pdf import render_pdf  # noqa: E402
from layout.spec.load import load_spec  # noqa: E402
from tests.readback import Measures, measure_page, read_chars, recovered_text  # noqa: E402


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f} %" if whole else "   n/a"


def main(paths: list[Path]) -> None:
    total = Measures()
    header = f"{'page':<34} {'viol':>4} {'flush':>9} {'on grid':>9} {'balanced':>9} {'text':>9} {'same':>5}"
    print(header)
    for path in paths:
        layout = lay_out_page(load_spec(path), probe=make_probe)
        pdf = render_pdf([layout])
        same = pdf == render_pdf([lay_out_page(load_spec(path), probe=make_probe)])
        chars = read_chars(pdf)
        m = measure_page(layout, chars)
        m.chars_total, m.chars_recovered, m.chars_reported = recovered_text(layout, chars)
        total.merge(m)
        violations = len(m.start_violations) + len(m.end_violations)
        text = percent(m.chars_recovered + m.chars_reported, m.chars_total)
        name = path.parent.name if path.name == "page.yaml" else path.stem
        print(f"{name:<34} {violations:>4} {percent(m.flush_lines, m.justified_lines):>9} "
              f"{percent(m.on_grid, m.body_lines):>9} {percent(m.balanced_articles, m.articles):>9} {text:>9} "
              f"{'yes' if same else 'NO':>5}")
        for line in (m.start_violations + m.end_violations + m.ragged)[:5]:
            print("    ", line)
    violations = len(total.start_violations) + len(total.end_violations)
    print(f"{'all pages':<34} {violations:>4} {percent(total.flush_lines, total.justified_lines):>9} "
          f"{percent(total.on_grid, total.body_lines):>9} {percent(total.balanced_articles, total.articles):>9} "
          f"{percent(total.chars_recovered + total.chars_reported, total.chars_total):>9}")
    print(f"body lines {total.body_lines}, justified {total.justified_lines}, articles {total.articles}, "
          f"characters {total.chars_total} ({total.chars_reported} reported as overflow)")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    main(args or [REPO / "examples" / "maonan" / "page.yaml", *sorted((REPO / "specs" / "regression").glob("*.yaml"))])
