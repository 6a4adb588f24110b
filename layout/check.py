"""The ``check --json`` report (contract §6) and the one-line problem messages."""

from __future__ import annotations

from typing import Any

from layout.page import PageLayout
from layout.spec.load import SpecError


def spec_report(name: str, layout: PageLayout, lang: str = "en") -> dict[str, Any]:
    """One spec's entry: ok, blocks, problems."""
    return {
        "spec": name,
        "ok": layout.ok,
        "blocks": [b.as_json() for b in layout.blocks],
        "problems": [p.as_json(lang) for p in layout.problems],
    }


def error_report(name: str, errors: list[SpecError]) -> dict[str, Any]:
    """An unusable spec's entry: its errors as problems of kind ``spec_error``."""
    return {
        "spec": name,
        "ok": False,
        "blocks": [],
        "problems": [{"kind": "spec_error", "line": e.line, "message": str(e)} for e in errors],
    }


def report(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"ok": all(e["ok"] for e in entries), "specs": entries}


def problem_lines(name: str, layout: PageLayout, lang: str = "en") -> list[str]:
    """``SPEC: message`` per problem, for stderr."""
    out = []
    for problem in layout.problems:
        prefix = "" if problem.severity == "error" else f"{problem.severity}: "
        out.append(f"{name}: {prefix}{problem.text(lang)}")
    return out


def default_lang() -> str:
    """Chinese messages when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG zh_*)."""
    import os

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def junit_xml(full_report: dict[str, Any]) -> bytes:
    """The report as JUnit XML: one test case per spec; errors fail it, warnings are output."""
    from xml.etree import ElementTree as ET

    entries = full_report["specs"]
    suite = ET.Element("testsuite", name="paiban", tests=str(len(entries)),
                       failures=str(sum(1 for e in entries if not e["ok"] and not _unusable(e))),
                       errors=str(sum(1 for e in entries if _unusable(e))))
    for entry in entries:
        case = ET.SubElement(suite, "testcase", classname="paiban.check", name=entry["spec"])
        errors = [p for p in entry["problems"] if p.get("severity", "error") == "error"]
        others = [p for p in entry["problems"] if p.get("severity", "error") != "error"]
        if errors:
            tag = "error" if _unusable(entry) else "failure"
            node = ET.SubElement(case, tag, message=errors[0]["message"], type=errors[0]["kind"])
            node.text = "\n".join(f"{p['kind']}: {p['message']}" for p in errors)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"{p.get('severity')}: {p['kind']}: {p['message']}" for p in others)
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _unusable(entry: dict[str, Any]) -> bool:
    return any(p["kind"] == "spec_error" for p in entry["problems"])
