"""The equations one declared identity between published cells stands for.

An identity "sum(left) = sum(right)" (:class:`~akut_tui.services.statistics.dto.Identity`)
is one equation, but a reader combines it with the splits it touches: a term that is
some rows of a split table is also that table's total less its other rows. Each such
rewriting is an equation of its own (the joint suppression checks every equation
separately, so what two published equations imply together must be listed too).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import product
from typing import Any, Generic, TypeVar

from akut_tui.services.statistics.dto import TOTAL, RawTable

C = TypeVar("C", bound=Hashable)
"""A cell."""
MAX_SPLIT_TERMS = 4
"""At most this many terms of one identity are rewritten (2**4 equations)."""


@dataclass(frozen=True)
class Term(Generic[C]):
    """One side's term: its cells, and its split's total and all rows (if a split)."""

    left: bool
    cells: tuple[C, ...]
    total: C | None = None
    """The cell the table's rows add up to (None: not a split, or a public constant)."""
    rows: tuple[C, ...] = ()
    """Every row cell of the split."""


def equations(terms: Sequence[Term[C]]) -> list[tuple[list[C], list[C]]]:
    """Every (left, right) equation the identity and its splits give, cells cancelled."""
    options: list[list[tuple[tuple[C, ...], tuple[C, ...]]]] = []
    rewritten = 0
    for term in terms:
        alternatives: list[tuple[tuple[C, ...], tuple[C, ...]]] = [(term.cells, ())]
        if term.total is not None and term.cells and rewritten < MAX_SPLIT_TERMS:
            rest = tuple(c for c in term.rows if c not in term.cells)
            alternatives.append(((term.total,), rest))
            rewritten += 1
        options.append(alternatives)
    out: list[tuple[list[C], list[C]]] = []
    seen: set[tuple[tuple[C, ...], tuple[C, ...]]] = set()
    for choice in product(*options):
        left: Counter[C] = Counter()
        right: Counter[C] = Counter()
        for term, (same, other) in zip(terms, choice, strict=True):
            (left if term.left else right).update(same)
            (right if term.left else left).update(other)
        common = left & right
        left, right = left - common, right - common
        if not left and not right:
            continue
        key = (tuple(sorted(left.elements(), key=repr)), tuple(sorted(right.elements(), key=repr)))
        if key in seen or (key[1], key[0]) in seen:
            continue
        seen.add(key)
        out.append((list(key[0]), list(key[1])))
    return out


RowCell = tuple[int, int]
"""(table index, row index) within one period."""


GridCell = tuple[str, int, int]
"""(period label, table index, row index) within one grid."""


Equations = dict[tuple[str, int], list[tuple[list[GridCell], list[GridCell]]]]
"""(period, table index) → its equations (left cells, right cells)."""

Bounds = dict[tuple[str, int], list[tuple[int, list[GridCell], list[GridCell], int]]]
"""(period, table index) → its bounds (bound index, left cells, right cells, slack)."""


def declared(
    grid: Mapping[str, Sequence[RawTable]],
    split_totals: Mapping[tuple[str, int], GridCell | None],
    denominators: Mapping[tuple[str, int], GridCell | None],
) -> tuple[Equations, Bounds]:
    """Every equation the tables' declared ``identities`` give and every declared
    :class:`~.dto.Bound`, for every period of the grid at once, cells by period, table
    and row. ``split_totals[(period, u)]`` is table ``u``'s total cell, or None where it
    is no split; ``denominators[(period, u)]`` its denominator cell, or None for a public
    constant. A bound naming an unpublished table is left out.

    One call for the whole grid, given plain data: the suppression asks this module
    once per export, and this module does not call back.
    """
    out: Equations = {}
    for period, tables in grid.items():
        names = {table.name: t for t, table in enumerate(tables)}
        totals = [split_totals[(period, u)] for u in range(len(tables))]
        for t in range(len(tables)):
            equations_of_t = _declared_in(tables, names, t, totals.__getitem__)
            out[(period, t)] = [
                ([(period, *c) for c in left], [(period, *c) for c in right])
                for left, right in equations_of_t
            ]
    return out, _declared_bounds(grid, denominators)


def _declared_in(
    tables: Sequence[RawTable],
    names: dict[str, int],
    t: int,
    split_total: Callable[[int], Any],
) -> list[tuple[list[RowCell], list[RowCell]]]:
    """Every equation table ``t``'s ``identities`` give in one period (cells by table and
    row; ``split_total(u)`` is table ``u``'s total cell, or None where it is no split).

    A term's codes match a row by its code or, in a cross table, by a dimension value.
    An identity naming a table that is not published gives nothing.
    """
    out: list[tuple[list[RowCell], list[RowCell]]] = []
    for identity in tables[t].identities:
        sides = [(True, term) for term in identity.left] + [(False, x) for x in identity.right]
        if any(name and name not in names for _left, (name, _codes) in sides):
            continue
        terms: list[Term[Any]] = []
        for left, (name, codes) in sides:
            u = names[name] if name else t
            rows = tuple((u, i) for i in range(len(tables[u].rows)))
            cells = tuple(
                c
                for c, r in zip(rows, tables[u].rows, strict=True)
                if r.code in codes or any(d in codes for d in r.dims)
            )
            total = split_total(u)
            terms.append(Term(left, cells, None if total is None else total[1:], rows))
        out += equations(terms)
    return out


def _declared_bounds(
    grid: Mapping[str, Sequence[RawTable]],
    denominators: Mapping[tuple[str, int], GridCell | None],
) -> Bounds:
    out: Bounds = {}
    for period, tables in grid.items():
        for t, table in enumerate(tables):
            kept = out.setdefault((period, t), [])
            for b, bound in enumerate(table.bounds):
                low, high = (
                    bound_terms(
                        tables,
                        t,
                        side,
                        partial(_denominator, denominators, period),
                        partial(_grid_cell, period),
                    )
                    for side in (bound.left, bound.right)
                )
                if low is not None and high is not None:
                    kept.append((b, low, high, bound.slack))
    return out


def _denominator(
    denominators: Mapping[tuple[str, int], GridCell | None], period: str, u: int
) -> GridCell | None:
    return denominators[(period, u)]


def _grid_cell(period: str, u: int, i: int) -> GridCell:
    return (period, u, i)


def bound_terms(
    tables: Sequence[RawTable],
    t: int,
    side: Sequence[tuple[str, tuple[str, ...]]],
    total_of: Callable[[int], C | None],
    cell_of: Callable[[int, int], C],
) -> list[C] | None:
    """The cells one side of table ``t``'s declared :class:`~.dto.Bound` adds up: rows by
    code or cross dimension (``cell_of(table, row)``), :data:`~.dto.TOTAL` a table's
    denominator (``total_of(table)``; a public constant adds nothing). None when the side
    names a table that is not published.
    """
    names = {table.name: u for u, table in enumerate(tables)}
    out: list[C] = []
    for name, codes in side:
        if name and name not in names:
            return None
        u = names[name] if name else t
        total = total_of(u) if TOTAL in codes else None
        out += [total] if total is not None else []
        out += [
            cell_of(u, i)
            for i, r in enumerate(tables[u].rows)
            if r.code in codes or any(d in codes for d in r.dims)
        ]
    return out
