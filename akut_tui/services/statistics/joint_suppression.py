"""Joint small-count suppression over one year's calendar grid (docs/export.md, "Grid").

Every cell Akut publishes with suppression belongs to a month, a quarter or a
year. The cells of one year (12 months, 4 quarters, the year; every table,
its denominator included) are decided together, so that each export of any of
those periods shows the same pattern, and no hidden cell can be narrowed to
fewer than three values from everything published.

The published numbers obey linear equations, each "the sum of these cells =
the sum of those cells":

* a split table's rows add up to its denominator (the crisis count, a cell of
  ``contacts``, or the table's own total);
* a cross table's cells add up, over its dimension, to the rows of its margin
  table (``margin_of``), and along it to at least its ``row_floor`` table's rows
  (treated as equal when that table's rest row leaves less than
  :data:`MIN_RANGE`); identities between tables (``linked``, ``identities``) are
  equations too;
* a quarter's cell is the sum of its months', the year's the sum of its quarters'
  (for every row that adds up over time).

Primary suppression hides counts 1-4 (a table whose denominator is 1-4 is hidden
whole, zeros included). Then every equation is made safe (docs/export.md lists the
rules: at least two hidden cells, room of :data:`MIN_RANGE` above their least values,
a hidden total's rows too, a table hidden whole when only zeros are left); ``none``
rows, ``together`` groups and ``denominator_hidden_with`` follow
(:mod:`.equation_pass`). Then the global check (:mod:`.chains`) finds every hidden
cell's interval from all relations together (the equations, the tables' declared
``bounds``, the multi-value limits, and each inequality summed over a longer period's
other parts) and hides the cheapest cell of any chain that pins a count; both passes
repeat until nothing more is hidden. Then the exact check (:mod:`.exact_check`)
solves the linear programs a reader would, and hides more until no hidden count is
pinned by any combination of relations. The auditor test
(tests/unit/test_grid_auditor.py) checks the result by linear programming.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from akut_tui.services.statistics.chains import MIN_RANGE, cheapest, more_to_hide
from akut_tui.services.statistics.dto import (
    FIGURES,
    MULTI,
    OWN_DENOMINATOR,
    RawTable,
)
from akut_tui.services.statistics.equation_pass import settle
from akut_tui.services.statistics.exact_check import pinned
from akut_tui.services.statistics.grid_state import (
    CRISIS_TIER,
    DENOMINATOR_ROW,
    WITH_ANY_ROW,
    Cell,
    GridState,
    crisis_cell,
    denominator,
)
from akut_tui.services.statistics.identities import declared
from akut_tui.services.statistics.suppression import THRESHOLD


@dataclass(frozen=True)
class GridPeriods:
    """The periods of one year: months, quarters (with their months) and the year."""

    months: tuple[str, ...]
    quarters: tuple[tuple[str, tuple[str, ...]], ...]
    year: tuple[str, tuple[str, ...]]


@dataclass
class Decision:
    """What to hide in one period's table."""

    rows: list[bool]
    denominator: bool
    whole: bool = False
    """Hidden whole (denominator 1-4): zeros are hidden too."""


