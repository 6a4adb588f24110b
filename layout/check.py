"""The ``check --json`` report (contract §6) and the one-line problem messages."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from layout.problems import BlockResult, Problem, ProblemKind, Severity

if TYPE_CHECKING:  # imported for the types only: the CLI imports this module for every message
    from layout.fit import FitResult
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


@dataclass(frozen=True, slots=True)
class SpecReport:
    """One spec's entry of the report: its blocks and problems (an unusable spec has no
    blocks and its errors as ``spec_error`` problems)."""

    spec: str
    blocks: tuple[BlockResult, ...]
    problems: tuple[Problem, ...]
    #: The page number (版次) of a page of an edition; None for a spec checked on its own.
    page: int | None = None
    #: Copyfit of its overflowing and underfull articles (layout/fit.py; ``fits`` in the JSON).
    fits: tuple[FitResult, ...] = ()

    @property
    def ok(self) -> bool:
        """No problem of severity error (warnings and notes do not count)."""
        return not any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def unusable(self) -> bool:
        return any(p.kind is ProblemKind.SPEC_ERROR for p in self.problems)

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        entry: dict[str, Any] = {"spec": self.spec}
        if self.page is not None:  # only in an edition's report: a spec's own report is unchanged
            entry["page"] = self.page
        entry |= {
            "ok": self.ok,
            "blocks": [b.as_json() for b in self.blocks],
            "problems": [p.as_json(lang) for p in self.problems],
        }
        if self.fits:  # added by copyfit (docs/fit.md), only when an article is off: the contract's shape otherwise
            entry["fits"] = [f.as_json(lang) for f in self.fits]
        return entry

    @property
    def name(self) -> str:
        """The entry as a test case is named: the spec, and its page number in an edition."""
        return self.spec if self.page is None else f"{self.spec} (page {self.page})"


@dataclass(frozen=True, slots=True)
class Report:
    """The whole ``check --json`` report (contract §6): one entry per spec, in order."""

    specs: tuple[SpecReport, ...]

    @property
    def ok(self) -> bool:
        return all(entry.ok for entry in self.specs)

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """The report's JSON shape, messages in ``lang``; docs/report.md documents it."""
        return {"ok": self.ok, "specs": [entry.as_json(lang) for entry in self.specs]}


def spec_report(name: str, layout: PageLayout, page: int | None = None) -> SpecReport:
    """One laid-out spec's entry: ok, blocks, problems (and its page number in an edition)."""
    return SpecReport(name, tuple(layout.blocks), tuple(layout.problems), page, layout.fits)


def error_report(name: str, errors: list[SpecError], page: int | None = None) -> SpecReport:
    """An unusable spec's entry: its errors as problems of kind ``spec_error``, whose
    message is the whole ``FILE:LINE: message`` line."""
    problems = tuple(Problem(ProblemKind.SPEC_ERROR, e.render("en"), None, {"line": e.line},
                             message_zh=e.render("zh")) for e in errors)
    return SpecReport(name, (), problems, page)


def report(entries: list[SpecReport]) -> Report:
    return Report(tuple(entries))


def problem_lines(name: str, layout: PageLayout, lang: str = "en", fits: bool = False) -> list[str]:
    """``SPEC: message`` (``SPEC:LINE: message`` for a problem of one block's frame) per
    problem, for stderr (control characters shown as escapes);
    warnings and notes with their severity first (``warning: `` / ``警告：``); ``fits``:
    then the copyfit suggestions (``note: article lead: fits with −1.5% tracking``)."""
    lines = [visible(f"{name}{'' if p.line is None else f':{p.line}'}: {severity_prefix(p.severity, lang)}{p.text(lang)}")
             for p in layout.problems]
    return lines + [visible(f"{name}{'' if f.line is None else f':{f.line}'}: {severity_prefix(Severity.NOTE, lang)}"
                            f"{f.message(lang)}") for f in (layout.fits if fits else ())]


def severity_prefix(severity: Severity, lang: str = "en") -> str:
    """What goes before a message of this severity: nothing for an error, else
    ``warning: `` / ``note: `` (``警告：`` / ``提示：`` in Chinese)."""
    if severity is Severity.ERROR:
        return ""
    return f"{severity.label(lang)}{'：' if lang == 'zh' else ': '}"


