"""``under_18``: contacts under 18, with or without a notification (underretning)."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import person_cube
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition

CODES = (
    ("under_18_underrettet", "Under 18, underretning registreret"),
    ("under_18_ikke_underrettet", "Under 18, ingen underretning registreret"),
    ("18_plus", "18 år og derover"),
)
AGE_UNKNOWN = ("alder_ukendt", "Alder ukendt")


def build(scope: Scope) -> RawTable:
    """Crisis contacts under 18 by notification, 18 and over, age unknown."""
    counts: Counter[str] = Counter()
    for _sex, band, notified, _status, n in scope.shared(person_cube):
        if band == "under_18":
            counts["under_18_underrettet" if notified else "under_18_ikke_underrettet"] += n
        elif band != "ukendt":
            counts["18_plus"] += n
    table = partition("under_18", "Under 18 år", CODES, counts, scope, AGE_UNKNOWN)
    table.linked = (
        (tuple(c for c, _ in CODES[:2]), "age_band", ("under_18",)),
        ((AGE_UNKNOWN[0],), "age_band", ("ukendt",)),  # so 18_plus is the other bands
    )
    return table


TABLE = TableSpec("under_18", 240, build)