def _build(grid: dict[str, list[RawTable]], periods: GridPeriods) -> GridState:
    state = GridState()
    names = {table.name: t for t, table in enumerate(next(iter(grid.values())))}
    # The declared identities and what the splits make of them, for the whole grid at once.
    totals = {(p, u): _split_total(ts, p, u) for p, ts in grid.items() for u in range(len(ts))}
    dens = {(p, u): denominator(ts, p, u) for p, ts in grid.items() for u in range(len(ts))}
    implied, bounds = declared(grid, totals, dens)
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            for i, row in enumerate(table.rows):
                state.values[(period, t, i)] = row.count
            if table.denominator_key == OWN_DENOMINATOR:
                state.values[(period, t, DENOMINATOR_ROW)] = table.denominator
                state.tier[(period, t, DENOMINATOR_ROW)] = 2
        crisis = crisis_cell(tables)
        if crisis:  # every other table's denominator: hidden last of all
            state.tier[(period, *crisis)] = CRISIS_TIER
        for t, table in enumerate(tables):
            cells = [(period, t, i) for i in range(len(table.rows))]
            total = denominator(tables, period, t)
            if table.kind != MULTI and table.kind != "figures" and total is not None:
                state.add([total], cells, split=(period, t))
            if table.row_floor in names:  # a shift's total, when its floor leaves no gap
                floor = names[table.row_floor]
                floor_rows = tables[floor].rows
                if floor_rows[-1].count < MIN_RANGE:
                    for i, row in enumerate(floor_rows[:-1]):
                        parts = [
                            c
                            for c, r in zip(cells, table.rows, strict=True)
                            if r.dims == (row.code,)
                        ]
                        state.add([(period, floor, i)], parts, exact=False)
                        state.bound(("floor", t, i), period, [(period, floor, i)], parts)
            if table.margin_of and table.margin_of in names:
                margin = names[table.margin_of]
                for i, row in enumerate(tables[margin].rows):
                    parts = [
                        c for c, r in zip(cells, table.rows, strict=True) if r.code == row.code
                    ]
                    state.add([(period, margin, i)], parts)
            _links(state, period, tables, names, t)
            for left, right in implied[(period, t)]:
                state.add(left, right)
            for b, low, high, slack in bounds[(period, t)]:
                state.bound(("bound", t, b), period, low, high, slack)
            if table.kind == MULTI and total is not None:
                picks = table.rows[:-1]
                counts = [r.count for r in picks]
                if not any(counts):  # nothing picked: "none" is the denominator
                    state.add([total], [cells[-1]], exact=False)
                    state.tier[cells[-1]] = 1
                elif not table.rows[-1].count and sum(counts) - max(counts) < MIN_RANGE:
                    state.add([total], cells[:-1], exact=False)  # all picked: about their sum
                _with_any(state, cells, total)
    sample = next(iter(grid.values()))
    for t, table in enumerate(sample):
        additive = [
            i
            for i, row in enumerate(table.rows)
            if table.additive_codes is None or row.code in table.additive_codes
        ]
        if table.denominator_key == OWN_DENOMINATOR and table.additive_codes is None:
            additive.append(DENOMINATOR_ROW)  # a total of distinct persons does not add up
        for whole, within in (*periods.quarters, periods.year):
            for i in additive:
                state.add([(whole, t, i)], [(p, t, i) for p in within])
    _complements(state, grid, periods)
    return state


def _complements(state: GridState, grid: dict[str, list[RawTable]], periods: GridPeriods) -> None:
    """Mark each inequality whose every cell adds up over time (and without slack) to be
    summed over all parts of a longer period but one, written with the longer period's
    cells: ``L(year) - L(Q2) <= R(year) - R(Q2)`` (the bound over Q1, Q3 and Q4 together;
    :meth:`GridState.relations` writes them out when the global check needs them). Bound
    propagation sees each relation on its own, and these sums are what a reader combines
    most: the longer period and one part shown, the rest hidden."""
    sample = next(iter(grid.values()))

    def additive(cell: Cell) -> bool:
        _period, t, i = cell
        codes = sample[t].additive_codes
        if i == DENOMINATOR_ROW:
            return codes is None
        return i == WITH_ANY_ROW or codes is None or sample[t].rows[i].code in codes

    longer = [*periods.quarters, periods.year, (periods.year[0], periods.months)]
    for key, family in state.families.items():
        lo, hi, slack = next(iter(family.values()))  # the same rows in every period
        if not slack and all(map(additive, [*lo, *hi])):
            state.summed[key] = (longer, isinstance(key, tuple) and key[0] == "bound")


def _with_any(state: GridState, cells: list[Cell], total: Cell) -> None:
    """A multi-value table's limits: "none" is the denominator less the contacts with a
    pick, who are at least the largest pick and at most the sum of the picks."""
    period, t, _row = cells[0]
    anything = (period, t, WITH_ANY_ROW)
    state.helpers[anything] = [*cells, total]
    state.helper_values[anything] = state.values[total] - state.values[cells[-1]]
    state.extras.append(([cells[-1], anything], [total], False, 0))
    for i, cell in enumerate(cells[:-1]):
        state.bound(("pick", t, i), period, [cell], [anything])
    state.bound(("picks", t, 0), period, [anything], cells[:-1])


def _split_total(tables: Sequence[RawTable], period: str, t: int) -> Cell | None:
    """The total cell that table ``t``'s rows add up to exactly, or None (not a split)."""
    if tables[t].kind in (MULTI, FIGURES):
        return None
    return denominator(tables, period, t)


