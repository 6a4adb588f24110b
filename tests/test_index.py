"""The front-page index (导读, ``type: index``): page numbers and names resolved from the
edition's manifest before layout, read back from the PDF's text layer; an entry for an
article not in the edition is a problem; a page on its own resolves to itself."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from layout.page import lay_out_page
from layout.problems import ProblemKind
from layout.spec.load import load_spec
from layout.spec.manifest import load_edition
from tests.readback import read_chars
from tests.test_cli import paiban

DEFAULTS = """\
defaults:
  page:
    size: [200mm, 280mm]
    margins: {top: 20mm, right: 15mm, bottom: 18mm, left: 15mm}
    columns: 4
    gutter: 9pt
    body: {font: song, size: 9pt, leading: 13.5pt}
"""
#: The index page (A) and two story pages (B, C) of the test edition, by file stem: page name, article id, title.
STORIES = {"b": ("茂南新闻", "yu", "鲜鱼变身餐桌爆款"), "c": ("便民服务", "bao", "医保缴费月底截止")}


def article(block_id: str, title: str, line: int = 1) -> str:
    return textwrap.indent(textwrap.dedent(f"""\
        - type: article
          id: {block_id}
          frame: {{column: 1, span: 4, line: {line}, lines: 20}}
          title: {title}
          body: 本报讯　这是一篇用于测试的短稿件。
        """), "  ")


def index_block(entries: list[str], lines: int = 12) -> str:
    listed = "".join(f"      - article: {e}\n" for e in entries)
    return f"""\
  - type: index
    id: daodu
    frame: {{column: 1, span: 2, line: 1, lines: {lines}}}
    entries:
{listed}"""


def write_edition(folder: Path, order: list[str], entries: list[str]) -> Path:
    (folder / "a.yaml").write_text("version: 1\nblocks:\n" + index_block(entries) + article("front", "头版稿件", 21),
                                   encoding="utf-8")
    for stem, (_, block_id, title) in STORIES.items():
        (folder / f"{stem}.yaml").write_text("version: 1\nblocks:\n" + article(block_id, title), encoding="utf-8")
    names = {"a": "要闻", **{stem: name for stem, (name, _, _) in STORIES.items()}}
    pages = "".join(f"  - {{spec: {stem}.yaml, name: {names[stem]}}}\n" for stem in order)
    manifest = folder / "edition.yaml"
    manifest.write_text(f"edition: 1\npaper: 茂名日报\ndate: 2026-12-02\n{DEFAULTS}pages:\n{pages}", encoding="utf-8")
    return manifest


def front_text(pdf: Path) -> str:
    return "".join(c.text for c in read_chars(pdf, 0) if not c.text.isspace())


@pytest.mark.parametrize("order", [["a", "b", "c"], ["a", "c", "b"]])
def test_index_entries_follow_their_articles_pages(tmp_path: Path, order: list[str]) -> None:
    manifest = write_edition(tmp_path, order, ["yu", "bao", "front"])
    out = tmp_path / "edition.pdf"
    result = paiban("render", manifest, "-o", out)
    assert result.returncode == 0, result.stderr
    text = front_text(out)
    assert "今日导读" in text
    for stem, (name, _, title) in STORIES.items():
        number = order.index(stem) + 1
        assert f"■{title}（{number}版·{name}）" in text
        for other in {2, 3} - {number}:
            assert f"{title}（{other}版" not in text
    assert "■头版稿件（1版·要闻）" in text  # an article on the index's own page
    # entries in the order written, whatever the pages' order
    assert text.index(STORIES["b"][2]) < text.index(STORIES["c"][2]) < text.index("头版稿件（")


def test_an_entry_for_an_article_not_in_the_edition_is_a_problem(tmp_path: Path) -> None:
    manifest = write_edition(tmp_path, ["a", "b", "c"], ["yu", "nowhere"])
    result = paiban("check", manifest)
    assert result.returncode != 0
    assert "nowhere" in result.stdout + result.stderr
    _, loads = load_edition(manifest)
    layout = lay_out_page(loads[0].loaded)
    (missing,) = [p for p in layout.problems if p.kind is ProblemKind.INDEX_ARTICLE_MISSING]
    assert missing.details == {"entry": 1, "article": "nowhere"} and missing.severity == "error"
    line = next(n for n, text in enumerate((tmp_path / "a.yaml").read_text().splitlines(), 1) if "nowhere" in text)
    assert missing.line == line
    assert not layout.ok


SINGLE = """\
version: 1
page:
  size: [200mm, 280mm]
  margins: {top: 20mm, right: 15mm, bottom: 18mm, left: 15mm}
  columns: 4
  gutter: 9pt
  body: {font: song, size: 9pt, leading: 13.5pt}
"""


@pytest.mark.parametrize(("header", "where"), [
    ("", "（本版）"),
    ("header:\n  folio: {section: 要闻, page: 5}\n", "（5版·要闻）"),
])
def test_a_page_on_its_own_resolves_to_itself(tmp_path: Path, header: str, where: str) -> None:
    spec = tmp_path / "page.yaml"
    spec.write_text(SINGLE + header + "blocks:\n" + index_block(["front", "elsewhere"]) + article("front", "头版稿件", 21),
                    encoding="utf-8")
    layout = lay_out_page(load_spec(spec))
    kinds = [p.kind for p in layout.problems]
    assert kinds.count(ProblemKind.INDEX_ARTICLE_MISSING) == 1  # "elsewhere" is on no page
    (missing,) = [p for p in layout.problems if p.kind is ProblemKind.INDEX_ARTICLE_MISSING]
    assert missing.details["article"] == "elsewhere" and missing.message_zh
    line = next(n for n, text in enumerate(spec.read_text().splitlines(), 1) if "elsewhere" in text)
    assert missing.line == line  # the entry's `article:` line
    out = tmp_path / "page.pdf"
    assert paiban("render", spec, "-o", out).returncode in (0, 1, 2)
    assert f"■头版稿件{where}" in front_text(out)


def test_an_index_that_does_not_fit_its_frame_overflows(tmp_path: Path) -> None:
    spec = tmp_path / "page.yaml"
    block = index_block(["front"] * 8, lines=4)
    spec.write_text(SINGLE + "blocks:\n" + block + article("front", "头版稿件", 21), encoding="utf-8")
    layout = lay_out_page(load_spec(spec))
    overflow = [p for p in layout.problems if p.kind is ProblemKind.OVERFLOW and p.block == "daodu"]
    assert len(overflow) == 1 and overflow[0].details["lines_over"] >= 8 - 2
    (result,) = [b for b in layout.blocks if b.id == "daodu"]
    assert result.status == "overflow" and result.type == "index"
