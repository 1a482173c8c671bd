"""An attacker's view of everything Akut publishes for one year (issue 16 §1).

:func:`publish_year` collects every figure Akut shows for the months, quarters
and the year (each export, ``--by month`` and ``--by quarter``, the statistics
screen's monthly counts). :func:`audit` writes down every linear relation those
figures obey by definition and asks a linear-programming solver (HiGHS through
``scipy.optimize.linprog``) for the smallest and largest value of each hidden
cell that is consistent with all of them.

The relations come from the tables' definitions (their kind, denominator,
margins, identities with other tables and which rows add up over time; a
separate test checks those declarations against unsuppressed counts), not from
the suppression code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Any
from unittest.mock import patch

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.dto import (
    CROSS,
    FIXED_DENOMINATOR,
    MULTI,
    OWN_DENOMINATOR,
    TOTAL,
    RawTable,
    StatsReport,
    Term,
)
from akut_tui.services.statistics.grid import Grid
from akut_tui.services.statistics.periods import Period, parse_period
from akut_tui.services.statistics.tables import table_specs
from db.database import connection

TODAY = date(2026, 12, 1)
RANDOM_ROUNDS = 40
"""At most this many random-sign objectives before solving cell by cell."""
WITNESSED = 3
NUDGE = 0.01
"""Weight of the other open cells when one cell's extremes are sought."""
BOX = 1e6
"""An upper bound for the random-direction solves only (their solutions stay witnesses)."""
"""A hidden cell whose consistent values are seen this far apart needs no exact LP."""
Key = tuple[Any, ...]
"""(period label, table name, row key) or (period label, table name, "#d")."""


@dataclass
class Published:
    """Every published number by key; hidden ones are None."""

    values: dict[Key, int | None] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def put(self, key: Key, value: int | None) -> None:
        """Record one number; the same cell must read the same in every publication."""
        if key in self.values and self.values[key] != value:
            self.conflicts.append(f"{key}: {self.values[key]} vs {value}")
        self.values.setdefault(key, value)


def periods_of(year: int) -> list[Period]:
    """The 17 periods of a year's grid."""
    labels = [f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}Q{q}" for q in range(1, 5)]
    return [parse_period(label, TODAY) for label in [*labels, str(year)]]


def _row_key(table_columns: tuple[str, ...], row: tuple[Any, ...]) -> tuple[str, ...]:
    cells = dict(zip(table_columns, row, strict=True))
    dims = tuple(str(cells[c]) for c in table_columns if c == "shift")
    return (*dims, str(cells["code"]))


def _collect(report: StatsReport, out: Published) -> None:
    for table in report.tables:
        lead = report.by
        for row in table.rows:
            cells = dict(zip(table.columns, row, strict=True))
            period = str(cells[lead]) if lead else report.label
            key = (period, table.name, _row_key(table.columns, row))
            out.put(key, cells["count"])
        if lead:
            for period, d in table.denominators.items():
                out.put((period, table.name, "#d"), d)
        else:
            out.put((report.label, table.name, "#d"), table.denominator)
    for month, n in report.monthly:
        out.put((month, "#monthly", "krise"), n)


def truth_of_year(rt: Runtime, year: int) -> dict[Key, int | None]:
    """The unsuppressed value of every key (to check that the relations hold)."""
    out = Published()
    for period in periods_of(year):
        _collect(stats.compute(rt, period, suppress=False), out)
    return out.values


def _one_grid() -> type[Grid]:
    """A :class:`Grid` whose instances share their suppressed years.

    Every export counts and suppresses its years afresh; the auditor makes some 20
    exports of one unchanged database, so they share the first one's years (the
    same figures, counted once).
    """
    years: dict[int, Any] = {}

    class SharedGrid(Grid):
        def __init__(self, build: Any, specs: Any) -> None:
            super().__init__(build, specs)
            self.years = years

    return SharedGrid


