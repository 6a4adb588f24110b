"""A newcomer's mistakes and the exact messages they get, in English and Chinese: one
"did you mean" for a misspelled key, blocks named by their id, plain words for types."""

from __future__ import annotations

import subprocess
import sys

import pytest

from layout.spec.load import SpecInvalid, load_spec
from tests.conftest import MINIMAL_PAGE, REPO

BLOCK = """blocks:
  - type: article
    id: lead
    frame: {column: 1, span: 2, line: 1, lines: 20}
    title: 标题
"""
BASE = MINIMAL_PAGE.lstrip() + BLOCK
ROLES = "body, kicker, title, subtitle, byline, subhead, caption, credit, header, footer, label, jump"

#: (what the newcomer wrote instead, line of the error, English message, Chinese message)
CASES = [
    (("    title: 标题", "    titel: 标题"), 12,
     "blocks[lead].titel: unknown key; did you mean `title`?",
     "blocks[lead].titel：未知的键；是否想写 `title`？"),
    (("  columns: 4", "  colums: 4"), 5,
     "page.colums: unknown key; did you mean `columns`?",
     "page.colums：未知的键；是否想写 `columns`？"),
    (("  columns: 4", "  Columns: 4"), 5,
     "page.Columns: unknown key; did you mean `columns`?",
     "page.Columns：未知的键；是否想写 `columns`？"),
    (("  columns: 4", "  columns: 4\n  zzz: 1"), 6,
     "page.zzz: unknown key; the keys here are size, margins, bleed, crop_marks, columns, gutter, body",
     "page.zzz：未知的键；这里可用的键有 size, margins, bleed, crop_marks, columns, gutter, body"),
    (("    frame: {column: 1, span: 2, line: 1, lines: 20}", '    frame: "1, 2, 1, 20"'), 11,
     "blocks[lead].frame: expected a mapping like {column: 1, span: 2, line: 1, lines: 20}, got a string",
     "blocks[lead].frame：应为形如 {column: 1, span: 2, line: 1, lines: 20} 的映射，实际是字符串"),
    (("type: article", "type: box"), 9,
     "blocks[lead].type: unknown block type 'box'; the types are article, photo, qr, masthead, ear, ad, table, group_title, index, continuation",
     "blocks[lead].type：未知的块类型 'box'；可用的类型有 article, photo, qr, masthead, ear, ad, table, group_title, index, continuation"),
    (("type: article", "type: artcle"), 9,
     "blocks[lead].type: unknown block type 'artcle'; did you mean `article`? (types: article, photo, qr, masthead, ear, ad, table, group_title, index, continuation)",
     "blocks[lead].type：未知的块类型 'artcle'；是否想写 `article`？（可用的类型：article, photo, qr, masthead, ear, ad, table, group_title, index, continuation）"),
    (("type: article", "type: story"), 9,
     "blocks[lead].type: unknown block type 'story'; did you mean `article`? (types: article, photo, qr, masthead, ear, ad, table, group_title, index, continuation)",
     "blocks[lead].type：未知的块类型 'story'；是否想写 `article`？（可用的类型：article, photo, qr, masthead, ear, ad, table, group_title, index, continuation）"),
    (("type: article", "tyep: article"), 9,
     "blocks[lead].tyep: unknown key; did you mean `type`? (a block's type is one of article, photo, qr, masthead, ear, ad, table, group_title, index, continuation)",
     "blocks[lead].tyep：未知的键；是否想写 `type`？（块的类型是 article, photo, qr, masthead, ear, ad, table, group_title, index, continuation 之一）"),
    (("span: 2", "span: 0"), 11,
     "blocks[lead].frame.span: must be at least 1, got 0",
     "blocks[lead].frame.span：不能小于 1，实际是 0"),
    (("columns: 4", "columns: eight"), 5,
     "page.columns: expected a whole number, got a string",
     "page.columns：应为整数，实际是字符串"),
    (("columns: 4", "columns: 30"), 5,
     "page.columns: must be at most 24, got 30",
     "page.columns：不能大于 24，实际是 30"),
    (("columns: 4", "columns: .nan"), 5,
     "page.columns: must be a finite number, got .nan",
     "page.columns：必须是有限的数，实际是 .nan"),
    (("    title: 标题", "    title: 标题\n    body: 5"), 13,
     "blocks[lead].body: expected text or a list or a mapping like {placeholder: 800}, got a number",
     "blocks[lead].body：应为文字或列表或形如 {placeholder: 800} 的映射，实际是数字"),
    (("    title: 标题", "    title: 标题\n    styles: {title: {weight: heavy}}"), 13,
     "blocks[lead].styles.title.weight: must be one of regular, bold, got 'heavy'",
     "blocks[lead].styles.title.weight：必须是 regular, bold 之一，实际是 'heavy'"),
    (("    title: 标题", "    title: 标题\n    styles: {title: {align: centre}}"), 13,
     "blocks[lead].styles.title.align: must be one of left, center, right, justify, distribute, got 'centre'; "
     "did you mean `center`?",
     "blocks[lead].styles.title.align：必须是 left, center, right, justify, distribute 之一，实际是 'centre'；"
     "是否想写 `center`？"),
    (("    title: 标题", "    title: 标题\n    styles: {headline: {size: 9pt}}"), 13,
     f"blocks[lead].styles.headline: unknown style role; did you mean `title`? (roles: {ROLES})",
     f"blocks[lead].styles.headline：未知的样式角色；是否想写 `title`？（可用的角色：{ROLES}）"),
    (("version: 1", "version: 2"), 1,
     "version: must be 1, got 2",
     "version：必须是 1，实际是 2"),
    (("version: 1", "version: 1\nheader: {folio: {date: 2023-13-45}}"), 2,
     "header.folio.date: '2023-13-45' is not a valid date (YYYY-MM-DD)",
     "header.folio.date：'2023-13-45' 不是有效的日期（YYYY-MM-DD）"),
    (("version: 1", 'version: 1\nheader: {folio: "茂名日报"}'), 2,
     "header.folio: expected a mapping like {paper: 茂名日报, date: 2024-05-01, page: 3}, got a string",
     "header.folio：应为形如 {paper: 茂名日报, date: 2024-05-01, page: 3} 的映射，实际是字符串"),
    (("    title: 标题", '    title: "\\ud800"'), 12,
     "blocks[lead].title: the text holds a lone surrogate (U+D800), which is not a character",
     "blocks[lead].title：文字中含有孤立的代理项（U+D800），它不是有效字符"),
    (("  - type: article", '  - "lead"\n  - type: article'), 9,
     "blocks[0]: expected a mapping like {type: article, id: lead, frame: {…}, title: …}, got a string",
     "blocks[0]：应为形如 {type: article, id: lead, frame: {…}, title: …} 的映射，实际是字符串"),
    (("size: [200mm, 280mm]", "size: A5"), 3,
     "page.size: unknown page size 'A5'; use [width, height] or one of A3, A4, broadsheet, tabloid",
     "page.size：未知的纸张尺寸 'A5'；请写 [宽, 高] 或 A3, A4, broadsheet, tabloid 之一"),
    (("size: [200mm, 280mm]", "size: [200mm, 1.0e+308]"), 3,
     "page.size: a length must be a finite number of at most 5000 mm, got 1e+308",
     "page.size：长度必须是不超过 5000 mm 的有限数，实际是 1e+308"),
    (("leading: 13.5pt", "leading: 0.001pt"), 7,
     "page.body.leading: leading must be at least 1 pt, got 0.001 pt",
     "page.body.leading：行距不能小于 1 pt，实际是 0.001 pt"),
    (("version: 1", "version: 1\nextra: !!python/object/apply:os.system [ls]"), 2,
     "the YAML tag !!python/object/apply:os.system is not allowed: a spec holds only text, numbers, true/false, "
     "dates, lists and mappings",
     "不允许使用 YAML 标签 !!python/object/apply:os.system：版面描述只能包含文字、数字、true/false、日期、列表和映射"),
    (("version: 1", "version: 1\nold: &m {a: 1}\nnew: {<<: *m}"), 3,
     "merge keys (<<) are not supported: write the keys out (or quote '<<' if you mean the text)",
     "不支持合并键（<<）：请把键逐一写出（如果指的是文字，请给 '<<' 加引号）"),
]


