"""``paiban export``: the digital edition (数字报) of examples/front and examples/inside.

The documents are validated against docs/epaper.schema.json; the rectangles are checked
against the page image (pixels = points × dpi/72) and against the print PDF read back
with pdfplumber (every character inside an article's text areas is that article's, and
all of its characters are inside them).
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pdfplumber
import pytest
from PIL import Image

from layout.cli import main
from tests.conftest import REPO

SPECS = {"front": REPO / "examples" / "front" / "page.yaml", "inside": REPO / "examples" / "inside" / "page.yaml"}
#: Folio page numbers of the two examples, and so their file names.
PAGES = {"front": 1, "inside": 6}
SCHEMA = json.loads((REPO / "docs" / "epaper.schema.json").read_text(encoding="utf-8"))
DPI = 100
#: Areas that hold an article's own text (a photo area holds its caption, the photo's).
TEXT_AREAS = ("headline", "column", "insert")
#: A pixel coordinate is its point coordinate × dpi/72 rounded: within half a pixel.
PIXEL_TOLERANCE = 0.5 + 1e-6
POINT_TOLERANCE = 0.01


@cache
def exported(tmp: Path) -> dict[str, Any]:
    out = tmp / "edition"
    assert main(["export", str(SPECS["front"]), str(SPECS["inside"]), "--out", str(out), "--dpi", str(DPI)]) == 0
    docs = {name: json.loads((out / f"page-{page}.json").read_text(encoding="utf-8")) for name, page in PAGES.items()}
    pdfs = {}
    for name, spec in SPECS.items():
        assert main(["render", str(spec), "-o", str(tmp / f"{name}.pdf")]) == 0
        pdfs[name] = (tmp / f"{name}.pdf").read_bytes()
    return {"out": out, "docs": docs, "pdfs": pdfs}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return exported(tmp_path_factory.mktemp("epaper"))


def _rects(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every rectangle of a document (with trim, pdf and px)."""
    out = [area for article in doc["articles"] for area in article["areas"]]
    out += doc["elements"] + [e["image"] for e in doc["elements"] if "image" in e]
    return out


def _article_text(article: dict[str, Any]) -> str:
    parts = [article[k] or "" for k in ("label", "kicker", "title", "subtitle", "byline")]
    return "".join(parts + [b["text"] for b in article["body"]])


def _squash(text: str) -> Counter[str]:
    return Counter(c for c in text if not c.isspace())


