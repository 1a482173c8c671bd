"""Person-level figures: each identified person once, with their latest values in the period.

One pass (:func:`person_cube`) over the period's crisis contacts of identified
persons (known by CPR or nickname; anonymous contacts cannot be told apart)
finds each person's first and latest contact through the covering index
(plain GROUP BY and correlated lookups, SQLite and PostgreSQL alike) and groups
the persons by what the tables need: the latest gender, age band, municipality
and housing, the number of contacts in the period as a band, and the first and
latest crisis level.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import peewee as pw

from akut_tui.services.statistics.dto import OWN_DENOMINATOR, RawTable
from akut_tui.services.statistics.tables.kit import CRISIS, Scope, crisis, partition, rows
from db.database import database
from db.models import Contact

CHUNK = 2000
"""Contact ids per lookup query (well under SQLite's and PostgreSQL's parameter limits)."""
CONTACT_BANDS = (
    ("1", "1 henvendelse"),
    ("2_4", "2-4"),
    ("5_9", "5-9"),
    ("10_plus", "10 eller flere"),
)
"""Contacts per person in the period, as published bands."""


def person_table(table: RawTable, total: str = "distinct_persons") -> None:
    """Mark ``table`` as counting persons: its own denominator, not additive over time,
    its rows adding up to the ``total`` figure of the ``persons`` table (an identity the
    joint suppression must know)."""
    table.denominator_key = OWN_DENOMINATOR
    table.additive_codes = ()
    table.linked = ((tuple(r.code for r in table.rows), "persons", (total,)),)


def band_of(contacts: int) -> str:
    """The band code of a person's number of contacts in the period."""
    if contacts <= 1:
        return "1"
    if contacts <= 4:
        return "2_4"
    return "5_9" if contacts <= 9 else "10_plus"


def end_ids(scope: Scope) -> list[tuple[int, int, int]]:
    """(contacts, first contact id, latest contact id) per identified person.

    The grouping reads the (contact_type, person_id, started_at) covering index
    in order; each person's first and latest contact are then found through the
    same index by a correlated lookup per person (ties on the start time go to
    the lower / higher id), so the contact table is never scanned.
    """
    agg = (
        Contact.select(
            Contact.person.alias("pid"),
            pw.fn.COUNT(Contact.id).alias("n"),
            pw.fn.MIN(Contact.started_at).alias("first_at"),
            pw.fn.MAX(Contact.started_at).alias("last_at"),
        )
        .where(crisis(scope), Contact.person.is_null(False))
        .group_by(Contact.person)
        .alias("a")
    )

    def pick(func: Any, at: Any) -> Any:
        inner = Contact.alias("c")
        return inner.select(func(inner.id)).where(
            inner.contact_type == CRISIS, inner.person == agg.c.pid, inner.started_at == at
        )

    query = pw.Select(
        [agg], [agg.c.n, pick(pw.fn.MIN, agg.c.first_at), pick(pw.fn.MAX, agg.c.last_at)]
    ).bind(database)
    return [(int(n), int(first), int(last)) for n, first, last in rows(query)]


def _values(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """id -> (gender, age band, municipality, housing, crisis level) of the given contacts."""
    out: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(ids), CHUNK):
        query = Contact.select(
            Contact.id,
            Contact.gender,
            Contact.age_band,
            Contact.home_municipality,
            Contact.housing,
            Contact.crisis_level,
        ).where(Contact.id.in_(ids[start : start + CHUNK]))
        for cid, *values in rows(query):
            out[int(cid)] = tuple(values)
    return out


def person_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(gender, age_band, municipality, housing, contacts, first level, latest level, persons).

    ``contacts`` is the person's number of crisis contacts in the period; the
    other values are those of the person's latest contact in the period (ties
    broken by id), ``first level`` that of the earliest. Grouped, so the tables
    add up a few hundred cells.
    """
    ends = scope.shared(end_ids)
    values = _values(sorted({i for _n, first, last in ends for i in (first, last)}))
    groups: Counter[tuple[Any, ...]] = Counter()
    for n, first, last in ends:
        gender, band, municipality, housing, latest_level = values[last]
        groups[(gender, band, municipality, housing, n, values[first][4], latest_level)] += 1
    return [(*key, count) for key, count in groups.items()]


PERSON_NOTE = "Nævner = identificerede personer (CPR eller kaldenavn), ikke henvendelser."
PERSON_COLUMNS = ("gender", "age_band", "municipality", "housing")
"""The value columns of :func:`person_cube`, in order (each person's latest value)."""


def persons_by(
    scope: Scope, name: str, title: str, list_name: str, rest: tuple[str, str]
) -> RawTable:
    """Identified persons by their latest ``list_name`` value in the period, each once."""
    column = PERSON_COLUMNS.index(list_name)
    counts: Counter[str] = Counter()
    for row in scope.shared(person_cube):
        counts[str(row[column])] += row[-1]
    codes = [c for c in scope.codes(list_name) if c[0] != rest[0]]
    table = partition(name, title, codes, counts, sum(counts.values()), rest)
    table.note = PERSON_NOTE
    person_table(table)
    return table
