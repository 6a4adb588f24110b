"""Jumps between pages (转版): an article's ``jump:`` and its ``type: continuation`` on a
later page of an edition — page numbers from the manifest, every character on one of the
two pages in reading order (read back from the PDFs), problems, pages on their own,
waves with ``--jobs``, the digital-edition export linking both parts."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pdfplumber
import pytest
import yaml

from layout.compose.styled import cut_spans
from layout.jump import JumpStatus, PageEntry, PageJumps, jump_waves, link_jumps
from layout.spec.data import Article, Continuation, FrameRef
from layout.text.markup import PLAIN, parse_inline, plain_text
from tests.conftest import REPO
from tests.test_cli import paiban

#: The long article of the seed page: 2,228 characters with three subheads.
SEED = yaml.safe_load((REPO / "examples" / "maonan" / "page.yaml").read_text(encoding="utf-8"))
LONG = next(b for b in SEED["blocks"] if b.get("id") == "xinfang")
SHORT = next(b for b in SEED["blocks"] if b.get("id") == "dangjian")
SCHEMA = json.loads((REPO / "docs" / "epaper.schema.json").read_text(encoding="utf-8"))

PAGE = {"size": ["200mm", "280mm"], "margins": {"top": "20mm", "right": "15mm", "bottom": "18mm", "left": "15mm"},
        "columns": 4, "gutter": "9pt", "body": {"font": "song", "size": "9pt", "leading": "13.5pt"}}


def manifest(pages: list[tuple[str, str]], numbers: list[int] | None = None) -> str:
    """A manifest of ``(file, page name)`` in print order (explicit page numbers if given)."""
    entries = [{"spec": f, "name": n, **({"page": numbers[k]} if numbers else {})} for k, (f, n) in enumerate(pages)]
    return yaml.safe_dump({"edition": 1, "paper": "茂名日报", "date": "2026-12-02", "issue": 12878,
                           "defaults": {"header": {"credits": {"责编": "张三"}}}, "pages": entries},
                          allow_unicode=True, sort_keys=False)


def page(*blocks: dict[str, Any]) -> str:
    """A whole page spec (its own geometry: it can also be checked on its own)."""
    return yaml.safe_dump({"version": 1, "page": PAGE, "blocks": list(blocks)}, allow_unicode=True, sort_keys=False)


def article(id_: str, body: str, lines: int | str = 20, jump: str | None = None, line: int = 1, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "article", "id": id_, "frame": {"column": 1, "span": 4, "line": line, "lines": lines},
                           "title": LONG["title"] if id_ == "lead" else SHORT["title"], "body": body, **extra}
    if jump:
        out["jump"] = jump
    return out


def continuation(id_: str, lines: int | str = "auto", line: int = 1, **extra: Any) -> dict[str, Any]:
    return {"type": "continuation", "id": id_, "frame": {"column": 1, "span": 4, "line": line, "lines": lines}, **extra}


def write(folder: Path, files: dict[str, str], order: list[tuple[str, str]], numbers: list[int] | None = None) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "edition.yaml"
    path.write_text(manifest(order, numbers), encoding="utf-8")
    return path


def jumped_edition(folder: Path, order: list[str] | None = None, body: str | None = None,
                   numbers: list[int] | None = None, **lead: Any) -> Path:
    """a.yaml: the long article, jumping; b.yaml: another page; c.yaml: the continuation."""
    files = {"a.yaml": page(article("lead", body or LONG["body"], jump="more", byline=LONG.get("byline"), **lead)),
             "b.yaml": page(article("other", SHORT["body"], lines="auto")),
             "c.yaml": page(continuation("more", title="信访为人民")),}
    names = {"a.yaml": "要闻", "b.yaml": "茂南新闻", "c.yaml": "综合"}
    return write(folder, files, [(f, names[f]) for f in (order or ["a.yaml", "b.yaml", "c.yaml"])], numbers)


def pdf_text(pdf: Path, index: int) -> str:
    with pdfplumber.open(pdf) as doc:
        return "".join(c["text"] for c in doc.pages[index].chars)


def squash(text: str) -> str:
    return "".join(text.split())


def rebuild(body: str, change: Any) -> str:
    """The body with ``change`` applied to each paragraph's text (not to subheads)."""
    from layout.flow.collect import split_body

    return "\n\n".join(f"## {p.text}" if p.subhead else change(p.text) for p in split_body(body))


