"""``cpr_status``: whether a CPR number was given, refused or not relevant."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import person_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``cpr_status``."""
    counts: Counter[str] = Counter()
    for _sex, _band, _notified, status, n in scope.shared(person_cube):
        counts[status] += n
    return partition("cpr_status", "CPR-status", scope.codes("cpr_status"), counts, scope)


TABLE = TableSpec("cpr_status", 230, build)
