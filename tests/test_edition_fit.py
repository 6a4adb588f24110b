"""Copyfit in an edition (docs/fit.md): ``check EDITION`` prints and reports every page's
suggestions as for a single page, ``--fit`` applies them (``check``, ``render -o``,
``render --split``), with ``--jobs`` as without; a jumped article is not fitted.

A copy of examples/edition with two articles made a few lines over: the commentary on
the front page (which also holds the jumped lead) and the first story of 第2版 (which
also holds the lead's continuation)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import REPO
from tests.readback import read_chars
from tests.test_cli import paiban

#: (page file, article id, grid lines taken off its frame): each then a line or two over.
SHORTENED = (("front.yaml", "commentary", 2), ("yaowen2.yaml", "xiangzhen", 3))
#: The front page's lead jumps to 第2版: it is never fitted.
JUMPED = "lead"


def shorten(spec: Path, article: str, lines: int) -> None:
    """Take ``lines`` grid lines off the frame of ``article`` (the frame line after its id)."""
    text = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    start = text.index(f"    id: {article}\n")
    at = next(n for n in range(start, len(text)) if text[n].strip().startswith("frame:"))
    text[at] = re.sub(r"lines: (\d+)", lambda m: f"lines: {int(m.group(1)) - lines}", text[at], count=1)
    spec.write_text("".join(text), encoding="utf-8")


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edition") / "edition"
    shutil.copytree(REPO / "examples" / "edition", folder)
    for name, article, lines in SHORTENED:
        shorten(folder / name, article, lines)
    return folder / "edition.yaml"


def check(manifest: Path, *args: str) -> tuple[int, dict, str]:
    result = paiban("check", manifest, "--json", "--lang", "en", *args)
    return result.returncode, json.loads(result.stdout), result.stderr


def keywords(pdf: Path) -> str:
    with pikepdf.open(pdf) as doc:
        return str(doc.docinfo.get("/Keywords", ""))


def test_check_reports_each_pages_suggestions(edition: Path) -> None:
    code, report, stderr = check(edition)
    assert code == 1
    by_file = {Path(e["spec"]).name: e for e in report["specs"]}
    for name, article, _ in SHORTENED:
        entry = by_file[name]
        assert [p["block"] for p in entry["problems"] if p["kind"] == "overflow"] == [article]
        (fit,) = entry["fits"]
        assert fit["article"] == article and fit["need"] == "overflow" and fit["fits"] and not fit["applied"]
        assert 1 <= fit["lines"] and fit["trials"] >= 1
        assert re.search(rf"{re.escape(name)}:\d+: note: {re.escape(fit['message'])}", stderr)
    assert JUMPED not in [f["article"] for e in report["specs"] for f in e.get("fits", [])]
    untouched = [e for name, e in by_file.items() if name not in {n for n, _, _ in SHORTENED}]
    assert len(untouched) == 6 and all("fits" not in e and e["ok"] for e in untouched)


def test_jobs_give_the_same_report(edition: Path) -> None:
    assert check(edition, "--jobs", "2")[1] == check(edition)[1]


def test_check_fit_applies_them(edition: Path) -> None:
    code, report, stderr = check(edition, "--fit")
    assert code == 0 and report["ok"]
    by_file = {Path(e["spec"]).name: e for e in report["specs"]}
    for name, article, _ in SHORTENED:
        (fit,) = by_file[name]["fits"]
        assert fit["applied"] and fit["message"].startswith(f"article {article}: fitted with ")
        assert fit["message"] in stderr
        assert {b["id"]: b["status"] for b in by_file[name]["blocks"]}[article] == "ok"


def test_render_fit_applies_them_in_the_pdf(edition: Path, tmp_path: Path) -> None:
    plain, fitted = tmp_path / "plain", tmp_path / "fitted"
    plain.mkdir()
    fitted.mkdir()
    unfitted = paiban("render", edition, "-o", plain / "all.pdf", "--split", plain, "--lang", "en")
    assert unfitted.returncode == 1 and "paiban-fit" not in keywords(plain / "all.pdf")
    result = paiban("render", edition, "-o", fitted / "all.pdf", "--split", fitted, "--fit", "--lang", "en")
    assert result.returncode == 0, result.stderr
    _, report, _ = check(edition, "--fit")
    said = {Path(e["spec"]).name: e["fits"][0] for e in report["specs"] if e.get("fits")}
    whole = keywords(fitted / "all.pdf")
    assert whole.startswith("paiban-fit: ") and " | " in whole  # every page's adjustments, in page order
    assert whole.index("commentary") < whole.index("xiangzhen")
    for number, (name, article, _) in enumerate(SHORTENED, start=1):  # front is 第1版, yaowen2 第2版
        assert f"{article} " in keywords(fitted / f"0{number}.pdf")
        assert said[name]["message"] in result.stderr
        # the article's last lines are set now: the fitted page carries more characters
        assert len(read_chars(fitted / f"0{number}.pdf")) > len(read_chars(plain / f"0{number}.pdf"))
    others = sorted(p.name for p in plain.glob("0*.pdf"))[len(SHORTENED):]
    assert len(others) == 6
    for name in others:  # a page with nothing off is the same file with --fit or without
        assert "paiban-fit" not in keywords(fitted / name)
        assert (fitted / name).read_bytes() == (plain / name).read_bytes()
