"""``crisis_level_first_latest``: a person's first vs latest crisis level in the period.

Persons with at least two crisis contacts in the period (one contact has no
course). Each row is one (first, latest) pair, coded ``<first>__<latest>``
(``let__middel``: first let, latest middelsvær), so the table keeps the
export's fixed columns; the rows add up to the persons with 2+ contacts.
"""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import PARTITION, RawRow, RawTable
from akut_tui.services.statistics.tables.crisis_level import LEVELS, level_code
from akut_tui.services.statistics.tables.kit import NOT_ASSESSED, Scope, TableSpec
from akut_tui.services.statistics.tables.people import person_cube, person_table


def build(scope: Scope) -> RawTable:
    """Persons with 2+ contacts by (first level, latest level)."""
    pairs: Counter[str] = Counter()
    for *_values, contacts, first, latest, persons in scope.shared(person_cube):
        if int(contacts) >= 2:
            pairs[f"{level_code(first)}__{level_code(latest)}"] += persons
    levels = [*((c, scope.lab("crisis_level", c)) for c in LEVELS), NOT_ASSESSED]
    out = [
        RawRow(f"{start}__{end}", f"{start_label} → {end_label}", pairs.get(f"{start}__{end}", 0))
        for start, start_label in levels
        for end, end_label in levels
    ]
    table = RawTable(
        "crisis_level_first_latest",
        "Kriseniveau første → seneste henvendelse (personer med 2+)",
        PARTITION,
        sum(pairs.values()),
        out,
        note="Nævner = identificerede personer med mindst 2 krisehenvendelser i perioden.",
    )
    person_table(table, total="repeat_persons")
    return table


TABLE = TableSpec(
    "crisis_level_first_latest", 207, build, summable=False
)  # distinct persons do not add up
