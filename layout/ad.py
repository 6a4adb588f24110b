"""Lay out an advertisement (广告): the advertiser's PDF page or image in its slot.

Advertisers deliver PDF/X-1a at the slot's size: the page is placed as it is (its trim
box onto the slot, scaled only when its size differs, which is reported) and
preflighted (``layout/supplied.py``): colour outside CMYK and grey, fonts not embedded,
transparency, total ink above ``output.ink_limit``.  A JPEG or PNG ad goes the way of a
photo (checks, press colour), fitted whole.
"""

from __future__ import annotations

from dataclasses import replace

from layout.context import LayoutContext
from layout.memo import Memo
from layout.problems import BlockResult
from layout.spec.data import Ad
from layout.supplied import SlotLayout, Who, is_pdf, place_image, place_pdf


def lay_out_ad(block: Ad, ctx: LayoutContext, memo: Memo) -> SlotLayout:
    grid = ctx.grid
    lines = min(int(block.frame.lines), max(grid.n_lines - block.frame.line + 1, 1))
    span = max(min(block.frame.span, grid.columns - block.frame.column + 1), 1)
    slot = grid.frame_rect(replace(block.frame, span=span), lines=lines)
    who = Who(block.id, "ad", "广告")
    if is_pdf(block.src):
        items, problems, _ = place_pdf(who, block.src, block.page, slot, ctx, memo, check_size=True)
    else:
        items, problems = place_image(who, block.src, slot, ctx)
    result = BlockResult(block.id, "ad", lines, lines, (lines,), "ok")
    return SlotLayout(block.id, slot, tuple(items), result, tuple(problems), 0, 0)
