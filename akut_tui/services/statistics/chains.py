"""The joint suppression's global check: no chain of published relations pins a cell.

After every equation has been made safe on its own, the intervals of all hidden
cells are found together (:func:`~.intervals.propagate`, over every relation of the
year's grid: the equations, the declared bounds, the multi-value tables' limits).
A hidden count whose interval is narrower than :data:`MIN_RANGE` is pinned by a
chain of relations; the cheapest shown cell of that chain (nearest the pinned cell
first, then counts before totals, then the smallest count that gives enough room;
a crisis count only when no link of the chain offers a cheaper last resort, such as
a dead end) is hidden too. The caller repeats both passes until no hidden count is pinned.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from akut_tui.services.statistics.grid_state import CRISIS_TIER
from akut_tui.services.statistics.intervals import EPSILON, Relation, chain, propagate

C = TypeVar("C", bound=Hashable)
MIN_RANGE = 3
"""A hidden cell must be free to take values at least this far apart."""
DEPTH = 8
"""How many links of a chain are searched for a cell to hide."""


def more_to_hide(
    relations: list[Relation[C]],
    unknown: Mapping[C, float],
    value: Callable[[C], int | None],
    tier: Callable[[C], int],
    count: Callable[[C], int | None],
) -> tuple[set[C], list[C]]:
    """(shown cells to hide next, pinned cells whose chains have nothing left to hide).

    ``unknown``: every hidden cell and helper unknown with its least value;
    ``value(cell)``: the true value of anything known (a shown cell, a helper figure that
    follows from shown cells); ``count(cell)``: a published cell's true count (None for a
    helper, which is never checked nor hidden); ``tier(cell)``: its hiding order.
    """
    found = propagate(relations, unknown, value)
    picks: set[C] = set()
    stuck: list[C] = []
    for cell in unknown:
        true = count(cell)
        if true is None or true <= 0 or found.width(cell) >= MIN_RANGE - EPSILON:
            continue  # a helper, a hidden zero (no one to identify), or free enough
        need = MIN_RANGE - found.width(cell)
        pick = None
        for layer in chain(relations, found, cell, DEPTH):
            best = cheapest(relations, layer, unknown, tier, count, need)
            if best is None:
                continue
            if pick is None or tier(best) < tier(pick):
                pick = best  # a dead end further out before a crisis count nearer
            if tier(best) < CRISIS_TIER:
                break  # else a further link may have a cheaper cell than the last resort
        if pick is None:
            stuck.append(cell)
        else:
            picks.add(pick)
    return picks, stuck


def cheapest(
    relations: list[Relation[C]],
    indices: Iterable[int],
    unknown: Mapping[C, float],
    tier: Callable[[C], int],
    count: Callable[[C], int | None],
    need: float,
) -> C | None:
    """The shown cell of the relations ``indices`` to hide first: lowest tier, then one
    whose count leaves ``need`` of room (the smallest such), else the largest count."""
    options = []
    for index in indices:
        for other, _k in relations[index].terms:
            shown = count(other)
            if other in unknown or shown is None or shown <= 0:
                continue
            enough = 0 if shown - 1 >= need else 1
            options.append((tier(other), enough, shown if not enough else -shown, other))
    return min(options, key=lambda o: o[:3])[3] if options else None
