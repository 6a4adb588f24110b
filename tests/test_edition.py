"""Editions: a manifest (``edition: 1``) of pages with inherited settings, folios from the
manifest, one PDF in manifest order or one per page (``--split``), errors with lines."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import pypdfium2
import pytest
import yaml

from layout.furniture import WEEKDAYS
from layout.page import lay_out_page
from layout.spec.errors import SpecInvalid
from layout.spec.manifest import INHERITED_LINE, is_manifest, load_edition, merge
from tests.conftest import REPO
from tests.readback import read_chars
from tests.test_cli import paiban

EXAMPLE = REPO / "examples" / "edition" / "edition.yaml"
#: The header line of a page lies in its top margin: characters above this (pt from the trim top).
HEADER_ABOVE = {"example": 27 * 72 / 25.4, "small": 20 * 72 / 25.4}

SMALL_MANIFEST = """\
edition: 1
paper: 茂名日报
date: 2026-12-02
issue: 12878
defaults:
  page:
    size: [200mm, 280mm]
    margins: {top: 20mm, right: 15mm, bottom: 18mm, left: 15mm}
    columns: 4
    gutter: 9pt
    body: {font: song, size: 9pt, leading: 13.5pt}
  header:
    credits: {责编: 张三, 版式: 李四}
  footer: {hotline: "2288110"}
pages:
  - {spec: a.yaml, name: 要闻}
  - {spec: b.yaml, name: 茂南新闻}
  - {spec: c.yaml, name: 便民服务}
"""


def small_page(title: str) -> str:
    return textwrap.dedent(f"""\
        version: 1
        blocks:
          - type: article
            id: story
            frame: {{column: 1, span: 4, line: 1, lines: 20}}
            title: {title}
            body: 本报讯　这是一篇用于测试的短稿件。
        """)


@pytest.fixture
def small_edition(tmp_path: Path) -> Path:
    for name, title in (("a", "甲稿标题"), ("b", "乙稿标题"), ("c", "丙稿标题")):
        (tmp_path / f"{name}.yaml").write_text(small_page(title), encoding="utf-8")
    manifest = tmp_path / "edition.yaml"
    manifest.write_text(SMALL_MANIFEST, encoding="utf-8")
    return manifest


def header_text(pdf: Path, index: int, above: float) -> str:
    """The characters drawn in the page's top margin (the header line), spaces dropped."""
    return "".join(c.text for c in read_chars(pdf, index) if c.baseline < above and not c.text.isspace())


def page_text(pdf: Path, index: int) -> str:
    return "".join(c.text for c in read_chars(pdf, index))


def folio(number: int, name: str, paper: str, date: dt.date) -> str:
    return f"第{number}版{name}{paper}{date.year}年{date.month}月{date.day}日星期{WEEKDAYS[date.weekday()]}"


def manifest_entries() -> list[dict]:  # type: ignore[type-arg]
    """The example manifest's ``pages:`` entries, read as plain YAML (not through paiban)."""
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["pages"]


def page_count(pdf: Path) -> int:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def test_example_edition_one_pdf_and_split_with_folios_from_the_manifest(tmp_path):
    out, split = tmp_path / "edition.pdf", tmp_path / "pages"
    split.mkdir()
    result = paiban("render", EXAMPLE, "-o", out, "--split", split)
    assert result.returncode == 0, result.stderr
    edition, _ = load_edition(EXAMPLE)
    listed = manifest_entries()  # what the manifest lists, read as plain YAML
    assert page_count(out) == len(edition.pages) == len(listed)
    assert [page.name for page in edition.pages] == [entry["name"] for entry in listed]
    assert sorted(p.name for p in split.iterdir()) == [f"{number:02d}.pdf" for number in range(1, len(listed) + 1)]
    for index, page in enumerate(edition.pages):
        expected = folio(page.number, page.name, "茂名日报", dt.date(2026, 11, 30))
        assert header_text(out, index, HEADER_ABOVE["example"]).startswith(expected)
        single = split / f"{page.number:02d}.pdf"
        assert page_count(single) == 1
        assert page_text(single, 0) == page_text(out, index)  # the same page, alone
    front = page_text(out, 0)
    assert "第12876期" in front and "2026年11月30日星期一" in front.replace("　", "")  # masthead from the manifest
    assert not list(split.glob(".*"))  # no temporary file left beside the pages


