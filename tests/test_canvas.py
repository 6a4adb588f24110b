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
    Dots,
    FilledRects,
    GlyphRun,
    PageBoxes,
    PageDescription,
    PlacedGlyphs,
    PlacedPdf,
    Rule,
    StrokePath,
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
    kinds = {"glyphs": GlyphRun, "rule": Rule, "path": StrokePath, "box": Box, "marks": CropMarks, "rects": FilledRects,
             "pdf": PlacedPdf, "dots": Dots, "placed": PlacedGlyphs}
    for line, item in zip(lines[1:-1], layout.display, strict=True):
        kind = line.split(" ", 1)[0]
        assert kind in kinds or kind == "image"
        if kind in kinds:
            assert isinstance(item, kinds[kind])
    assert str(REPO) not in "\n".join(lines)  # no folder of this machine


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


# The designer overlay and empty photo slots ---------------------------------------------

OVERLAY_PAGES = [*PAGES, *sorted((REPO / "specs" / "templates").glob("*.yaml"))]
OVERLAY_IDS = [p.parent.name if p.name == "page.yaml" else p.stem for p in OVERLAY_PAGES]


@pytest.mark.parametrize("path", OVERLAY_PAGES, ids=OVERLAY_IDS)
def test_overlay_labels_cover_no_text_and_no_other_label(path):
    from layout.render.overlay import Label, overlay, run_rect

    layout = laid_out(path)
    labels = [i for i in overlay(layout) if isinstance(i, Label)]
    runs = [run_rect(i) for i in layout.display if isinstance(i, GlyphRun)]
    assert runs and labels
    for label in labels:
        r = label.rect
        hits = [t for t in runs if r.x < t.right and t.x < r.right and r.y < t.bottom and t.y < r.bottom]
        assert not hits, f"label {label.text!r} at {r} covers text at {hits[0]}"
    for k, a in enumerate(labels):
        for b in labels[k + 1:]:
            assert not (a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height), \
                (a.text, b.text)


@pytest.mark.parametrize("path", OVERLAY_PAGES, ids=OVERLAY_IDS)
def test_overlay_labels_every_frame_and_numbers_the_rulers(path):
    from layout.render.overlay import Label, overlay, ruler_lines

    layout = laid_out(path)
    texts = [i.text for i in overlay(layout) if isinstance(i, Label)]
    for article in layout.articles:
        assert f"{article.id}  {article.result.status}" in texts
        if article.distribution.leftover:
            assert any(t.startswith(f"+{article.distribution.lines_over} 行") for t in texts)
    for photo in layout.photos:
        assert (f"{photo.id}  empty" if photo.empty else photo.id) in texts
    assert [str(c) for c in range(1, layout.grid.columns + 1)] == [t for t in texts if t.isdigit()][:layout.grid.columns]
    numbered = [int(t) for t in texts if t.isdigit()][layout.grid.columns:]
    assert numbered == ruler_lines(layout.grid.n_lines)
    assert all(n == 1 or n % 5 == 0 for n in numbered)


@pytest.mark.parametrize(("n_lines", "numbered"), [(4, [1]), (5, [1, 5]), (12, [1, 5, 10]), (20, [1, 5, 10, 15, 20])])
def test_ruler_numbers_every_fifth_line(n_lines, numbered):
    from layout.render.overlay import ruler_lines

    assert ruler_lines(n_lines) == numbered


EMPTY_SLOT = MINIMAL_PAGE + """
blocks:
  - {type: photo, id: slot, frame: {column: 1, span: 2, line: 1, lines: 10}, caption: 说明文字。}
  - {type: photo, id: gone, frame: {column: 3, span: 2, line: 1, lines: 10}, src: images/missing.jpg}
"""


def test_an_empty_slot_warns_and_prints_nothing_but_the_overlay_shows_it(write_spec):
    from layout.render.overlay import Outline, overlay

    layout = lay_out_page(load_spec(write_spec(EMPTY_SLOT)))
    slot, gone = layout.photos
    empty = [p for p in layout.problems if p.kind == "empty_photo_slot"]
    assert [(p.block, p.severity) for p in empty] == [("slot", "warning")]
    assert empty[0].text("zh") != empty[0].text("en") and "slot" in empty[0].text("zh")
    boxes = [i for i in layout.display if isinstance(i, Box)]
    # nothing in the print display list for the empty slot; the missing image keeps its magenta box
    assert [(b.x, b.cross, b.stroke) for b in boxes] == [(gone.image.x, True, (0.0, 100.0, 0.0, 0.0))]
    assert {p.kind for p in layout.problems if p.severity == "error"} == {"missing_image"}
    assert slot.empty and not gone.empty
    crossed = [i for i in overlay(layout) if isinstance(i, Outline) and i.cross]
    assert [(c.x, c.y, c.width, c.height) for c in crossed] == [(slot.image.x, slot.image.y, slot.image.width,
                                                                  slot.image.height)]
    assert any(isinstance(i, GlyphRun) and i.text.startswith("说明") for i in layout.display)  # caption still set


def test_an_empty_slot_leaves_the_press_pdf_blank_there(write_spec):
    layout = lay_out_page(load_spec(write_spec(EMPTY_SLOT)))
    with pikepdf.open(io.BytesIO(render_pdf([layout]))) as pdf:
        content = pdf.pages[0].obj.Contents.read_bytes().decode("latin-1")
    assert content.count(" re") == 2  # the missing image's fill and outline; none for the empty slot


def test_the_overlay_frames_and_names_mastheads_ears_and_ads():
    from layout.render.overlay import Label, Outline, overlay

    layout = lay_out_page(load_spec(REPO / "examples" / "masthead" / "page.yaml"))
    items = overlay(layout)
    outlines = {(o.x, o.y, o.width, o.height) for o in items if isinstance(o, Outline)}
    texts = {i.text for i in items if isinstance(i, Label)}
    assert layout.slots
    for slot in layout.slots:
        assert (slot.frame.x, slot.frame.y, slot.frame.width, slot.frame.height) in outlines
        assert f"{slot.id}  {slot.result.type}" in texts


def test_every_display_item_has_a_canvas_operation_every_canvas_implements():
    """The display-item union and the dispatch table name the same types, and the PDF
    and recording canvases (and the protocol) have every operation."""
    from typing import get_args

    from layout.display import DisplayItem
    from layout.render.canvas import OPERATIONS, Canvas
    from layout.render.pdf import PdfCanvas
    from layout.render.record import RecordingCanvas

    assert set(OPERATIONS) == set(get_args(DisplayItem))
    for canvas in (Canvas, PdfCanvas, RecordingCanvas):
        assert all(callable(getattr(canvas, name, None)) for name in OPERATIONS.values()), canvas