@pytest.mark.parametrize("name", sorted(SPECS))
def test_documents_follow_the_schema(edition: dict[str, Any], name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(edition["docs"][name])


def test_the_schema_refuses_a_document_with_an_unknown_key(edition: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(edition["docs"]["front"]))
    broken["articles"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_the_folder_holds_each_page_image_and_document_and_nothing_else(edition: dict[str, Any], name: str) -> None:
    names = sorted(os.listdir(edition["out"]))
    assert names == sorted(f"page-{p}{suffix}" for p in PAGES.values() for suffix in (".json", ".png"))
    doc = edition["docs"][name]
    assert doc["page"] == PAGES[name] and doc["position"] == list(SPECS).index(name) + 1
    image = Image.open(edition["out"] / doc["image"]["file"])
    image.load()  # complete: a half-written PNG fails here
    assert image.format == "PNG"
    assert image.size == (doc["image"]["width"], doc["image"]["height"])
    scale = DPI / 72
    assert image.size == (round(doc["trim"]["width"] * scale), round(doc["trim"]["height"] * scale))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_pixels_are_points_times_dpi_over_72(edition: dict[str, Any], name: str) -> None:
    doc = edition["docs"][name]
    rects = _rects(doc)
    assert len(rects) > 20
    for rect in rects:
        for px, pt in zip(rect["px"], rect["trim"], strict=True):
            assert abs(px - pt * DPI / 72) <= PIXEL_TOLERANCE, rect


@pytest.mark.parametrize("name", sorted(SPECS))
def test_pdf_rectangles_are_the_trim_rectangles_in_the_pdfs_user_space(edition: dict[str, Any], name: str) -> None:
    with pdfplumber.open(io.BytesIO(edition["pdfs"][name])) as pdf:
        trim = [float(v) for v in pdf.pages[0].page_obj.attrs["TrimBox"]]
    doc = edition["docs"][name]
    assert doc["trim"]["pdf"] == pytest.approx(trim, abs=POINT_TOLERANCE)
    for rect in _rects(doc):
        left, top, right, bottom = rect["trim"]
        assert rect["pdf"] == pytest.approx([trim[0] + left, trim[3] - bottom, trim[0] + right, trim[3] - top],
                                            abs=POINT_TOLERANCE)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_articles_areas_hold_exactly_its_characters(edition: dict[str, Any], name: str) -> None:
    with pdfplumber.open(io.BytesIO(edition["pdfs"][name])) as pdf:
        chars = [(c["text"], (c["x0"] + c["x1"]) / 2, (c["y0"] + c["y1"]) / 2) for c in pdf.pages[0].chars]
    doc = edition["docs"][name]
    assert len(doc["articles"]) >= 4
    for article in doc["articles"]:
        areas = [a["pdf"] for a in article["areas"] if a["kind"] in TEXT_AREAS]
        inside = "".join(text for text, x, y in chars
                         if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in areas))
        expected = _article_text(article)
        assert article["title"] and article["body"] and any(a["kind"] == "column" for a in article["areas"])
        assert _squash(inside) == _squash(expected), article["id"]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_body_text_is_the_specs_text_without_markup(edition: dict[str, Any], name: str) -> None:
    """Every paragraph as set is a paragraph of the spec, its inline markup gone."""
    from layout.flow.collect import split_body
    from layout.spec.load import load_spec
    from layout.text.markup import parse_inline, plain_text

    spec = load_spec(SPECS[name]).spec
    bodies = {b.id: b.body for b in spec.blocks if b.type == "article"}
    for article in edition["docs"][name]["articles"]:
        paragraphs = ["".join(plain_text(parse_inline(p.text)).split()) for p in split_body(bodies[article["id"]])]
        set_ = ["".join(b["text"].split()) for b in article["body"] if b["role"] == "paragraph"]
        assert set_ and all(p in paragraphs for p in set_), article["id"]
        assert article["continuation"] is None and article["page"] == PAGES[name]


def test_a_photo_in_an_articles_frame_belongs_to_it(edition: dict[str, Any]) -> None:
    doc = edition["docs"]["inside"]
    (photo,) = [e for e in doc["elements"] if e["type"] == "photo"]
    owner = [a for a in doc["articles"] if photo["id"] in a["photos"]]
    assert [a["id"] for a in owner] == [photo["article"]]
    assert any(a["kind"] == "photo" and a["trim"] == photo["trim"] for a in owner[0]["areas"])
    assert [e["type"] for e in doc["elements"]] == ["photo", "ad"]
    assert photo["text"] and "摄" in photo["text"]  # its caption and credit


def test_the_front_page_lists_its_masthead_ear_photos_and_qr_code(edition: dict[str, Any]) -> None:
    types = Counter(e["type"] for e in edition["docs"]["front"]["elements"])
    assert types == Counter({"masthead": 1, "ear": 1, "photo": 2, "qr": 1})


def test_jpeg_pages(tmp_path: Path) -> None:
    out = tmp_path / "jpeg"
    assert main(["export", str(SPECS["inside"]), "--out", str(out), "--dpi", "40", "--format", "jpeg"]) == 0
    assert sorted(os.listdir(out)) == ["page-6.jpg", "page-6.json"]
    doc = json.loads((out / "page-6.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    image = Image.open(out / "page-6.jpg")
    assert image.format == "JPEG" and image.size == (doc["image"]["width"], doc["image"]["height"])
    assert doc["image"] == {**doc["image"], "file": "page-6.jpg", "format": "jpeg", "dpi": 40}


def test_a_page_without_a_folio_is_numbered_by_its_position(tmp_path: Path) -> None:
    seed = REPO / "examples" / "masthead" / "page.yaml"  # the seed page: no header.folio
    out = tmp_path / "out"
    assert main(["export", str(SPECS["inside"]), str(seed), "--out", str(out), "--dpi", "36"]) in (0, 1)
    doc = json.loads((out / "page-2.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["page"] == 2 and doc["position"] == 2 and doc["source"] == "page.yaml"
    assert all(a["page"] == 2 for a in doc["articles"])


BAD_OPTIONS = [
    (["--dpi", "0"], "--dpi"),
    (["--dpi", "5000"], "--dpi"),
    (["--dpi", "abc"], "--dpi"),
    (["--format", "gif"], "--format"),
    ([], "--out"),
]


def _status(args: list[str]) -> int:
    """The exit status of ``paiban ARGS`` (usage errors leave through SystemExit)."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize(("extra", "named"), BAD_OPTIONS)
def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              extra: list[str], named: str) -> None:
    out = tmp_path / "out"
    args = ["export", str(SPECS["inside"]), *extra] + (["--out", str(out)] if named != "--out" else [])
    assert _status(args) == 2
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_bad_outputs_and_inputs_exit_2_and_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         write_spec) -> None:  # type: ignore[no-untyped-def]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    broken = write_spec("page: {size: A4}\nblocks: [{type: article}]\n", "broken.yaml")
    cases = [
        ([str(SPECS["inside"]), "--out", str(a_file)], "not a folder"),
        ([str(SPECS["inside"]), "--out", str(tmp_path / "no" / "such")], "does not exist"),
        ([str(SPECS["inside"]), str(SPECS["inside"]), "--out", str(tmp_path / "twice")], "page-6"),
        ([str(broken), "--out", str(tmp_path / "broken")], "broken.yaml:"),
        ([str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "missing")], "missing.yaml"),
    ]
    for args, said in cases:
        assert main(["export", *args]) == 2, args
        err = capsys.readouterr().err
        assert said in err and "Traceback" not in err and "internal error" not in err, err
    assert sorted(os.listdir(tmp_path)) == sorted(["file.txt", "broken.yaml"])
    assert a_file.read_text() == "x"


def test_messages_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SPECS["inside"]), "--out", str(tmp_path / "o"), "--dpi", "9", "--lang", "zh"]) == 2
    assert "须在" in capsys.readouterr().err


def test_an_interrupted_export_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writes are atomic: interrupted while the page's document is being written (its
    data on disk, not yet renamed), the image stays whole and no document nor temporary
    file is left."""
    real = os.fsync
    synced: list[int] = []

    def fsync(fd: int) -> None:
        real(fd)
        synced.append(fd)
        if len(synced) == 2:  # the first page's document: Ctrl-C before the rename
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "out"
    assert main(["export", str(SPECS["inside"]), "--out", str(out), "--dpi", "36"]) == 128 + 2
    assert os.listdir(out) == ["page-6.png"]
    Image.open(out / "page-6.png").load()


def test_a_page_with_a_front_page_index_exports_it_as_an_element(tmp_path: Path) -> None:
    """An index (导读) is an element of its own, with its entries as its text, and the
    document still follows the schema."""
    from tests.conftest import MINIMAL_PAGE

    spec = tmp_path / "p.yaml"
    spec.write_text(MINIMAL_PAGE.lstrip() + """header:
  credits: {责编: 张三}
  folio: {paper: 茂名日报, section: 要闻, date: 2026-11-30, page: 1}
blocks:
  - {type: article, id: lead, frame: {column: 1, span: 3, line: 1, lines: 20}, title: 老街区换新颜, body: 本报讯　正文。}
  - type: index
    id: index
    frame: {column: 4, span: 1, line: 1, lines: 12}
    entries: [{article: lead}]
""", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", str(spec), "--out", str(out), "--dpi", "36"]) == 0
    doc = json.loads((out / "page-1.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    (index,) = [e for e in doc["elements"] if e["type"] == "index"]
    assert "老街区换新颜" in "".join(index["text"].split())
