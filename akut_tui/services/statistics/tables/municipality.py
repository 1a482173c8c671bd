"""``municipality``: crisis contacts by home municipality (``ukendt`` for the rest)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import municipality_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition
from akut_tui.services.statistics.tables.recorded import reliable_since

UNKNOWN = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``home_municipality``."""
    counts = Counter({str(k): int(v) for k, v in scope.shared(municipality_cube)})
    codes = [c for c in scope.codes("municipality") if c[0] != UNKNOWN[0]]
    table = partition("municipality", "Bopælskommune", codes, counts, scope, UNKNOWN)
    # Before the upgrade a blank was stored as the host municipality.
    table.note = reliable_since(scope, "municipality_blank_ukendt")
    return table


TABLE = TableSpec("municipality", 110, build)
