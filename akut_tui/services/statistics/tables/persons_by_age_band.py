"""``persons_by_age_band``: identified persons by age band, each once (latest value).

Persons known by CPR or nickname with a crisis contact in the period; the
value is that of their latest contact in the period. Anonymous contacts are
not persons here (the per-contact table is ``age_band``).
"""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.people import persons_by

REST = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Identified persons by their latest ``age_band`` in the period."""
    return persons_by(
        scope,
        "persons_by_age_band",
        "Personer efter aldersgruppe (seneste i perioden)",
        "age_band",
        REST,
    )


TABLE = TableSpec(
    "persons_by_age_band", 203, build, summable=False
)  # distinct persons do not add up
