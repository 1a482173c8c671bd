"""``turned_away``: contacts turned away at the door, by reason."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import method_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition

NOT_TURNED_AWAY = ("ikke_afvist", "Ikke afvist")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``turned_away`` reason (none as ``ikke_afvist``)."""
    counts: Counter[str] = Counter()
    for _stabilisation, turned, *_rest, n in scope.shared(method_cube):
        counts[turned or NOT_TURNED_AWAY[0]] += n
    return partition(
        "turned_away",
        "Afvist ved døren",
        scope.codes("turn_away"),
        counts,
        scope,
        NOT_TURNED_AWAY,
    )


TABLE = TableSpec("turned_away", 160, build)
