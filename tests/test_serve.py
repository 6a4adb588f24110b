"""``paiban serve`` end to end in a real headless browser (issue 5).

Needs Debian's chromium and chromium-driver (``.ci/run`` installs them); skipped with a
reason where they are missing.  The reload latency is printed, not asserted: speed is
measured in benchmarks (``benchmarks/serve_latency.py``), not in timed tests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def start_server(spec: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(spec), "--port", "0", "--dpi", "30",
                                *extra],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert match, line
    return process, match.group()


@pytest.fixture
def page(tmp_path):  # type: ignore[no-untyped-def]
    shutil.copytree(REPO / "examples" / "maonan", tmp_path / "maonan")
    spec = tmp_path / "maonan" / "page.yaml"
    process, url = start_server(spec)
    yield spec, url
    process.terminate()
    process.wait(timeout=10)


def test_serves_only_the_preview_and_the_spec_folder(page):
    spec, url = page
    with urllib.request.urlopen(url + "state.json") as response:
        assert b'"ok": true' in response.read()
    with urllib.request.urlopen(url + "files/images/luocun.jpg") as response:
        assert response.read() == (spec.parent / "images" / "luocun.jpg").read_bytes()
    for bad in ("files/%2e%2e/%2e%2e/etc/passwd", "files/../page.yaml/../../x", "anything"):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + bad)
        assert info.value.code == 404
    assert url.startswith("http://127.0.0.1:")


@pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")
def test_browser_shows_the_page_and_follows_edits(page):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    spec, url = page
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.get(url)
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: d.find_element(By.ID, "status").get_attribute("data-version"))
        wait.until(lambda d: d.execute_script("const i = document.getElementById('img'); return i.complete && i.naturalWidth > 0"))
        first = driver.find_element(By.ID, "status").get_attribute("data-version")
        assert driver.find_element(By.ID, "problems").text == ""
        # the editor pastes more copy into the lead: the page must show the overflow by itself
        text = spec.read_text(encoding="utf-8").replace("党的工作最坚实的力量支撑在基层", "党的工作最坚实的力量支撑在基层。" * 20, 1)
        edited = time.perf_counter()
        spec.write_text(text, encoding="utf-8")
        wait.until(lambda d: d.find_element(By.ID, "status").get_attribute("data-version") != first)
        latency = time.perf_counter() - edited
        print(f"reload latency after an edit: {latency:.3f} s")
        assert "article lead" in driver.find_element(By.ID, "problems").text
        # a broken spec shows FILE:LINE on the page, and the server keeps running
        spec.write_text(text.replace("columns: 8", "columns: [8"), encoding="utf-8")
        wait.until(lambda d: "page.yaml:" in d.find_element(By.ID, "errors").text)
        assert "YAML syntax error" in driver.find_element(By.ID, "errors").text
    finally:
        driver.quit()


def test_preview_watch_rewrites_the_png_on_changes(tmp_path):
    shutil.copytree(REPO / "specs" / "templates", tmp_path / "t")
    spec, out = tmp_path / "t" / "tabloid.yaml", tmp_path / "page.png"
    process = subprocess.Popen([sys.executable, "-m", "layout", "preview", str(spec), "-o", str(out), "--watch",
                                "--dpi", "20"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        first = out.read_bytes()
        spec.write_text(spec.read_text(encoding="utf-8").replace("侧栏标题", "侧栏标题改了"), encoding="utf-8")
        while out.read_bytes() == first and time.monotonic() < deadline:
            time.sleep(0.1)
        assert out.read_bytes() != first
    finally:
        process.terminate()
        process.wait(timeout=10)
