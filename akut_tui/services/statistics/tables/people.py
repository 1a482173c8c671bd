"""Person-level figures: each identified person once, with their latest values in the period.

One pass (:func:`person_cube`) over the period's crisis contacts of identified
persons (known by CPR or nickname; anonymous contacts cannot be told apart)
finds each person's first and latest contact (:func:`person_ends`) and groups
the persons by what the tables need: the latest gender, age band, municipality
and housing, the number of contacts in the period as a band, and the first and
latest crisis level.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from akut_tui.services.statistics.dto import OWN_DENOMINATOR, RawTable
from akut_tui.services.statistics.tables.kit import (
    Scope,
    crisis,
    merged_by,
    partition,
)
from db.database import database
from db.models import Contact

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


VALUE_COLUMNS = ("gender", "age_band", "home_municipality", "housing", "crisis_level")
"""The contact columns read from each person's first and latest contact, in order."""


PersonEnds = dict[
    Any, tuple[int, tuple[Any, Any], tuple[Any, ...], tuple[Any, Any], tuple[Any, ...]]
]
"""person key -> (contacts, first (started_at, id), first values, latest (started_at, id),
latest values). A closed year's answer is stored in its cache entry (:mod:`..year_cache`),
which any write to the year's months deletes (docs/security.md, "Statistics cache")."""


def _merge_ends(parts: list[PersonEnds]) -> PersonEnds:
    """Merge of :func:`person_ends` over consecutive periods: contacts added up, the
    earliest first and the latest last contact kept (ties by id, as in the query)."""
    merged: PersonEnds = {}
    for part in parts:
        for pid, (n, first_key, first, last_key, last) in part.items():
            seen = merged.get(pid)
            if seen is not None:
                if seen[1] < first_key:
                    first_key, first = seen[1], seen[2]
                if seen[3] > last_key:
                    last_key, last = seen[3], seen[4]
                n += seen[0]
            merged[pid] = (n, first_key, first, last_key, last)
    return merged


@merged_by(_merge_ends)
def person_ends(scope: Scope) -> PersonEnds:
    """Each identified person's contacts, first and latest contact in the period.

    The values are :data:`VALUE_COLUMNS`. One range read of the period's crisis
    contacts of identified persons (the (contact_type, started_at, person_id)
    index finds them), each person's first and latest contact kept as the rows
    pass (ties on the start time go to the lower / higher id). A month holds a
    few thousand such rows; a longer period merges its months' answers.
    """
    columns = [getattr(Contact, c) for c in VALUE_COLUMNS]
    query = Contact.select(Contact.id, Contact.person, Contact.started_at, *columns).where(
        crisis(scope), Contact.person.is_null(False)
    )
    same: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # a few hundred distinct value tuples
    out: PersonEnds = {}
    # Plain rows from the cursor: a Peewee row object per contact costs more than the query.
    for cid, pid, at, *values in database.execute(query).fetchall():
        key, found = (at, cid), tuple(values)
        found = same.setdefault(found, found)
        seen = out.get(pid)
        if seen is None:
            out[pid] = (1, key, found, key, found)
            continue
        n, first_key, first, last_key, last = seen
        if key < first_key:
            first_key, first = key, found
        if key > last_key:
            last_key, last = key, found
        out[pid] = (n + 1, first_key, first, last_key, last)
    return out


def ends(scope: Scope) -> list[tuple[int, tuple[Any, ...], tuple[Any, ...]]]:
    """(contacts, first contact's values, latest contact's values) per identified person."""
    return [(n, first, last) for n, _, first, _, last in scope.shared(person_ends).values()]


def person_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(gender, age_band, municipality, housing, contacts, first level, latest level, persons).

    ``contacts`` is the person's number of crisis contacts in the period; the
    other values are those of the person's latest contact in the period (ties
    broken by id), ``first level`` that of the earliest. Grouped, so the tables
    add up a few hundred cells.
    """
    groups: Counter[tuple[Any, ...]] = Counter()
    for n, first, last in scope.shared(ends):
        gender, band, municipality, housing, latest_level = last
        groups[(gender, band, municipality, housing, n, first[4], latest_level)] += 1
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
