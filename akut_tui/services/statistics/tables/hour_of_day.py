"""``hour_of_day``: crisis contacts by the local hour they started."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import local_buckets
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition

HOURS = [(f"{h:02d}", f"{h:02d}:00-{h:02d}:59") for h in range(24)]


def build(scope: Scope) -> RawTable:
    """Crisis contacts per local hour ``00`` .. ``23``."""
    hours, _days, _months = scope.shared(local_buckets)
    counts = Counter({f"{h:02d}": n for h, n in hours.items()})
    return partition("hour_of_day", "Henvendelser pr. time (lokal tid)", HOURS, counts, scope)


TABLE = TableSpec("hour_of_day", 90, build)