def plain_body(body: str) -> str:
    """The body's characters as set: markup and subhead marks gone, no white space."""
    from layout.flow.collect import split_body

    return "".join(squash(plain_text(parse_inline(p.text))) for p in split_body(body))


# --- page numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(("order", "numbers", "out", "into"), [
    (["a.yaml", "b.yaml", "c.yaml"], None, 3, 1),
    (["a.yaml", "c.yaml", "b.yaml"], None, 2, 1),
    (["b.yaml", "a.yaml", "c.yaml"], None, 3, 2),
    (["a.yaml", "b.yaml", "c.yaml"], [1, 4, 7], 7, 1),
])
def test_jump_lines_carry_the_page_numbers_of_the_manifest(tmp_path: Path, order: list[str], numbers: list[int] | None,
                                                          out: int, into: int) -> None:
    edition = jumped_edition(tmp_path, order, numbers=numbers)
    pdf = tmp_path / "edition.pdf"
    result = paiban("render", edition, "-o", pdf)
    assert result.returncode == 0, result.stderr
    first, second = order.index("a.yaml"), order.index("c.yaml")
    assert f"（下转第{out}版）" in pdf_text(pdf, first)
    assert f"（上接第{into}版）" in pdf_text(pdf, second)
    for k in range(3):  # no other page carries a jump line
        if k not in (first, second):
            assert "下转" not in pdf_text(pdf, k) and "上接" not in pdf_text(pdf, k)


# --- every character, in reading order -------------------------------------------------------


def _export(edition: Path, out: Path) -> tuple[dict[int, dict[str, Any]], Path]:
    pdf = out.parent / "edition.pdf"
    assert paiban("render", edition, "-o", pdf).returncode == 0
    result = paiban("export", edition, "--out", out, "--dpi", "36")
    assert result.returncode == 0, result.stderr
    docs = {json.loads(p.read_text(encoding="utf-8"))["position"]: json.loads(p.read_text(encoding="utf-8"))
            for p in out.glob("*.json")}
    return docs, pdf


#: Glyph centres of one line differ by font (宋, 黑, 楷) by less than this; lines are 13.5 pt apart.
LINE_GAP = 4.5


def _area_text(pdf: Path, index: int, areas: list[list[float]]) -> str:
    """The characters inside each area in turn, each area read line by line (top down)."""
    with pdfplumber.open(pdf) as doc:
        chars = [(c["text"], (c["x0"] + c["x1"]) / 2, (c["y0"] + c["y1"]) / 2) for c in doc.pages[index].chars]
    out = []
    for x0, y0, x1, y1 in areas:
        inside = sorted((c for c in chars if x0 <= c[1] <= x1 and y0 <= c[2] <= y1), key=lambda c: -c[2])
        lines: list[list[tuple[str, float, float]]] = []
        for c in inside:  # a new line where the glyph centres drop by more than a third of the pitch
            if not lines or lines[-1][0][2] - c[2] > LINE_GAP:
                lines.append([])
            lines[-1].append(c)
        out += ["".join(c[0] for c in sorted(line, key=lambda c: c[1])) for line in lines]
    return "".join(out)


def _document_article(docs: dict[int, dict[str, Any]], id_: str) -> tuple[int, dict[str, Any]]:
    for position, doc in docs.items():
        for item in doc["articles"]:
            if item["id"] == id_:
                return position, item
    raise AssertionError(id_)


JUMP_LINE = re.compile(r"（(下转|上接)第\d+版）")


