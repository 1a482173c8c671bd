"""``persons_by_gender``: identified persons by gender, each once (latest value).

Persons known by CPR or nickname with a crisis contact in the period; the
value is that of their latest contact in the period. Anonymous contacts are
not persons here (the per-contact table is ``gender``).
"""

from __future__ import annotations

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.people import persons_by

REST = ("ikke_registreret", "Ikke registreret")


def build(scope: Scope) -> RawTable:
    """Identified persons by their latest ``gender`` in the period."""
    return persons_by(
        scope, "persons_by_gender", "Personer efter køn (seneste i perioden)", "gender", REST
    )


TABLE = TableSpec("persons_by_gender", 202, build, summable=False)  # distinct persons do not add up
