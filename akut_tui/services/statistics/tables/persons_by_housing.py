"""``persons_by_housing``: identified persons by housing, each once (latest value).

Persons known by CPR or nickname with a crisis contact in the period; the
value is that of their latest contact in the period. Anonymous contacts are
not persons here (the per-contact table is ``housing``).
"""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, partition
from akut_tui.services.statistics.tables.people import person_cube, person_table

REST = ("ukendt", "Ukendt")


def build(scope: Scope) -> RawTable:
    """Identified persons by their latest ``housing`` in the period."""
    counts: Counter[str] = Counter()
    for _sex, _band, _muni, value, _n, _first, _latest, persons in scope.shared(person_cube):
        counts[str(value)] += persons
    total = sum(counts.values())
    codes = [c for c in scope.codes("housing") if c[0] != REST[0]]
    table = partition(
        "persons_by_housing",
        "Personer efter boform (seneste i perioden)",
        codes,
        counts,
        total,
        REST,
    )
    table.note = "Nævner = identificerede personer (CPR eller kaldenavn), ikke henvendelser."
    person_table(table)
    return table


TABLE = TableSpec(
    "persons_by_housing", 205, build, summable=False
)  # distinct persons do not add up