def publish_year(rt: Runtime, year: int) -> Published:
    """Every figure Akut publishes with suppression for the months, quarters and year."""
    with patch.object(stats, "Grid", _one_grid()):
        return _publish_year(rt, year)


def _publish_year(rt: Runtime, year: int) -> Published:
    out = Published()
    for period in periods_of(year):
        _collect(stats.compute(rt, period), out)
        if len(period.label) > 7:  # a quarter or the year: also per month (and quarter)
            _collect(stats.compute(rt, period, by="month"), out)
    _collect(stats.compute(rt, parse_period(str(year), TODAY), by="quarter"), out)
    return out


def raw_tables(rt: Runtime, year: int) -> list[RawTable]:
    """The tables' declarations (kind, denominator, margins, identities), from a month."""
    with connection():
        build = stats._builder(rt, stats._labeller(rt))
        return build(parse_period(f"{year}-01", TODAY), table_specs())


def _identity_keys(
    period: str,
    table: RawTable,
    names: dict[str, RawTable],
    side: tuple[Term, ...],
    crisis: tuple[str, str] = ("", ""),
) -> list[Key]:
    """The keys one side of a declared identity or bound adds up (a code or a cross
    table's dim; :data:`TOTAL` the table's denominator, ``crisis``: the crisis count's
    table and code)."""
    keys: list[Key] = []
    for name, codes in side:
        other = names[name] if name else table
        if TOTAL in codes and other.denominator_key == OWN_DENOMINATOR:
            keys.append((period, other.name, "#d"))
        elif TOTAL in codes and other.denominator_key != FIXED_DENOMINATOR:
            keys.append((period, crisis[0], (crisis[1],)))
        keys += [
            (period, other.name, (*r.dims, r.code))
            for r in other.rows
            if r.code in codes or any(d in codes for d in r.dims)
        ]
    return keys


@dataclass
class _LP:
    index: dict[Key, int] = field(default_factory=dict)
    rows_eq: list[dict[int, float]] = field(default_factory=list)
    rhs_eq: list[float] = field(default_factory=list)
    rows_le: list[dict[int, float]] = field(default_factory=list)
    rhs_le: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)


