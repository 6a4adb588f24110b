"""Spec loading: the contract's keys, and every error as ``FILE:LINE: message``."""

from __future__ import annotations

import json

import pytest
import yaml

from layout.spec.data import Article, Photo
from layout.spec.load import SpecInvalid, load_spec
from layout.spec.styles import build_stylesheet
from layout.units import PT_PER_MM
from tests.conftest import MINIMAL_PAGE, REPO

ARTICLE = """
blocks:
  - type: article
    id: lead
    frame: {column: 1, span: 2, line: 1, lines: 20}
    title: 标题
    body: |
      第一段。

      ## 小标题
      第二段。
"""


def errors_of(path) -> list[str]:
    with pytest.raises(SpecInvalid) as info:
        load_spec(path)
    return [str(e) for e in info.value.errors]


def test_contract_example_page_loads():
    loaded = load_spec(REPO / "examples" / "maonan" / "page.yaml")
    spec = loaded.spec
    assert spec.page.columns == 8
    assert spec.page.body.size == 9.0
    assert isinstance(spec.blocks[0], Article) and spec.blocks[0].id == "lead"
    assert any(isinstance(b, Photo) for b in spec.blocks)
    assert list(spec.header.credits) == ["值班主任", "责编", "版式"]


def test_lengths_sizes_and_named_pages(write_spec):
    path = write_spec(MINIMAL_PAGE.replace("[200mm, 280mm]", "A3").replace("size: 9pt", "size: 小五")
                      .replace("leading: 13.5pt", "leading: 1.5") + ARTICLE)
    spec = load_spec(path).spec
    assert spec.page.size == pytest.approx((297 * PT_PER_MM, 420 * PT_PER_MM))
    assert spec.page.margins.top == pytest.approx(20 * PT_PER_MM)
    assert build_stylesheet(spec)["body"].leading == pytest.approx(13.5)


def test_json_loads_the_same_as_yaml(write_spec):
    yaml_path = write_spec(MINIMAL_PAGE + ARTICLE)
    data = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    json_path = write_spec(json.dumps(data, ensure_ascii=False), name="page.json")
    assert load_spec(json_path).spec == load_spec(yaml_path).spec


def test_body_may_be_a_list_of_paragraphs(write_spec):
    path = write_spec(MINIMAL_PAGE + ARTICLE.replace("body: |\n      第一段。\n\n      ## 小标题\n      第二段。\n",
                                                      "body: [第一段。, '## 小标题', 第二段。]\n"))
    assert load_spec(path).spec.blocks[0].body == ["第一段。", "## 小标题", "第二段。"]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("  columns: 4\n", "  columns: 4\n  colour: red\n", "colour", "page.colour: unknown key"),
        ("span: 2", "span: 0", "span: 0", "blocks[lead].frame.span: must be at least 1, got 0"),
        ("lines: 20", "lines: -3", "lines: -3", "blocks[lead].frame.lines: lines must be at least 1 (or auto)"),
        ("    title: 标题\n", "", "- type: article", "blocks[lead].title: required key is missing"),
        ("type: article", "type: box", "type: box", "blocks[lead].type: unknown block type 'box'; the types are article, photo, qr, masthead, ear, ad, table, group_title"),
        ("size: 9pt", "size: 9px", "size: 9px", "page.body.size: expected a font size"),
        ("gutter: 9pt", "gutter: wide", "gutter", "page.gutter: expected a length"),
        ("version: 1", "version: 2", "version", "version: must be 1, got 2"),
        ("leading: 13.5pt", "leading: x", "leading: x", "page.body.leading: expected a length"),
        ("size: 9pt", "size: 0pt", "size: 0pt", "page.body.size: font size must be between 1 and 500 pt"),
        ("left: 15mm", "left: -1mm", "left: -1mm", "page.margins.left: must not be negative"),
        ("left: 15mm", "left: 190mm", "page:", "page: the margins leave no type area"),
        ("gutter: 9pt", "gutter: 60mm", "page:", "page: 4 columns with a 170.1 pt gutter do not fit"),
    ],
)
def test_errors_name_file_line_and_key(write_spec, old, new, needle, message):
    text = (MINIMAL_PAGE + ARTICLE).lstrip("\n")
    assert old in text
    text = text.replace(old, new, 1)
    path = write_spec(text)
    found = errors_of(path)
    assert any(e.startswith(f"{path}:{line_of(text, needle)}: {message}") for e in found), found


