"""Problems as one typed vocabulary (issue 10, point 5) and ``--lang zh`` in Chinese throughout (point 8).

- every :class:`ProblemKind` has a default severity, a description in English and in
  Chinese, and is explained in docs/report.md with that severity;
- a problem of an unknown kind, or without a Chinese message, cannot be made;
- the typed report gives the JSON shape of contract §6, key for key;
- ``paiban check --lang zh`` on pages with most kinds of problem says every message,
  prefix and JUnit line in Chinese; the cache warning too;
- ``missing_glyph_problems`` is linear in the number of missing characters.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from layout.check import Report, SpecReport, error_report, junit_xml, report, severity_prefix
from layout.problems import BlockResult, Problem, ProblemKind, Severity, missing_glyph_problems
from layout.spec.errors import SpecError
from tests.adpdfs import FAULTS, make_ad
from tests.conftest import MINIMAL_PAGE, REPO
from tests.test_images_hostile import lab_profile_jpeg, png_declaring

REPORT_DOC = REPO / "docs" / "report.md"
#: Han, kana, full-width punctuation: what makes a line Chinese.
CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
#: What a Chinese message may keep in Latin letters: options (``--lang``), key paths
#: (``output.min_ppi``, ``blocks[a].frame``), file names, code points, units, acronyms
#: (ICC, CMYK) and the program's name.
CODE_LIKE = re.compile(r"--[a-z-]+|`[^`]*`|[\w.\-/\[\]]*[._/\[\]][\w.\-/\[\]]*|U\+[0-9A-F]+"
                       r"|\b(?:pt|ppi|K|src|paiban)\b|\b[A-Z]{2,}\b")


def paiban(*args: Any, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


# -- the vocabulary ------------------------------------------------------------------------


def test_every_kind_has_a_severity_and_both_descriptions() -> None:
    assert len(ProblemKind) >= 25
    for kind in ProblemKind:
        assert isinstance(kind.severity, Severity), kind
        assert kind.describe("en").strip() and not is_chinese(kind.describe("en")), kind
        assert len(CJK.findall(kind.describe("zh"))) >= 4, kind
        assert kind.describe("zh") != kind.describe("en")


def doc_rows() -> dict[str, str]:
    """Kind -> its severity cell, from the tables of docs/report.md."""
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", REPORT_DOC.read_text(encoding="utf-8"), re.M)
    return {kind: severity.strip() for kind, severity in rows}


@pytest.mark.parametrize("kind", list(ProblemKind), ids=str)
def test_every_kind_is_explained_in_the_docs_with_its_severity(kind: ProblemKind) -> None:
    rows = doc_rows()
    assert kind.value in rows, f"{kind} has no row in docs/report.md"
    assert rows[kind.value].startswith(kind.severity.value), (kind, rows[kind.value])


def test_kinds_compare_and_serialise_as_their_names() -> None:
    problem = Problem("overflow", "x", "a", {"lines_over": 1}, message_zh="稿件 a：超出")
    assert problem.kind is ProblemKind.OVERFLOW and problem.kind == "overflow" and f"{problem.kind}" == "overflow"
    assert json.dumps(problem.as_json()) == '{"kind": "overflow", "block": "a", "lines_over": 1, "message": "x"}'


@pytest.mark.parametrize(("kind", "severity", "expected"), [
    (ProblemKind.OVERFLOW, None, Severity.ERROR),
    (ProblemKind.UNDERFULL, None, Severity.WARNING),
    (ProblemKind.HEADLINE_SHRUNK, None, Severity.NOTE),
    (ProblemKind.MISSING_FONT, "warning", Severity.WARNING),  # a family no style uses
    ("empty_photo_slot", Severity.WARNING, Severity.WARNING),
])
def test_severity_defaults_to_the_kind_s(kind: ProblemKind | str, severity: str | None, expected: Severity) -> None:
    problem = Problem(kind, "m", severity=severity, message_zh="中文")
    assert problem.severity is expected and isinstance(problem.kind, ProblemKind)


@pytest.mark.parametrize(("args", "kwargs", "error"), [
    (("overfull", "m"), {"message_zh": "中文"}, ValueError),  # not a kind
    (("Overflow", "m"), {"message_zh": "中文"}, ValueError),  # kinds are exact names
    (("overflow", "m"), {"message_zh": "  "}, ValueError),  # Chinese is required
    (("overflow", "m"), {}, TypeError),
    (("overflow", "m", None, {}, "fatal"), {"message_zh": "中文"}, ValueError),  # not a severity
])
def test_the_vocabulary_is_closed(args: tuple[Any, ...], kwargs: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error):
        Problem(*args, **kwargs)


@pytest.mark.parametrize(("severity", "lang", "prefix"), [
    (Severity.ERROR, "en", ""), (Severity.WARNING, "en", "warning: "), (Severity.NOTE, "en", "note: "),
    (Severity.ERROR, "zh", ""), (Severity.WARNING, "zh", "警告："), (Severity.NOTE, "zh", "提示："),
])
def test_severity_prefixes(severity: Severity, lang: str, prefix: str) -> None:
    assert severity_prefix(severity, lang) == prefix


# -- the typed report ----------------------------------------------------------------------


def sample_report() -> Report:
    block = BlockResult("lead", "article", 75, 3, (1, 1, 1), "underfull")
    problems = (
        Problem(ProblemKind.HEADLINE_TOO_LONG, "article lead: title too long", "lead", {"role": "title", "lines": 2},
                message_zh="稿件 lead：主题过长"),
        Problem(ProblemKind.UNDERFULL, "article lead: 72 lines empty", "lead", {"lines_empty": 72},
                message_zh="稿件 lead：空 72 行"),
        Problem(ProblemKind.MISSING_FONT, "fonts.x: gone", None, {"family": "x"}, "warning", message_zh="fonts.x：缺失"),
    )
    errors = [SpecError("bad.yaml", 3, "page.colums: unknown key", "page.colums：未知的键")]
    return report([SpecReport("p2.yaml", (block,), problems), error_report("bad.yaml", errors)])


def test_the_report_has_the_contract_shape() -> None:
    full = sample_report().as_json()
    assert list(full) == ["ok", "specs"] and full["ok"] is False
    page, bad = full["specs"]
    assert list(page) == ["spec", "ok", "blocks", "problems"] and page["ok"] is False
    assert page["blocks"] == [{"id": "lead", "type": "article", "lines_capacity": 75, "lines_needed": 3,
                               "columns_used": [1, 1, 1], "status": "underfull"}]
    assert [list(p) for p in page["problems"]] == [
        ["kind", "block", "role", "lines", "message"],
        ["kind", "block", "lines_empty", "message", "severity"],
        ["kind", "family", "message", "severity"],
    ]
    assert bad == {"spec": "bad.yaml", "ok": False, "blocks": [],
                   "problems": [{"kind": "spec_error", "line": 3, "message": "bad.yaml:3: page.colums: unknown key"}]}


def test_the_report_in_chinese_changes_only_the_messages() -> None:
    en, zh = sample_report().as_json("en"), sample_report().as_json("zh")
    strip = [{**p, "message": None} for e in en["specs"] for p in e["problems"]]
    assert strip == [{**p, "message": None} for e in zh["specs"] for p in e["problems"]]
    assert [p["message"] for e in zh["specs"] for p in e["problems"]] == [
        "稿件 lead：主题过长", "稿件 lead：空 72 行", "fonts.x：缺失", "bad.yaml:3: page.colums：未知的键"]


def test_a_page_with_only_warnings_is_ok() -> None:
    entry = SpecReport("p.yaml", (), (Problem("underfull", "m", "a", message_zh="空"),
                                      Problem("normalized", "m", "a", message_zh="改")))
    assert entry.ok and report([entry]).ok and not entry.unusable


def test_junit_in_chinese() -> None:
    root = ET.fromstring(junit_xml(sample_report(), "zh"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "稿件 lead：主题过长"
    assert failure.get("type") == "headline_too_long" and failure.text == "headline_too_long：稿件 lead：主题过长"
    out = root.find("testsuite/testcase/system-out")
    assert out is not None and out.text == "警告：underfull：稿件 lead：空 72 行\n警告：missing_font：fonts.x：缺失"
    error = root.find("testsuite/testcase[@name='bad.yaml']/error")
    assert error is not None and error.get("message") == "bad.yaml:3: page.colums：未知的键"


# -- missing glyphs ------------------------------------------------------------------------


@pytest.mark.parametrize(("chars", "counts"), [
    ([], []),
    (list("𠀀"), [("𠀀", 1)]),
    (list("𠀀𠀁𠀀𠀂𠀀𠀁"), [("𠀀", 3), ("𠀁", 2), ("𠀂", 1)]),  # first-seen order
])
def test_missing_glyph_counts(chars: list[str], counts: list[tuple[str, int]]) -> None:
    found = missing_glyph_problems("a", chars, "article a")
    assert [(p.details["char"], p.details["count"]) for p in found] == counts
    for problem in found:
        assert problem.kind is ProblemKind.MISSING_GLYPH and problem.message_zh.startswith("稿件 a：字库缺字")
        assert f"{problem.details['count']}×" in problem.message


#: Distinct missing characters for the scaling test: a quadratic count over them takes
#: minutes, a linear one well under a second.
MANY_MISSING = 40_000


def test_missing_glyphs_are_counted_in_linear_time() -> None:
    chars = [chr(0x20000 + k) for k in range(MANY_MISSING)] * 2
    start = time.perf_counter()
    found = missing_glyph_problems(None, chars, "header")
    elapsed = time.perf_counter() - start
    assert len(found) == MANY_MISSING and {p.details["count"] for p in found} == {2}
    assert elapsed < 5.0, f"{elapsed:.1f} s for {len(chars)} missing characters"


# -- the command in Chinese ----------------------------------------------------------------

BODY = "这是一段正文，用来填满栏。" * 80
NAMES = ", ".join(f"名字{k:02d}" for k in range(30))
MANY_PAGE = MINIMAL_PAGE.lstrip() + f"""
fonts: {{mine: fonts/none.ttf}}
styles:
  title: {{max_lines: 1}}
  subtitle: {{max_lines: 1, min_size: 8pt}}
  caption: {{size: 5pt}}
  credit: {{color: [60, 50, 50, 100]}}
