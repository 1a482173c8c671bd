"""``stabilisation``: the degree of stabilisation reached."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import method_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``stabilisation`` (unset as ``ikke_registreret``)."""
    counts: Counter[str] = Counter()
    for stabilisation, *_rest, n in scope.shared(method_cube):
        counts[stabilisation or ""] += n
    return partition(
        "stabilisation",
        "Grad af stabilisering",
        scope.codes("stabilisation"),
        counts,
        scope,
    )


TABLE = TableSpec("stabilisation", 150, build)
