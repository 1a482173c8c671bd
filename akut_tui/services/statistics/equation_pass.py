"""The joint suppression's per-equation pass: each published equation made safe on its own.

Every equation with a hidden cell gets at least two hidden cells with room of
:data:`~.chains.MIN_RANGE` above their least values (a hidden total's rows too); a
table whose only shown cells are zeros is hidden whole; the multi-value ``none`` rows,
``together`` groups and ``denominator_hidden_with`` follow (docs/export.md, "Grid").
"""

from __future__ import annotations

from collections.abc import Sequence

from akut_tui.services.statistics.chains import MIN_RANGE
from akut_tui.services.statistics.dto import MULTI, TOTAL, RawTable
from akut_tui.services.statistics.grid_state import (
    CRISIS_TIER,
    Cell,
    Equation,
    GridState,
    denominator,
    is_crisis_table,
)


def _floor(state: GridState, cell: Cell) -> int:
    """The least value of a hidden cell that its own equations give away."""
    return _floor_and_source(state, cell)[0]


def _floor_and_source(state: GridState, cell: Cell) -> tuple[int, int | None]:
    """(the least value of a hidden cell that its own equations give away, the
    equation that gives the highest one, None if only the cell's own least value).

    Where the cell is the only hidden term on its side of an equation, the
    other side's shown values and the hidden cells' lower bounds bound it from
    below (a hidden denominator is at least its table's shown cells plus one per
    hidden cell).
    """
    best, source = state.lower(cell), None
    for index in state.touching[cell]:
        eq = state.equations[index]
        mine, other = (eq.left, eq.right) if cell in eq.left else (eq.right, eq.left)
        if any(c in state.hidden for c in mine if c != cell):
            continue
        if not any(c in state.hidden for c in other):
            continue  # the cell alone is hidden here: that equation gets a second one
        known = sum(state.values[c] for c in mine if c != cell)
        least = sum(state.values[c] if c not in state.hidden else state.lower(c) for c in other)
        if least - known > best:
            best, source = least - known, index
    return best, source


def _unsafe(state: GridState, eq: Equation) -> tuple[bool, int, list[Cell]]:
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
    if not any(state.truth(c) for c in side):
        return False, 0, []  # hidden zeros (of tables hidden whole) identify no one
    room = sum(state.values[c] - _floor(state, c) for c in side)
    if len(side) >= 2 and room >= MIN_RANGE:
        return False, 0, []
    return True, MIN_RANGE - room, same


def _pick(state: GridState, eq: Equation, need: int, same: list[Cell]) -> Cell | None:
    """The shown cell of ``eq`` to hide next: counts before denominators, small but enough."""
    options = []
    for cell in {*eq.left, *eq.right}:
        value = state.values.get(cell, 0)
        if cell in state.hidden or value <= 0:
            continue
        gain = value - 1 if cell in same else MIN_RANGE
        enough = 0 if gain >= need else 1
        options.append((state.cost(cell), enough, value if not enough else -value, cell))
    return min(options)[3] if options else None


def _hide_whole(state: GridState, grid: dict[str, list[RawTable]], eq: Equation) -> list[Cell]:
    """Hide whole every table with a hidden row in ``eq`` (and the table ``eq`` splits),
    but the crisis count's own: the newly hidden cells, zeros included."""
    tables = {
        (c[0], c[1])
        for c in (*eq.left, *eq.right)
        if c in state.hidden and c[2] >= 0 and state.tier.get(c, 0) < CRISIS_TIER
    }
    if eq.split and not is_crisis_table(grid[eq.split[0]], eq.split[1]):
        tables.add(eq.split)
    opened: list[Cell] = []
    for period, t in sorted(tables - state.whole):
        opened += state.whole_table(period, t, len(grid[period][t].rows))
    state.hidden.update(opened)
    return opened


def _free_floors(state: GridState, grid: dict[str, list[RawTable]], side: list[Cell]) -> list[Cell]:
    """Hide whole the cheapest table that frees a floor of ``side``'s hidden cells: a
    month's hidden hour is at least 1 when it is the only hidden part of its quarter's
    hidden hour (at least 1, as zeros are shown), so a small month's hours, each at
    least 1, can pin each other even with the month's table hidden whole. Hiding
    another part's or the quarter's table whole makes that floor 0. The newly hidden
    cells (none when no such table is left)."""
    options = set()
    for cell in side:
        if cell not in state.hidden:
            continue
        floor, source = _floor_and_source(state, cell)
        if source is None or floor <= state.lower(cell):
            continue
        eq = state.equations[source]
        for c in (*eq.left, *eq.right):
            table = (c[0], c[1])
            if c == cell or c[2] < 0 or table in state.whole:
                continue
            if is_crisis_table(grid[table[0]], table[1]):
                continue  # the crisis count's own table stays: its count is the headline
            if c in state.hidden or state.values.get(c, 0) == 0:
                options.add(table)
    if not options:
        return []

    def shown(table: tuple[str, int]) -> tuple[bool, int, int, tuple[str, int]]:
        period, t = table
        cells = [(period, t, i) for i in range(len(grid[period][t].rows))]
        values = [state.values.get(c, 0) for c in cells if c not in state.hidden]
        nonzero = sum(1 for v in values if v)
        # A table whose one count is its whole total: hidden whole, that count is still
        # its total (the rest are zeros) and pins on the crisis count. Others first.
        return nonzero == 1, nonzero, sum(values), table

    period, t = min(options, key=shown)
    opened = state.whole_table(period, t, len(grid[period][t].rows))
    state.hidden.update(opened)
    return opened


def _groups(state: GridState, grid: dict[str, list[RawTable]]) -> list[Cell]:
    """Cells the multi-value and ``together`` rules add now."""
    more: list[Cell] = []
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            cells = [(period, t, i) for i in range(len(table.rows))]
            if table.kind == MULTI and cells[-1] not in state.hidden:
                # "none" is the denominator less the contacts with a pick, which lie
                # between the largest pick and the sum of the picks: hidden with a
                # hidden pick, and with a hidden denominator (else it bounds it).
                total = denominator(tables, period, t)
                if any(c in state.hidden for c in cells[:-1]) or total in state.hidden:
                    if state.values[cells[-1]] > 0:
                        more.append(cells[-1])
            own = denominator(tables, period, t)
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
                out += [denominator(tables, period, u)] if TOTAL in codes else []
    return out


def settle(state: GridState, grid: dict[str, list[RawTable]], pending: set[int]) -> None:
    """The per-equation pass: make every pending equation safe on its own, with the
    groups' rules, until nothing more is hidden."""
    while True:
        while pending:
            index = pending.pop()
            eq = state.equations[index]
            unsafe, need, same = _unsafe(state, eq)
            if not unsafe:
                continue
            cell = _pick(state, eq, need, same)
            if cell is None or state.cost(cell) >= CRISIS_TIER:
                # Only zeros are left, or the crisis count, which every table of the
                # period hangs on: hide the equation's tables whole first, so their
                # zeros may be more.
                opened = _hide_whole(state, grid, eq) or _free_floors(state, grid, same)
                if opened:
                    pending.update(i for c in opened for i in state.touching[c])
                    pending.add(index)
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
