"""The joint suppression's model of one year's grid: cells, equations, what is hidden.

A cell is (period, table index, row index); a table's own denominator has row
:data:`DENOMINATOR_ROW`, a multi-value table's (unpublished) contacts with any pick
:data:`WITH_ANY_ROW`. :class:`GridState` holds every cell's count, the equations the
per-equation pass checks (:mod:`.equation_pass`), every exact relation for the global
check (:mod:`.chains`) and the cells hidden so far.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from akut_tui.services.statistics.dto import FIXED_DENOMINATOR, OWN_DENOMINATOR, RawTable
from akut_tui.services.statistics.intervals import Relation, relation

CRISIS_TIER = 3  # hiding order of the crisis count: last of all
DENOMINATOR_ROW = -1
"""Row index of a table's own denominator cell."""
MAX_SUBSET_PARTS = 4
"""A declared bound is summed leaving out any subset of at most this many parts (a year's
quarters, a quarter's months); of a year's months, any one or two."""
WITH_ANY_ROW = -2
"""Row index of a multi-value table's contacts with any pick (never published)."""

Cell = tuple[str, int, int]
"""(period label, table index, row index or :data:`DENOMINATOR_ROW`)."""


@dataclass
class Equation:
    """``sum(left) == sum(right)``; ``exact`` False: only near enough for the per-equation
    pass (the global check uses the true relation, an inequality, instead)."""

    left: list[Cell]
    right: list[Cell]
    split: tuple[str, int] | None = None
    """(period, table) when this is a table's rows adding up to its total."""
    exact: bool = True


@dataclass
class GridState:
    """Every cell's count, the relations between them, and what is hidden so far."""

    values: dict[Cell, int] = field(default_factory=dict)
    hidden: set[Cell] = field(default_factory=set)
    whole: set[tuple[str, int]] = field(default_factory=set)
    tier: dict[Cell, int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)
    touching: dict[Cell, list[int]] = field(default_factory=lambda: defaultdict(list))
    extras: list[tuple[list[Cell], list[Cell], bool, int]] = field(default_factory=list)
    """Relations the per-equation pass does not check (bounds, inequalities, helpers'), as
    (left, right, ``<=``?, slack); made into relations only when the global check needs
    them."""
    helpers: dict[Cell, list[Cell]] = field(default_factory=dict)
    """An unpublished unknown (:data:`WITH_ANY_ROW`) -> the cells of its table."""
    helper_values: dict[Cell, int] = field(default_factory=dict)
    """A helper's true value (it is a constant where its table shows every cell)."""
    families: dict[Hashable, dict[str, tuple[list[Cell], list[Cell], int]]] = field(
        default_factory=dict
    )
    """One inequality in every period: its key -> period -> (left, right, slack)."""
    summed: dict[Hashable, tuple[list[tuple[str, tuple[str, ...]]], bool]] = field(
        default_factory=dict
    )
    """Families that add up over time -> the longer periods and their parts to sum over,
    and whether to leave out several parts at once (declared bounds)."""
    free: set[Cell] = field(default_factory=set)
    """Hidden counts the exact check saw range by at least :data:`MIN_RANGE`. Hiding more
    only widens what a reader can infer, so they stay free and are not checked again."""

    def bound(
        self, key: Hashable, period: str, left: list[Cell], right: list[Cell], slack: int = 0
    ) -> None:
        """``sum(left) <= sum(right) + slack`` in ``period``, one of the family ``key``."""
        self.extras.append((left, right, True, slack))
        self.families.setdefault(key, {})[period] = (left, right, slack)

    def cost(self, cell: Cell) -> int:
        """A shown cell's hiding order: its tier, or the crisis count's where hiding it
        would leave it alone in an equation whose other shown counts are only the crisis
        count (a "not a partner" row beside zeros: hidden alone, it would take the crisis
        count with it). The crisis count itself comes after such a dead end: hidden, a
        dead end gets its table hidden whole before the crisis count is given up
        (:mod:`.equation_pass`)."""
        base = self.tier.get(cell, 0)
        if base >= CRISIS_TIER:
            return base + 1
        for index in self.touching[cell]:
            eq = self.equations[index]
            others = [c for c in (*eq.left, *eq.right) if c != cell]
            if any(c in self.hidden for c in others):
                continue
            live = [c for c in others if self.values.get(c, 0) > 0]
            if live and all(self.tier.get(c, 0) >= CRISIS_TIER for c in live):
                return CRISIS_TIER
        return base

    def truth(self, cell: Cell) -> int | None:
        """A cell's or a helper's true value (None for neither)."""
        return self.values.get(cell, self.helper_values.get(cell))

    def whole_table(self, period: str, t: int, rows: int) -> list[Cell]:
        """Mark table ``t`` of ``period`` (``rows`` rows) hidden whole, so that its zeros
        are unknowns too: its cells not hidden yet, for the caller to hide."""
        self.whole.add((period, t))
        return [(period, t, i) for i in range(rows) if (period, t, i) not in self.hidden]

    def lower(self, cell: Cell) -> int:
        """A hidden cell's least value: 0 in a table hidden whole, else 1."""
        return 0 if (cell[0], cell[1]) in self.whole else 1

    def add(
        self,
        left: Sequence[Cell],
        right: Sequence[Cell],
        split: tuple[str, int] | None = None,
        exact: bool = True,
    ) -> None:
        """An equation for the per-equation pass (and, if ``exact``, the global check)."""
        index = len(self.equations)
        self.equations.append(Equation(list(left), list(right), split, exact))
        for cell in {*left, *right}:
            self.touching[cell].append(index)

    def unknowns(self) -> dict[Cell, float]:
        """Every hidden cell, and every helper of a table with a hidden cell, with its
        least value (a helper of a table shown in full is known and bounds nothing)."""
        out = {c: float(self.lower(c)) for c in self.hidden}
        out.update(
            (helper, 0.0)
            for helper, cells in self.helpers.items()
            if any(c in self.hidden for c in cells)
        )
        return out

    def relations(self, unknown: Mapping[Cell, float], summed: bool = True) -> list[Relation[Cell]]:
        """Every exact relation with an unknown term, for the global check; with
        ``summed``, also the inequalities summed over longer periods (which follow from
        the others, so only bound propagation, which takes one relation at a time,
        needs them)."""
        near = sorted({i for c in unknown for i in self.touching.get(c, ())})
        out = [
            relation(self.equations[i].left, self.equations[i].right)
            for i in near
            if self.equations[i].exact
        ]
        extras = list(self.extras)
        for key, (longer, deep) in self.summed.items() if summed else ():
            family = self.families[key]
            if any(c in unknown for lo, hi, _ in family.values() for c in (*lo, *hi)):
                extras += _sums(family, longer, deep)
        found = out + [
            relation(left, right, le=le, slack=slack)
            for left, right, le, slack in extras
            if any(c in unknown for c in left) or any(c in unknown for c in right)
        ]
        return [rel for rel in found if self.holds(rel)]

    def holds(self, rel: Relation[Cell]) -> bool:
        """Whether the true figures keep ``rel``. A declared identity can be false for old
        data (a contact keeps the shift it was saved in after the site's shift times
        change, while ``hour_of_day`` counts its hour): a relation the figures break tells
        a reader nothing true, and the exact check's program would have no solution."""
        total = sum(k * (self.truth(c) or 0) for c, k in rel.terms)
        return total <= rel.const if rel.le else total == rel.const


