"""``housing``: crisis contacts by housing (*boform*), per contact."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition
from akut_tui.services.statistics.tables.recorded import recorded_cube

UNKNOWN = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``housing``; ``ukendt`` holds the rest."""
    counts: Counter[str] = Counter()
    for housing, _coordination, _referred, n in scope.shared(recorded_cube):
        counts[str(housing)] += n
    codes = [c for c in scope.codes("housing") if c[0] != UNKNOWN[0]]
    return partition("housing", "Boform", codes, counts, scope, UNKNOWN)


TABLE = TableSpec("housing", 112, build)
