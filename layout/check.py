"""The ``check --json`` report (contract §6) and the one-line problem messages."""

from __future__ import annotations

from typing import Any

from layout.page import PageLayout
from layout.spec.load import SpecError


def spec_report(name: str, layout: PageLayout) -> dict[str, Any]:
    """One spec's entry: ok, blocks, problems."""
    return {
        "spec": name,
        "ok": layout.ok,
        "blocks": [b.as_json() for b in layout.blocks],
        "problems": [p.as_json() for p in layout.problems],
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


def problem_lines(name: str, layout: PageLayout) -> list[str]:
    """``SPEC: message`` per problem, for stderr."""
    out = []
    for problem in layout.problems:
        prefix = "" if problem.severity == "error" else f"{problem.severity}: "
        out.append(f"{name}: {prefix}{problem.message}")
    return out
