"""``paiban arrange``: arrangements of article sets, checked by laying them out again and by
reading back the rendered PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from layout.arrange.articleset import load_set
from layout.arrange.emit import Frame, touching_headlines
from layout.arrange.solve import Cell
from layout.memo import Memo
from layout.page import lay_out_page
from layout.spec.load import load_spec
from layout.units import parse_font_size
from tests.conftest import REPO
from tests.test_cli import paiban

pytest.importorskip("ortools")

SETS = REPO / "specs" / "arrange"
#: (set, template) of the cases arranged in these tests.
CASES = [("tabloid.yaml", "tabloid-page.yaml"), ("inside.yaml", "broadsheet-ad.yaml")]
#: Solver budget in the tests: small, deterministic (bounded by deterministic time).
LIMIT = "3"


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def arranged(request, tmp_path_factory):
    set_name, page = request.param
    out = tmp_path_factory.mktemp("arranged")
    result = paiban("arrange", SETS / set_name, "--page", SETS / page, "--out", out, "--alternatives", "2",
                    "--time-limit", LIMIT, "--json")
    assert result.returncode == 0, result.stderr
    return SETS / set_name, SETS / page, out, json.loads(result.stdout)


def _frames(spec):
    return {b.id: b for b in spec.blocks if b.type == "article"}


def test_every_arrangement_validates_and_lays_out_clean(arranged):
    set_path, page, out, report = arranged
    assert [a["file"] for a in report["arrangements"]] == ["arrangement-1.yaml", "arrangement-2.yaml"]
    ids = [a.id for a in load_set(set_path).articles]
    template_ids = [b.id for b in load_spec(page).spec.blocks]
    for entry in report["arrangements"]:
        loaded = load_spec(out / entry["file"])
        layout = lay_out_page(loaded, memo=Memo())
        assert not [p for p in layout.problems if p.severity == "error"], layout.problems
        assert not [p for p in layout.problems if p.kind == "overflow"]
        articles = [b.id for b in loaded.spec.blocks if b.type == "article"]
        assert sorted(articles) == sorted(ids)  # every article once
        assert [b.id for b in loaded.spec.blocks][: len(template_ids)] == template_ids  # the fixed blocks kept
        frames = [Frame(b.id, 0, Cell(b.frame.column - 1, b.frame.line - 1, b.frame.span, b.frame.lines), 0)
                  for b in loaded.spec.blocks if b.type == "article"]
        assert touching_headlines(frames, clearance=1) == []  # 碰题, the strict rule
        assert entry["overflow"] == 0 and entry["touching_headlines"] == []
        for a in layout.articles:  # no hole under the text larger than the allowed slack
            assert a.result.status == "ok", (a.id, a.result)


def test_lead_story_on_top_with_the_largest_headline(arranged):
    set_path, _, out, _ = arranged
    lead = min(load_set(set_path).articles, key=lambda a: (a.priority, a.order))
    spec = load_spec(out / "arrangement-1.yaml").spec
    frames = _frames(spec)
    assert all(frames[lead.id].frame.line <= f.frame.line for f in frames.values())
    sizes = {i: parse_font_size(f.styles["title"].size) for i, f in frames.items()}
    assert all(sizes[lead.id] > s for i, s in sizes.items() if i != lead.id)
    priorities = {a.id: a.priority for a in load_set(set_path).articles}
    for a in frames:  # headline sizes never grow as priority falls
        for b in frames:
            if priorities[a] < priorities[b]:
                assert sizes[a] >= sizes[b]


def test_photos_stay_with_their_articles(arranged):
    set_path, _, out, _ = arranged
    spec = load_spec(out / "arrangement-1.yaml").spec
    frames = _frames(spec)
    with_photo = [a.id for a in load_set(set_path).articles if a.photo]
    photos = {b.id: b for b in spec.blocks if b.type == "photo"}
    assert len(photos) == len(with_photo) > 0
    for aid in with_photo:
        photo, article = photos[f"{aid}-photo"].frame, frames[aid].frame
        assert article.column <= photo.column and photo.column + photo.span <= article.column + article.span
        assert article.line < photo.line and photo.line + photo.lines <= article.line + article.lines
        assert (out / photos[f"{aid}-photo"].src).is_file()


def test_full_text_read_back_from_the_rendered_pdf(arranged, tmp_path):
    set_path, _, out, _ = arranged
    if set_path.name != "tabloid.yaml":
        pytest.skip("read back once")
    from tests.readback import read_chars

    pdf = tmp_path / "page.pdf"
    result = paiban("render", out / "arrangement-1.yaml", "-o", pdf)
    assert result.returncode == 0, result.stderr
    drawn = "".join(c.text for c in read_chars(pdf))
    for article in load_set(set_path).articles:
        body = re.sub(r"\*\*|\s", "", article.field("body") or "")
        paragraphs = [p for p in re.split(r"\n\s*\n", article.field("body") or "") if p.strip()]
        for para in paragraphs:
            text = re.sub(r"\*\*|\s|^##", "", para)
            assert text in drawn, (article.id, text[:20])
        assert body and re.sub(r"\s", "", article.field("title") or "") in drawn.replace(" ", "")


def test_same_output_twice(tmp_path):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = paiban("arrange", SETS / "tabloid.yaml", "--page", SETS / "tabloid-page.yaml", "--out", out,
                        "--alternatives", "2", "--time-limit", LIMIT)
        assert result.returncode == 0, result.stderr
        outs.append(out)
    for file in ("arrangement-1.yaml", "arrangement-2.yaml"):
        assert (outs[0] / file).read_bytes() == (outs[1] / file).read_bytes()


@pytest.mark.parametrize("lang, words", [("en", "too much copy"), ("zh", "版面排不下")])
def test_impossible_set_says_what_does_not_fit(tmp_path, lang, words):
    result = paiban("arrange", SETS / "too-much.yaml", "--page", SETS / "tabloid-page.yaml", "--out", tmp_path,
                    "--lang", lang)
    assert result.returncode == 1, result.stderr
    assert words in result.stdout
    assert "kehou" in result.stdout  # the least important story is the first to go
    assert not list(tmp_path.glob("arrangement-*.yaml"))


def test_impossible_set_in_json(tmp_path):
    result = paiban("arrange", SETS / "too-much.yaml", "--page", SETS / "tabloid-page.yaml", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert not report["ok"] and report["impossible"][0]["message_zh"]


BAD_SETS = [  # (text, line of the error, words in it)
    ("arrange: 1\narticles:\n  - id: a\n    priority: 1\n    title: 标题\n    body: 正文\n    colour: red\n", 7, "colour"),
    ("arrange: 1\narticles:\n  - id: a\n    priority: 12\n    title: 标题\n    body: 正文\n", 4, "priority"),
    ("arrange: 2\narticles: []\n", 1, "arrange"),
    ("arrange: 1\narticles:\n  - id: a\n    priority: 1\n    title: 标题\n    body: 正文\n"
     "  - id: a\n    priority: 2\n    title: 标题\n    body: 正文\n", 7, "used twice"),
    ("arrange: 1\narticles:\n  - id: a\n    priority: 1\n    title: 标题\n    body: 正文\n    span: [4, 2]\n", 7, "span"),
    ("arrange: 1\narticles:\n  - id: a\n    priority: 1\n    title: 标题\n    body: 正文\n"
     "    photo: {src: images/none.jpg}\n", 7, "none.jpg"),
    ("arrange: 1\narticles:\n  - id: ear\n    priority: 1\n    title: 标题\n    body: 正文\n", 3, "ear"),
    ("arrange: 1\narticles:\n  - id: a\n    priority: 1\n    title: 标题\n    body: 正文\n    photo: {src: ../x.jpg}\n",
     7, "outside"),
    ("arrange: [1\n", 2, "YAML syntax error"),
]


@pytest.mark.parametrize("text, line, words", BAD_SETS)
def test_bad_input_file_line_exit_2(tmp_path, text, line, words):
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    result = paiban("arrange", path, "--page", SETS / "tabloid-page.yaml")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert f"{path}:{line}:" in result.stderr
    assert words in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_bad_input_in_chinese(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(BAD_SETS[0][0], encoding="utf-8")
    result = paiban("arrange", path, "--page", SETS / "tabloid-page.yaml", "--lang", "zh")
    assert result.returncode == 2 and "未知的键" in result.stderr


def test_without_ortools_says_how_to_install(tmp_path):
    code = ("import sys; sys.modules['ortools'] = None; from layout.cli import main; "
            f"sys.exit(main(['arrange', {str(SETS / 'tabloid.yaml')!r}, '--page', {str(SETS / 'tabloid-page.yaml')!r}]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "pip install 'paiban[arrange]'" in result.stderr


def test_previews_are_written(tmp_path):
    shutil.copytree(SETS, tmp_path / "sets")
    out = tmp_path / "out"
    result = paiban("arrange", tmp_path / "sets" / "inside.yaml", "--page", tmp_path / "sets" / "broadsheet-ad.yaml",
                    "--out", out, "--alternatives", "1", "--time-limit", "1", "--preview")
    assert result.returncode == 0, result.stderr
    from PIL import Image

    with Image.open(out / "arrangement-1.png") as image:
        assert image.width > 300 and image.height > 400
    assert list((out / "assets").iterdir())  # the ad and the photo copied beside the spec


def test_a_tall_photo_beside_short_text_is_cropped_not_left_beside_a_hole(tmp_path):
    """Set 04's park story has a tall photo and little text: at half its width the photo is
    cropped to the text's depth (or set across the frame), never leaving empty lines."""
    from layout.problems import ProblemKind

    examples = REPO / "examples" / "arrange"
    result = paiban("arrange", examples / "sets" / "04-tiyu.yaml", "--page", examples / "broadsheet.yaml",
                    "--out", tmp_path, "--alternatives", "1", "--time-limit", LIMIT, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    (entry,) = report["arrangements"]
    assert entry["hole_lines"] == 0 and entry["overflow"] == 0
    layout = lay_out_page(load_spec(tmp_path / entry["file"]), memo=Memo())
    assert not [p for p in layout.problems if p.kind in (ProblemKind.UNDERFULL, ProblemKind.OVERFLOW)]
    assert not [p for p in layout.problems if p.severity == "error"]  # photo resolution included
