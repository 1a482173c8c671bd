"""``weekday``: crisis contacts by the local weekday they started."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import local_buckets
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition

WEEKDAYS = (
    ("mandag", "Mandag"),
    ("tirsdag", "Tirsdag"),
    ("onsdag", "Onsdag"),
    ("torsdag", "Torsdag"),
    ("fredag", "Fredag"),
    ("loerdag", "Lørdag"),
    ("soendag", "Søndag"),
)


def build(scope: Scope) -> RawTable:
    """Crisis contacts per weekday, Monday first."""
    _hours, days, _months = scope.shared(local_buckets)
    counts = Counter({WEEKDAYS[k][0]: n for k, n in days.items()})
    return partition("weekday", "Henvendelser pr. ugedag", WEEKDAYS, counts, scope)


TABLE = TableSpec("weekday", 100, build)
