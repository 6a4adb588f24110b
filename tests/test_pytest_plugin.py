"""The pytest plugin (issue 5), run in a throwaway repository the way a newspaper would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def pytest_in(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=repo,
                          capture_output=True, text=True, timeout=300)


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "paper"
    (repo / "pages").mkdir(parents=True)
    shutil.copy(REPO / "specs" / "templates" / "tabloid.yaml", repo / "pages" / "clean.yaml")
    shutil.copy(REPO / "specs" / "regression" / "overflow.yaml", repo / "pages" / "over.yaml")
    (repo / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return repo


def test_one_test_per_spec_with_the_problem_list(tmp_path):
    repo = make_repo(tmp_path)
    result = pytest_in(repo, "--paiban-specs", "pages/*.yaml")
    assert result.returncode == 1
    assert "1 failed, 1 passed" in result.stdout
    assert "pages/over.yaml: article long:" in result.stdout and "do not fit" in result.stdout


def test_inactive_unless_asked(tmp_path):
    repo = make_repo(tmp_path)
    result = pytest_in(repo)
    assert result.returncode == 5  # no tests collected: the plugin adds nothing by itself


def test_golden_images_catch_a_one_article_change(tmp_path):
    repo = make_repo(tmp_path)
    golden = ["--paiban-specs", "pages/clean.yaml", "--paiban-golden", "golden"]
    assert pytest_in(repo, *golden, "--paiban-update-golden").returncode == 0
    assert pytest_in(repo, *golden).returncode == 0
    page = repo / "pages" / "clean.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("title: 侧栏标题", "title: 侧栏标题已改"), encoding="utf-8")
    result = pytest_in(repo, *golden)
    assert result.returncode == 1 and "pixels differ" in result.stdout
    assert (repo / "golden" / "clean.diff.png").is_file() and (repo / "golden" / "clean.new.png").is_file()


def test_failures_in_chinese_by_option_ini_or_locale(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "pages" / "typo.yaml").write_text("version: 1\npage: {sise: A3}\n", encoding="utf-8")
    english = pytest_in(repo, "--paiban-specs", "pages/*.yaml", "--paiban-lang", "en")
    assert "do not fit" in english.stdout and "需删减" not in english.stdout
    assert "pages/typo.yaml:2: page.sise: unknown key; did you mean `size`?" in english.stdout
    chinese = pytest_in(repo, "--paiban-specs", "pages/*.yaml", "--paiban-lang", "zh")
    assert "需删减" in chinese.stdout and "do not fit" not in chinese.stdout
    assert "pages/typo.yaml:2: page.sise：未知的键；是否想写 `size`？" in chinese.stdout
    (repo / "pytest.ini").write_text("[pytest]\npaiban_lang = zh\n", encoding="utf-8")
    assert "需删减" in pytest_in(repo, "--paiban-specs", "pages/over.yaml").stdout


# -- --paiban-fit: pages must fit with their copyfit policy (docs/fit.md) ------------------

ANCHOR = "党的工作最坚实的力量支撑在基层"
#: Pasted into examples/maonan's lead: about a line over (within the default policy) ...
A_LINE_OVER = "。" + "新增一句话。" * 10
#: ... and many lines over (no adjustment is enough).
FAR_OVER = "。" + "新增一句话。" * 80


def lead_frame_line() -> int:
    """The spec line of maonan's lead frame: where check's notes point."""
    lines = (REPO / "examples" / "maonan" / "page.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("    id: lead")
    return next(n for n, line in enumerate(lines[start:], start + 1) if line.strip().startswith("frame:"))


def make_fit_repo(tmp_path: Path) -> Path:
    """A repository with a clean page, a page a line over, and one far over (both maonan)."""
    repo = make_repo(tmp_path)
    (repo / "pages" / "over.yaml").unlink()
    for name, pasted in (("near", A_LINE_OVER), ("far", FAR_OVER)):
        shutil.copytree(REPO / "examples" / "maonan", repo / "pages" / name)
        spec = repo / "pages" / name / "page.yaml"
        spec.write_text(spec.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + pasted, 1), encoding="utf-8")
    return repo


def test_without_fit_an_over_page_fails_with_its_suggestion(tmp_path):
    repo = make_fit_repo(tmp_path)
    result = pytest_in(repo, "--paiban-specs", "pages/**/*.yaml", "--paiban-lang", "en")
    assert result.returncode == 1 and "2 failed, 1 passed" in result.stdout, result.stdout
    assert "pages/near/page.yaml: article lead:" in result.stdout and "do not fit" in result.stdout
    assert "note: article lead: fits with " in result.stdout  # the suggestion follows the failure
    assert "note: article lead: cut " in result.stdout and "no adjustment is enough" in result.stdout


def test_paiban_fit_passes_a_page_that_fits_with_its_policy(tmp_path):
    repo = make_fit_repo(tmp_path)
    junit = repo / "out.xml"
    result = pytest_in(repo, "--paiban-specs", "pages/**/*.yaml", "--paiban-fit", "--paiban-lang", "en", "-rP",
                       f"--junitxml={junit}")
    assert result.returncode == 1 and "1 failed, 2 passed" in result.stdout, result.stdout
    # the far page fails with how much to cut; the near one passes, saying what was applied
    failures, passes = result.stdout.split("= PASSES =", 1)
    assert "pages/far/page.yaml: article lead:" in failures and "do not fit" in failures
    line = lead_frame_line()
    assert f"pages/far/page.yaml:{line}: note: article lead: cut " in failures and "no adjustment is enough" in failures
    assert "near" not in failures and "far" not in passes
    assert "Captured paiban-fit call" in passes and f"pages/near/page.yaml:{line}: note: article lead: fitted with " in passes
    from xml.etree import ElementTree as ET

    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    near = next(c for name, c in cases.items() if "near" in name)
    assert near.find("failure") is None
    properties = {p.get("name"): p.get("value") for p in near.iter("property")}
    assert properties["paiban_fit"].startswith("article lead: fitted with ")
    clean = next(c for name, c in cases.items() if "clean" in name)
    assert clean.find("failure") is None and not list(clean.iter("property"))


def test_paiban_fit_from_the_ini_and_in_chinese(tmp_path):
    repo = make_fit_repo(tmp_path)
    (repo / "pytest.ini").write_text("[pytest]\npaiban_fit = true\npaiban_lang = zh\n", encoding="utf-8")
    result = pytest_in(repo, "--paiban-specs", "pages/**/*.yaml", "-rP")
    assert result.returncode == 1 and "1 failed, 2 passed" in result.stdout, result.stdout
    assert "稿件 lead：已按" in result.stdout and "稿件 lead：删 " in result.stdout
    (repo / "pytest.ini").write_text("[pytest]\npaiban_fit = false\n", encoding="utf-8")
    assert "2 failed, 1 passed" in pytest_in(repo, "--paiban-specs", "pages/**/*.yaml").stdout
