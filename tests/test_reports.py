"""Reports CI understands (issue 5): JUnit XML, copyfitting numbers, Chinese messages."""

from __future__ import annotations

import json
import subprocess
import sys
from xml.etree import ElementTree as ET

from tests.conftest import MINIMAL_PAGE, REPO

OVERFLOW = REPO / "specs" / "regression" / "overflow.yaml"
EXAMPLE = REPO / "examples" / "maonan" / "page.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_junit_carries_the_same_problems_as_json(tmp_path):
    junit = tmp_path / "report.xml"
    result = run("check", OVERFLOW, EXAMPLE, "--json", "--junit", junit, "--lang", "en")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {str(OVERFLOW), str(EXAMPLE)}
    failure = cases[str(OVERFLOW)].find("failure")
    assert failure is not None and cases[str(EXAMPLE)].find("failure") is None
    json_messages = [p["message"] for p in report["specs"][0]["problems"]]
    assert failure.get("message") == json_messages[0] and all(m in failure.text for m in json_messages)


def test_underfull_article_says_how_much_to_add(tmp_path):
    spec = tmp_path / "u.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: a, frame: {column: 1, span: 2, line: 1, lines: 30}, title: 短稿, body: 只有一小段正文，远远填不满这个版面。}
""", encoding="utf-8")
    result = run("check", spec, "--json", "--lang", "en")
    assert result.returncode == 0  # underfull alone does not fail the page
    (block,) = json.loads(result.stdout)["specs"][0]["blocks"]
    (problem,) = json.loads(result.stdout)["specs"][0]["problems"]
    assert block["status"] == "underfull" and problem["kind"] == "underfull" and problem["severity"] == "warning"
    assert problem["lines_empty"] >= 40 and problem["chars_to_fill"] >= problem["lines_empty"] * 5
    assert f"{problem['lines_empty']} lines empty" in problem["message"]


def test_messages_in_chinese_by_flag_or_locale():
    zh = run("check", OVERFLOW, "--lang", "zh")
    assert "稿件 long：超出" in zh.stderr and "需删减" in zh.stderr
    by_locale = run("check", OVERFLOW, env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    assert "超出" in by_locale.stderr
    en = run("check", OVERFLOW, env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert "do not fit" in en.stderr
