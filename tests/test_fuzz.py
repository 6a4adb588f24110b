"""Property tests: no spec document and no text makes paiban fail with a traceback (issue 6)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.page import lay_out_page
from layout.spec.load import SpecInvalid, load_spec
from tests.conftest import REPO


def mostly(good, bad):  # type: ignore[no-untyped-def]
    """Valid values nine times in ten, so that fuzzed documents also reach layout."""
    return st.one_of(*([good] * 9), bad)


bad_lengths = st.one_of(st.integers(-5, 900), st.floats(-10, 900, allow_nan=False),
                        st.sampled_from(["abc", "", "五号", "-2mm", "0", "1e9pt"]))
lengths = mostly(st.sampled_from(["3mm", "9pt", "1.5cm", "12q", "10mm", "15mm", 20]), bad_lengths)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
frames = st.fixed_dictionaries({
    "column": mostly(st.integers(1, 4), st.integers(-1, 10)), "span": mostly(st.integers(1, 3), st.integers(-1, 10)),
    "line": mostly(st.integers(1, 40), st.integers(-1, 120)),
    "lines": mostly(st.one_of(st.integers(1, 40), st.just("auto")), st.integers(-1, 120)),
})
blocks = st.lists(st.one_of(
    st.fixed_dictionaries({"type": st.just("article"), "id": st.sampled_from(["a", "b", "c"]), "frame": frames,
                           "title": texts, "body": st.one_of(texts, st.lists(texts, max_size=3))},
                          optional={"columns": st.integers(1, 6), "kicker": texts, "byline": texts}),
    st.fixed_dictionaries({"type": st.just("photo"), "id": st.sampled_from(["p", "q"]),
                           "frame": frames.filter(lambda f: f["lines"] != "auto")},
                          optional={"caption": texts, "credit": texts, "src": st.sampled_from(["x.jpg", "../y.png"])}),
    st.dictionaries(st.sampled_from(["type", "id", "frame", "zzz"]), texts, max_size=3),
), max_size=4, unique_by=lambda b: b.get("id") if isinstance(b, dict) else None)
specs = st.fixed_dictionaries({
    "version": mostly(st.just(1), st.sampled_from([2, "1"])),
    "page": st.fixed_dictionaries({
        "size": mostly(st.sampled_from(["A4", "A3", "tabloid", "broadsheet"]),
                       st.one_of(st.just("letter"), st.lists(bad_lengths, min_size=2, max_size=2))),
        "margins": st.fixed_dictionaries({k: lengths for k in ("top", "right", "bottom", "left")}),
        "columns": mostly(st.integers(1, 8), st.integers(-1, 30)), "gutter": lengths,
        "body": st.fixed_dictionaries({"font": mostly(st.sampled_from(["song", "hei", "kai"]), st.just("mono")),
                                       "size": mostly(st.sampled_from(["小五", "五号", "9pt", 10]), bad_lengths),
                                       "leading": mostly(st.floats(1.2, 2.0), bad_lengths)}),
    }),
    "blocks": blocks,
})


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=specs)
def test_any_spec_document_is_laid_out_or_refused_with_line_numbers(tmp_path, document):
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    try:
        loaded = load_spec(path)
    except SpecInvalid as exc:
        assert exc.errors and all(str(e).startswith(f"{path}:") for e in exc.errors)
        return
    layout = lay_out_page(loaded)
    for problem in layout.problems:
        assert problem.message and problem.kind


def test_a_killed_render_leaves_the_previous_output_intact(tmp_path):
    """Outputs are written to a temporary file and renamed: kill the render half way."""
    out = tmp_path / "edition.pdf"
    out.write_bytes(b"%PDF- the previous edition")
    specs = [str(REPO / "examples" / "maonan" / "page.yaml")] * 400
    process = subprocess.Popen([sys.executable, "-m", "layout", "render", *specs, "-o", str(out)], cwd=REPO)
    time.sleep(1.0)  # well inside the render of 400 pages (about 10 s)
    assert process.poll() is None, "the render finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert out.read_bytes() == b"%PDF- the previous edition"


def test_same_bytes_whatever_the_hash_seed(tmp_path):
    import hashlib
    import os

    digests = set()
    for seed in ("0", "1", "12345"):
        out = tmp_path / f"{seed}.pdf"
        subprocess.run([sys.executable, "-m", "layout", "render", str(REPO / "specs/regression/mixed-8col.yaml"),
                        "-o", str(out)], cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_fuzzed_documents_include_pages_that_are_laid_out(tmp_path):
    """The strategy is not all refusals: a share of the documents really reach layout."""
    laid_out = 0
    for index in range(60):
        document = specs.example()
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        try:
            lay_out_page(load_spec(path))
            laid_out += 1
        except SpecInvalid:
            pass
    assert laid_out >= 3