def test_page_specs_and_their_pages_inherit_key_by_key():
    edition, loads = load_edition(EXAMPLE)
    specs = {load.page.number: load.loaded.spec for load in loads}
    service = next(load.page.number for load in loads if load.page.source.name == "service.yaml")
    # page geometry from defaults on every page
    assert {spec.page.columns for spec in specs.values()} == {8}
    # header credits merged key by key: the service page overrides 责编 only, in its place
    assert list(specs[service].header.credits.items()) == [("值班主任", ["余虔虹", "陈海边"]), ("责编", "林晓岚"),
                                                     ("版式", "戴奇宙")]
    # styles merged key by key: the service page's titles are smaller, still in 黑体
    assert (specs[service].styles["title"].font, specs[service].styles["title"].size) == ("hei", 22.0)
    assert specs[1].styles["title"].size == 26.0
    # the front page's own footer replaces the default
    assert specs[1].footer.hotline == "2288110" and specs[2].footer.hotline == "2963667"


def test_reordering_the_manifest_changes_the_folios(small_edition, tmp_path):
    def first_pages() -> dict[str, str]:
        out = tmp_path / "e.pdf"
        result = paiban("render", small_edition, "-o", out)
        assert result.returncode == 0, result.stderr
        found = {}
        for index in range(page_count(out)):
            text = page_text(out, index)
            title = re.search("[甲乙丙]稿标题", text).group()
            found[title] = header_text(out, index, HEADER_ABOVE["small"])
        return found

    date = dt.date(2026, 12, 2)
    before = first_pages()
    assert before["甲稿标题"].startswith(folio(1, "要闻", "茂名日报", date))
    assert before["丙稿标题"].startswith(folio(3, "便民服务", "茂名日报", date))
    text = small_edition.read_text(encoding="utf-8")
    small_edition.write_text(text.replace("a.yaml", "TMP").replace("c.yaml", "a.yaml").replace("TMP", "c.yaml"),
                             encoding="utf-8")
    after = first_pages()
    assert after["丙稿标题"].startswith(folio(1, "要闻", "茂名日报", date))
    assert after["甲稿标题"].startswith(folio(3, "便民服务", "茂名日报", date))
    assert after["乙稿标题"] == before["乙稿标题"]


def test_explicit_page_numbers_name_split_files_and_folios(small_edition, tmp_path):
    text = small_edition.read_text(encoding="utf-8")
    small_edition.write_text(text.replace("name: 茂南新闻}", "name: 茂南新闻, page: 5}"), encoding="utf-8")
    split = tmp_path / "split"
    split.mkdir()
    result = paiban("render", small_edition, "--split", split)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in split.iterdir()) == ["01.pdf", "05.pdf", "06.pdf"]  # 6: one after 5
    assert header_text(split / "06.pdf", 0, HEADER_ABOVE["small"]).startswith("第6版便民服务")


def test_a_page_keeps_its_own_folio_and_masthead_values(small_edition):
    (small_edition.parent / "a.yaml").write_text(textwrap.dedent("""\
        version: 1
        header:
          folio: {page: A1}
        blocks:
          - type: masthead
            id: m
            frame: {column: 1, span: 4, line: 1, lines: 12}
            issue: 99
        """), encoding="utf-8")
    _, loads = load_edition(small_edition)
    spec = loads[0].loaded.spec
    assert (spec.header.folio.page, spec.header.folio.section, spec.header.folio.paper) == ("A1", "要闻", "茂名日报")
    masthead = spec.blocks[0]
    assert (masthead.issue, masthead.date, masthead.name) == (99, dt.date(2026, 12, 2), "茂名日报")


def test_check_reports_each_page_by_file_and_number(small_edition):
    result = paiban("check", small_edition, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(Path(e["spec"]).name, e["page"]) for e in report["specs"]] == [("a.yaml", 1), ("b.yaml", 2),
                                                                              ("c.yaml", 3)]
    assert all(e["ok"] and e["blocks"] for e in report["specs"])


def test_a_page_spec_report_has_no_page_key():
    result = paiban("check", REPO / "examples" / "maonan" / "page.yaml", "--json")
    assert "page" not in json.loads(result.stdout)["specs"][0]