header:
  credits: {{值班主任: [余虔虹, 陈海边], 校对: [{NAMES}]}}
  folio: {{paper: 茂名日报, section: 茂南新闻, date: 2023-12-06, page: 6}}
blocks:
  - type: article
    id: long
    frame: {{column: 1, span: 2, line: 1, lines: 10}}
    title: 这是一个非常非常非常非常非常非常非常非常长的标题
    subtitle: 这是一个相当相当相当相当长的副题
    body: "{BODY}𠀀𠀀𠀁"
  - type: article
    id: short
    frame: {{column: 3, span: 2, line: 1, lines: 30}}
    title: 短稿
    body: 只有一句话,还有半角逗号。改革--发展
  - {{type: article, id: b, frame: {{column: 2, span: 2, line: 5, lines: 10}}, title: 乙, body: 正文。}}
  - {{type: article, id: c, frame: {{column: 4, span: 3, line: 40, lines: 10}}, title: 丙, body: 正文。}}
  - {{type: article, id: n, frame: {{column: 1, span: 1, line: 60, lines: 5}}, columns: 12, title: 窄, body: 正文。}}
  - {{type: photo, id: slot, frame: {{column: 1, span: 2, line: 20, lines: 8}}, caption: "{'很长的图片说明。' * 100}"}}
  - {{type: photo, id: gone, frame: {{column: 3, span: 2, line: 32, lines: 8}}, src: images/missing.jpg, caption: 无图, credit: 记者 张三}}
  - {{type: photo, id: far, frame: {{column: 1, span: 2, line: 30, lines: 8}}, src: ../outside.jpg}}
  - {{type: photo, id: bad, frame: {{column: 1, span: 2, line: 40, lines: 8}}, src: images/broken.jpg}}
  - {{type: photo, id: low, frame: {{column: 3, span: 2, line: 42, lines: 8}}, src: images/small.jpg, caption: 低清}}
  - {{type: photo, id: huge, frame: {{column: 3, span: 1, line: 12, lines: 8}}, src: images/huge.png}}
  - {{type: photo, id: heavy, frame: {{column: 4, span: 1, line: 12, lines: 8}}, src: images/heavy.jpg}}
  - {{type: photo, id: lab, frame: {{column: 3, span: 2, line: 22, lines: 8}}, src: images/lab.jpg}}
  - {{type: qr, id: tiny, frame: {{column: 1, span: 1, line: 12, lines: 1}}, data: https://example.com/tiny}}
  - {{type: qr, id: wordy, frame: {{column: 1, span: 1, line: 14, lines: 4}}, data: "{'长' * 1000}", error_correction: H}}
""" + "".join(f"  - {{type: ad, id: ad-{name}, frame: {{column: 4, span: 1, line: {1 + 5 * k}, lines: 5}}, src: ads/{name}.pdf}}\n"
              for k, name in enumerate(("rgb", "font", "transparency", "ink", "missing", "broken")))
TIGHT_PAGE = """version: 1
page:
  size: [200mm, 280mm]
  margins: {top: 1mm, right: 15mm, bottom: 1mm, left: 15mm}
  columns: 4
  gutter: 9pt
  body: {font: song, size: 9pt, leading: 13.5pt}
header: {credits: {值班主任: 余虔虹}}
footer: {hotline: "2963667", email: maonanxinwen@126.com}
blocks:
  - {type: article, id: a, frame: {column: 1, span: 4, line: 1, lines: 10}, title: 甲, body: 正文。}
  - {type: article, id: b, frame: {column: 1, span: 2, line: 11, lines: 8}, title: 乙, body: 正文。,
     inserts: [{kind: related, at: 3, text: 相关的链接文字写得太长，排不进这一栏。相关的链接文字写得太长，排不进这一栏。}]}
"""
BROKEN_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: a, frame: {column: 0, span: 2, line: 1, lines: 10}, title: 甲, body: 正文。, colour: red}
"""
#: Rules, tints and reversed type: white text overprinting, reversed text too small, body
#: text on a dark tint, a band over the ink limit.
DECOR_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: w, frame: {column: 1, span: 2, line: 1, lines: auto}, title: 甲, body: 正文。,
     tint: [0, 0, 0, 100], styles: {body: {color: [0, 0, 0, 0], overprint: true}}}
  - {type: article, id: r, frame: {column: 3, span: 2, line: 1, lines: auto}, title: 乙, byline: 通讯员　张三, body: 正文。,
     band: {color: [100, 100, 100, 0], reverse: true}, styles: {byline: {size: 7pt}}}
  - {type: article, id: d, frame: {column: 1, span: 4, line: 20, lines: auto}, title: 丙, body: 正文。,
     tint: [0, 0, 0, 40]}
"""
TABLE_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - type: table
    id: short
    frame: {column: 1, span: 2, line: 1, lines: 3}
    columns: [{head: 品名}, {head: 价格, align: decimal}]
    rows: [[白菜, "1.5"], [猪肉, "16.80"], [鸡蛋, "6"]]
  - type: table
    id: squeezed
    frame: {column: 3, span: 1, line: 1, lines: auto}
    columns: [{head: 品名, width: 60mm}, {head: 价格}]
    rows: [[白菜, "1.5"]]
"""
#: A vertical headline of three long lines in a strip one column wide at 7 pt gutters:
#: its lines do not fit across the strip.
VERTICAL_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: v, frame: {column: 1, span: 2, line: 1, lines: 12}, headline: {form: vertical, width: 20pt},
     kicker: 茂南区第八期基层党建活动, title: 一巩二优三提升活动举行, subtitle: 全区党员干部踊跃参加, body: 正文。}
