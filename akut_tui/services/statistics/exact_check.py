"""The joint suppression's exact check: linear programming over a year's relations.

Bound propagation (:mod:`.intervals`) follows relations one at a time, so its
interval of a hidden cell is an outer bound: a reader who combines several
relations at once (adds two equations, subtracts a bound) may narrow a cell
further than any chain of single relations does. This module finds each hidden
count's exact smallest and largest value consistent with every published
relation by linear programming (the HiGHS solver), the way an attacker with a
solver would, and names the relations that pin a cell too narrowly.

It runs after the propagation has nothing more to hide. Published cells are
constants, so the hidden ones fall apart into groups that share no relation (a
table's hidden rows in a month, its quarter and its year); the groups are stacked
into one block-diagonal program, so each solve moves all of them. The true figures
are one consistent point, a few solves with random objectives give more, and each
count not yet seen to move by :data:`MIN_RANGE` gets its exact least and largest
value (one open count of every group per pair of solves). Random objectives come
from a fixed seed, so the same figures always give the same decision.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from akut_tui.services.statistics.chains import MIN_RANGE
from akut_tui.services.statistics.intervals import Relation

C = TypeVar("C", bound=Hashable)
TOLERANCE = 1e-6
"""Solver noise: a range this close to :data:`MIN_RANGE` counts as wide enough."""
RANDOM_ROUNDS = 40
"""At most this many pairs of solves with random objectives before the open counts get
their exact ranges, one count of each group per pair of solves."""
BOX = 1e6
"""Every unknown's upper bound, far above any count, so that each objective has an optimum;
a count that reaches it is free."""
SEED = 16
"""The random objectives' seed: a decision must not depend on the run."""


@dataclass(frozen=True)
class Pinned(Generic[C]):
    """A hidden count whose consistent values lie closer than :data:`MIN_RANGE`."""

    cell: C
    width: float
    relations: tuple[int, ...]
    """Indices of the relations that hold its smallest or largest value (the solver's
    binding rows): hiding a shown cell of one of them widens it."""


@dataclass
class _Row:
    """One relation over unknowns only: ``sum(coef * column) (<=|==) rhs``."""

    index: int
    le: bool
    coefs: dict[int, float]
    rhs: float


@dataclass
class _Program:
    """The stacked groups' relations in one solver model, over their own unknowns."""

    columns: list[int]
    relations: list[int]
    """Solver row -> the index of the relation it holds."""
    touching: list[list[int]]
    """Column -> the solver rows it takes part in."""
    model: Any
    """The HiGHS model: only the objective changes between solves, so each solve starts
    from the last one's basis."""


def _rows(
    relations: Sequence[Relation[C]],
    column: Mapping[C, int],
    value: Callable[[C], int | None],
) -> list[_Row]:
    """The relations with every published cell moved into the constant."""
    out = []
    for k, rel in enumerate(relations):
        coefs: dict[int, float] = {}
        rhs = float(rel.const)
        for cell, coef in rel.terms:
            j = column.get(cell)
            if j is None:
                rhs -= coef * (value(cell) or 0)
            else:
                coefs[j] = coefs.get(j, 0.0) + coef
        coefs = {j: v for j, v in coefs.items() if v}
        if coefs:
            out.append(_Row(k, rel.le, coefs, rhs))
    return out


def _groups(n: int, rows: list[_Row]) -> list[tuple[list[int], list[_Row]]]:
    """The unknowns split into groups that share no relation, each with its relations."""
    parent = list(range(n))

    def root(j: int) -> int:
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    for row in rows:
        first, *rest = row.coefs
        for j in rest:
            a, b = root(first), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    columns: dict[int, list[int]] = {}
    for j in range(n):
        columns.setdefault(root(j), []).append(j)
    relations: dict[int, list[_Row]] = {}
    for row in rows:
        relations.setdefault(root(next(iter(row.coefs))), []).append(row)
    return [(cols, relations.get(r, [])) for r, cols in columns.items()]


