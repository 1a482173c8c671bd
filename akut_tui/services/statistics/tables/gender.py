"""``gender``: crisis contacts by gender (per contact, not per person)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import person_cube
from akut_tui.services.statistics.tables.kit import NOT_REGISTERED, Scope, TableSpec, partition


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``gender``."""
    counts: Counter[str] = Counter()
    for sex, _band, _notified, _status, n in scope.shared(person_cube):
        counts[sex] += n
    codes = [g for g in scope.codes("gender") if g[0] != NOT_REGISTERED[0]]
    return partition("gender", "Køn (pr. henvendelse)", codes, counts, scope)


TABLE = TableSpec("gender", 210, build)