def _links(
    state: GridState, period: str, tables: Sequence[RawTable], names: dict[str, int], t: int
) -> None:
    """Table ``t``'s identities with other tables, and what they imply with the splits.

    An identity "these rows of T = those rows of U" between two splits also says
    "T's total = T's other rows + those rows of U", and, when T and U split the same
    total, "T's other rows = U's other rows". A person table whose rows all equal one
    figure (its total) turns each further identity into "that figure = the other rows
    + the linked figures". Without these, a cell could be alone in an equation that
    only follows from two published ones (channel_ministry against who_contacts,
    contacts_per_person's one-contact row against the persons figures).
    """
    table = tables[t]
    cells = [(period, t, i) for i in range(len(table.rows))]
    total = _split_total(tables, period, t)
    pairs: list[tuple[list[Cell], list[Cell], int]] = []
    for own, other_name, codes in table.linked:
        other = names.get(other_name)
        if other is None:
            continue
        left = [c for c, r in zip(cells, table.rows, strict=True) if r.code in own]
        right = [(period, other, i) for i, r in enumerate(tables[other].rows) if r.code in codes]
        state.add(left, right)
        pairs.append((left, right, other))
    whole = [right for left, right, _ in pairs if len(left) == len(cells)]
    for left, right, other in pairs:
        rest = [c for c in cells if c not in left]
        if not rest:  # every row: the table's own total is that figure too
            if total is not None and total not in right:
                state.add([total], right)
            continue
        if total is not None:
            state.add([total], rest + right)
        for same in whole:
            state.add(same, rest + right)
        other_total = _split_total(tables, period, other)
        if other_total is None:
            continue
        other_cells = [(period, other, i) for i in range(len(tables[other].rows))]
        other_rest = [c for c in other_cells if c not in right]
        if other_rest:
            state.add([other_total], other_rest + left)
            if other_total == total:
                state.add(rest, other_rest)


def _primary(state: GridState, grid: dict[str, list[RawTable]]) -> None:
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            total = denominator(tables, period, t)
            d = state.values[total] if total is not None else table.denominator
            if table.withheld or 0 < d < THRESHOLD:
                state.hidden.update(state.whole_table(period, t, len(table.rows)))
                if total is not None:
                    state.hidden.add(total)
    for cell, value in state.values.items():
        if 0 < value < THRESHOLD:
            state.hidden.add(cell)


def decide(
    grid: dict[str, list[RawTable]], periods: GridPeriods
) -> dict[tuple[str, int], Decision]:
    """Decide what to hide in every table of every period of one year's grid."""
    state = _build(grid, periods)
    _primary(state, grid)
    pending = set(range(len(state.equations)))
    exact = False  # once the exact check runs, it finds whatever propagation would
    while True:
        settle(state, grid, pending)
        more = set() if exact else _chained(state, grid)
        if not more:
            exact = True
            more = _exact(state, grid)
        if not more:
            break
        for cell in more:
            state.hidden.add(cell)
            pending.update(state.touching[cell])
    out = {}
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            total = denominator(tables, period, t)
            out[(period, t)] = Decision(
                rows=[(period, t, i) in state.hidden for i in range(len(table.rows))],
                denominator=total is not None and total in state.hidden,
                whole=(period, t) in state.whole,
            )
    return out


def _chained(state: GridState, grid: dict[str, list[RawTable]]) -> set[Cell]:
    """The global check (:mod:`.chains`): cells to hide so that no chain of relations
    pins a hidden count; a pinned count with nothing left to hide in its chain gets its
    table hidden whole (its zeros become unknown too)."""
    unknown = state.unknowns()
    picks, stuck = more_to_hide(
        state.relations(unknown),
        unknown,
        state.truth,
        state.cost,
        state.values.get,
    )
    for period, t, _row in stuck:
        if (period, t) not in state.whole:
            picks.update(state.whole_table(period, t, len(grid[period][t].rows)))
    return picks - state.hidden


def _exact(state: GridState, grid: dict[str, list[RawTable]]) -> set[Cell]:
    """The exact check (:mod:`.exact_check`), once propagation has nothing more to hide:
    for each count a reader's linear program pins, the cheapest shown cell of the
    relations that hold it; with none left there, its table is hidden whole."""
    unknown = state.unknowns()
    relations = state.relations(unknown, summed=False)
    checking = {c for c in unknown if (state.values.get(c) or 0) > 0} - state.free
    found_pinned = pinned(
        relations, unknown, state.truth, lambda c: state.truth(c) or 0, checking.__contains__
    )
    state.free |= checking - {found.cell for found in found_pinned}
    picks: set[Cell] = set()
    for found in found_pinned:
        pick = cheapest(
            relations,
            found.relations,
            unknown,
            state.cost,
            state.values.get,
            MIN_RANGE - found.width,
        )
        if pick is not None:
            picks.add(pick)
            continue
        period, t, _row = found.cell
        if (period, t) not in state.whole:
            picks.update(state.whole_table(period, t, len(grid[period][t].rows)))
    return picks - state.hidden
