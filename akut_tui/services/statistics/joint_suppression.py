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
rows, ``together`` groups and ``denominator_hidden_with`` follow. The auditor test
(tests/unit/test_grid_auditor.py) checks the result by linear programming.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from akut_tui.services.statistics.dto import (
    FIGURES,
    FIXED_DENOMINATOR,
    MULTI,
    OWN_DENOMINATOR,
    TOTAL,
    RawTable,
)
from akut_tui.services.statistics.identities import declared
from akut_tui.services.statistics.suppression import THRESHOLD

MIN_RANGE = 3
"""A hidden cell must be free to take values at least this far apart."""
CRISIS_TIER = 3  # hiding order of the crisis count: last of all
DENOMINATOR_ROW = -1
"""Row index of a table's own denominator cell."""

Cell = tuple[str, int, int]
"""(period label, table index, row index or :data:`DENOMINATOR_ROW`)."""


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


@dataclass
class _Equation:
    left: list[Cell]
    right: list[Cell]
    split: tuple[str, int] | None = None
    """(period, table) when this is a table's rows adding up to its total."""


@dataclass
class _State:
    values: dict[Cell, int] = field(default_factory=dict)
    hidden: set[Cell] = field(default_factory=set)
    whole: set[tuple[str, int]] = field(default_factory=set)
    tier: dict[Cell, int] = field(default_factory=dict)
    equations: list[_Equation] = field(default_factory=list)
    touching: dict[Cell, list[int]] = field(default_factory=lambda: defaultdict(list))

    def lower(self, cell: Cell) -> int:
        return 0 if (cell[0], cell[1]) in self.whole else 1

    def add(
        self, left: Sequence[Cell], right: Sequence[Cell], split: tuple[str, int] | None = None
    ) -> None:
        index = len(self.equations)
        self.equations.append(_Equation(list(left), list(right), split))
        for cell in {*left, *right}:
            self.touching[cell].append(index)


def _crisis_cell(tables: Sequence[RawTable]) -> tuple[int, int] | None:
    for t, table in enumerate(tables):
        for i, row in enumerate(table.rows):
            if row.code in table.public_codes:
                return t, i
    return None


def _denominator(tables: Sequence[RawTable], period: str, t: int) -> Cell | None:
    """The cell holding table ``t``'s denominator, or None for a public constant."""
    key = tables[t].denominator_key
    if key == FIXED_DENOMINATOR:
        return None
    if key == OWN_DENOMINATOR:
        return (period, t, DENOMINATOR_ROW)
    found = _crisis_cell(tables)
    return (period, *found) if found else (period, t, DENOMINATOR_ROW)


def _build(grid: dict[str, list[RawTable]], periods: GridPeriods) -> _State:
    state = _State()
    names = {table.name: t for t, table in enumerate(next(iter(grid.values())))}
    # The declared identities and what the splits make of them, for the whole grid at once.
    totals = {(p, u): _split_total(ts, p, u) for p, ts in grid.items() for u in range(len(ts))}
    implied = declared(grid, totals)
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            for i, row in enumerate(table.rows):
                state.values[(period, t, i)] = row.count
            if table.denominator_key == OWN_DENOMINATOR:
                state.values[(period, t, DENOMINATOR_ROW)] = table.denominator
                state.tier[(period, t, DENOMINATOR_ROW)] = 2
        crisis = _crisis_cell(tables)
        if crisis:  # every other table's denominator: hidden last of all
            state.tier[(period, *crisis)] = CRISIS_TIER
        for t, table in enumerate(tables):
            cells = [(period, t, i) for i in range(len(table.rows))]
            total = _denominator(tables, period, t)
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
                        state.add([(period, floor, i)], parts)
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
            if table.kind == MULTI and total is not None:
                picks = table.rows[:-1]
                counts = [r.count for r in picks]
                if not any(counts):  # nothing picked: "none" is the denominator
                    state.add([total], [cells[-1]])
                    state.tier[cells[-1]] = 1
                elif not table.rows[-1].count and sum(counts) - max(counts) < MIN_RANGE:
                    state.add([total], cells[:-1])  # every contact picked: about their sum
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
    return state


def _split_total(tables: Sequence[RawTable], period: str, t: int) -> Cell | None:
    """The total cell that table ``t``'s rows add up to exactly, or None (not a split)."""
    if tables[t].kind in (MULTI, FIGURES):
        return None
    return _denominator(tables, period, t)