def _quiet_model() -> Any:
    """An empty HiGHS model that writes nothing to the terminal."""
    # Lazy: keeps the CLI and the TUI start from loading HiGHS until statistics are counted.
    import highspy

    class Quiet(highspy.Highs):
        def enableCallbacks(self) -> None:  # noqa: N802 (HiGHS' name)
            # Called by the constructor; the callback set-up prints HiGHS' banner on
            # standard output (the TUI's screen) unless output is off before it.
            self.silent()
            super().enableCallbacks()  # type: ignore[no-untyped-call]

    model: Any = Quiet()  # type: ignore[no-untyped-call]
    model.setOptionValue("parallel", "off")  # one thread: the same basis path every run
    return model


def _program(columns: list[int], rows: list[_Row], lower: list[float]) -> _Program:
    # Lazy: keeps the CLI and the TUI start from loading HiGHS until statistics are counted.
    import highspy

    # Lazy: keeps the CLI and the TUI start from loading HiGHS until statistics are counted.
    import numpy as np

    local = {j: i for i, j in enumerate(columns)}
    touching: list[list[int]] = [[] for _ in columns]
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for r, row in enumerate(rows):
        starts.append(len(index))
        for j, coef in row.coefs.items():
            index.append(local[j])
            value.append(coef)
            touching[local[j]].append(r)
    model = _quiet_model()
    n = len(columns)
    model.addVars(n, np.array([lower[j] for j in columns], dtype=float), np.full(n, BOX))
    model.addRows(
        len(rows),
        np.array([-highspy.kHighsInf if row.le else row.rhs for row in rows], dtype=float),
        np.array([row.rhs for row in rows], dtype=float),
        len(index),
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=float),
    )
    return _Program(columns, [row.index for row in rows], touching, model)


def _solve(program: _Program, objective: Any) -> tuple[Any, Any]:
    """(values of the columns, duals of the rows) at the least of ``objective``."""
    # Lazy: keeps the CLI and the TUI start from loading HiGHS until statistics are counted.
    import highspy

    # Lazy: keeps the CLI and the TUI start from loading HiGHS until statistics are counted.
    import numpy as np

    model = program.model
    n = len(program.columns)
    model.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(objective, dtype=float))
    model.run()
    status = model.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(
            f"statistics check: the solver failed ({model.modelStatusToString(status)})"
        )
    solution = model.getSolution()
    return np.array(solution.col_value), np.array(solution.row_dual)


def _binding(program: _Program, duals: Any) -> set[int]:
    """The relations whose duals are not zero at an optimum."""
    return {program.relations[r] for r, d in enumerate(duals) if abs(d) > 1e-9}


def pinned(
    relations: Sequence[Relation[C]],
    unknown: Mapping[C, float],
    value: Callable[[C], int | None],
    truth: Callable[[C], int],
    checked: Callable[[C], bool],
) -> list[Pinned[C]]:
    """Every unknown with ``checked(cell)`` whose exact range is under :data:`MIN_RANGE`.

    ``unknown``: every hidden cell and helper with its least value; ``value``: a shown
    cell's published value; ``truth``: an unknown's true value (the true figures are a
    consistent point); ``checked``: whether a cell must be free (a hidden positive count).

    The groups that share no relation are stacked into one block-diagonal program:
    one solve moves every group at once, and maximising the sum of one cell per group
    finds each of those cells' own maximum.
    """
    cells = sorted(unknown, key=repr)  # the same figures, the same random objectives
    rows = _rows(relations, {cell: j for j, cell in enumerate(cells)}, value)
    lower = [float(unknown[c]) for c in cells]
    columns: list[int] = []
    group_of: list[int] = []
    kept: list[_Row] = []
    row_group: dict[int, int] = {}
    for g, (cols, group) in enumerate(_groups(len(cells), rows)):
        if not group or not any(checked(cells[j]) for j in cols):
            continue  # a cell in no relation is free; a group with nothing to check
        columns += cols
        group_of += [g] * len(cols)
        kept += group
        row_group.update((row.index, g) for row in group)
    wanted = [i for i, j in enumerate(columns) if checked(cells[j])]
    if not wanted:
        return []
    program = _program(columns, kept, lower)
    start = [float(truth(cells[j])) for j in columns]
    found = _pinned_in(program, start, wanted, group_of, row_group)
    return sorted(
        (Pinned(cells[columns[i]], width, why) for i, width, why in found),
        key=lambda p: repr(p.cell),
    )