def audit(
    rt: Runtime, year: int, published: Published, truth: dict[Key, int | None] | None = None
) -> dict[Key, tuple[float, float]]:
    """(min, max) of every hidden cell consistent with every published number.

    With ``truth``, each relation is checked to hold on the true values, and only the
    hidden non-zero cells are solved for (a hidden zero may be pinned).
    """
    import numpy as np
    from scipy.optimize import linprog

    decl = raw_tables(rt, year)
    names = {t.name: t for t in decl}
    values = published.values
    lp = _LP()

    def term(key: Key) -> tuple[int | None, float]:
        """(variable index or None, constant) for a published key."""
        value = values.get(key, 0)  # an unpublished key is a zero row of an empty table
        if value is not None:
            return None, float(value)
        if key not in lp.index:
            lp.index[key] = len(lp.lower)
            lp.lower.append(1.0)
        return lp.index[key], 0.0

    def aux() -> int:
        lp.lower.append(0.0)
        return len(lp.lower) - 1

    def relation(
        pos: list[Key | int], neg: list[Key | int], *, le: bool = False, const: float = 0
    ) -> None:
        """sum(pos) - sum(neg) (<=|==) const; ints are aux variables."""
        row: dict[int, float] = defaultdict(float)
        rhs = const
        for sign, keys in ((1.0, pos), (-1.0, neg)):
            for key in keys:
                if isinstance(key, int):
                    row[key] += sign
                    continue
                var, value = term(key)
                if var is None:
                    rhs -= sign * value
                else:
                    row[var] += sign
        if not row:
            return
        (lp.rows_le if le else lp.rows_eq).append(dict(row))
        (lp.rhs_le if le else lp.rhs_eq).append(rhs)
        if truth is not None:  # the relation must hold on the true values
            names_of = {v: k for k, v in lp.index.items()}
            got = sum(c * (truth.get(names_of[j]) or 0) for j, c in row.items() if j in names_of)
            aux_free = all(j in names_of for j in row)
            assert not aux_free or (got <= rhs + 1e-9 if le else abs(got - rhs) < 1e-9), (
                f"relation fails on the truth: {pos} - {neg} {'<=' if le else '=='} {const}"
            )

    crisis_table = next(t for t in decl if t.public_codes)
    crisis_code = crisis_table.public_codes[0]
    grid = periods_of(year)
    for period in grid:
        p = period.label
        for t in decl:
            keys = [(p, t.name, (*r.dims, r.code)) for r in t.rows]
            if t.denominator_key == OWN_DENOMINATOR:
                total: Key | None = (p, t.name, "#d")
            elif t.denominator_key == FIXED_DENOMINATOR:
                total = None
            else:
                total = (p, crisis_table.name, (crisis_code,))
                relation([(p, t.name, "#d")], [total])
            if t.kind in (CROSS, "partition") and total is not None:
                relation(list(keys), [total])
            if t.row_floor:  # a shift's contacts >= its contacts with a duration
                floor = names[t.row_floor]
                for r in floor.rows[:-1]:
                    part = [k for k, x in zip(keys, t.rows, strict=True) if x.dims == (r.code,)]
                    relation([(p, floor.name, (r.code,))], part, le=True)
            if t.margin_of:
                margin = names[t.margin_of]
                for r in margin.rows:
                    part = [k for k, x in zip(keys, t.rows, strict=True) if x.code == r.code]
                    relation(part, [(p, margin.name, (r.code,))])
            for own, other, codes in t.linked:
                left = [k for k, r in zip(keys, t.rows, strict=True) if r.code in own]
                right = [(p, other, (r.code,)) for r in names[other].rows if r.code in codes]
                relation(left, right)
            for identity in t.identities:
                relation(*(_identity_keys(p, t, names, side) for side in astuple(identity)))
            if t.kind == MULTI and total is not None:
                w = aux()
                relation([keys[-1], w], [total])  # none = d - with_any
                for k in keys[:-1]:
                    relation([k], [w], le=True)  # each pick <= with_any
                relation([w], list(keys[:-1]), le=True)  # with_any <= sum of picks
            for bound in t.bounds:  # sum(left) <= sum(right) + slack
                left, right = (
                    _identity_keys(p, t, names, side, crisis=(crisis_table.name, crisis_code))
                    for side in (bound.left, bound.right)
                )
                relation(left, right, le=True, const=bound.slack)
    months = grid[:12]
    quarters = grid[12:16]
    for t in decl:
        rows = [
            (*r.dims, r.code)
            for r in t.rows
            if t.additive_codes is None or r.code in t.additive_codes
        ]
        if t.denominator_key == OWN_DENOMINATOR and t.additive_codes is None:
            rows.append("#d")  # type: ignore[arg-type]
        for row in rows:
            for q, quarter in enumerate(quarters):
                parts = [(m.label, t.name, row) for m in months[3 * q : 3 * q + 3]]
                relation([(quarter.label, t.name, row)], parts)
            relation([(grid[16].label, t.name, row)], [(q.label, t.name, row) for q in quarters])
    for month in months:
        relation(
            [(month.label, "#monthly", "krise")], [(month.label, crisis_table.name, (crisis_code,))]
        )

    # A table hidden whole may hide zeros: to a reader, one that shows no row (its
    # denominator may be shown, as the crisis count shown in ``contacts`` is); a hidden
    # crisis-count denominator is a zero only where ``contacts`` is hidden whole.
    shown = {(k[0], k[1]) for k, v in values.items() if v is not None and k[2] != "#d"}

    def whole(period: str, name: str) -> bool:
        return (period, name) not in shown

    for key, var in lp.index.items():
        if key[1] == "#monthly" and whole(key[0], crisis_table.name):
            lp.lower[var] = 0.0
        if key[1] not in names:
            continue
        table = names[key[1]]
        owner = key[1]
        if key[2] == "#d" and table.denominator_key not in (OWN_DENOMINATOR, FIXED_DENOMINATOR):
            owner = crisis_table.name
        if whole(key[0], owner):
            lp.lower[var] = 0.0
    if truth is not None:
        for key, var in lp.index.items():
            assert (truth.get(key) or 0) >= lp.lower[var], f"hidden {key} below its bound"
    n = len(lp.lower)
    if n == 0:
        return {}

    def dense(rows: list[dict[int, float]]) -> Any:
        from scipy.sparse import csr_array

        if not rows:
            return None
        data = [(v, i, j) for i, row in enumerate(rows) for j, v in row.items()]
        values, row_index, col_index = zip(*data, strict=True)
        return csr_array((values, (row_index, col_index)), shape=(len(rows), n))

    a_eq, a_le = dense(lp.rows_eq), dense(lp.rows_le)
    b_eq = np.array(lp.rhs_eq) if lp.rows_eq else None
    b_le = np.array(lp.rhs_le) if lp.rows_le else None
    bounds = [(low, None) for low in lp.lower]
    out = {}
    # Every solution is a consistent set of hidden values: a witness. A cell whose
    # witnesses already lie WITNESSED apart needs no LP of its own. Random-sign objectives
    # over the cells not yet spread push many of them to their extremes at once (two
    # solves instead of two per cell); for the rest the exact minimum and maximum are
    # solved (each solution widening the others' too).
    seen_low = np.full(n, np.inf)
    seen_high = np.full(n, -np.inf)

    def solve(c: Any, box: Any = bounds) -> Any:
        result = linprog(c, A_ub=a_le, b_ub=b_le, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
        if result.status == 0:
            np.minimum(seen_low, result.x, out=seen_low)
            np.maximum(seen_high, result.x, out=seen_high)
        return result

    # A hidden zero (only in a table hidden whole) identifies no one and may be pinned:
    # with the truth at hand, only the hidden counts are solved for.
    wanted = {k: v for k, v in lp.index.items() if truth is None or truth.get(k)}
    cells = np.array(sorted(wanted.values()), dtype=int)

    def open_cells() -> Any:
        return cells[seen_high[cells] - seen_low[cells] < WITNESSED - 1e-9]

    # Capped, so every direction has an optimum (the solutions stay witnesses).
    boxed = [(low, BOX) for low in lp.lower]
    rng = np.random.default_rng(len(lp.index))

    def spread(weights: Any) -> None:
        """Solve both ways along ``weights`` (capped): two witnesses."""
        for sign in (1.0, -1.0):
            assert solve(sign * weights, boxed).status == 0, "published figures are inconsistent"

    before = float("inf")
    for _round in range(RANDOM_ROUNDS):
        todo = open_cells()
        if len(todo) < 2 or len(todo) > before * 0.99:
            break  # a further random direction spreads (almost) nothing more
        before = len(todo)
        c = np.zeros(n)
        c[todo] = rng.choice([-1.0, 1.0], size=len(todo))
        spread(c)
    for key, var in wanted.items():
        if seen_high[var] - seen_low[var] >= WITNESSED - 1e-9:
            out[key] = (float(seen_low[var]), float(seen_high[var]))
            continue
        # This cell's extremes, with a small random push on the other open cells
        # (their witnesses spread too); exact solves only if that is not enough.
        c = np.zeros(n)
        todo = open_cells()
        c[todo] = rng.choice([-NUDGE, NUDGE], size=len(todo))
        c[var] = 1.0
        spread(c)
        if seen_high[var] - seen_low[var] >= WITNESSED - 1e-9:
            out[key] = (float(seen_low[var]), float(seen_high[var]))
            continue
        c = np.zeros(n)
        c[var] = 1.0
        low = solve(c)
        assert low.status == 0, f"published figures are inconsistent ({low.message})"
        high = solve(-c)
        top = float("inf") if high.status == 3 else -float(high.fun)
        out[key] = (float(low.fun), top)
    return out
