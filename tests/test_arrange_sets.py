"""The acceptance material of `paiban arrange` (examples/arrange): the ten article sets keep
their format (examples/arrange/README.md), every article of them can be set on the broadsheet
template (no spec error, no missing glyph, all of its text placed), and the page templates
pass `paiban check`."""

from __future__ import annotations

import copy
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from layout.cli import main
from layout.memo import Memo
from layout.page import lay_out_page
from layout.problems import ProblemKind
from layout.spec.load import load_spec
from tests.conftest import REPO

HERE = REPO / "examples" / "arrange"
SETS = sorted((HERE / "sets").glob("*.yaml"))
TEMPLATES = [HERE / "broadsheet.yaml", HERE / "broadsheet-ad.yaml", HERE / "tabloid.yaml"]

ARTICLE_KEYS = {"id", "priority", "kicker", "title", "subtitle", "byline", "body", "photo", "span"}
REQUIRED_KEYS = {"id", "priority", "title", "body"}
TEXT_KEYS = ("kicker", "title", "subtitle", "byline", "body")
PHOTO_KEYS = {"src", "caption", "credit"}
BROADSHEET_COLUMNS = 8
#: the frame an article is tried in, alone on the broadsheet: three page columns, auto height
PROBE_FRAME = {"column": 1, "span": 3, "line": 1, "lines": "auto"}
#: where its photo goes on that page, beside it (so it does not take the article's lines)
PROBE_PHOTO_FRAME = {"column": 5, "span": 3, "line": 1, "lines": 30}
#: inline marks of a body (docs/spec.md, inline styles): not counted as characters
MARKUP = re.compile(r"\*\*|==|\*|\[|\]\{\.[a-z]+\}")
HEADER = re.compile(r"^# (\d+) articles?, (\d+) photos?; body characters: (\d+)$", re.MULTILINE)
ID = re.compile(r"^[a-z][a-z0-9-]*$")


def body_characters(body: str) -> int:
    """Characters of a body as the README counts them: no white space, no `## `, no inline marks."""
    text = "\n".join(line[3:] if line.startswith("## ") else line for line in body.splitlines())
    return len(re.sub(r"\s", "", MARKUP.sub("", text)))


def load_set(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def test_there_are_ten_sets() -> None:
    assert [p.name[:3] for p in SETS] == [f"{n:02d}-" for n in range(1, 11)]


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_set_format(path: Path) -> None:
    data = load_set(path)
    assert set(data) == {"arrange", "articles"}
    assert data["arrange"] == 1 and not isinstance(data["arrange"], bool)
    articles = data["articles"]
    assert isinstance(articles, list) and 4 <= len(articles) <= 9
    for a in articles:
        assert isinstance(a, dict)
        assert REQUIRED_KEYS <= set(a) <= ARTICLE_KEYS, (a.get("id"), set(a) ^ ARTICLE_KEYS)
        assert isinstance(a["id"], str) and ID.match(a["id"]), a["id"]
        assert isinstance(a["priority"], int) and not isinstance(a["priority"], bool) and 1 <= a["priority"] <= 9
        for key in TEXT_KEYS:
            if key in a:
                assert isinstance(a[key], str) and a[key].strip(), (a["id"], key)
        assert "placeholder" not in a["body"]
        if "span" in a:
            low, high = a["span"]
            assert all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
            assert 1 <= low <= high <= BROADSHEET_COLUMNS, (a["id"], a["span"])
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids), Counter(ids).most_common(1)
    assert [a["priority"] for a in articles].count(1) == 1
    photos = [a["photo"] for a in articles if "photo" in a]
    assert 0 <= len(photos) <= 3
    for photo in photos:
        assert isinstance(photo, dict) and "src" in photo and set(photo) <= PHOTO_KEYS
        file = (path.parent / photo["src"]).resolve()
        assert file.is_file(), photo["src"]
        assert HERE.resolve() in file.parents, f"{photo['src']} is outside examples/arrange"


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_header_comment_counts(path: Path) -> None:
    """The comment at the top says how many articles, photos and body characters the set has."""
    found = HEADER.search(path.read_text(encoding="utf-8"))
    assert found, "no '# N articles, P photos; body characters: C' line"
    articles = load_set(path)["articles"]
    assert int(found[1]) == len(articles)
    assert int(found[2]) == sum("photo" in a for a in articles)
    assert int(found[3]) == sum(body_characters(a["body"]) for a in articles)


def test_sets_vary() -> None:
    """Some sets without photos, some with three; some small enough for the tabloid, some not."""
    sets = [load_set(p)["articles"] for p in SETS]
    photos = Counter(sum("photo" in a for a in s) for s in sets)
    assert photos[0] >= 1 and photos[3] >= 1
    totals = sorted(sum(body_characters(a["body"]) for a in s) for s in sets)
    assert totals[-1] >= 2 * totals[0]
    leads = [next(a for a in s if a["priority"] == 1) for s in sets]
    assert all(body_characters(a["body"]) >= 1200 for a in leads)


@pytest.fixture(scope="module")
def memo() -> Memo:
    return Memo()


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_every_article_sets_alone(path: Path, tmp_path: Path, memo: Memo) -> None:
    template = load_set(HERE / "broadsheet.yaml")
    for a in load_set(path)["articles"]:
        spec = copy.deepcopy(template)
        block: dict[str, Any] = {"type": "article", "id": a["id"], "frame": PROBE_FRAME}
        block.update({k: a[k] for k in TEXT_KEYS if k in a})
        spec["blocks"] = [block]
        if "photo" in a:
            image = tmp_path / "images" / Path(a["photo"]["src"]).name
            image.parent.mkdir(exist_ok=True)
            shutil.copyfile(path.parent / a["photo"]["src"], image)
            spec["blocks"].append({"type": "photo", "id": f"{a['id']}-photo", "frame": PROBE_PHOTO_FRAME,
                                   "src": f"images/{image.name}",
                                   **{k: v for k, v in a["photo"].items() if k != "src"}})
        page_file = tmp_path / f"{a['id']}.yaml"
        page_file.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        page = lay_out_page(load_spec(page_file, memo), memo=memo)
        errors = [p for p in page.problems if p.severity == "error"]
        assert not errors, (a["id"], [(p.kind, p.message) for p in errors])
        assert not [p for p in page.problems if p.kind == ProblemKind.MISSING_GLYPH], a["id"]
        assert page.chars_placed == page.chars_total > 0, a["id"]
        (article,) = page.articles
        assert article.frame.height > 0


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_templates_check(template: Path) -> None:
    assert main(["check", str(template)]) == 0
    spec = load_set(template)
    assert not [b for b in spec.get("blocks") or [] if b.get("type") in ("article", "photo")]
