"""Copyfit (layout/fit.py, docs/fit.md): pages 1–3 lines over or under per article, built
from the copy of examples/; the chosen adjustment really fits, stays within the policy,
shows in the PDF, and is deterministic."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest
import yaml

from layout.fit import DEFAULT_POLICY, resolve_policy
from layout.memo import Memo
from layout.page import lay_out_fitted
from layout.spec.data import FitPolicy
from layout.spec.load import SpecInvalid, load_spec
from tests.fitpages import PAGE, build, statuses, write

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list:
    folder = tmp_path_factory.mktemp("fit")
    memo = Memo()
    built = [build(folder, seed, memo, articles=1 + seed % 3) for seed in range(6)]
    return [b for b in built if b is not None]


def test_pages_are_built_off_by_one_to_three_lines(pages: list) -> None:
    assert len(pages) >= 5
    wanted = [status for b in pages for status, _ in b.targets.values()]
    assert "overflow" in wanted and "underfull" in wanted
    for b in pages:
        layout = lay_out_fitted(load_spec(b.path), False)
        for ident, (status, lines) in b.targets.items():
            assert statuses(layout)[ident] == status
            assert 1 <= lines <= (3 if status == "overflow" else 6)


def test_the_chosen_adjustment_makes_every_article_fit(pages: list) -> None:
    fitted = 0
    for b in pages:
        memo = Memo()
        suggested = lay_out_fitted(load_spec(b.path), False, memo=memo)
        assert {f.article for f in suggested.fits} == set(b.targets)
        applied = lay_out_fitted(load_spec(b.path), True, memo=memo)
        got = statuses(applied)
        for f in applied.fits:
            assert f.applied == f.fits
            if f.fits:  # re-laid out with the adjustment: the article is ok now
                assert got[f.article] == "ok", (b.path, f.message())
                fitted += 1
            else:
                assert got[f.article] != "ok" and f.remaining > 0
    assert fitted >= 3


POLICIES = [
    None,
    FitPolicy(tracking=(-0.01, 0.0), squeeze=False, scale=(1.0, 1.0), headline=(0, 0), photo=0),
    FitPolicy(tracking=(-0.05, 0.05), squeeze=True, scale=(0.9, 1.05), headline=(-3, 3), photo=6),
    FitPolicy(tracking=(0.0, 0.0), squeeze=False, scale=(0.97, 1.0), headline=(0, 0), photo=1),
]


@pytest.mark.parametrize("policy", POLICIES, ids=["default", "tight", "widest", "scale-only"])
def test_applied_values_never_exceed_the_policy(pages: list, policy: FitPolicy | None, tmp_path: Path) -> None:
    for b in pages[:4]:
        spec = yaml.safe_load(b.path.read_text(encoding="utf-8"))
        if policy is not None:
            spec["fit"] = {"tracking": [f"{policy.tracking[0] * 100:g}%", f"{policy.tracking[1] * 100:g}%"],
                           "squeeze": policy.squeeze,
                           "scale": [f"{policy.scale[0] * 100:g}%", f"{policy.scale[1] * 100:g}%"],
                           "headline": list(policy.headline), "photo": policy.photo}
        loaded = write(spec, tmp_path / b.path.name)
        bound = resolve_policy(loaded.spec.fit, None)
        for f in lay_out_fitted(loaded, True).fits:
            a = f.adjustment
            if a is None:
                continue
            assert bound.tracking[0] - 1e-9 <= a.tracking <= bound.tracking[1] + 1e-9
            assert bound.scale[0] - 1e-9 <= a.scale <= bound.scale[1] + 1e-9
            assert bound.headline[0] <= a.headline <= bound.headline[1]
            assert abs(a.photo) <= bound.photo
            assert bound.squeeze or not a.squeeze
            assert a.tracking != 0 or a.squeeze or a.scale != 1 or a.headline or a.photo  # an adjustment


def test_an_article_policy_overrides_the_page_key_by_key() -> None:
    page = FitPolicy(tracking=(-0.01, 0.01), photo=0)
    article = FitPolicy(tracking=(-0.02, 0.0))
    got = resolve_policy(page, article)
    assert got.tracking == (-0.02, 0.0) and got.photo == 0 and got.scale == DEFAULT_POLICY.scale
    assert resolve_policy(None, None) == DEFAULT_POLICY


@pytest.mark.parametrize(("fit", "says"), [
    ("{tracking: [-6%, 0%]}", "legibility limit"),
    ("{scale: [85%, 100%]}", "legibility limit"),
    ("{scale: [95%, 98%]}", "must include 100%"),
    ("{tracking: [2%, -1%]}", "is more than the most"),
    ("{headline: [-4, 0]}", "headline must be"),
    ("{photo: 9}", "9"),
    ("{tracking: [-1x, 0]}", "percentage"),
    ("{leading: 1}", "leading"),
])
def test_a_policy_outside_the_limits_is_refused_with_its_line(fit: str, says: str, tmp_path: Path) -> None:
    text = yaml.safe_dump(PAGE, allow_unicode=True) + "blocks:\n  - type: article\n    id: a\n" \
        "    frame: {column: 1, span: 2, line: 1, lines: 10}\n    title: 标题\n    body: 正文。\n" + f"    fit: {fit}\n"
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    (error,) = caught.value.errors
    assert error.line == len(text.splitlines()) and says in error.render("en")
    assert error.render("zh") != error.render("en")


def _tracking_page(tmp_path: Path, pages: list) -> Path:
    """A built page whose first overflowing article fits by tracking alone."""
    for b in pages:
        spec = yaml.safe_load(b.path.read_text(encoding="utf-8"))
        spec["fit"] = {"tracking": ["-5%", "0%"], "squeeze": False, "scale": ["100%", "100%"], "headline": [0, 0],
                       "photo": 0}
        loaded = write(spec, tmp_path / "tracked.yaml")
        fits = lay_out_fitted(loaded, False).fits
        if any(f.fits and f.need == "overflow" for f in fits):
            return tmp_path / "tracked.yaml"
    pytest.fail("no built page fits by tracking")


def paiban(*args: object, cache: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ} | ({"PAIBAN_CACHE_DIR": cache} if cache else {})
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          env=env)


def _body_gaps(pdf: Path) -> list[float]:
    """x distances between consecutive body characters (9 pt) on one line, in the PDF."""
    out = []
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if abs(c["size"] - 9) < 0.01]
    lines: dict[float, list[dict]] = {}
    for c in chars:
        lines.setdefault(round(c["top"], 1), []).append(c)
    for row in lines.values():
        row.sort(key=lambda c: c["x0"])
        out += [b["x0"] - a["x0"] for a, b in zip(row, row[1:], strict=False) if b["x0"] - a["x0"] < 12]
    return out


def test_render_fit_puts_the_tracking_in_the_pdf(tmp_path: Path, pages: list) -> None:
    spec = _tracking_page(tmp_path, pages)
    plain, fitted = tmp_path / "plain.pdf", tmp_path / "fitted.pdf"
    assert paiban("render", spec, "-o", plain).returncode == 1  # over: an error
    result = paiban("render", spec, "-o", fitted, "--fit")
    assert "fitted with" in result.stderr and "tracking" in result.stderr
    check = paiban("check", spec, "--json", "--fit")
    report = yaml.safe_load(check.stdout)
    applied = [f for f in report["specs"][0]["fits"] if f["applied"]]
    assert applied and all(f["adjustment"]["tracking"] < 0 for f in applied)
    tracking = applied[0]["adjustment"]["tracking"] / 100
    with pdfplumber.open(fitted) as doc:
        keywords = doc.metadata.get("Keywords", "")
    assert "paiban-fit:" in keywords and applied[0]["article"] in keywords and f"{tracking * 100:.1f}%" in keywords
    with pdfplumber.open(plain) as doc:
        assert "paiban-fit" not in doc.metadata.get("Keywords", "")
    # the most common pitch of the body's characters: 9 pt plain, 9 pt × (1 + tracking) fitted
    def common(gaps: list[float]) -> float:
        rounded = [round(g, 2) for g in gaps]
        return max(set(rounded), key=rounded.count)

    assert common(_body_gaps(plain)) == pytest.approx(9.0, abs=0.02)
    assert common(_body_gaps(fitted)) == pytest.approx(9.0 * (1 + tracking), abs=0.03)


def test_check_prints_and_reports_the_suggestions(tmp_path: Path, pages: list) -> None:
    spec = pages[0].path
    result = paiban("check", spec, "--json")
    report = yaml.safe_load(result.stdout)
    fits = report["specs"][0]["fits"]
    assert {f["article"] for f in fits} == set(pages[0].targets)
    for f in fits:
        assert f["message"] in result.stderr and not f["applied"]
        assert set(f) >= {"need", "lines", "chars", "fits", "adjustment", "remaining_lines", "remaining_chars"}
    zh = paiban("check", spec, "--lang", "zh")
    assert "排" in zh.stderr and ("即可" in zh.stderr or "删" in zh.stderr or "补" in zh.stderr)
    assert [p["kind"] for p in report["specs"][0]["problems"]].count("fit") == 0  # problems keep their contract


def test_same_bytes_twice_with_or_without_cache(tmp_path: Path, pages: list) -> None:
    spec = _tracking_page(tmp_path, pages)
    outs = []
    for k, cache in enumerate((str(tmp_path / "c1"), str(tmp_path / "c1"), str(tmp_path / "c2"))):
        out = tmp_path / f"{k}.pdf"
        assert paiban("render", spec, "-o", out, "--fit", cache=cache).returncode in (0, 1)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


def test_cut_lines_when_nothing_is_enough_and_a_huge_body_is_quick(tmp_path: Path) -> None:
    spec = copy.deepcopy(PAGE) | {"blocks": [{"type": "article", "id": "huge", "title": "标题",
                                               "frame": {"column": 1, "span": 2, "line": 1, "lines": 20},
                                               "body": "中文正文排版测试。" * 600_000}]}
    loaded = write(spec, tmp_path / "huge.yaml")
    start = time.perf_counter()
    (fit,) = lay_out_fitted(loaded, True).fits
    assert time.perf_counter() - start < 30
    assert not fit.fits and fit.remaining > 1000 and "cut" in fit.message() and fit.trials <= 1
