"""``contacts_per_person``: identified persons by their number of crisis contacts in the period."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import PARTITION, TOTAL, Bound, RawRow, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec
from akut_tui.services.statistics.tables.people import (
    CONTACT_BANDS,
    band_of,
    person_cube,
    person_table,
)

REPEAT_CONTACTS = (("persons", ("contacts_from_repeat_persons",)),)
BOUNDS = (
    # The identified persons' contacts are crisis contacts that are not anonymous.
    Bound(
        (("", ("1",)),) + REPEAT_CONTACTS + (("anonymous_repeat", (TOTAL,)),),
        (("persons", (TOTAL,)),),
    ),
)
"""The bands against the crisis contacts. Not declared: each band's persons times its
least contacts are at most the repeat persons' contacts (docs/export.md, "Limits")."""


def build(scope: Scope) -> RawTable:
    """Persons per band of contacts (1, 2-4, 5-9, 10+); the bands add up to the persons."""
    counts: Counter[str] = Counter()
    for *_values, contacts, _first, _latest, persons in scope.shared(person_cube):
        counts[band_of(int(contacts))] += persons
    out = [RawRow(code, label, counts.get(code, 0)) for code, label in CONTACT_BANDS]
    table = RawTable(
        "contacts_per_person",
        "Henvendelser pr. person",
        PARTITION,
        sum(counts.values()),
        out,
        note="Nævner = identificerede personer (CPR eller kaldenavn), ikke henvendelser.",
    )
    person_table(table)
    repeat = tuple(code for code, _ in CONTACT_BANDS if code != "1")
    table.linked += ((repeat, "persons", ("repeat_persons",)),)
    table.bounds = BOUNDS
    return table


TABLE = TableSpec(
    "contacts_per_person", 206, build, summable=False
)  # distinct persons do not add up
