"""Bound propagation (akut_tui/services/statistics/intervals.py) and the global check
(chains.py): intervals hold every consistent value, and a chain that pins a cell is
broken at its cheapest shown cell."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from akut_tui.services.statistics.chains import more_to_hide
from akut_tui.services.statistics.intervals import Relation, propagate, relation

CELLS = ("a", "b", "c", "d")
TOP = 6


@st.composite
def systems(draw: st.DrawFn) -> tuple[dict[str, int], list[Relation[str]], set[str]]:
    """True values, relations that hold on them, and which cells are hidden."""
    truth = {c: draw(st.integers(0, TOP)) for c in CELLS}
    relations = []
    for _ in range(draw(st.integers(1, 4))):
        left = draw(st.lists(st.sampled_from(CELLS), min_size=1, max_size=3))
        right = draw(st.lists(st.sampled_from(CELLS), max_size=3))
        gap = sum(truth[c] for c in left) - sum(truth[c] for c in right)
        le = draw(st.booleans())
        slack = max(gap, 0) + draw(st.integers(0, 2)) if le else gap
        relations.append(relation(left, right, le=le, slack=slack))
    hidden = set(draw(st.lists(st.sampled_from(CELLS), min_size=1, unique=True)))
    return truth, relations, hidden


def _holds(rel: Relation[str], values: dict[str, int]) -> bool:
    total = sum(k * values[c] for c, k in rel.terms)
    return total <= rel.const if rel.le else total == rel.const


@settings(max_examples=300)
@given(systems())
def test_intervals_hold_every_consistent_value(
    system: tuple[dict[str, int], list[Relation[str]], set[str]],
) -> None:
    """Every assignment of the hidden cells (0..6) that meets every relation lies inside
    the propagated intervals: they are outer bounds, so a narrow one is truly narrow."""
    truth, relations, hidden = system
    found = propagate(relations, {c: 0.0 for c in hidden}, truth.get)
    order = sorted(hidden)
    for guess in product(range(TOP + 1), repeat=len(order)):
        values = {**truth, **dict(zip(order, guess, strict=True))}
        if all(_holds(r, values) for r in relations):
            for cell in order:
                assert found.low[cell] <= values[cell] <= found.high[cell], (cell, values)


def test_a_chain_of_two_equations_pins_cells_and_their_chains_are_opened() -> None:
    """total = b + c and c = d + e, with e at least 1: b is at most total - d - 1.

    Each equation has two hidden cells, so each is safe on its own; together they pin
    b to 1 (and c to 9, e to 1). The cells hidden next are the shown ones of the
    equations that set those bounds; then nothing is pinned any more."""
    values = {"total": 10, "b": 1, "c": 9, "d": 8, "e": 1}
    relations = [relation(["total"], ["b", "c"]), relation(["c"], ["d", "e"])]
    unknown = {"b": 1.0, "c": 1.0, "e": 1.0}
    found = propagate(relations, unknown, values.get)
    assert (found.low["b"], found.high["b"]) == (1, 1)
    assert (found.low["c"], found.high["c"]) == (9, 9)
    picks, stuck = more_to_hide(relations, unknown, values.get, lambda c: 0, values.get)
    assert picks == {"total", "d"} and stuck == []
    unknown.update({"total": 1.0, "d": 1.0})
    assert more_to_hide(relations, unknown, values.get, lambda c: 0, values.get) == (set(), [])


def test_a_free_chain_asks_for_nothing() -> None:
    """With room of three or more everywhere, the check hides nothing."""
    values = {"total": 30, "b": 10, "c": 20, "d": 8, "e": 12}
    relations = [relation(["total"], ["b", "c"]), relation(["c"], ["d", "e"])]
    unknown = {"b": 1.0, "c": 1.0, "e": 1.0}
    assert more_to_hide(relations, unknown, values.get, lambda c: 0, values.get) == (set(), [])
