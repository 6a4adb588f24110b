"""Hostile and mistyped specs, generated: every one ends in ``FILE:LINE: message`` errors
(SpecInvalid), never another exception, a hang or a runaway in memory.

A valid base spec touching every field is written out as YAML with the line of every key
known; each case mutates it (a number field set to .nan, a text field to a lone
surrogate, a key misspelled, a key deleted, …) or is a hostile document of its own
(billion laughs, tags, merge keys, bad dates, bad bytes).  Cases run in process through
``load_spec`` and are timed; a few run through the real command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from layout.safeio import SPEC_MAX_BYTES
from layout.spec.errors import KeyPath, SpecInvalid
from layout.spec.load import load_spec
from tests.conftest import REPO

#: Longest any one small case may take to be refused (a billion-laughs file included).
CASE_SECONDS = 1.0
#: Cases of more than BIG_CASE_BYTES (100,000 values to read one by one, a 5 MB line) may
#: take this long: the work is linear, but on a loaded machine 100,000 values take ~1 s.
BIG_CASE_BYTES, BIG_CASE_SECONDS = 100_000, 3.0
#: Longest the whole generated suite may take in process.
SUITE_SECONDS = 60.0
_TIMES: list[float] = []


@dataclass(frozen=True)
class Raw:
    """YAML text written as is (a tag, .nan, an escape, a 400-digit number)."""

    text: str


BASE: dict[str, Any] = {
    "version": 1,
    "page": {
        "size": ["200mm", "280mm"],
        "margins": {"top": "20mm", "right": "15mm", "bottom": "18mm", "left": "15mm"},
        "bleed": "3mm",
        "crop_marks": True,
        "columns": 4,
        "gutter": "9pt",
        "body": {"font": "song", "size": "9pt", "leading": "13.5pt"},
    },
    "header": {
        "credits": {"责编": "张三", "版式": ["李四", "王五"]},
        "folio": {"paper": "茂名日报", "section": "茂南新闻", "date": dt.date(2024, 5, 1), "page": 3},
    },
    "footer": {"hotline": "0668-1234567", "email": "news@example.org"},
    "styles": {
        "title": {"font": "hei", "weight": "bold", "size": "24pt", "leading": 1.2, "color": [0, 100, 100, 0],
                  "align": "center", "max_lines": 2, "punctuation": "kaiming", "min_size": "18pt"},
    },
    "typography": {"kinsoku": "basic", "cjk_latin_space": 0.25, "first_indent": 2, "trim_line_start": True,
                   "trim_after_indent": True, "punctuation": "line_end_half", "hanging": "none",
                   "composer": "total-fit", "normalize": True},
    "output": {"ink_limit": 240, "min_ppi": 200, "target_ppi": 300, "jpeg_quality": 90, "min_text_size": "6pt",
               "pdfx": True},
    "blocks": [
        {"type": "article", "id": "lead", "frame": {"column": 1, "span": 2, "line": 1, "lines": 20}, "columns": 2,
         "kicker": "引题", "title": "标题", "subtitle": "副题", "byline": "■通讯员 张三", "body": "第一段。\n\n第二段。",
         "styles": {"body": {"size": "10pt"}}},
        {"type": "photo", "id": "pic", "frame": {"column": 3, "span": 2, "line": 1, "lines": 10},
         "src": "images/x.jpg", "caption": "图片说明", "credit": "摄影 李四", "fit": "cover", "focus": [0.5, 0.5]},
        {"type": "article", "id": "second", "frame": {"column": 1, "span": 4, "line": 21, "lines": "auto"},
         "title": "二题", "body": {"placeholder": 300}},
    ],
}
#: Mappings whose keys are free text (names), not a model's keys.
FREE_KEYS = {("header", "credits")}
#: Keys a spec must give (by name; where they are written in a model).
REQUIRED = {"version", "page", "size", "margins", "top", "right", "bottom", "left", "columns", "gutter", "body",
            "type", "id", "frame", "column", "line", "lines", "title", "placeholder"}
#: Keys that are optional in one place and required in another (body: a page's style vs an
#: article's copy; columns: the page's vs an article's).
OPTIONAL_HERE = {("blocks", 0, "body"), ("blocks", 2, "body"), ("header", "folio", "page"), ("styles", "title"), ("blocks", 0, "columns"), ("blocks", 0, "styles", "body"),
                 ("styles", "title", "size"), ("blocks", 0, "styles", "body", "size"), ("blocks", 0, "frame", "span"),
                 ("blocks", 1, "frame", "span"), ("blocks", 2, "frame", "span")}


def scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key_text(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def key_text(key: Any) -> str:
    return key.text if isinstance(key, Raw) else str(key)


def emit(document: dict[Any, Any]) -> tuple[str, dict[KeyPath, int]]:
    """Block-style YAML of ``document`` and the line of every key path (1-based)."""
    out: list[str] = []
    lines: dict[KeyPath, int] = {}

    def mapping(node: dict[Any, Any], path: KeyPath, indent: str) -> None:
        for key, value in node.items():
            here = path + (key,)
            lines[here] = len(out) + 1
            if isinstance(value, dict) and value:
                out.append(f"{indent}{key_text(key)}:")
                mapping(value, here, indent + "  ")
            elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
                out.append(f"{indent}{key_text(key)}:")
                for index, item in enumerate(value):
                    lines[here + (index,)] = len(out) + 1
                    if isinstance(item, dict):  # "-" alone on its line: the mapping starts on the next
                        lines[here + (index,)] += 1
                        out.append(f"{indent}  -")
                        mapping(item, here + (index,), indent + "    ")
                    else:
                        out.append(f"{indent}  - {scalar(item)}")
            else:
                out.append(f"{indent}{key_text(key)}: {scalar(value)}")
                if isinstance(value, list):
                    for index in range(len(value)):
                        lines[here + (index,)] = lines[here]

    mapping(document, (), "")
    return "\n".join(out) + "\n", lines


def leaves(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, path + (index,))
    else:
        yield path, node


def mappings(node: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, dict[Any, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from mappings(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from mappings(value, path + (index,))


def replaced(node: Any, path: KeyPath, value: Any) -> Any:
    if not path:
        return value
    if isinstance(node, dict):
        return {k: (replaced(v, path[1:], value) if k == path[0] else v) for k, v in node.items()}
    return [replaced(v, path[1:], value) if i == path[0] else v for i, v in enumerate(node)]


def renamed(node: Any, path: KeyPath, new: Any) -> Any:
    """``node`` with the key at ``path`` renamed to ``new`` (None: deleted), order kept."""
    if len(path) == 1:
        return {(new if k == path[0] else k): v for k, v in node.items() if not (k == path[0] and new is None)}
    if isinstance(node, dict):
        return {k: (renamed(v, path[1:], new) if k == path[0] else v) for k, v in node.items()}
    return [renamed(v, path[1:], new) if i == path[0] else v for i, v in enumerate(node)]


def is_number_leaf(path: KeyPath, value: Any) -> bool:
    if isinstance(value, (int, float)):  # bools too: true/false fields get the same abuse
        return True
    return isinstance(value, str) and value[:1].isdigit() and value.rstrip("0123456789.").endswith(("pt", "mm"))


#: Values no number (or true/false) field may take: each must be refused at its line.
NUMBER_HOSTILE = {
    "nan": Raw(".nan"), "inf": Raw(".inf"), "-inf": Raw("-.inf"), "NaN-caps": Raw(".NaN"),
    "1e308": Raw("1.0e+308"), "-1e308": Raw("-1.0e+308"), "10**400": Raw("1" + "0" * 400),
    "10**20": Raw("1" + "0" * 20), "5000 digits": Raw("9" * 5000), "list": Raw("[1, 2]"), "mapping": Raw("{a: 1}"),
}
#: Values that may be right or wrong depending on the field: only the shape of the answer is checked.
NUMBER_ODD = {
    "-1": Raw("-1"), "0": Raw("0"), "1e-300": Raw("1.0e-300"), "text": Raw("abc"), "true": Raw("true"),
    "null": Raw("null"), "empty text": Raw('""'), "25": Raw("25"), "1e400pt": Raw('"1' + "0" * 400 + 'pt"'),
    "-0.0": Raw("-0.0"), "hex": Raw("0x1F"), "sexagesimal": Raw("1:30"),
}
#: Values no text field may take.
TEXT_HOSTILE = {
    "lone surrogate": Raw('"\\ud800"'), "lone low surrogate": Raw('"a\\udfffb"'), "NUL": Raw('"a\\0b"'),
    "NUL hex": Raw('"\\x00"'), "python tag": Raw('!!python/object/apply:os.system ["echo hi"]'),
    "python name": Raw("!!python/name:os.system"), "local tag": Raw("!foo bar"), "binary": Raw("!!binary aGVsbG8="),
    "set": Raw("!!set {a, b}"), "omap": Raw("!!omap [a: 1]"), "nan": Raw(".nan"),
}
TEXT_ODD = {
    "100k chars": "字" * 100_000, "empty": "", "number": Raw("123"), "list": Raw("[x]"), "mapping": Raw("{a: b}"),
    "equals": Raw("="), "right-to-left": "שלום مرحبا", "control": Raw('"\\a\\e"'), "null": Raw("~"),
}

BASE_TEXT, BASE_LINES = emit(BASE)


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    #: Lines where one of the errors must be; None: any outcome (valid, or errors of the right shape).
    lines: frozenset[int] | None = None
    #: Words one of the errors must hold.
    words: str = ""


def field_cases() -> Iterator[Case]:
    for path, value in leaves(BASE):
        where = ".".join(map(str, path))
        line = frozenset({BASE_LINES[path]})
        if is_number_leaf(path, value):
            hostile, odd = NUMBER_HOSTILE, NUMBER_ODD
        elif isinstance(value, str) or isinstance(value, dt.date):
            hostile, odd = TEXT_HOSTILE, TEXT_ODD
        else:
            continue
        for name, bad in hostile.items():
            text, _ = emit(replaced(BASE, path, bad))
            yield Case(f"{where} = {name}", text.encode("utf-8", "surrogatepass"), line)
        for name, bad in odd.items():
            text, _ = emit(replaced(BASE, path, bad))
            yield Case(f"{where} = {name} (any outcome)", text.encode("utf-8"), None)


def misspelled(key: str) -> str:
    """Two neighbouring letters swapped past the first (``title`` -> ``tilte``); short keys get an x."""
    if len(key) >= 4:
        for i in range(len(key) // 2, len(key) - 1):
            if key[i] != key[i + 1]:
                return key[:i] + key[i + 1] + key[i] + key[i + 2:]
    return key + "x"


def key_cases() -> Iterator[Case]:
    for path, node in mappings(BASE):
        for key in node:
            here = path + (key,)
            where = ".".join(map(str, here))
            line = frozenset({BASE_LINES[here]})
            if path not in FREE_KEYS:
                wrong = misspelled(key)
                words = f"did you mean `{key}`?" if len(key) >= 4 else "unknown"
                text, _ = emit(renamed(BASE, here, wrong))
                yield Case(f"{where} misspelled {wrong}", text.encode(), line, words)
            required = key in REQUIRED and path not in FREE_KEYS and here not in OPTIONAL_HERE
            text, lines = emit(renamed(BASE, here, None))
            if required:  # the error is on the line of the mapping that lacks the key (lines shifted up by one)
                yield Case(f"{where} deleted", text.encode(), frozenset({lines.get(path, 1)}), "required key is missing")
            else:
                yield Case(f"{where} deleted (any outcome)", text.encode(), None)
            for name, bad_key in (("number", Raw("1")), ("true", Raw("true")), ("null", Raw("~")),
                                  ("float", Raw("1.5")), ("date", Raw("2024-01-01")), ("list", Raw("[a]")),
                                  ("mapping", Raw("{a: 1}")), ("nan", Raw(".nan"))):
                if isinstance(node.get(key), (dict, list)):
                    continue  # one non-text key per mapping is enough; keep the suite small
                text, _ = emit(renamed(BASE, here, bad_key))
                yield Case(f"{where} key = {name}", text.encode(), line)


def laughs(levels: int, fan: int) -> bytes:
    rows = ["a0: &a0 [lol]"] + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * fan)}]" for n in range(1, levels)]
    return ("\n".join(rows) + "\n").encode()


def structural_cases() -> Iterator[Case]:
    one = frozenset({1})
    base = BASE_TEXT
    yield Case("billion laughs 9x10", laughs(10, 10), None, "aliases")
    yield Case("billion laughs 30x2", laughs(31, 2), None, "aliases")
    yield Case("billion laughs 4x1000", laughs(4, 1000), None, "aliases")
    yield Case("laughs in a block", (base + "  - &x [" + ", ".join(["lol"] * 400) + "]\n  - [" +
                                     ", ".join(["*x"] * 400) + "]\n").encode(), None, "aliases")
    yield Case("recursive alias", b"a: &a [1, *a]\n", one, "inside")
    yield Case("recursive mapping alias", b"a: &a {b: *a}\n", one, "inside")
    yield Case("undefined alias", b"version: *nope\n", one, "anchor")
    yield Case("alias used before its anchor", b"a: *b\nb: &b 1\n", one, "anchor")
    yield Case("merge key", (base + "extra: &m {a: 1}\nmore: {<<: *m}\n").encode(), None, "merge")
    yield Case("merge key in a block", base.replace('    type: "article"\n', '    <<: {type: "article"}\n', 1)
               .encode(), None, "merge")
    for name, tag in (("python object", "!!python/object:os.system x"), ("python apply", "!!python/object/apply:os.system [x]"),
                      ("python module", "!!python/module:os"), ("local tag", "!foo {a: 1}"), ("verbatim tag", "!<tag:x> y"),
                      ("set", "!!set {a, b}"), ("omap", "!!omap [a: 1]"), ("pairs", "!!pairs [a: 1]"),
                      ("binary", "!!binary aGVsbG8="), ("tag on the document", "!!python/object:x {}")):
        yield Case(f"tag {name}", f"version: 1\nextra: {tag}\n".encode(), frozenset({2}), "tag")
    yield Case("tag on the whole document", b"!!python/object:os.system\nversion: 1\n", one, "tag")
    for name, date in (("month 13", "2023-13-45"), ("day 30 of February", "2023-02-30"), ("year 0", "0000-01-01"),
                       ("day 0", "2023-01-00"), ("datetime hour 25", "2023-01-01 25:00:00")):
        text = base.replace("date: 2024-05-01", f"date: {date}")
        yield Case(f"date {name}", text.encode(), frozenset({BASE_LINES[("header", "folio", "date")]}),
                   "not a valid date (YYYY-MM-DD)")
    yield Case("duplicate key", (base + "version: 1\n").encode(), frozenset({len(base.splitlines()) + 1}), "duplicate")
    for name, top in (("a list", "- a\n- b\n"), ("a string", "just text\n"), ("a number", "5\n"), ("null", "~\n"),
                      ("an empty document", "---\n"), ("a date", "2024-01-01\n")):
        yield Case(f"document is {name}", top.encode(), one, "mapping")
    yield Case("empty file", b"", one, "empty")
    yield Case("only comments", b"# nothing here\n# at all\n", one, "empty")
    yield Case("only a BOM", b"\xef\xbb\xbf", one, "empty")
    yield Case("two documents", (base + "---\nversion: 1\n").encode(), None, "one YAML document")
    yield Case("UTF-16", base.encode("utf-16"), one, "UTF-8")
    yield Case("UTF-16 big-endian", "\ufeff".encode("utf-16-be") + base.encode("utf-16-be"), one, "UTF-8")
    for at in (1, 5, 20, len(base.splitlines())):
        lines = base.splitlines(keepends=True)
        raw = "".join(lines[: at - 1]).encode() + b"bad: \xff\xfe\xc0\n" + "".join(lines[at - 1:]).encode()
        yield Case(f"Latin-1 bytes on line {at}", raw, frozenset({at}), "UTF-8")
    yield Case("GBK bytes", base.replace("标题", "XX").encode().replace(b"XX", "标题".encode("gbk")), None, "UTF-8")
    yield Case("lone surrogate bytes", base.encode() + b"x: \xed\xa0\x80\n", frozenset({len(base.splitlines()) + 1}),
               "UTF-8")
    yield Case("raw NUL byte", base.encode() + b"x: a\x00b\n", frozenset({len(base.splitlines()) + 1}), "U+0000")
    yield Case("raw control character", base.encode() + b"x: a\x01b\n", frozenset({len(base.splitlines()) + 1}),
               "U+0001")
    yield Case("deep flow nesting", b"version: " + b"[" * 100_000, None, "")
    yield Case("deep flow nesting closed", b"version: " + b"[" * 60 + b"]" * 60 + b"\n", one, "deep")
    yield Case("deep block nesting", "".join(f"{'  ' * n}k{n}:\n" for n in range(200)).encode(), None, "deep")
    yield Case("deep mapping nesting", b"a: " + b"{a: " * 500 + b"1" + b"}" * 500 + b"\n", None, "")
    yield Case("200k values", b"version: [" + b"0, " * 200_000 + b"0]\n", one, "100,000 values")
    yield Case("many keys", ("\n".join(f"k{n}: {n}" for n in range(150_000)) + "\n").encode(), None, "100,000 values")
    yield Case("unclosed quote", (base + 'x: "open\n').encode(), None, "YAML syntax error")
    yield Case("tab indentation", base.replace("  size: [", "\tsize: [", 1).encode(), None, "")
    yield Case("unclosed flow", b"version: 1\npage: {size: [1, 2\n", None, "YAML syntax error")
    yield Case("a key of 1 MB", (base + "k" * 1_000_000 + ": 1\n").encode(), None, "")
    yield Case("a line of 5 MB", (base + "x: " + "长" * 2_000_000 + "\n").encode(), None, "unknown key")
    yield Case("blocks is a mapping", base.replace("blocks:\n", "blocks: {}\nold:\n").encode(), None, "")
    yield Case("block is a string", (base + '  - "just text"\n').encode(), None, "mapping like")
    yield Case("block without type", (base + "  -\n    id: x\n").encode(), None, "type")
    yield Case("unknown block type", base.replace('type: "photo"', 'type: "picture"').encode(),
               frozenset({BASE_LINES[("blocks", 1, "type")]}), "did you mean `photo`? (types: article, photo, qr, masthead, ear, ad, table, group_title, index, continuation)")


ALL = [*field_cases(), *key_cases(), *structural_cases()]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "with a BOM"])
def test_the_base_spec_is_valid(tmp_path, bom):
    path = tmp_path / "page.yaml"
    path.write_bytes(bom + BASE_TEXT.encode())
    spec = load_spec(path).spec
    assert len(spec.blocks) == 3 and spec.header.folio.date == dt.date(2024, 5, 1)  # dates still read as dates


def test_the_suite_is_large_and_mostly_hostile():
    assert len(ALL) >= 500, len(ALL)
    assert sum(c.lines is not None or bool(c.words) for c in ALL) >= 300


def assert_refused(path: Path, case: Case) -> list[str]:
    """Load ``path``: either valid (only when the case allows it) or SpecInvalid with
    well-formed errors; never another exception; in time."""
    start = time.perf_counter()
    try:
        load_spec(path)
    except SpecInvalid as exc:
        errors = exc.errors
    else:
        errors = []
    took = time.perf_counter() - start
    _TIMES.append(took)
    bound = BIG_CASE_SECONDS if len(case.content) > BIG_CASE_BYTES else CASE_SECONDS
    assert took < bound, f"{case.name}: {took:.2f} s"
    if case.lines is not None or case.words:
        assert errors, f"{case.name}: accepted"
    for error in errors:
        assert error.file == str(path) and isinstance(error.line, int) and error.line >= 0
        assert error.message.strip() and error.message_zh.strip(), error
        assert "Input should" not in error.message and "Traceback" not in error.message, error
        assert str(error).startswith(f"{path}:{error.line}: ")
    if case.lines is not None:
        assert any(e.line in case.lines for e in errors), (case.name, sorted(case.lines), [str(e) for e in errors])
    if case.words:
        assert any(case.words in e.message for e in errors), (case.name, [str(e) for e in errors])
    return [str(e) for e in errors]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the generated cases (a tmp_path each would take longer than the cases)."""
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_hostile_spec_is_refused_with_file_and_line(folder, case):
    path = folder / "page.yaml"
    path.write_bytes(case.content)
    found = assert_refused(path, case)
    if "misspelled" in case.name and "did you mean" in case.words:  # one message, not "unknown" + "missing"
        key = case.words.split("`")[1]
        assert not any(f".{key}: required key is missing" in e or e.endswith(f": {key}: required key is missing")
                       for e in found), found


