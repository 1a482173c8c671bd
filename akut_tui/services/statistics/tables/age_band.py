"""``age_band``: crisis contacts by age band (per contact, not per person)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import person_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition

UNKNOWN = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``age_band`` (unknown as ``ukendt``)."""
    counts: Counter[str] = Counter()
    for _sex, band, _notified, _status, n in scope.shared(person_cube):
        counts[band] += n
    codes = [b for b in scope.codes("age_band") if b[0] != UNKNOWN[0]]
    return partition("age_band", "Aldersgruppe (pr. henvendelse)", codes, counts, scope, UNKNOWN)


TABLE = TableSpec("age_band", 220, build)
