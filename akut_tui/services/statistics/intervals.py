"""The interval each hidden cell can take, given everything published (bound propagation).

The joint suppression (:mod:`.joint_suppression`) makes each published equation safe on
its own; a reader may still chain several: a hidden total bounded by the quarter's sum,
one of its rows bounded by that total and the row's shown siblings, and so on. This
module follows such chains for a whole year's grid at once.

Every published relation is linear: ``sum(coef * cell) == const`` or ``<= const``.
Shown cells are constants; hidden cells (and unpublished helper figures, such as the
contacts with any pick of a multi-value table) are unknowns with a least value.
Propagation narrows each unknown's interval from each relation in turn (the least and
largest values the relation's other terms allow), until nothing narrows any more.

The result is an outer bound: every value consistent with the published numbers lies
inside the interval, so a cell whose interval is narrower than the required range is
certainly pinned too much (the exact range, found by linear programming, can only be
narrower still). Each bound remembers the relation that set it, so the cells to hide
next can be taken from the chain that pinned it (:func:`chain`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from math import ceil, floor, inf
from typing import Generic, TypeVar

C = TypeVar("C", bound=Hashable)
"""A cell (or a helper unknown)."""
EPSILON = 1e-9
MAX_UPDATES = 16
"""Narrowings per unknown before it is left as it is (a still wider interval stays sound):
a chain pins a cell in a few steps, while two loose unknowns can creep towards each other
one count at a time."""


@dataclass(frozen=True)
class Relation(Generic[C]):
    """``sum(coef * cell for cell, coef in terms) == const`` (``<=`` when ``le``)."""

    terms: tuple[tuple[C, int], ...]
    le: bool = False
    const: int = 0


def relation(
    left: Iterable[C], right: Iterable[C], *, le: bool = False, slack: int = 0
) -> Relation[C]:
    """``sum(left) == sum(right)`` (or ``sum(left) <= sum(right) + slack``); a cell
    named twice counts twice, a cell on both sides cancels."""
    coef: dict[C, int] = defaultdict(int)
    for cell in left:
        coef[cell] += 1
    for cell in right:
        coef[cell] -= 1
    return Relation(tuple((c, k) for c, k in coef.items() if k), le, slack)


@dataclass
class Intervals(Generic[C]):
    """Each unknown's least and largest consistent value, and the relation behind each."""

    low: dict[C, float] = field(default_factory=dict)
    high: dict[C, float] = field(default_factory=dict)
    why_low: dict[C, int] = field(default_factory=dict)
    why_high: dict[C, int] = field(default_factory=dict)

    def width(self, cell: C) -> float:
        """Largest minus least value of an unknown."""
        return self.high[cell] - self.low[cell]


def propagate(
    relations: list[Relation[C]],
    unknown: Mapping[C, float],
    value: Callable[[C], int | None],
) -> Intervals[C]:
    """Narrow every unknown (``unknown``: cell -> least value) from the relations;
    ``value(cell)`` is a shown cell's published value."""
    out: Intervals[C] = Intervals(dict(unknown), {c: inf for c in unknown})
    touching: dict[C, list[int]] = defaultdict(list)
    active: list[tuple[list[tuple[C, int]], bool, float]] = []
    for relation_ in relations:
        own = [(c, k) for c, k in relation_.terms if c in unknown]
        if not own:
            active.append(([], False, 0.0))
            continue
        shown = sum(k * (value(c) or 0) for c, k in relation_.terms if c not in unknown)
        for c, _k in own:
            touching[c].append(len(active))
        active.append((own, relation_.le, float(relation_.const - shown)))
    updates: dict[C, int] = defaultdict(int)
    queue = deque(i for i, (own, _le, _const) in enumerate(active) if own)
    queued = set(queue)
    while queue:
        index = queue.popleft()
        queued.discard(index)
        own, le, const = active[index]
        for cell in _narrow(out, own, le, const, index, updates):
            for other in touching[cell]:
                if other not in queued:
                    queued.add(other)
                    queue.append(other)
    return out


def _narrow(
    out: Intervals[C],
    own: list[tuple[C, int]],
    le: bool,
    const: float,
    index: int,
    updates: dict[C, int],
) -> list[C]:
    """Apply one relation to its unknowns; return those whose interval narrowed."""
    lows = [k * (out.low[c] if k > 0 else out.high[c]) for c, k in own]
    highs = [k * (out.high[c] if k > 0 else out.low[c]) for c, k in own]
    least, least_inf = _sum(lows)
    most, most_inf = _sum(highs)
    changed = []
    for (cell, k), lo, hi in zip(own, lows, highs, strict=True):
        if updates[cell] >= MAX_UPDATES:
            continue
        rest_least = _rest(least, least_inf, lo, -inf)
        rest_most = _rest(most, most_inf, hi, inf)
        # k * cell <= const - rest_least; with ==, also k * cell >= const - rest_most.
        upper = (const - rest_least) if rest_least > -inf else inf
        lower = (const - rest_most) if not le and rest_most < inf else -inf
        new_low, new_high = (lower / k, upper / k) if k > 0 else (upper / k, lower / k)
        new_low, new_high = _whole(new_low, ceil), _whole(new_high, floor)  # counts
        narrowed = False
        if new_low > out.low[cell] + EPSILON:
            out.low[cell], out.why_low[cell] = new_low, index
            narrowed = True
        if new_high < out.high[cell] - EPSILON:
            out.high[cell], out.why_high[cell] = new_high, index
            narrowed = True
        if narrowed:
            updates[cell] += 1
            changed.append(cell)
    return changed


def _whole(bound: float, rounding: Callable[[float], int]) -> float:
    """A bound rounded to a whole count (``ceil`` for a least, ``floor`` for a largest
    value), allowing for float error; an infinite bound stays as it is."""
    if abs(bound) == inf:
        return bound
    return float(rounding(bound - EPSILON if rounding is ceil else bound + EPSILON))


def _sum(parts: list[float]) -> tuple[float, int]:
    """(sum of the finite parts, how many parts are infinite)."""
    finite = [p for p in parts if abs(p) != inf]
    return sum(finite), len(parts) - len(finite)


def _rest(total: float, infinite: int, mine: float, infinity: float) -> float:
    """The sum of the other terms' bounds (``infinity`` if any other term's is)."""
    if abs(mine) == inf:
        infinite -= 1
        mine = 0.0
    return infinity if infinite else total - mine


def chain(
    relations: list[Relation[C]], found: Intervals[C], cell: C, depth: int
) -> list[list[int]]:
    """The relations that pinned ``cell``, nearest first: those that set its bounds,
    then those that set the bounds of their other unknowns, and so on (``depth`` steps)."""
    layers: list[list[int]] = []
    seen: set[int] = set()
    frontier = {found.why_low.get(cell), found.why_high.get(cell)} - {None}
    for _step in range(depth):
        layer = sorted(i for i in frontier if i is not None and i not in seen)
        if not layer:
            break
        seen.update(layer)
        layers.append(layer)
        frontier = set()
        for index in layer:
            for other, _k in relations[index].terms:
                if other in found.low and other != cell:
                    frontier |= {found.why_low.get(other), found.why_high.get(other)} - {None}
    return layers