@pytest.mark.parametrize("variant", ["plain", "markup"])
def test_every_character_of_a_jumped_article_is_on_its_two_pages_in_reading_order(tmp_path: Path, variant: str) -> None:
    body = LONG["body"]
    if variant == "markup":  # bold, a kai span and emphasis dots on both sides of the cut (subheads take none)
        body = rebuild(LONG["body"], lambda text: re.sub(r"(信访[^，。]{0,6})", r"**\1**", text)
                       .replace("普法", "==普法==").replace("群众", "*群众*"))
    edition = jumped_edition(tmp_path, body=body)
    docs, pdf = _export(edition, tmp_path / "out")
    first_at, first = _document_article(docs, "lead")
    second_at, second = _document_article(docs, "more")
    assert first["continuation"] == {"page": second_at, "article": "more"}
    assert second["continued_from"] == {"page": first_at, "article": "lead"}
    read = ""
    for position, item in ((first_at, first), (second_at, second)):
        areas = [a["pdf"] for a in item["areas"] if a["kind"] in ("column", "insert")]
        read += JUMP_LINE.sub("", _area_text(pdf, position - 1, areas))
    assert squash(read) == plain_body(body)
    # and the export's body blocks say the same, in the same order
    exported = "".join(b["text"] for item in (first, second) for b in item["body"] if b["role"] != "jump")
    assert squash(exported) == plain_body(body)
    assert [b["role"] for b in first["body"]][-1] == "jump" and [b["role"] for b in second["body"]][0] == "jump"


def test_export_areas_hold_exactly_each_parts_characters_and_follow_the_schema(tmp_path: Path) -> None:
    docs, pdf = _export(jumped_edition(tmp_path), tmp_path / "out")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for position, doc in docs.items():
        validator.validate(doc)
        with pdfplumber.open(pdf) as reader:
            chars = [(c["text"], (c["x0"] + c["x1"]) / 2, (c["y0"] + c["y1"]) / 2) for c in reader.pages[position - 1].chars]
        for item in doc["articles"]:
            areas = [a["pdf"] for a in item["areas"] if a["kind"] in ("headline", "column", "insert")]
            inside = "".join(t for t, x, y in chars if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in areas))
            expected = "".join([item[k] or "" for k in ("label", "kicker", "title", "subtitle", "byline")]
                               + [b["text"] for b in item["body"]])
            assert sorted(squash(inside)) == sorted(squash(expected)), item["id"]


def test_a_cut_paragraph_goes_on_without_an_indent_and_in_its_own_style(tmp_path: Path) -> None:
    """The paragraph at the page break is one bold span: its rest is bold on the next page."""
    from layout.page import lay_out_page
    from layout.spec.manifest import load_edition

    _, loads = load_edition(jumped_edition(tmp_path / "plain" if (tmp_path / "plain").mkdir() is None else tmp_path))
    cut = lay_out_page(loads[0].loaded).rests[0].paragraphs[0]  # the paragraph at the page break
    body = rebuild(LONG["body"], lambda text: f"**{text}**" if text == cut else text)
    edition = jumped_edition(tmp_path, body=body)
    _, loads = load_edition(edition)
    rest = lay_out_page(loads[0].loaded).rests[0]
    assert rest.skip > 0 and rest.paragraphs[0].startswith("**"), "the cut falls inside the bold paragraph"
    pdf = tmp_path / "edition.pdf"
    assert paiban("render", edition, "-o", pdf).returncode == 0
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[2].chars if not c["text"].isspace()]
    text = "".join(c["text"] for c in chars)
    after = text.index("（上接第1版）") + len("（上接第1版）")  # the text goes on right after the jump line
    first, second = _line_at(chars, after), _line_at(chars, after + len(_line_at(chars, after)))
    font = lambda c: c["fontname"].split("+")[-1]  # noqa: E731
    assert {font(c) for c in first} == {font(c) for c in second} == {"NotoSansSC-Bold"}  # **bold** goes on
    assert font(chars[-1]).startswith("NotoSerif")  # the paragraphs after it are 宋体
    assert abs(first[0]["x0"] - second[0]["x0"]) < 0.5  # no indent: the paragraph goes on
    assert squash("".join(c["text"] for c in first + second)) in plain_body(body)