# (what to change in the folder, file the error is in, its line, words of the message)
ERROR_CASES = [
    ("manifest", "pages:", "pages:\n  - {spec: a.yaml, name: 要闻, colour: red}\n", "edition.yaml", 16,
     "pages[0].colour: unknown key"),
    ("manifest", "  - {spec: b.yaml, name: 茂南新闻}", "  - {spec: b.yaml, name: 茂南新闻, page: 1}", "edition.yaml", 17,
     "page 1 is already pages[0]"),
    ("manifest", "b.yaml", "missing.yaml", "edition.yaml", 17, "cannot read the page"),
    ("manifest", "b.yaml", "../b.yaml", "edition.yaml", 17, "is outside the manifest's folder"),
    ("manifest", "    columns: 4", "    columns: 0", "edition.yaml", 9,
     "defaults.page.columns: must be at least 1"),
    ("manifest", "defaults:", "defaults:\n  blocks: []", "edition.yaml", 6, "defaults.blocks: unknown key"),
    ("manifest", "date: 2026-12-02", "date: 明天", "edition.yaml", 3, "date:"),
    ("b.yaml", "blocks:", "blokcs:", "b.yaml", 2, "did you mean `blocks`"),
    ("b.yaml", "type: article", "type: artikel", "b.yaml", 3, "unknown block type"),
]


@pytest.mark.parametrize(("where", "old", "new", "file", "line", "words"), ERROR_CASES)
def test_errors_have_file_and_line_and_nothing_is_written(small_edition, tmp_path, where, old, new, file, line, words):
    (tmp_path.parent / "b.yaml").write_text(small_page("外面"), encoding="utf-8")  # for ../b.yaml
    target = small_edition if where == "manifest" else small_edition.parent / where
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "e.pdf"
    result = paiban("render", small_edition, "-o", out)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    wanted = f"{small_edition.parent / file}:{line}: "
    assert any(entry.startswith(wanted) and words in entry for entry in lines), lines
    assert not out.exists()
    zh = paiban("check", small_edition, "--lang", "zh", "--json")
    assert zh.returncode == 2
    assert any(entry.startswith(wanted) and re.search("[\u4e00-\u9fff]", entry)
               for entry in zh.stderr.splitlines()), zh.stderr
    assert not json.loads(zh.stdout)["ok"]


def test_an_inherited_error_names_the_page_that_inherits_it(small_edition):
    small_edition.write_text(small_edition.read_text(encoding="utf-8").replace("columns: 4", "columns: 0"),
                             encoding="utf-8")
    _, loads = load_edition(small_edition)
    messages = [str(error) for load in loads for error in load.errors]
    assert len(messages) == 3 and all(":9: defaults.page.columns" in m for m in messages)
    assert [m.rsplit("inherited by ", 1)[1] for m in messages] == [
        f"{small_edition.parent / name}.yaml)" for name in "abc"]


def test_a_broken_manifest_raises_with_its_line(small_edition):
    small_edition.write_text("edition: 1\npaper: x\ndate: 2026-12-02\npages: []\n", encoding="utf-8")
    with pytest.raises(SpecInvalid) as caught:
        load_edition(small_edition)
    assert [(e.line, e.message.split(":")[0]) for e in caught.value.errors] == [(4, "pages")]