"""
HEADFORMS_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - type: article
    id: sunk
    frame: {column: 1, span: 2, line: 1, lines: 8}
    headline: {form: inset, column: 1, line: 6, span: 2}
    title: 沉到框底的文包题
    body: {placeholder: 40}
  - type: group_title
    id: cramped
    frame: {column: 3, span: 2, line: 1, lines: 1}
    kicker: 引题一行
    title: 挤在一行里的组合标题
    articles: [sunk]
  - type: index
    id: daodu
    frame: {column: 3, span: 2, line: 10, lines: 6}
    entries:
      - article: sunk
      - article: elsewhere   # on no page: index_article_missing
"""
#: 转版 on a page checked on its own: the text going on is counted (jump_unresolved), a
#: jump to this very page is backward, one that fits needs no jump, a continuation waits.
JUMP_PAGE = MINIMAL_PAGE.lstrip() + """
blocks:
  - {type: article, id: goes, frame: {column: 1, span: 2, line: 1, lines: 6}, title: 转版稿件, body: {placeholder: 800},
     jump: elsewhere}
  - {type: article, id: back, frame: {column: 3, span: 2, line: 1, lines: 6}, title: 转回本版, body: {placeholder: 800},
     jump: here}
  - {type: article, id: short, frame: {column: 1, span: 2, line: 10, lines: 10}, title: 短稿, body: 正文。, jump: more}
  - {type: continuation, id: here, frame: {column: 3, span: 2, line: 10, lines: 10}}
  - {type: article, id: covered, frame: {column: 1, span: 4, line: 25, lines: 20}, title: 被遮住的署名,
     byline: ■记者　某某, body: 正文。}
  - {type: photo, id: over-byline, frame: {column: 1, span: 2, line: 27, lines: 10}}   # headline_covered
"""
#: Kinds only an edition brings out (tests/test_jump.py): where a continuation is, or is not,
#: on other pages; and jump_text_lost, which must never happen.
EDITION_KINDS = {"jump_continuation_missing", "jump_conflict", "continuation_overflow", "continuation_empty",
                 "jump_text_lost"}