def _line_at(chars: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The characters of the line that starts at content-stream index ``k``."""
    line = [chars[k]]
    for c in chars[k + 1:]:
        if abs(c["top"] - line[0]["top"]) > 3 or c["x0"] < line[-1]["x0"]:
            break
        line.append(c)
    return line


def test_inserts_and_subheads_not_yet_set_go_on(tmp_path: Path) -> None:
    related = "【相关链接】茂南区信访超市设在区行政服务中心二楼，工作日受理群众来访。"
    edition = jumped_edition(tmp_path, inserts=[{"kind": "related", "text": related}])
    pdf = tmp_path / "edition.pdf"
    assert paiban("render", edition, "-o", pdf).returncode == 0
    first, second = squash(pdf_text(pdf, 0)), squash(pdf_text(pdf, 2))
    assert "茂南区信访超市设在区行政服务中心二楼" in second and "茂南区信访超市" not in first
    subheads = [line.strip("# ").strip() for line in LONG["body"].splitlines() if line.startswith("##")]
    assert all(squash(s) in first or squash(s) in second for s in subheads)
    assert any(squash(s) in second for s in subheads)  # at least one goes on


# --- problems ---------------------------------------------------------------------------------


def _check(edition: Path) -> tuple[int, list[dict[str, Any]], str]:
    result = paiban("check", edition, "--json")
    report = json.loads(result.stdout)
    return result.returncode, [dict(p, spec=e["spec"]) for e in report["specs"] for p in e["problems"]], result.stderr


CASES = {
    # files, expected kinds, exit code
    "missing": ({"a.yaml": page(article("lead", LONG["body"], jump="nowhere"))},
                {"jump_continuation_missing", "overflow"}, 1),
    "backward": ({"a.yaml": page(continuation("more")), "b.yaml": page(article("lead", LONG["body"], jump="more"))},
                 {"jump_backward", "overflow", "continuation_empty"}, 1),
    "conflict": ({"a.yaml": page(article("lead", LONG["body"], jump="more", lines=10),
                                 article("other", LONG["body"], jump="more", lines=10, line=15)),
                  "b.yaml": page(continuation("more"))}, {"jump_conflict", "overflow"}, 1),
    "same id twice": ({"a.yaml": page(article("lead", LONG["body"], jump="more")), "b.yaml": page(continuation("more")),
                       "c.yaml": page(continuation("more"))}, {"jump_conflict"}, 1),
    "continuation overflows": ({"a.yaml": page(article("lead", LONG["body"], jump="more")),
                                "b.yaml": page(continuation("more", lines=8))}, {"continuation_overflow"}, 1),
    "unneeded": ({"a.yaml": page(article("lead", SHORT["body"], jump="more")), "b.yaml": page(continuation("more"))},
                 {"jump_unneeded", "continuation_empty"}, 0),
    "unused": ({"a.yaml": page(article("lead", SHORT["body"], lines="auto")), "b.yaml": page(continuation("more"))},
               {"continuation_empty"}, 0),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_goes_wrong_with_a_jump_is_a_named_problem(tmp_path: Path, case: str) -> None:
    files, kinds, code = CASES[case]
    edition = write(tmp_path, files, [(f, "要闻") for f in sorted(files)])
    status, problems, stderr = _check(edition)
    assert status == code, stderr
    found = {p["kind"] for p in problems}
    assert kinds <= found, found
    assert not found & {"jump_text_lost"}
    jumps = [p for p in problems if p["kind"].startswith(("jump_", "continuation_"))]
    assert all(p.get("line") for p in jumps), jumps  # each at its spec line
    for line in stderr.splitlines():  # each jump problem: FILE:LINE: message
        if any(p["message"] in line for p in jumps):
            assert re.match(r"^\S+\.yaml:\d+: ", line), line


def test_an_overflowing_continuation_says_how_much_is_over(tmp_path: Path) -> None:
    files, _, _ = CASES["continuation overflows"]
    edition = write(tmp_path, files, [("a.yaml", "要闻"), ("b.yaml", "综合")])
    _, problems, _ = _check(edition)
    (over,) = [p for p in problems if p["kind"] == "continuation_overflow"]
    assert over["lines_over"] > 0 and over["chars_over"] > 100 and over["article"] == "lead"
    chars = {p["spec"]: p for p in problems}
    assert "b.yaml" in over["spec"] and chars


def test_chained_jumps_are_laid_out_in_waves_with_the_same_bytes_for_any_jobs(tmp_path: Path) -> None:
    """Page 1 jumps to page 2, which jumps to page 3: three waves; --jobs 2 gives the same PDF."""
    files = {"a.yaml": page(article("lead", LONG["body"], jump="more")),
             "b.yaml": page(continuation("more", lines=36), article("second", LONG["body"], jump="again", line=37, lines=13)),
             "c.yaml": page(continuation("again"))}
    edition = write(tmp_path, files, [("a.yaml", "要闻"), ("b.yaml", "综合"), ("c.yaml", "茂南新闻")])
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    assert paiban("render", edition, "-o", one, "--jobs", "1").returncode == 0
    assert paiban("render", edition, "-o", two, "--jobs", "2").returncode == 0
    assert one.read_bytes() == two.read_bytes()
    assert "（下转第2版）" in pdf_text(one, 0) and "（上接第1版）" in pdf_text(one, 1)
    assert "（下转第3版）" in pdf_text(one, 1) and "（上接第2版）" in pdf_text(one, 2)
    status, problems, _ = _check(edition)
    assert status == 0 and not [p for p in problems if p["severity"] == "error"], problems


# --- a page on its own ------------------------------------------------------------------------


def test_a_page_on_its_own_keeps_the_jump_line_and_counts_what_goes_on(tmp_path: Path) -> None:
    edition = jumped_edition(tmp_path)
    result = paiban("check", tmp_path / "a.yaml", "--json")
    assert result.returncode == 0, result.stderr  # a warning: the text is placed only in the edition
    (problem,) = [p for e in json.loads(result.stdout)["specs"] for p in e["problems"] if p["kind"] == "jump_unresolved"]
    assert problem["lines_over"] > 10 and problem["chars_over"] > 500 and problem["continuation"] == "more"
    pdf = tmp_path / "alone.pdf"
    assert paiban("render", tmp_path / "a.yaml", "-o", pdf).returncode == 0
    assert "（下转第?版）" in pdf_text(pdf, 0)
    alone = paiban("check", tmp_path / "c.yaml", "--json")
    kinds = {p["kind"] for e in json.loads(alone.stdout)["specs"] for p in e["problems"]}
    assert alone.returncode == 0 and kinds == {"continuation_alone"}
    # the edition itself: nothing is over
    status, problems, _ = _check(edition)
    assert status == 0 and not {p["kind"] for p in problems} & {"overflow", "jump_unresolved", "continuation_overflow"}


def test_the_first_page_hands_on_exactly_what_it_did_not_set(tmp_path: Path) -> None:
    """Characters: the first page's placed + the continuation's == the article's, page counts included."""
    from dataclasses import replace

    from layout.jump import with_rests
    from layout.page import lay_out_page
    from layout.spec.manifest import load_edition

    _, loads = load_edition(jumped_edition(tmp_path))
    first = lay_out_page(loads[0].loaded)
    (rest,) = first.rests
    third = loads[2].loaded
    second = lay_out_page(replace(third, jumps=with_rests(third.jumps, {"more": rest})))
    lead = next(a for a in first.articles if a.id == "lead")
    more = next(a for a in second.articles if a.id == "more")
    assert lead.result.status == "ok" and more.result.status in ("ok", "underfull")
    body = len(plain_body(LONG["body"]))
    received = sum(p.item.chars for p in more.distribution.placements)
    placed = sum(p.item.chars for p in lead.distribution.placements)
    assert placed + received == body and rest.chars == received
    assert first.chars_placed == first.chars_total and second.chars_placed == second.chars_total


# --- the pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "skip"), [
    ("普通文字没有标记", 3), ("**本报讯**　茂南区", 2), ("**本报讯**　茂南区", 3), ("前*楷体*后==着重==尾", 4),
    ("[套红]{.red}文字", 1), ("a\\*b*c*d", 2),
])
def test_cut_spans_drops_exactly_the_first_characters(text: str, skip: int) -> None:
    spans = parse_inline(text)
    cut = cut_spans(spans, skip)
    assert plain_text(cut) == plain_text(spans)[skip:]
    styles = [s.style for s in spans for _ in s.text][skip:]
    assert [s.style for s in cut for _ in s.text] == styles
    assert PLAIN is not None


