"""Small-count suppression for aggregate tables (docs/security.md row 23).

Primary suppression hides every count from 1 to ``threshold - 1``. Secondary
suppression hides more cells so that no hidden cell can be worked out from the
cells still shown and the known totals:

* a *partition* (cells that add up to the denominator): never exactly one hidden
  cell, and the hidden cells never all 1 (then their known sum would give each);
* a *cross table* (rows x columns, with every row and column total assumed
  known, as they are published or derivable elsewhere): every hidden cell must
  lie on an alternating cycle of hidden cells along which it can move by one
  while every hidden cell stays at least 1 (:func:`cross_cell_free`); if that
  cannot be reached, the whole table is hidden, zeros included, so it adds
  nothing to the published totals.

Zeros are shown (a zero cannot identify anyone) and never hidden, so hidden
cells are known to be at least 1 and the rules above account for that. The
functions are pure so the property tests can drive them directly.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5


def primary(counts: Sequence[int], threshold: int = THRESHOLD) -> list[bool]:
    """Return a mask: True where ``0 < count < threshold``."""
    return [0 < c < threshold for c in counts]


def partition_safe(counts: Sequence[int], hidden: Sequence[bool]) -> bool:
    """True when no hidden cell of a partition follows from the shown cells and the total."""
    values = [c for c, h in zip(counts, hidden, strict=True) if h]
    return len(values) != 1 and (not values or sum(values) > len(values))


def suppress_partition(
    counts: Sequence[int], threshold: int = THRESHOLD, public: Sequence[int] = ()
) -> tuple[list[bool], bool]:
    """Primary plus secondary suppression for cells that add up to the denominator.

    ``public`` lists cells whose value is published elsewhere (e.g. the number
    of crisis contacts, which is every other table's denominator); they cannot
    protect a hidden cell. Returns (mask, hide_total): when no other cell can
    protect, the denominator itself must be hidden.
    """
    hidden = primary(counts, threshold)
    known = sum(c for i, c in enumerate(counts) if i in public)
    while not partition_safe(counts, hidden):
        candidates = [
            (c, i) for i, c in enumerate(counts) if c > 0 and not hidden[i] and i not in public
        ]
        if not candidates:
            return hidden, True
        hidden[min(candidates)[1]] = True
    hide_total = any(hidden[i] for i in public) and known > 0
    return hidden, hide_total


Cell = tuple[int, int]


def cross_cell_free(values: dict[Cell, int], target: Cell) -> bool:
    """True if ``target`` can change while every row and column total stays the same.

    ``values`` holds the hidden cells only (each at least 1). A change is a
    cycle of hidden cells alternating +1 and -1 along rows and columns; a cell
    that goes down must hold at least 2. Finding one such cycle proves that the
    target cannot be deduced.
    """

    def search(sign: int) -> bool:
        row, col = target

        # Walk: the target took ``sign``; the next cell in its row takes -sign, and so on,
        # alternating between moves along a row and along a column, until we reach the
        # target's column with the sign that balances it.
        def step(at: Cell, along_row: bool, want: int, seen: frozenset[Cell]) -> bool:
            r, c = at
            for cell, value in values.items():
                if cell in seen or cell == target:
                    continue
                if along_row and cell[0] != r:
                    continue
                if not along_row and cell[1] != c:
                    continue
                if want < 0 and value < 2:
                    continue
                # Closing: a cell in the target's column balancing it, reached along a row.
                if along_row and cell[1] == col and want == -sign:
                    return True
                if step(cell, not along_row, -want, seen | {cell}):
                    return True
            return False

        if sign < 0 and values[target] < 2:
            return False
        return step(target, True, -sign, frozenset({target}))

    return search(1) or search(-1)


def cross_safe(matrix: Sequence[Sequence[int]], hidden: Sequence[Sequence[bool]]) -> bool:
    """True when every hidden cell of a cross table can move (see :func:`cross_cell_free`)."""
    values = {
        (r, c): matrix[r][c]
        for r in range(len(matrix))
        for c in range(len(matrix[r]))
        if hidden[r][c]
    }
    return all(cross_cell_free(values, cell) for cell in values)


def suppress_cross(matrix: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> list[list[bool]]:
    """Primary plus secondary suppression for a cross table with known row/column totals."""
    hidden = [primary(row, threshold) for row in matrix]
    while True:
        values = {
            (r, c): matrix[r][c]
            for r in range(len(matrix))
            for c in range(len(matrix[r]))
            if hidden[r][c]
        }
        stuck = next((cell for cell in values if not cross_cell_free(values, cell)), None)
        if stuck is None:
            return hidden
        r0, c0 = stuck
        open_cells = [
            (matrix[r][c], r, c)
            for r in range(len(matrix))
            for c in range(len(matrix[r]))
            if matrix[r][c] > 0 and not hidden[r][c]
        ]
        if not open_cells:
            # Every non-zero cell is hidden and one is still pinned by the zeros and the
            # totals: hide the zeros too, so the table adds nothing to the totals.
            return [[True] * len(row) for row in matrix]
        same_row = [x for x in open_cells if x[1] == r0]
        same_col = [x for x in open_cells if x[2] == c0]
        row_count = sum(1 for cell in values if cell[0] == r0)
        col_count = sum(1 for cell in values if cell[1] == c0)
        if row_count < 2 and same_row:
            pick = min(same_row)
        elif col_count < 2 and same_col:
            pick = min(same_col)
        else:
            pick = min(same_row or same_col or open_cells)
        hidden[pick[1]][pick[2]] = True