def _pinned_in(
    program: _Program,
    start: list[float],
    wanted: list[int],
    group_of: list[int],
    row_group: Mapping[int, int],
) -> list[tuple[int, float, tuple[int, ...]]]:
    """(column, width, binding relations) of each wanted column that is pinned;
    ``start`` is a consistent point (the true figures); ``group_of`` gives each
    column's group and ``row_group`` each relation's."""
    # Lazy: keeps the CLI and the TUI start from loading HiGHS until statistics are counted.
    import numpy as np

    n = len(program.columns)
    low = np.array(start)
    high = low.copy()
    cells = np.array(wanted, dtype=int)
    settled = np.zeros(n, dtype=bool)
    """Columns whose exact range is known."""

    def open_cells() -> Any:
        return cells[(high[cells] - low[cells] < MIN_RANGE - TOLERANCE) & ~settled[cells]]

    def solve(objective: Any) -> tuple[Any, Any]:
        x, duals = _solve(program, objective)
        np.minimum(low, x, out=low)
        np.maximum(high, x, out=high)
        return x, duals

    rng = np.random.default_rng(SEED)
    before = len(cells) + 1
    for _ in range(RANDOM_ROUNDS):
        todo = open_cells()
        if len(todo) == 0 or len(todo) > before * 0.99:
            break  # a further random direction spreads (almost) nothing more
        before = len(todo)
        weights = np.zeros(n)
        weights[todo] = rng.choice([-1.0, 1.0], size=len(todo))
        solve(weights)
        solve(-weights)
    for _ in range(RANDOM_ROUNDS):
        todo = open_cells()
        if len(todo) < 2:
            break
        chosen = _apart(program, todo)
        weights = np.zeros(n)
        weights[chosen] = 1.0
        solve(weights)
        solve(-weights)
        if len(open_cells()) > len(todo) - max(2, len(chosen) // 4):
            break  # cells apart no longer spread each other: one per group from here
    out = []
    while len(todo := open_cells()):
        per_group: dict[int, int] = {}
        for j in todo:
            per_group.setdefault(group_of[int(j)], int(j))
        picked = list(per_group.values())
        extremes: dict[int, list[float]] = {j: [] for j in picked}
        why: dict[int, set[int]] = {j: set() for j in picked}
        for sign in (1.0, -1.0):  # each picked cell's least, then its greatest value
            objective = np.zeros(n)
            objective[picked] = sign
            x, duals = solve(objective)
            for j in picked:
                extremes[j].append(float(x[j]))
            for k in _binding(program, duals):
                if row_group.get(k) in per_group:
                    why[per_group[row_group[k]]].add(k)
        settled[picked] = True
        for j in picked:
            width = extremes[j][1] - extremes[j][0]
            if width < MIN_RANGE - TOLERANCE:
                out.append((j, width, tuple(sorted(why[j]))))
    return out


def _apart(program: _Program, todo: Any) -> list[int]:
    """Columns of ``todo`` of which no two share a relation (greedily, in order): pushed
    up together, or down together, they do not compete for one relation's room, so two
    solves spread each of them as its own two would."""
    taken: set[int] = set()
    chosen = []
    for j in todo:
        rows = program.touching[int(j)]
        if taken.isdisjoint(rows):
            taken.update(rows)
            chosen.append(int(j))
    return chosen
