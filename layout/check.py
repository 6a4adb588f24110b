"""The ``check --json`` report (contract §6) and the one-line problem messages."""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported for the types only: the CLI imports this module for every message
    from layout.page import PageLayout
    from layout.spec.load import SpecError

#: Characters a report shows as escapes rather than as themselves: C0 controls, DEL and
#: C1 controls (a terminal acts on them: ESC starts a colour or cursor sequence, BEL
#: rings, CR overwrites the line), the bidirectional overrides and isolates (they reorder
#: what is shown), lone surrogates (they cannot be encoded) and the non-characters
#: U+FFFE/U+FFFF (XML 1.0 cannot hold them, nor C0 controls other than TAB, LF, CR).
UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
#: Of those, the ones ``json.dumps`` leaves as themselves (it escapes the C0 controls).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def visible(text: str, keep: str = "") -> str:
    """``text`` with every unsafe character (except those in ``keep``) written as an escape
    such as ``\\x1b`` or ``\\u202e``: safe on a terminal and in XML, and still readable."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return UNSAFE_CHARS.sub(escape, text)


def report_json(full_report: dict[str, Any]) -> str:
    """The report as JSON text, with every unsafe character as a ``\\uXXXX`` escape: the
    same strings for a JSON reader, nothing a terminal acts on, always encodable."""
    text = json.dumps(full_report, ensure_ascii=False, indent=2)
    # The characters can only stand inside JSON strings, where a \\u escape is the same string.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
    """``SPEC: message`` per problem, for stderr (control characters shown as escapes)."""
    out = []
    for problem in layout.problems:
        prefix = "" if problem.severity == "error" else f"{problem.severity}: "
        out.append(visible(f"{name}: {prefix}{problem.text(lang)}"))
    return out


def default_lang() -> str:
    """Chinese messages when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG zh_*)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def junit_xml(full_report: dict[str, Any]) -> bytes:
    """The report as JUnit XML: one test case per spec; errors fail it, warnings are output.

    Every string goes through :func:`visible`: a control character in an id, a message or
    a file name would make the XML ill-formed (XML 1.0 has no way to write ESC or NUL).
    """
    from xml.etree import ElementTree as ET

    entries = full_report["specs"]
    suite = ET.Element("testsuite", name="paiban", tests=str(len(entries)),
                       failures=str(sum(1 for e in entries if not e["ok"] and not _unusable(e))),
                       errors=str(sum(1 for e in entries if _unusable(e))))
    for entry in entries:
        case = ET.SubElement(suite, "testcase", classname="paiban.check", name=visible(entry["spec"]))
        errors = [p for p in entry["problems"] if p.get("severity", "error") == "error"]
        others = [p for p in entry["problems"] if p.get("severity", "error") != "error"]
        if errors:
            tag = "error" if _unusable(entry) else "failure"
            node = ET.SubElement(case, tag, message=visible(errors[0]["message"]), type=visible(errors[0]["kind"]))
            node.text = "\n".join(visible(f"{p['kind']}: {p['message']}") for p in errors)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(
                visible(f"{p.get('severity')}: {p['kind']}: {p['message']}") for p in others)
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _unusable(entry: dict[str, Any]) -> bool:
    return any(p["kind"] == "spec_error" for p in entry["problems"])
