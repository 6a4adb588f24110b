"""``paiban import``: a reporter's .docx or .txt file as an article block (YAML).

The .docx files are built here with python-docx; the text files are the same story in
every encoding the importer knows; hostile files (junk, oversized, zip bombs, macros)
must exit 2 with a message in English and in Chinese.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from layout.importer import TEXT_MAX_BYTES, ImportRefused, import_file
from layout.importer import word as word_module
from layout.importer.structure import Hint, Para, Run, house_byline, structure
from layout.page import lay_out_page
from layout.spec.load import load_spec
from layout.text.markup import InlineFamily, parse_inline, plain_text
from tests.conftest import MINIMAL_PAGE, REPO

docx = pytest.importorskip("docx")

STORY = """引题：茂南区领导率队开展主题教育
把基层党组织建设成为坚强战斗堡垒
——记某某同志
记者 张三  通讯员 李四、王五

　　本报讯 12月1日,茂南区委书记带领有关人员"走基层"。
■加强组织领导
　　第二段,内容5*3=15。
"""
#: What STORY imports as, whatever its encoding.
STORY_BLOCK = {
    "type": "article", "id": "story", "frame": {"column": 1, "span": 3, "line": 1, "lines": "auto"},
    "kicker": "茂南区领导率队开展主题教育", "title": "把基层党组织建设成为坚强战斗堡垒", "subtitle": "——记某某同志",
    "byline": "■记者　张三　通讯员　李四　王五",
    "body": "**本报讯**　12月1日，茂南区委书记带领有关人员“走基层”。\n\n## 加强组织领导\n\n第二段，内容5\\*3=15。\n",
}


def paiban(*args: object, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=120)


def block_of(text: str) -> dict:
    [block] = yaml.safe_load(text)
    return block


# 1. Text files: the encoding ---------------------------------------------------------

ENCODINGS = [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM"),
    ("utf-16-le", b"\xff\xfe", "UTF-16LE (BOM)"),
    ("utf-16-be", b"\xfe\xff", "UTF-16BE (BOM)"),
    ("gb18030", b"", "GB18030"),
    ("gbk", b"", "GB18030"),  # GBK is a subset: read as GB18030
]


@pytest.mark.parametrize(("codec", "bom", "detected"), ENCODINGS, ids=[f"{c}{'-bom' if b else ''}" for c, b, _ in ENCODINGS])
def test_the_same_story_in_every_encoding_gives_the_same_block(tmp_path, codec, bom, detected):
    path = tmp_path / "story.txt"
    path.write_bytes(bom + STORY.replace("\n", "\r\n" if codec == "gbk" else "\n").encode(codec))
    imported = import_file(str(path), "story")
    assert imported.source_kind == detected
    assert block_of(imported.yaml) == STORY_BLOCK


def test_the_cli_says_which_encoding_it_read_in_both_languages(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.encode("gb18030"))
    english, chinese = paiban("import", path, "--id", "story"), paiban("import", path, "--id", "story", "--lang", "zh")
    assert english.returncode == chinese.returncode == 0, english.stderr
    assert f"paiban: {path}: read as text in GB18030" in english.stderr.splitlines()
    assert f"paiban：{path}：读作GB18030 编码的文本" in chinese.stderr.splitlines()
    assert block_of(english.stdout) == block_of(chinese.stdout) == STORY_BLOCK


# 2. Hostile and unusable input: exit 2, English and Chinese -----------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("标题")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_macros() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    return _zip({**{name: source.read(name) for name in source.namelist()}, "word/vbaProject.bin": b"\x00" * 64})


BAD_INPUTS = [
    ("junk.txt", lambda: bytes(range(256)) * 64, "not text", "不是文本文件"),
    ("png.txt", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200), "not text", "不是文本文件"),
    ("utf16-no-bom.txt", lambda: STORY.encode("utf-16-le"), "NUL characters", "NUL 字符"),
    ("controls.txt", lambda: ("正文" + "\x01\x02\x03" * 10).encode(), "control or private-use", "控制字符"),
    ("bad-bom.txt", lambda: b"\xef\xbb\xbf" + "正文".encode("gb18030"), "byte-order mark", "字节顺序标记"),
    ("empty.txt", lambda: b"", "no text in it", "没有文字"),
    ("blank.txt", lambda: "　　\n \r\n".encode(), "no text in it", "没有文字"),
    ("big.txt", lambda: "字".encode() * (TEXT_MAX_BYTES // 3 + 1), "too large", "文件过大"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old Word .doc", "旧版 Word"),
    ("notzip.docx", lambda: b"PK\x03\x04 but nothing after", "not a zip archive", "不是 zip 压缩包"),
    ("other.docx", lambda: _zip({"hello.txt": b"hi"}), "no word/document.xml", "没有 word/document.xml"),
    ("macros.docx", _with_macros, "macro-enabled", "含宏"),
    ("bomb.docx", lambda: _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": bytes(50 * 1024 * 1024)}),
     "zip bomb", "压缩炸弹"),
    ("broken.docx", lambda: _zip({"[Content_Types].xml": b"<not xml", "word/document.xml": b"<w:document"}),
     "cannot read it as a .docx", "无法作为 .docx 读取"),
]


@pytest.mark.parametrize(("name", "make", "english", "chinese"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_unusable_input_exits_2_with_a_message_in_both_languages(tmp_path, name, make, english, chinese):
    path = tmp_path / name
    path.write_bytes(make())
    out = tmp_path / "out.yaml"
    for lang, expected in (("en", english), ("zh", chinese)):
        result = paiban("import", path, "-o", out, "--lang", lang)
        assert result.returncode == 2, (lang, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr and "内部错误" not in result.stderr
        [line] = result.stderr.splitlines()
        assert expected in line and str(path) in line, line
        assert result.stdout == "" and not out.exists()


def test_a_folder_or_a_missing_file_is_refused(tmp_path):
    for path, zh in ((tmp_path, "文件夹"), (tmp_path / "none.txt", "文件不存在")):
        result = paiban("import", path, "--lang", "zh")
        assert result.returncode == 2 and zh in result.stderr, result.stderr


def test_an_archive_unpacking_to_too_much_in_all_is_a_zip_bomb(monkeypatch):
    monkeypatch.setattr(word_module, "DOCX_MAX_UNPACKED", 1000)
    data = _zip({"word/document.xml": bytes(600), "word/styles.xml": bytes(600)})
    with pytest.raises(ImportRefused, match="zip bomb") as caught:
        word_module.check_archive(data)
    assert "压缩炸弹" in caught.value.zh


def test_an_archive_of_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(word_module, "DOCX_MAX_ENTRIES", 10)
    with pytest.raises(ImportRefused, match="11 members"):
        word_module.check_archive(_zip({f"word/part{i}.xml": b"<x/>" for i in range(11)}))


# 3. .docx: styles, runs, headings, byline, tables -------------------------------------------

def _save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def make_story_docx(path: Path) -> Path:
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("茂南区领导率队开展主题教育")  # before the Title paragraph: the kicker
    document.add_paragraph("把基层党组织建设成为坚强战斗堡垒", style="Title")
    document.add_paragraph("副题文字", style="Subtitle")
    document.add_paragraph("本报记者：张三　通讯员：李四")
    paragraph = document.add_paragraph("　　")
    paragraph.add_run("本报讯").bold = True
    paragraph.add_run("　12月1日，区委书记说:")
    paragraph.add_run("“要把基层党组织建设好。”").italic = True
    paragraph.add_run("这是")
    both = paragraph.add_run("又粗又斜")
    both.bold = both.italic = True
    paragraph.add_run("的字。")
    document.add_heading("一个小标题", level=2)
    document.add_paragraph("小标题下的段落，含 5*3 和 [x]{.red} 与 a==b。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "表格里的字不进正文"
    document.add_paragraph().add_run("全是粗体的短行").bold = True
    custom = document.styles.add_style("我的小标题", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 1"]
    document.add_paragraph("【基于标题样式】", style="我的小标题")
    broken = document.add_paragraph("换行之前")
    broken.add_run().add_break()
    broken.add_run("换行之后")
    document.add_paragraph("最后一段。")
    return _save(document, path)


def test_a_docx_story(tmp_path):
    imported = import_file(str(make_story_docx(tmp_path / "story.docx")), "story")
    block = block_of(imported.yaml)
    assert imported.source_kind == "docx"
    assert (block["kicker"], block["title"], block["subtitle"], block["byline"]) == (
        "茂南区领导率队开展主题教育", "把基层党组织建设成为坚强战斗堡垒", "副题文字", "■本报记者　张三　通讯员　李四")
    assert block["body"].split("\n\n") == [
        "**本报讯**　12月1日，区委书记说：*“要把基层党组织建设好。”*这是**又粗又斜**的字。",
        "## 一个小标题",
        "小标题下的段落，含 5\\*3 和 \\[x\\]{.red} 与 a\\==b。",
        "## 全是粗体的短行",
        "## 基于标题样式",
        "换行之前", "换行之后", "最后一段。\n",
    ]
    assert any("1 table(s) left out" in note.en and "1 个表格" in note.zh for note in imported.notes)
    assert "表格里的字" not in imported.yaml


def test_bold_and_italic_runs_read_back_as_hei_and_kai(tmp_path):
    block = block_of(import_file(str(make_story_docx(tmp_path / "story.docx")), "story").yaml)
    first, _, literal = block["body"].split("\n\n")[:3]
    spans = parse_inline(first)
    families = {span.text: span.style.family for span in spans}
    assert families["本报讯"] is InlineFamily.HEI and families["又粗又斜"] is InlineFamily.HEI
    assert families["“要把基层党组织建设好。”"] is InlineFamily.KAI
    assert plain_text(parse_inline(literal)) == "小标题下的段落，含 5*3 和 [x]{.red} 与 a==b。"  # escaped: printed as typed


def test_a_docx_without_a_title_style_takes_its_first_line(tmp_path):
    document = docx.Document()
    document.add_paragraph("  第一行是标题  ")
    document.add_paragraph("记者 欧阳娜娜 阿依古丽·买买提")
    document.add_paragraph("正文。")
    imported = import_file(str(_save(document, tmp_path / "plain.docx")), "x")
    block = block_of(imported.yaml)
    assert (block["title"], block["byline"], block["body"]) == ("第一行是标题", "■记者　欧阳娜娜　阿依古丽·买买提", "正文。\n")
    assert "kicker" not in block and "subtitle" not in block


def test_pictures_are_counted_and_left_out(tmp_path):
    from PIL import Image

    picture = tmp_path / "p.png"
    Image.new("RGB", (8, 8)).save(picture)
    document = docx.Document()
    document.add_paragraph("标题")
    document.add_picture(str(picture))
    document.add_paragraph("正文。")
    imported = import_file(str(_save(document, tmp_path / "pic.docx")), "x")
    assert any("1 picture(s) left out" in note.en for note in imported.notes)
    assert block_of(imported.yaml)["body"] == "正文。\n"


# 4. The conventions, one by one ------------------------------------------------------------

BYLINES = [
    ("记者 张三 通讯员 李四", "■记者　张三　通讯员　李四"),
    ("■记者　张三　通讯员　李四", "■记者　张三　通讯员　李四"),
    ("记者张三 通讯员李四、王五", "■记者　张三　通讯员　李四　王五"),
    ("本报记者：林晓帆", "■本报记者　林晓帆"),
    ("文/记者 何思敏", "■记者　何思敏"),
    ("◆通讯员 黄林明，邱秋梅，王夏凌", "■通讯员　黄林明　邱秋梅　王夏凌"),
    ("实习生 陈嘉怡", "■实习生　陈嘉怡"),
    ("记者日前从市教育局获悉，全市中小学将于下周开学。", None),
    ("记者", None),
    ("通讯员 a b", None),
    ("本报讯 记者 张三", None),
    ("（记者 张三）", None),
]


@pytest.mark.parametrize(("line", "expected"), BYLINES)
def test_bylines_in_the_house_form(line, expected):
    assert house_byline(line) == expected


def _paras(*lines: str, hint: Hint = Hint.BODY) -> list[Para]:
    return [Para((Run(line),), hint) for line in lines]


SUBHEADS = [
    ("■加强组织领导", "## 加强组织领导"),
    ("【强化责任担当】", "## 强化责任担当"),
    ("一、提高政治站位", "## 一、提高政治站位"),
    ("■这一行很长，不是小标题，因为它有一个句号结尾。", "■这一行很长，不是小标题，因为它有一个句号结尾。"),
    ("■" + "长" * 30, "■" + "长" * 30),
    ("普通的一段。", "普通的一段。"),
]


@pytest.mark.parametrize(("line", "expected"), SUBHEADS)
def test_marked_subheads(line, expected):
    article = structure(_paras("标题", "正文。", line))
    assert article.body == ("正文。", expected)


MARKS = [
    (("副题：副题文字", "主题：标题文字", "引题: 引题文字", "正文。"), ("引题文字", "标题文字", "副题文字")),
    (("标题：标题文字", "正文第一段。"), (None, "标题文字", None)),
    (("标题文字", "——副题", "正文。"), (None, "标题文字", "——副题")),
    (("标题文字", "正文。", "——不是副题"), (None, "标题文字", None)),
]


@pytest.mark.parametrize(("lines", "expected"), MARKS)
def test_marked_headline_parts(lines, expected):
    article = structure(_paras(*lines))
    assert (article.kicker, article.title, article.subtitle) == expected
    assert article.body[0].startswith("正文")


def test_a_byline_late_in_the_story_stays_body_text():
    lines = ("标题", *(f"第{n}段。" for n in range(8)), "记者 张三")
    assert structure(_paras(*lines)).byline is None


# 5. The block works in a page ------------------------------------------------------------

def _page_with(block_yaml: str, tmp_path: Path) -> Path:
    page = tmp_path / "page.yaml"
    page.write_text(MINIMAL_PAGE + "blocks:\n" + block_yaml, encoding="utf-8")
    return page


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_the_imported_block_lays_out_in_a_page(tmp_path, kind):
    if kind == "txt":
        source = tmp_path / "story.txt"
        source.write_text(STORY, encoding="utf-8")
    else:
        source = make_story_docx(tmp_path / "story.docx")
    out = tmp_path / "block.yaml"
    result = paiban("import", source, "-o", out, "--id", "lead")
    assert result.returncode == 0, result.stderr
    layout = lay_out_page(load_spec(_page_with(out.read_text(encoding="utf-8"), tmp_path)))
    [article] = [b for b in layout.blocks if b.id == "lead"]
    assert article.type == "article"
    assert [p.kind for p in layout.problems if p.severity == "error"] == []
    text = "".join(item.text for item in layout.display if hasattr(item, "text"))
    for expected in ("坚强战斗堡垒", "张三", "本报讯", "组织领导" if kind == "txt" else "一个小标题"):
        assert expected in text


def test_an_existing_output_is_kept_without_force(tmp_path):
    source = tmp_path / "story.txt"
    source.write_text(STORY, encoding="utf-8")
    out = tmp_path / "block.yaml"
    out.write_text("keep me", encoding="utf-8")
    refused = paiban("import", source, "-o", out)
    assert refused.returncode == 2 and "--force" in refused.stderr and out.read_text(encoding="utf-8") == "keep me"
    forced = paiban("import", source, "-o", out, "--force")
    assert forced.returncode == 0 and block_of(out.read_text(encoding="utf-8"))["id"] == "story"
    assert paiban("import", source, "-o", tmp_path / "x.pdf").returncode == 2  # named as another kind


def test_quoting_odd_titles_reads_back(tmp_path):
    lines = ["标题：- yes: #1 'quoted' \"x\" {a: b}", "副题：null", "true", "  body with ' and \" and: colon # hash"]
    source = tmp_path / "odd.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    block = block_of(import_file(str(source), "odd").yaml)
    assert block["title"] == "- yes: #1 'quoted' \"x\" {a: b}" and block["subtitle"] == "null"
    assert block["body"] == "true\n\nbody with ' and \" and: colon # hash\n"


def test_import_reads_nothing_but_the_file(tmp_path):
    """A FIFO is refused at once (never opened blocking)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = paiban("import", fifo)
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_a_character_style_counts_and_a_paragraph_style_does_not(tmp_path):
    document = docx.Document()
    document.add_paragraph("标题")
    paragraph = document.add_paragraph("正文里")
    paragraph.add_run("强调", style="Strong")  # bold by its character style
    paragraph.add_run("的字；")
    off = paragraph.add_run("不粗", style="Strong")
    off.bold = False  # the run's own setting wins over its style
    document.add_paragraph("引用样式的段落是斜体，但那是段落样式，不是行内斜体。", style="Quote")
    block = block_of(import_file(str(_save(document, tmp_path / "styles.docx")), "x").yaml)
    assert block["body"].split("\n\n") == ["正文里**强调**的字；不粗", "引用样式的段落是斜体，但那是段落样式，不是行内斜体。\n"]