def test_split_needs_an_edition_and_a_manifest_comes_alone(small_edition, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    page = REPO / "examples" / "maonan" / "page.yaml"
    result = paiban("render", page, "--split", tmp_path)
    assert result.returncode == 2 and "--split" in result.stderr and not list(tmp_path.iterdir())
    result = paiban("render", small_edition, page, "-o", tmp_path / "x.pdf")
    assert result.returncode == 2 and "give it alone" in result.stderr
    result = paiban("preview", small_edition, "-o", tmp_path / "x.png")
    assert result.returncode == 2 and "edition manifest" in result.stderr


@pytest.mark.parametrize(("text", "manifest"), [
    ("edition: 1\n", True),
    ("\ufeff# comment\nedition: 1\n", True),
    ("\ufeffedition: 1\n", True),
    ("version: 1\n  edition: 1\n", False),
    ("{edition: 1, paper: x}\n", True),
    ("version: 1\nblocks:\n  - body: |\n      edition: not a key\n", False),
    ("version: 1\n", False),
])
def test_a_manifest_is_told_by_its_edition_key(tmp_path, text, manifest):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert is_manifest(path) is manifest


def test_merge_maps_key_by_key_and_replaces_lists():
    base = {"page": {"columns": 8, "margins": {"top": 1, "left": 2}}, "styles": {"title": {"font": "hei"}}, "l": [1, 2]}
    base_lines = {("page",): 1 + INHERITED_LINE, ("page", "columns"): 2 + INHERITED_LINE, ("l",): 5 + INHERITED_LINE}
    over = {"page": {"margins": {"top": 9}}, "l": [3]}
    over_lines = {("page",): 1, ("page", "margins"): 2, ("page", "margins", "top"): 2, ("l",): 3}
    tree, lines = merge(base, base_lines, over, over_lines)
    assert tree == {"page": {"columns": 8, "margins": {"top": 9, "left": 2}}, "styles": {"title": {"font": "hei"}},
                    "l": [3]}
    assert lines[("page", "columns")] == 2 + INHERITED_LINE and lines[("page", "margins", "top")] == 2
    assert lines[("l",)] == 3


def test_the_editions_front_page_is_the_front_example(tmp_path):
    """Moving the geometry, header, footer and styles into ``defaults`` (and the masthead's
    date and 期号 into the manifest) changes nothing on the page: every character, in place
    — but in the ear, where the edition's front has an index (导读, resolved from the
    manifest) in place of the example's hand-typed one, and in the frames of the stories
    that jump (转版) to a later page: they carry more copy than the example's."""
    alone, edition = tmp_path / "front.pdf", tmp_path / "edition.pdf"
    assert paiban("render", REPO / "examples" / "front" / "page.yaml", "-o", alone).returncode == 0
    assert paiban("render", EXAMPLE, "-o", edition).returncode == 0
    _, loads = load_edition(EXAMPLE)
    jumped = {b.id for b in loads[0].loaded.spec.blocks if getattr(b, "jump", None)}
    assert jumped  # the edition's front page has stories that go on inside
    layout = lay_out_page(loads[0].loaded)
    skipped = [b.frame for b in (*layout.slots, *layout.articles) if b.id == "index" or b.id in jumped]
    assert len(skipped) == len(jumped) + 1

    def inside(c, f, slack=0.5):  # pdfium's origins are rounded: a character at a frame's edge is in it
        return f.x - slack <= c.x <= f.right + slack and f.y - slack <= c.baseline <= f.bottom + slack

    def outside(chars):
        return [c for c in chars if not any(inside(c, f) for f in skipped)]

    chars = read_chars(alone)
    assert len(chars) > 4000 and outside(read_chars(edition, 0)) == outside(chars)
    assert len(outside(chars)) < len(chars)  # the skipped frames' own text was left out, and nothing else
    assert len(outside(chars)) > 1500  # and most of the page is compared


def plain(markdown: str) -> str:
    """A body paragraph as drawn: inline markup (**bold**, *kai*, ==着重==) and spaces dropped."""
    return re.sub(r"\*\*|\*|==|\s", "", markdown)


def test_the_example_editions_jumps_send_the_whole_rest_to_their_continuations(tmp_path):
    """Each jumped story of the example: the paragraphs before the cut on its own page, the
    cut paragraph split between the two pages, the rest on the continuation's page; the jump
    lines name the pages the manifest gives them; the edition checks clean."""
    out = tmp_path / "edition.pdf"
    assert paiban("render", EXAMPLE, "-o", out).returncode == 0
    _, loads = load_edition(EXAMPLE)
    where = {b.id: load for load in loads for b in load.loaded.spec.blocks}
    jumps = [(load, b) for load in loads for b in load.loaded.spec.blocks if getattr(b, "jump", None)]
    assert len(jumps) >= 2
    for load, article in jumps:
        there = where[article.jump]
        assert there.page.number > load.page.number
        home, away = plain(page_text(out, load.page.index)), plain(page_text(out, there.page.index))
        assert f"（下转第{there.page.number}版）" in home and f"（上接第{load.page.number}版）" in away
        paragraphs = [plain(p) for p in article.body.split("\n\n") if p.strip()]
        cut = next(k for k, p in enumerate(paragraphs) if p not in home)
        assert 0 < cut < len(paragraphs) - 1, article.id  # some on each page
        assert all(p in home for p in paragraphs[:cut])
        split = paragraphs[cut]
        assert any(split[:i] in home and split[i:] in away for i in range(1, len(split))), article.id
        assert all(p in away and p not in home for p in paragraphs[cut + 1:])
    result = paiban("check", EXAMPLE, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [p for spec in report["specs"] for p in spec["problems"]] == []
