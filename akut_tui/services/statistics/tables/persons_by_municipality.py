"""``persons_by_municipality``: identified persons by home municipality, each once (latest value).

Persons known by CPR or nickname with a crisis contact in the period; the
value is that of their latest contact in the period. Anonymous contacts are
not persons here (the per-contact table is ``municipality``).
"""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.people import persons_by

REST = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Identified persons by their latest ``municipality`` in the period."""
    return persons_by(
        scope,
        "persons_by_municipality",
        "Personer efter bopælskommune (seneste i perioden)",
        "municipality",
        REST,
    )


TABLE = TableSpec(
    "persons_by_municipality", 204, build, summable=False
)  # distinct persons do not add up
