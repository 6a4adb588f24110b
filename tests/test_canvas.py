"""The drawing interface: golden dumps of the recording canvas, the PDF drawn from the page
description alone, crop marks and boxes in the description.

Rewrite the golden dumps after an intended change of layout with

    PAIBAN_UPDATE_GOLDEN=1 python -m pytest tests/test_canvas.py
"""

from __future__ import annotations

import difflib
import io
import os
from dataclasses import replace
from functools import cache
from pathlib import Path

import pikepdf
import pytest

from layout.display import (
    CROP_MARK_LENGTH,
    REGISTRATION,
    Box,
    CropMarks,
    GlyphRun,
    PageBoxes,
    PageDescription,
    Rule,
    crop_marks,
)
from layout.page import PageLayout, lay_out_page
from layout.render.canvas import draw_page
from layout.render.images import make_probe
from layout.render.pdf import render_pdf
from layout.render.record import RecordingCanvas, num, record
from layout.spec.load import load_spec
from tests.conftest import MINIMAL_PAGE, REPO

GOLDEN = REPO / "tests" / "golden"
#: Set to 1 to rewrite the golden dumps instead of comparing with them.
UPDATE_VARIABLE = "PAIBAN_UPDATE_GOLDEN"
PAGES = sorted([*(REPO / "examples").glob("*/page.yaml"), *(REPO / "specs" / "regression").glob("*.yaml")])
IDS = [p.parent.name if p.name == "page.yaml" else p.stem for p in PAGES]
#: Lines of a golden difference shown in a failure.
DIFF_LINES = 40


@cache
def laid_out(path: Path) -> PageLayout:
    return lay_out_page(load_spec(path), probe=make_probe)


@pytest.mark.parametrize(("path", "name"), list(zip(PAGES, IDS, strict=True)), ids=IDS)
def test_display_list_matches_golden_dump(path, name):
    dump = record([laid_out(path).page], root=REPO)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get(UPDATE_VARIABLE) == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(dump, encoding="utf-8")
        return
    assert golden.is_file(), f"no golden dump {golden.name}; run with {UPDATE_VARIABLE}=1"
    expected = golden.read_text(encoding="utf-8")
    if dump != expected:
        diff = difflib.unified_diff(expected.splitlines(), dump.splitlines(), "golden", "now", lineterm="", n=1)
        pytest.fail(f"{name}: the display list changed ({UPDATE_VARIABLE}=1 to accept):\n"
                    + "\n".join(list(diff)[:DIFF_LINES]))


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_golden_dump_has_one_operation_per_item(path):
    layout = laid_out(path)
    lines = record([layout.page], root=REPO).splitlines()
    assert lines[0].startswith("page ") and lines[-1] == "end"
    assert len(lines) == len(layout.display) + 2
    kinds = {"glyphs": GlyphRun, "rule": Rule, "box": Box, "marks": CropMarks}
    for line, item in zip(lines[1:-1], layout.display, strict=True):
        kind = line.split(" ", 1)[0]
        assert kind in kinds or kind == "image"
        if kind in kinds:
            assert isinstance(item, kinds[kind])
    assert "/work" not in "\n".join(lines) and str(REPO) not in "\n".join(lines)  # no folder of this machine


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (-0.0001, "0"), (1.0, "1"), (2.5, "2.5"), (1.23456, "1.235"), (-3.1, "-3.1"), (1000.0, "1000"),
    (1e-9, "0"), (12.3004, "12.3"),
])
def test_numbers_are_rounded_to_three_decimals(value, text):
    assert num(value) == text


def test_pdf_is_drawn_from_the_page_description_alone():
    layout = laid_out(PAGES[IDS.index("maonan")])
    # the description by itself, without the spec, grid or blocks it was made from
    assert render_pdf([layout.page]) == render_pdf([layout])
    stripped = replace(layout, spec=None, grid=None, articles=(), photos=(), blocks=())
    assert render_pdf([stripped]) == render_pdf([layout])


def test_a_description_made_by_hand_renders_its_boxes_and_marks():
    press = laid_out(PAGES[0]).press
    boxes = PageBoxes(200.0, 300.0, 9.0, 20.0)
    page = PageDescription(boxes, (Rule(10, 10, 190, 10, 1.0, (0, 0, 0, 100)), crop_marks(boxes)), "hand", press)
    with pikepdf.open(io.BytesIO(render_pdf([page]))) as pdf:
        p = pdf.pages[0].obj
        assert [float(v) for v in p.MediaBox] == [0, 0, 258, 358]
        assert [float(v) for v in p.TrimBox] == [29, 29, 229, 329]
        assert [float(v) for v in p.BleedBox] == [20, 20, 238, 338]
        assert str(pdf.docinfo.Title) == "hand"


@pytest.mark.parametrize("bleed", [0.0, 3.0, 8.5])
def test_crop_marks_sit_on_the_trim_lines_outside_the_bleed(bleed):
    boxes = PageBoxes(100.0, 150.0, bleed, 30.0)
    marks = crop_marks(boxes)
    assert len(marks.segments) == 8 and marks.color == REGISTRATION
    for x0, y0, x1, y1 in marks.segments:
        assert abs(abs(x1 - x0) + abs(y1 - y0) - CROP_MARK_LENGTH) < 1e-9
        if y0 == y1:  # horizontal: on a trim line, left of the bleed or right of it
            assert y0 in (0.0, 150.0) and (max(x0, x1) < -bleed or min(x0, x1) > 100.0 + bleed)
        else:
            assert x0 in (0.0, 100.0) and (max(y0, y1) < -bleed or min(y0, y1) > 150.0 + bleed)
        assert all(-boxes.outer <= v for v in (x0, y0, x1, y1))
        assert max(x0, x1) <= 100.0 + boxes.outer and max(y0, y1) <= 150.0 + boxes.outer


@pytest.mark.parametrize(("crop", "marks"), [(True, 1), (False, 0)])
def test_crop_marks_are_display_items_when_asked(write_spec, crop, marks):
    spec = write_spec(MINIMAL_PAGE + f"  crop_marks: {str(crop).lower()}\nblocks: []\n")
    layout = lay_out_page(load_spec(spec))
    assert sum(isinstance(i, CropMarks) for i in layout.display) == marks
    assert (layout.page.boxes.slug > 0) == crop


def test_a_new_kind_of_item_is_refused_not_skipped():
    page = PageDescription(PageBoxes(10, 10, 0, 0), ("not an item",), "x", laid_out(PAGES[0]).press)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        draw_page(RecordingCanvas(), page)