def default_lang() -> str:
    """Chinese messages when the locale is Chinese (LC_ALL, LC_MESSAGES or LANG zh_*)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def junit_xml(full_report: Report, lang: str = "en") -> bytes:
    """The report as JUnit XML: one test case per spec; errors fail it, warnings are output.

    Every string goes through :func:`visible`: a control character in an id, a message or
    a file name would make the XML ill-formed (XML 1.0 has no way to write ESC or NUL).
    """
    from xml.etree import ElementTree as ET

    entries = full_report.specs
    sep = "：" if lang == "zh" else ": "
    suite = ET.Element("testsuite", name="paiban", tests=str(len(entries)),
                       failures=str(sum(1 for e in entries if not e.ok and not e.unusable)),
                       errors=str(sum(1 for e in entries if e.unusable)))
    for entry in entries:
        case = ET.SubElement(suite, "testcase", classname="paiban.check", name=visible(entry.name))
        # a copyfit suggestion goes with the failure it answers ("cut 3 lines", "fits with −1 % tracking")
        errors = [p for p in entry.problems if p.severity is Severity.ERROR]
        others = [p for p in entry.problems if p.severity is not Severity.ERROR]
        # a copyfit suggestion goes with the failure it answers ("cut 3 lines", "fits with −1 % tracking")
        suggested = [visible(f"{f.kind}{sep}{f.message(lang)}") for f in entry.fits]
        if errors:
            tag = "error" if entry.unusable else "failure"
            node = ET.SubElement(case, tag, message=visible(errors[0].text(lang)), type=visible(errors[0].kind))
            node.text = "\n".join([*(visible(f"{p.kind}{sep}{p.text(lang)}") for p in errors), *suggested])
        if others or (suggested and not errors):
            ET.SubElement(case, "system-out").text = "\n".join(
                [*(visible(f"{p.severity.label(lang)}{sep}{p.kind}{sep}{p.text(lang)}") for p in others),
                 *([] if errors else [f"{Severity.NOTE.label(lang)}{sep}{s}" for s in suggested])])
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


#: How alike a misspelled problem kind must be to a real one to be suggested (difflib's ratio).
KIND_SUGGEST_CUTOFF = 0.6


class UnknownKind(ValueError):
    """``check --explain`` of a name that is no problem kind; ``zh`` says it in Chinese."""

    def __init__(self, message: str, zh: str):
        super().__init__(message)
        self.zh = zh


def find_kind(name: str) -> ProblemKind:
    """The problem kind called ``name`` (case and ``-`` for ``_`` forgiven), or
    :class:`UnknownKind` with the closest kind as a did-you-mean."""
    import difflib

    wanted = name.strip().lower().replace("-", "_")
    for kind in ProblemKind:
        if kind.value == wanted:
            return kind
    close = difflib.get_close_matches(wanted, [k.value for k in ProblemKind], n=1, cutoff=KIND_SUGGEST_CUTOFF)
    shown = visible(repr(name))
    if close:
        raise UnknownKind(f"unknown problem kind {shown}; did you mean `{close[0]}`? "
                          "(`paiban check --explain` lists them all)",
                          f"未知的问题类型 {shown}；是否想写 `{close[0]}`？（`paiban check --explain` 列出全部类型）")
    raise UnknownKind(f"unknown problem kind {shown} (`paiban check --explain` lists them all)",
                      f"未知的问题类型 {shown}（`paiban check --explain` 列出全部类型）")


def explain_kind(kind: ProblemKind, lang: str = "en") -> str:
    """``kind (severity): what it means`` in one line, in ``lang``."""
    colon = "：" if lang == "zh" else ": "
    bracket = ("（", "）") if lang == "zh" else (" (", ")")
    return f"{kind.value}{bracket[0]}{kind.severity.label(lang)}{bracket[1]}{colon}{kind.describe(lang)}"


def explain_all(lang: str = "en") -> str:
    """Every problem kind, one a line: name, severity, description, in columns."""
    kinds = list(ProblemKind)
    name_width = max(len(k.value) for k in kinds)
    labels = [k.severity.label(lang) for k in kinds]
    # Chinese severities are two wide characters each: pad by display width, not length
    label_width = max(_width(label) for label in labels)
    return "\n".join(f"{k.value:<{name_width}}  {label}{' ' * (label_width - _width(label))}  {k.describe(lang)}"
                     for k, label in zip(kinds, labels, strict=True))


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: wide (CJK) characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
