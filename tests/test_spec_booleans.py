"""``true``/``false`` where a number or a version is asked are errors on their own line,
not 1 and 0; where a yes/no is asked they stay what they are."""

from __future__ import annotations

import pytest

from layout.spec.load import SpecInvalid, load_spec
from tests.conftest import MINIMAL_PAGE

BLOCK = """blocks:
  - type: article
    id: a
    frame: {column: 1, span: 2, line: 1, lines: 10}
    title: 标题
    body: 正文。
"""


@pytest.mark.parametrize(("old", "new", "where"), [
    ("version: 1", "version: true", "version"),
    ("columns: 4", "columns: true", "page.columns"),
    ("columns: 4", "columns: false", "page.columns"),
    ("span: 2", "span: true", "blocks[a].frame.span"),
    ("lines: 10", "lines: true", "blocks[a].frame.lines"),
    ("title: 标题", "title: true", "blocks[a].title"),
    ("size: 9pt", "size: true", "page.body.size"),
])
def test_a_boolean_where_none_is_asked_is_an_error_on_its_line(tmp_path, old, new, where):
    text = (MINIMAL_PAGE.lstrip() + BLOCK).replace(old, new, 1)
    assert new in text
    spec = tmp_path / "page.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(SpecInvalid) as caught:
        load_spec(spec)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if new in row)
    assert any(e.line == line and where in e.message for e in caught.value.errors), caught.value.errors


def test_yes_no_keys_still_take_booleans(tmp_path):
    spec = tmp_path / "page.yaml"
    text = MINIMAL_PAGE.lstrip().replace("  columns: 4", "  columns: 4\n  crop_marks: false") + BLOCK
    spec.write_text(text + "typography: {normalize: false, trim_line_start: true}\noutput: {pdfx: true}\n",
                    encoding="utf-8")
    loaded = load_spec(spec)
    assert loaded.spec.page.crop_marks is False and loaded.spec.typography.normalize is False