def file_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:
        out.truncate(SPEC_MAX_BYTES + 1)  # sparse: no disk used
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {"a named pipe": (fifo, "named pipe"), "/dev/zero": (zero, "device"), "a folder": (folder, "folder"),
            "too large": (huge, "too large"), "missing": (tmp_path / "none.yaml", "no such file"),
            "a dangling link": (_dangling(tmp_path), "no such file")}


def _dangling(tmp_path: Path) -> Path:
    link = tmp_path / "dangling.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    return link


@pytest.mark.parametrize("kind", ["a named pipe", "/dev/zero", "a folder", "too large", "missing", "a dangling link"])
def test_unreadable_files_are_refused_at_line_0(tmp_path, kind):
    path, words = file_cases(tmp_path)[kind]
    start = time.perf_counter()
    with pytest.raises(SpecInvalid) as info:
        load_spec(path)
    assert time.perf_counter() - start < CASE_SECONDS
    (error,) = info.value.errors
    assert error.line == 0 and error.message.startswith("cannot read the spec: ") and words in error.message
    assert str(error) == f"{path}:0: {error.message}" and error.message_zh.startswith("无法读取")


#: Cases also run through the real command: exit 2, ``FILE:LINE: `` on every stderr line.
CLI_CASES = ["billion laughs 9x10", "recursive alias", "styles.title.size = nan", "blocks.0.title = lone surrogate",
             "tag python apply", "date month 13", "page.columns = 10**400", "blocks.0.title misspelled",
             "UTF-16", "200k values", "merge key"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_hostile_specs_through_the_command(tmp_path, name):
    case = next(c for c in ALL if c.name.startswith(name))
    path = tmp_path / "page.yaml"
    path.write_bytes(case.content)
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(path)], cwd=REPO, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PAIBAN_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    rows = result.stderr.splitlines()
    assert rows and all(row.startswith(f"{path}:") and row.split(":")[1].isdigit() for row in rows), rows


@pytest.mark.parametrize("kind", ["a named pipe", "/dev/zero", "a folder"])
def test_unreadable_files_through_the_command(tmp_path, kind):
    path, words = file_cases(tmp_path)[kind]
    result = subprocess.run([sys.executable, "-m", "layout", "check", str(path)], cwd=REPO, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "PAIBAN_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 2 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.startswith(f"{path}:0: cannot read the spec: ") and words in result.stderr


def test_the_whole_suite_is_fast(tmp_path):
    """Runs last: the generated cases together, in process (run here again when the
    module did not run them all first)."""
    if len(_TIMES) < len(ALL):
        _TIMES.clear()
        path = tmp_path / "page.yaml"
        for case in ALL:
            path.write_bytes(case.content)
            assert_refused(path, case)
    total = sum(_TIMES)
    print(f"\n{len(_TIMES)} hostile specs in {total:.2f} s (slowest {max(_TIMES):.3f} s)")
    assert total < SUITE_SECONDS