def _page(number: int, *blocks: Article | Continuation) -> PageEntry:
    from layout.spec.validate import validate

    document = {"version": 1, "page": PAGE, "blocks": []}
    spec = validate(document, {}, "x.yaml")
    from dataclasses import replace

    return PageEntry(number, f"第{number}版", replace(spec, blocks=list(blocks)))


def _article(id_: str, jump: str | None) -> Article:
    return Article("article", id_, FrameRef(1, 1, 1, 5), None, None, "题", None, None, "文", {}, [], jump=jump)


def _continuation(id_: str) -> Continuation:
    return Continuation("continuation", id_, FrameRef(1, 1, 1, 5), None, None, {})


def test_link_jumps_tells_every_status() -> None:
    pages = [_page(1, _article("a", "c2"), _article("b", "c2"), _article("x", "none"), _continuation("c0")),
             _page(2, _continuation("c2"), _article("d", "c0")),
             _page(3, _continuation("c2"))]
    links = link_jumps(pages)
    assert {k: (t.status, t.page) for k, t in links[0].out.items()} == {
        "a": (JumpStatus.RESOLVED, 2), "b": (JumpStatus.TAKEN, 2), "x": (JumpStatus.MISSING, None)}
    assert links[1].out["d"].status is JumpStatus.BACKWARD and links[1].out["d"].page == 1
    assert list(links[1].into) == ["c2"] and links[1].into["c2"].article.id == "a"
    assert links[2].conflicts == frozenset({"c2"}) and not links[0].into
    assert jump_waves(links, [1, 2, 3]) == [0, 1, 0]


def test_waves_follow_chains() -> None:
    pages = [_page(1, _article("a", "c2")), _page(2, _continuation("c2"), _article("b", "c3")),
             _page(3, _continuation("c3")), _page(4, _article("e", None))]
    assert jump_waves(link_jumps(pages), [1, 2, 3, 4]) == [0, 1, 2, 0]
    assert jump_waves([PageJumps()] * 3, [1, 2, 3]) == [0, 0, 0]


def test_the_spec_reference_shows_both_keys() -> None:
    text = (REPO / "docs" / "spec.md").read_text(encoding="utf-8")
    example = re.search(r"### Jumps between pages.*?```yaml\n(.*?)```", text, re.S)
    assert example is not None and "jump: lead-more" in example.group(1) and "type: continuation" in example.group(1)
    assert textwrap.dedent(example.group(1))


def test_an_edition_exported_with_two_jobs_writes_the_same_files(tmp_path: Path) -> None:
    edition = jumped_edition(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    assert paiban("export", edition, "--out", one, "--dpi", "36", "--jobs", "1").returncode == 0
    assert paiban("export", edition, "--out", two, "--dpi", "36", "--jobs", "2").returncode == 0
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 6
    assert all((one / n).read_bytes() == (two / n).read_bytes() for n in names)