@pytest.mark.parametrize(("change", "line", "english", "chinese"), CASES, ids=[c[0][1].strip()[:40] for c in CASES])
def test_one_plain_message_in_both_languages(tmp_path, change, line, english, chinese):
    old, new = change
    assert old in BASE
    path = tmp_path / "page.yaml"
    path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecInvalid) as info:
        load_spec(path)
    (error,) = info.value.errors  # one message per mistake
    assert (error.line, error.message, error.message_zh) == (line, english, chinese)
    assert error.render("zh") == f"{path}:{line}: {chinese}" and str(error) == f"{path}:{line}: {english}"


def test_a_list_is_not_a_spec(tmp_path):
    path = tmp_path / "page.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(SpecInvalid) as info:
        load_spec(path)
    (error,) = info.value.errors
    assert error.message == "(top level): the spec must be a mapping of keys (version: 1, page: …, blocks: …), got a list"
    assert error.message_zh == "(top level)：版面描述应是由键组成的映射（version: 1、page: …、blocks: …），实际是列表"


def test_duplicate_ids_name_blocks_by_index(tmp_path):
    """The id names two blocks, so the index says which."""
    path = tmp_path / "page.yaml"
    path.write_text(BASE + BLOCK.removeprefix("blocks:\n").replace("column: 1,", "column: 3,"), encoding="utf-8")
    with pytest.raises(SpecInvalid) as info:
        load_spec(path)
    (error,) = info.value.errors
    assert (error.line, error.message) == (14, "blocks[1].id: duplicate block id 'lead'")
    assert error.message_zh == "blocks[1].id：重复的块 id 'lead'（blocks[0] 已经用了它）"


@pytest.mark.parametrize(("lang", "expected"), [("en", CASES[0][2]), ("zh", CASES[0][3])])
def test_the_command_prints_spec_errors_in_the_chosen_language(tmp_path, lang, expected):
    path = tmp_path / "page.yaml"
    path.write_text(BASE.replace(*CASES[0][0], 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "layout", "check", "--lang", lang, str(path)], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"{path}:12: {expected}\n"
