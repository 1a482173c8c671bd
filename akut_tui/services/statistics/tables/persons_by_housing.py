"""``persons_by_housing``: identified persons by housing, each once (latest value).

Persons known by CPR or nickname with a crisis contact in the period; the
value is that of their latest contact in the period. Anonymous contacts are
not persons here (the per-contact table is ``housing``).
"""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.people import persons_by

REST = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Identified persons by their latest ``housing`` in the period."""
    return persons_by(
        scope, "persons_by_housing", "Personer efter boform (seneste i perioden)", "housing", REST
    )


TABLE = TableSpec(
    "persons_by_housing", 205, build, summable=False
)  # distinct persons do not add up