def _links(
    state: _State, period: str, tables: Sequence[RawTable], names: dict[str, int], t: int
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


def _primary(state: _State, grid: dict[str, list[RawTable]]) -> None:
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            total = _denominator(tables, period, t)
            d = state.values[total] if total is not None else table.denominator
            if table.withheld or 0 < d < THRESHOLD:
                state.whole.add((period, t))
                state.hidden.update((period, t, i) for i in range(len(table.rows)))
                if total is not None:
                    state.hidden.add(total)
    for cell, value in state.values.items():
        if 0 < value < THRESHOLD:
            state.hidden.add(cell)


def _floor(state: _State, cell: Cell) -> int:
    """The least value of a hidden cell that its own equations give away.

    Where the cell is the only hidden term on its side of an equation, the
    other side's shown values and the hidden cells' lower bounds bound it from
    below (a hidden denominator is at least its table's shown cells plus one per
    hidden cell).
    """
    best = state.lower(cell)
    for index in state.touching[cell]:
        eq = state.equations[index]
        mine, other = (eq.left, eq.right) if cell in eq.left else (eq.right, eq.left)
        if any(c in state.hidden for c in mine if c != cell):
            continue
        if not any(c in state.hidden for c in other):
            continue  # the cell alone is hidden here: that equation gets a second one
        known = sum(state.values[c] for c in mine if c != cell)
        least = sum(state.values[c] if c not in state.hidden else state.lower(c) for c in other)
        best = max(best, least - known)
    return best


def _unsafe(state: _State, eq: _Equation) -> tuple[bool, int, list[Cell]]:
    """(unsafe?, room still needed, cells to pick from first) for one equation."""
    left = [c for c in eq.left if c in state.hidden]
    right = [c for c in eq.right if c in state.hidden]
    if not left and not right:
        return False, 0, []
    # A hidden crisis count (every table's denominator, bounded from above by the
    # quarter's and year's sums) is at least its tables' hidden rows' least values.
    if eq.split and left and right and state.tier.get(left[0]) == CRISIS_TIER:
        room = sum(state.values[c] - state.lower(c) for c in right)
        if room < MIN_RANGE:
            return True, MIN_RANGE - room, eq.right
    if left and right and len(left) + len(right) >= 2:
        return False, 0, []
    side = left or right
    same = eq.left if left else eq.right
    room = sum(state.values[c] - _floor(state, c) for c in side)
    if len(side) >= 2 and room >= MIN_RANGE:
        return False, 0, []
    return True, MIN_RANGE - room, same


def _pick(state: _State, eq: _Equation, need: int, same: list[Cell]) -> Cell | None:
    """The shown cell of ``eq`` to hide next: counts before denominators, small but enough."""
    options = []
    for cell in {*eq.left, *eq.right}:
        value = state.values.get(cell, 0)
        if cell in state.hidden or value <= 0:
            continue
        gain = value - 1 if cell in same else MIN_RANGE
        enough = 0 if gain >= need else 1
        options.append((state.tier.get(cell, 0), enough, value if not enough else -value, cell))
    return min(options)[3] if options else None


def _groups(state: _State, grid: dict[str, list[RawTable]]) -> list[Cell]:
    """Cells the multi-value and ``together`` rules add now."""
    more: list[Cell] = []
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            cells = [(period, t, i) for i in range(len(table.rows))]
            if table.kind == MULTI and cells[-1] not in state.hidden:
                # "none" is the denominator less the contacts with a pick, which lie
                # between the largest pick and the sum of the picks: hidden with a
                # hidden pick, and with a hidden denominator (else it bounds it).
                total = _denominator(tables, period, t)
                if any(c in state.hidden for c in cells[:-1]) or total in state.hidden:
                    if state.values[cells[-1]] > 0:
                        more.append(cells[-1])
            own = _denominator(tables, period, t)
            if own is not None and own not in state.hidden and state.values[own] > 0:
                if any(c in state.hidden for c in _hiding_cells(tables, period, t)):
                    more.append(own)
            if table.together:
                group = [
                    c for c, r in zip(cells, table.rows, strict=True) if r.code in table.together
                ]
                if any(c in state.hidden for c in group):
                    more += [c for c in group if c not in state.hidden and state.values[c] > 0]
    return more


def _hiding_cells(tables: Sequence[RawTable], period: str, t: int) -> list[Cell | None]:
    """The cells of table ``t``'s ``denominator_hidden_with`` terms in one period."""
    out: list[Cell | None] = []
    for name, codes in tables[t].denominator_hidden_with:
        for u, other in enumerate(tables):
            if other.name == name:
                out += [(period, u, i) for i, r in enumerate(other.rows) if r.code in codes]
                out += [_denominator(tables, period, u)] if TOTAL in codes else []
    return out


def decide(
    grid: dict[str, list[RawTable]], periods: GridPeriods
) -> dict[tuple[str, int], Decision]:
    """Decide what to hide in every table of every period of one year's grid."""
    state = _build(grid, periods)
    _primary(state, grid)
    pending = set(range(len(state.equations)))
    while True:
        while pending:
            index = pending.pop()
            eq = state.equations[index]
            unsafe, need, same = _unsafe(state, eq)
            if not unsafe:
                continue
            cell = _pick(state, eq, need, same)
            if cell is None and eq.split and eq.split not in state.whole:
                # Only zeros are left: hide the table whole, so its zeros may be more.
                state.whole.add(eq.split)
                state.hidden.update(eq.right)
                for zero in eq.right:
                    pending.update(state.touching[zero])
                continue
            if cell is None:
                continue  # nothing left to hide here: every term is hidden or zero
            state.hidden.add(cell)
            pending.update(state.touching[cell])
            pending.add(index)
        more = _groups(state, grid)
        if not more:
            break
        for cell in more:
            state.hidden.add(cell)
            pending.update(state.touching[cell])
    out = {}
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            total = _denominator(tables, period, t)
            out[(period, t)] = Decision(
                rows=[(period, t, i) in state.hidden for i in range(len(table.rows))],
                denominator=total is not None and total in state.hidden,
                whole=(period, t) in state.whole,
            )
    return out