def _sums(
    family: dict[str, tuple[list[Cell], list[Cell], int]],
    longer: list[tuple[str, tuple[str, ...]]],
    deep: bool,
) -> list[tuple[list[Cell], list[Cell], bool, int]]:
    """An inequality summed over all parts of each longer period but some, with the longer
    period's cells: ``L(year) - L(Q2) <= R(year) - R(Q2)``. Without ``deep`` one part is
    left out at a time; with it (a declared bound) any one or two parts, and any proper
    subset of four or fewer (``L(year) - L(Q2) - L(Q3) <= R(year) - R(Q2) - R(Q3)``: Q2
    shown, Q3 hidden)."""
    out = []
    for whole, within in longer:
        parts = [p for p in within if p in family]
        if whole not in family:
            continue
        lo, hi, _slack = family[whole]
        most = (len(within) - 1 if len(within) <= MAX_SUBSET_PARTS else 2) if deep else 1
        for size in range(1, min(most, len(parts)) + 1):
            for left_out in combinations(parts, size):
                out.append(
                    (
                        [*lo, *(c for p in left_out for c in family[p][1])],
                        [*hi, *(c for p in left_out for c in family[p][0])],
                        True,
                        0,
                    )
                )
    return out


def crisis_cell(tables: Sequence[RawTable]) -> tuple[int, int] | None:
    for t, table in enumerate(tables):
        for i, row in enumerate(table.rows):
            if row.code in table.public_codes:
                return t, i
    return None


def is_crisis_table(tables: Sequence[RawTable], t: int) -> bool:
    """Whether table ``t`` of one period's ``tables`` holds the period's crisis count
    (every table hangs on it: it is never hidden whole to free another table)."""
    found = crisis_cell(tables)
    return found is not None and found[0] == t


def denominator(tables: Sequence[RawTable], period: str, t: int) -> Cell | None:
    """The cell holding table ``t``'s denominator, or None for a public constant."""
    key = tables[t].denominator_key
    if key == FIXED_DENOMINATOR:
        return None
    if key == OWN_DENOMINATOR:
        return (period, t, DENOMINATOR_ROW)
    found = crisis_cell(tables)
    return (period, *found) if found else (period, t, DENOMINATOR_ROW)
