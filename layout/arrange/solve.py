"""The arrangement as a CP-SAT model (OR-Tools), solved for several alternatives.

Every article has a column ``x`` and a grid line ``y`` (its top-left cell) and one of its
measured options (width, lines needed); each option is an optional rectangle on the
column × grid-line grid, present when chosen, and all of them and the template's fixed
blocks go into one 2-D no-overlap constraint.  See docs/arrange.md for the whole model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from layout.arrange.measure import Measured

#: The solver's random seed: the same input gives the same arrangements.
SEED = 14
#: Weight of one covered cell (one column × one grid line) in the objective.
FILL_WEIGHT = 20
#: Weight of one grid line lower on the page, times (10 − priority): important stories high.
ORDER_WEIGHT = 1
#: Weight of one column to the right for the lead story (it reads from the top left).
LEAD_LEFT_WEIGHT = 1
#: Frames side by side whose tops are fewer grid lines apart than this have their
#: headlines at (nearly) the same height: 碰题.  1 is the strict rule (same top line);
#: 2 also refuses the one-line step that only dodges it, and leaves at most a two-line
#: hole above the lower frame ("a line or two").
HEADLINE_CLEARANCE = 2
#: Wall-clock seconds one unit of CP-SAT's deterministic time took on this model (measured on
#: a 2-core machine): the search is bounded by deterministic time, so that its result
#: does not depend on the machine's load, converted from the --time-limit in seconds.
WALL_PER_DETERMINISTIC = 3.5
#: A wall-clock guard as a multiple of each alternative's share of the time limit (only
#: a machine far slower or busier than expected reaches it; the result then depends on timing).
WALL_GUARD = 1.5


@dataclass(frozen=True, slots=True)
class Cell:
    """A rectangle on the grid, 0-based: columns x .. x+w-1, lines y .. y+h-1."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True, slots=True)
class Placed:
    index: int  # into the measured articles
    option: int  # into its options
    cell: Cell


@dataclass(frozen=True, slots=True)
class Solution:
    placed: tuple[Placed, ...]
    optimal: bool
    seconds: float  # wall time of this solve


@dataclass(frozen=True, slots=True)
class Outcome:
    solutions: tuple[Solution, ...]
    infeasible: bool  # proven: no arrangement at all
    seconds: float  # wall time of all solves


def solve(measured: list[Measured], columns: int, lines: int, fixed: list[Cell], slack: int,
          alternatives: int, time_limit: float) -> Outcome:
    """Up to ``alternatives`` arrangements, the best first; each later one differs from every
    earlier one in some article's width or column."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    xs, ys, chosen, widths, extras = [], [], [], [], []
    x_boxes, y_boxes = [], []
    area_terms: list[Any] = []
    for i, m in enumerate(measured):
        x = model.new_int_var(0, columns - 1, f"x{i}")
        y = model.new_int_var(0, lines - 1, f"y{i}")
        picks, extra = [], []
        for k, opt in enumerate(m.options):
            o = model.new_bool_var(f"o{i}_{k}")
            e = model.new_int_var(0, slack, f"e{i}_{k}")  # spare lines under the text
            model.add(e == 0).only_enforce_if(~o)
            bottom = model.new_int_var(0, lines, f"b{i}_{k}")
            model.add(x + opt.width <= columns).only_enforce_if(o)
            x_boxes.append(model.new_optional_fixed_size_interval_var(x, opt.width, o, f"ix{i}_{k}"))
            # present: y + need + e == bottom <= lines (the interval enforces the sum)
            y_boxes.append(model.new_optional_interval_var(y, e + opt.need, bottom, o, f"iy{i}_{k}"))
            area_terms += [opt.width * opt.need * o, opt.width * e]
            picks.append(o)
            extra.append(e)
        model.add_exactly_one(picks)
        xs.append(x)
        ys.append(y)
        chosen.append(picks)
        extras.append(extra)
        widths.append(sum(opt.width * o for opt, o in zip(m.options, picks, strict=True)))
    for n, c in enumerate(fixed):
        x_boxes.append(model.new_fixed_size_interval_var(c.x, c.w, f"fx{n}"))
        y_boxes.append(model.new_fixed_size_interval_var(c.y, c.h, f"fy{n}"))
    model.add_no_overlap_2d(x_boxes, y_boxes)
    for j in range(1, len(measured)):  # the lead story on top: no article starts above it
        model.add(ys[0] <= ys[j])
    for i in range(len(measured)):  # 碰题: two frames starting (nearly) level must not touch side by side
        for j in range(i + 1, len(measured)):
            level = model.new_bool_var(f"level{i}_{j}")
            above, below = model.new_bool_var(f"above{i}_{j}"), model.new_bool_var(f"below{i}_{j}")
            model.add_bool_or([level, above, below])
            model.add(ys[i] + HEADLINE_CLEARANCE <= ys[j]).only_enforce_if(above)
            model.add(ys[j] + HEADLINE_CLEARANCE <= ys[i]).only_enforce_if(below)
            model.add(xs[i] + widths[i] != xs[j]).only_enforce_if(level)
            model.add(xs[j] + widths[j] != xs[i]).only_enforce_if(level)
    order = sum((10 - m.article.priority) * y for m, y in zip(measured, ys, strict=True))
    model.maximize(FILL_WEIGHT * sum(area_terms) - ORDER_WEIGHT * order - LEAD_LEFT_WEIGHT * xs[0])
    solutions: list[Solution] = []
    infeasible = False
    started = time.perf_counter()
    per_solve = max(time_limit / max(alternatives, 1), 0.05)  # wall seconds per alternative
    for _ in range(alternatives):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = SEED
        solver.parameters.max_deterministic_time = per_solve / WALL_PER_DETERMINISTIC
        solver.parameters.max_time_in_seconds = per_solve * WALL_GUARD
        t0 = time.perf_counter()
        status = solver.solve(model)
        seconds = time.perf_counter() - t0
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            infeasible = status == cp_model.INFEASIBLE and not solutions
            break
        placed = []
        for i, m in enumerate(measured):
            k = next(k for k, o in enumerate(chosen[i]) if solver.value(o))
            opt = m.options[k]
            h = opt.need + solver.value(extras[i][k])
            placed.append(Placed(i, k, Cell(solver.value(xs[i]), solver.value(ys[i]), opt.width, h)))
        solutions.append(Solution(tuple(placed), status == cp_model.OPTIMAL, seconds))
        _forbid(model, placed, chosen, xs)
    return Outcome(tuple(solutions), infeasible, time.perf_counter() - started)


def _forbid(model: Any, placed: list[Placed], chosen: list[list[Any]], xs: list[Any]) -> None:
    """The next arrangement differs from this one in some article's option or column."""
    same = []
    for p in placed:
        at = model.new_bool_var("")
        model.add(xs[p.index] != p.cell.x).only_enforce_if(~at)
        keep = model.new_bool_var("")
        model.add_bool_or([~chosen[p.index][p.option], ~at, keep])  # option and column both kept -> keep
        same.append(keep)
    model.add(sum(same) <= len(placed) - 1)
