"""``municipality``: crisis contacts by home municipality (``ukendt`` for the rest)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.stats_dto import RawTable
from akut_tui.services.stats_tables.kit import Scope, TableSpec, crisis_count, partition
from db.models import Contact

UNKNOWN = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Crisis contacts by ``home_municipality``."""
    counts = Counter({str(k): int(v) for k, v in crisis_count(scope, Contact.home_municipality)})
    codes = [c for c in scope.codes("municipality") if c[0] != UNKNOWN[0]]
    return partition("municipality", "Bopælskommune", codes, counts, scope.crisis_contacts, UNKNOWN)


TABLE = TableSpec("municipality", 110, build)
