"""``paiban serve`` shows the copyfit suggestions (docs/fit.md) beside the problem list:
a real server on 127.0.0.1 over a copy of examples/maonan whose lead is made a line or
two over; the suggestion in ``/state.json`` and on the page (in a headless browser where
Debian's chromium is installed), the same as ``paiban check --json`` says; ``--fit``
draws the page with it applied.  The server still answers only to its own Host."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from layout import page as page_module
from layout.memo import Memo
from layout.serve import render_for_preview
from tests.conftest import REPO
from tests.test_serve import CHROMIUM, DRIVER, start_server
from tests.test_serve_security import get

ANCHOR = "党的工作最坚实的力量支撑在基层"
#: Copy pasted into the lead: about one line over at the lead's width (the tests check
#: what it does rather than assume it).
PASTED = "。" + "新增一句话。" * 10
#: Seconds a server may take to show a new version.
WAIT_SECONDS = 60


def over_page(folder: Path) -> Path:
    """A copy of examples/maonan with the lead over by about a line."""
    shutil.copytree(REPO / "examples" / "maonan", folder / "maonan")
    spec = folder / "maonan" / "page.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + PASTED, 1), encoding="utf-8")
    return spec


def state(url: str) -> dict:
    with urllib.request.urlopen(url + "state.json") as response:
        return json.loads(response.read())


def run_check(spec: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(spec), "--json", "--lang", "en", *args],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return result


def paiban_check(spec: Path, *args: str) -> dict:
    return json.loads(run_check(spec, *args).stdout)["specs"][0]


def check_stderr(spec: Path) -> str:
    return run_check(spec).stderr


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    spec = over_page(tmp_path)
    process, url = start_server(spec, *getattr(request, "param", ()))
    yield spec, url
    process.terminate()
    process.wait(timeout=10)


def test_state_carries_the_suggestion_check_gives(server: tuple[Path, str]) -> None:
    spec, url = server
    shown = state(url)
    assert not shown["ok"] and [p["block"] for p in shown["problems"] if p["kind"] == "overflow"] == ["lead"]
    (fit,) = shown["fits"]
    assert fit["article"] == "lead" and fit["need"] == "overflow" and fit["fits"] and not fit["applied"]
    assert fit["message"].startswith("article lead: fits with ")
    checked = paiban_check(spec)
    assert [{k: v for k, v in fit.items() if k != "line"}] == checked["fits"]  # the same answer as check's
    assert f"{spec}:{fit['line']}: note: {fit['message']}" in check_stderr(spec)  # the line check prints
    page = urllib.request.urlopen(url).read().decode()
    assert 'id="fits"' in page and "Copyfit · 压行/拉行" in page


@pytest.mark.parametrize("server", [("--fit",)], indirect=True)
def test_serve_fit_draws_the_page_fitted(server: tuple[Path, str]) -> None:
    spec, url = server
    shown = state(url)
    (fit,) = shown["fits"]
    assert fit["applied"] and fit["message"].startswith("article lead: fitted with ")
    assert shown["ok"] and not [p for p in shown["problems"] if p["kind"] == "overflow"]
    assert {k: v for k, v in fit.items() if k != "line"} == paiban_check(spec, "--fit")["fits"][0]


@pytest.mark.parametrize("server", [("--lang", "zh")], indirect=True)
def test_suggestion_in_the_servers_language(server: tuple[Path, str]) -> None:
    _, url = server
    (fit,) = state(url)["fits"]
    assert fit["message"].startswith("稿件 lead：") and "即可排下" in fit["message"]


def test_the_host_check_still_guards_the_suggestions(server: tuple[Path, str]) -> None:
    _, url = server
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    assert get(port, "/state.json").status == 200
    for host in ("attacker.example", f"attacker.example:{port}", None):
        answer = get(port, "/state.json", host=host)
        assert answer.status == 421 and b"fits" not in answer.body


def test_the_fitter_runs_only_when_an_article_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "examples" / "maonan", tmp_path / "clean")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the fitter ran on a clean page")

    monkeypatch.setattr(page_module, "fit_page", refuse)
    png, shown, _ = render_for_preview(tmp_path / "clean" / "page.yaml", 20, Memo())
    assert png and shown["ok"] and shown["fits"] == []
    png, shown, _ = render_for_preview(over_page(tmp_path), 20, Memo())  # now it must run: the stand-in refuses
    assert not png and "the fitter ran" in shown["errors"][0]


@pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")
def test_browser_shows_the_suggestion_and_hides_it_when_clean(server: tuple[Path, str]) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    spec, url = server
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.get(url)
        wait = WebDriverWait(driver, WAIT_SECONDS)
        wait.until(lambda d: d.find_element(By.ID, "status").get_attribute("data-version"))
        (fit,) = state(url)["fits"]
        items = driver.find_elements(By.CSS_SELECTOR, "#fits li")
        assert [i.text for i in items] == [fit["message"]]
        assert items[0].get_attribute("data-article") == "lead" and "fits" in items[0].get_attribute("class")
        assert driver.find_element(By.ID, "fits-head").is_displayed()
        assert "article lead" in driver.find_element(By.ID, "problems").text
        first = driver.find_element(By.ID, "status").get_attribute("data-version")
        time.sleep(0.05)  # a new modification time even on a coarse clock
        spec.write_text(spec.read_text(encoding="utf-8").replace(PASTED, "", 1), encoding="utf-8")
        wait.until(lambda d: d.find_element(By.ID, "status").get_attribute("data-version") != first)
        assert driver.find_elements(By.CSS_SELECTOR, "#fits li") == []
        assert not driver.find_element(By.ID, "fits-head").is_displayed()
    finally:
        driver.quit()


def test_unreadable_spec_state_has_no_suggestions(tmp_path: Path) -> None:
    broken = tmp_path / "page.yaml"
    broken.write_text("version: 1\npage: [\n", encoding="utf-8")
    png, shown, _ = render_for_preview(broken, 20, Memo())
    assert not png and shown["fits"] == [] and shown["errors"]