#: Kinds the pages above must bring out (the rest need a layout hard to force: unbalanced).
EXPECTED_KINDS = {kind.value for kind in ProblemKind} - {"unbalanced"} - EDITION_KINDS


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("problems") / "pages"
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (60, 40), (90, 90, 90)).save(folder / "images" / "small.jpg")
    Image.new("CMYK", (1800, 1200), (230, 230, 230, 230)).save(folder / "images" / "heavy.jpg", quality=95)
    (folder / "images" / "huge.png").write_bytes(png_declaring(8000, 8000))
    (folder / "images" / "broken.jpg").write_bytes(b"not a jpeg at all")
    lab_profile_jpeg(folder / "images" / "lab.jpg")
    (folder / "ads").mkdir()
    for fault in FAULTS:  # each a preflight problem (and the wrong size: 100 pt square)
        make_ad(folder / "ads" / f"{fault}.pdf", 100, 100, fault=fault)
    (folder / "ads" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    out = []
    for name, text in (("many.yaml", MANY_PAGE), ("tight.yaml", TIGHT_PAGE), ("broken.yaml", BROKEN_PAGE),
                       ("decor.yaml", DECOR_PAGE), ("tables.yaml", TABLE_PAGE), ("vertical.yaml", VERTICAL_PAGE),
                       ("headforms.yaml", HEADFORMS_PAGE), ("jumps.yaml", JUMP_PAGE)):
        (folder / name).write_text(text, encoding="utf-8")
        out.append(folder / name)
    return out


def data_values(problem: dict[str, Any]) -> list[str]:
    """The texts a message quotes from the spec or the files (ids, paths, characters, reasons)."""
    values = [str(v) for k, v in problem.items() if k not in ("kind", "message", "severity")]
    values += [str(x) for v in problem.values() if isinstance(v, list | dict) for x in v]
    return values


def is_chinese(message: str, quoted: list[str] = ()) -> bool:  # type: ignore[assignment]
    """More Chinese characters than Latin letters, once the quoted data and the code-like
    words (options, key paths, file names, units) are taken out."""
    for value in sorted(quoted, key=len, reverse=True):  # a path before the id inside it
        if value:
            message = message.replace(value, " ")
    message = CODE_LIKE.sub(" ", message)
    return len(CJK.findall(message)) >= 2 and len(CJK.findall(message)) > len(re.findall(r"[A-Za-z]", message))


@pytest.mark.parametrize(("message", "chinese"), [
    ("稿件 long：超出 79 行（约 1019 字），需删减", True),
    ("图片 far：图片 ../outside.jpg 在稿件目录之外（如确需使用，加 --allow-outside-images）", True),
    ("article long: 79 lines (about 1019 characters) do not fit", False),
    ("article 稿件: title takes 3 lines at 24 pt, 1 allowed", False),  # a Chinese id does not make it Chinese
    ("fonts.x：no font file fonts/x.ttf; its text falls back", False),
])
def test_the_chinese_test_tells_languages_apart(message: str, chinese: bool) -> None:
    assert is_chinese(message) is chinese


def test_check_json_in_chinese(pages: list[Path]) -> None:
    result = paiban("check", "--lang", "zh", "--json", *pages)
    assert result.returncode == 2, result.stderr  # the broken spec
    problems = [p for entry in json.loads(result.stdout)["specs"] for p in entry["problems"]]
    assert EXPECTED_KINDS <= {p["kind"] for p in problems}, EXPECTED_KINDS - {p["kind"] for p in problems}
    for problem in problems:
        assert is_chinese(problem["message"], data_values(problem) + [str(p) for p in pages]), problem
    english = json.loads(paiban("check", "--lang", "en", "--json", *pages).stdout)
    assert [[{**p, "message": ""} for p in e["problems"]] for e in english["specs"]] == \
        [[{**p, "message": ""} for p in e["problems"]] for e in json.loads(result.stdout)["specs"]]


def test_check_lines_in_chinese(pages: list[Path], tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    result = paiban("check", "--lang", "zh", "--junit", junit, *pages)
    lines = result.stderr.splitlines()
    assert len(lines) >= len(EXPECTED_KINDS) and result.stdout == ""
    report_json = json.loads(paiban("check", "--lang", "zh", "--json", *pages).stdout)
    quoted = [v for e in report_json["specs"] for p in e["problems"] for v in data_values(p)]
    quoted += [str(p) for p in pages]
    for line in lines:
        assert is_chinese(line, quoted), line
        assert "warning:" not in line and "note:" not in line
    assert any("：警告：" in line or ": 警告：" in line for line in lines)
    assert any(": 提示：" in line for line in lines)
    root = ET.parse(junit).getroot()
    texts = [node.get("message", "") for node in root.iter() if node.get("message")]
    texts += [line for node in root.iter() if node.text for line in node.text.splitlines()]
    assert len(texts) >= len(EXPECTED_KINDS)
    for text in texts:
        assert is_chinese(re.sub(r"^(?:[^：]+：)?[a-z_]+：", "", text), quoted), text


def test_english_stays_english(pages: list[Path]) -> None:
    result = paiban("check", "--lang", "en", *pages)
    for line in result.stderr.splitlines():
        assert not CJK.search(CODE_LIKE.sub(" ", line).replace("〓", "")) or any(
            word in line for word in ("正文", "，", "。", "𠀀", "𠀁", "——")), line


def test_the_cache_warning_in_both_languages(tmp_path: Path, pages: list[Path]) -> None:
    real = tmp_path / "team"
    real.mkdir()
    real.chmod(0o777)
    folder = tmp_path / "open"  # a link to a folder anybody can write (never tightened)
    folder.symlink_to(real)
    env = {"PAIBAN_CACHE_DIR": str(folder), "PAIBAN_CONFIG_DIR": str(tmp_path / "key")}
    zh = paiban("check", "--lang", "zh", pages[1], env=env).stderr.splitlines()
    en = paiban("check", "--lang", "en", pages[1], env=env).stderr.splitlines()
    assert zh[0].startswith("paiban：警告：缓存文件夹") and is_chinese(zh[0], [str(folder)]), zh
    assert en[0] == f"paiban: warning: cache folder {folder} can be written by other users; running without the cache"


@pytest.mark.parametrize("args", [
    ("serve", "no-such.yaml"),
    ("preview", "{spec}", "-o", "{tmp}/x.png", "--dpi", "5"),
    ("check", "{spec}", "--junit", "{spec}"),
    ("check", "{spec}", "--profile", "{tmp}/none.icc"),
    ("check", "{spec}", "--profile", "{spec}"),  # not an ICC profile
])
def test_usage_errors_in_chinese(args: tuple[str, ...], pages: list[Path], tmp_path: Path) -> None:
    filled = [a.format(spec=pages[1], tmp=tmp_path) for a in args]
    result = paiban(*filled, env={"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    (line,) = result.stderr.splitlines()
    assert result.returncode == 2 and line.startswith("paiban：") and is_chinese(line, [str(pages[1]), str(tmp_path)]), line


@pytest.mark.parametrize(("profile", "reason"), [
    (b"", "找不到"),
    (b"\0" * 200, "不是 ICC 特性文件"),
    (bytes(36) + b"acsp" + bytes(200), "文件不完整或已损坏"),
])
def test_an_unusable_output_profile_in_chinese(profile: bytes, reason: str, tmp_path: Path) -> None:
    spec = tmp_path / "p.yaml"
    spec.write_text(TIGHT_PAGE + "output: {profile: press.icc}\n", encoding="utf-8")
    if profile:
        (tmp_path / "press.icc").write_bytes(profile)
    result = paiban("check", "--lang", "zh", "--json", spec)
    (problem,) = json.loads(result.stdout)["specs"][0]["problems"]
    assert result.returncode == 2 and problem["kind"] == "spec_error" and reason in problem["message"]
    assert problem["message"].startswith(f"{spec}:") and is_chinese(problem["message"], [str(spec)]), problem
    assert result.stderr.splitlines() == [problem["message"]]