def test_duplicate_ids_point_at_the_second(write_spec):
    text = (MINIMAL_PAGE + ARTICLE + """
  - type: photo
    id: lead
    frame: {column: 3, span: 2, line: 1, lines: 10}
""").lstrip("\n")
    path = write_spec(text)
    line = text.splitlines().index("    id: lead", line_of(text, "type: photo") - 1) + 1
    assert errors_of(path) == [f"{path}:{line}: blocks[1].id: duplicate block id 'lead'"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ":1: the spec is empty"),
        (b"version: 1\npage: [unclosed\n", ": YAML syntax error"),
        (b"version: 1\n\xff\xfe bad\n", ":2: the spec is not UTF-8 text"),
        (b"version: 1\nversion: 1\n", ":2: version: duplicate key"),
        (b"- just\n- a list\n", ":1: (top level): the spec must be a mapping of keys"),
    ],
)
def test_unusable_files(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    found = errors_of(path)
    assert any(message in e for e in found), found
    assert all(e.startswith(str(path) + ":") for e in found)


def test_unknown_font_family_is_a_spec_error(write_spec):
    text = MINIMAL_PAGE.replace("font: song", "font: fangsong") + "fonts:\n  mine: fonts/none.ttf\n" + ARTICLE
    text = text.lstrip("\n")
    found = errors_of(write_spec(text))
    assert any(f":{line_of(text, 'fangsong')}: page.body.font: unknown font family 'fangsong'" in e for e in found), found
    assert not any("none.ttf" in e for e in found)  # a missing file is a layout problem, not a spec error


@pytest.mark.parametrize(("used", "severity"), [(False, "warning"), (True, "error")])
def test_missing_font_file_falls_back_and_is_reported(write_spec, used, severity):
    from layout.page import lay_out_page

    styles = "styles:\n  title: {font: mine}\n" if used else ""
    text = (MINIMAL_PAGE + "fonts:\n  mine: fonts/none.ttf\n" + styles + ARTICLE).lstrip("\n")
    layout = lay_out_page(load_spec(write_spec(text)))
    (problem,) = [p for p in layout.problems if p.kind == "missing_font"]
    assert problem.severity == severity and problem.details == {"family": "mine", "file": "fonts/none.ttf"}
    assert layout.articles[0].display  # the text is still set, in the built-in fonts


def test_schema_has_descriptions():
    from layout.spec.models import PageSpec

    schema = json.dumps(PageSpec.model_json_schema(), ensure_ascii=False)
    assert "baseline-grid pitch" in schema and "变栏" in schema


def test_every_model_has_a_dataclass_twin_with_the_same_fields():
    """Layout reads layout/spec/data.py; the pydantic models must hand over every field."""
    import dataclasses

    from pydantic import BaseModel

    from layout.spec import data, models

    twins = 0
    for name, model in vars(models).items():
        if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == models.__name__ \
                and name != "Model":
            twin = getattr(data, name)
            assert [f.name for f in dataclasses.fields(twin)] == list(model.model_fields), name
            twins += 1
    assert twins >= 14
    loaded = load_spec(REPO / "examples" / "maonan" / "page.yaml")
    assert dataclasses.is_dataclass(loaded.spec) and all(dataclasses.is_dataclass(b) for b in loaded.spec.blocks)


def test_validated_specs_kept_are_bounded(tmp_path, monkeypatch):
    from layout import memo as memo_module

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(memo_module.DISK_ENTRIES, "spec", 3)
    spec = tmp_path / "p.yaml"
    for n in range(6):  # six edits of one spec, each rendered by a new process
        spec.write_text(MINIMAL_PAGE.lstrip() + f"blocks: []\n# edit {n}\n", encoding="utf-8")
        load_spec(spec, memo_module.front_end_memo())
    assert len(list((tmp_path / "cache" / "spec").glob("*.entry"))) == 3


def test_without_a_readable_code_digest_nothing_is_kept(tmp_path, monkeypatch):
    from layout import memo as memo_module

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(memo_module, "code_digest", lambda: None)
    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + "blocks: []\n", encoding="utf-8")
    assert load_spec(spec, memo_module.front_end_memo()).spec.page.columns == 4
    assert not (tmp_path / "cache" / "spec").exists()
