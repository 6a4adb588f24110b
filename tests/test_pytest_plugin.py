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
