"""Person-level figures: each identified person once, with their latest values in the period.

One query (:func:`person_cube`) reads the period's crisis contacts of identified
persons (known by CPR or nickname; anonymous contacts cannot be told apart),
keeps each person's latest contact with window functions (SQLite and
PostgreSQL alike) and groups the persons by what the tables need: the latest
gender, age band, municipality and housing, the number of contacts in the
period as a band, and the first and latest crisis level.
"""

from __future__ import annotations

from typing import Any

import peewee as pw

from akut_tui.services.stats_tables.kit import Scope, crisis, rows
from db.database import database
from db.models import Contact

CONTACT_BANDS = (
    ("1", "1 henvendelse"),
    ("2_4", "2-4"),
    ("5_9", "5-9"),
    ("10_plus", "10 eller flere"),
)
"""Contacts per person in the period, as published bands."""


def band_of(contacts: int) -> str:
    """The band code of a person's number of contacts in the period."""
    if contacts <= 1:
        return "1"
    if contacts <= 4:
        return "2_4"
    return "5_9" if contacts <= 9 else "10_plus"


def person_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(gender, age_band, municipality, housing, contacts, first level, latest level, persons).

    ``contacts`` is the person's number of crisis contacts in the period; the
    other values are those of the person's latest contact in the period (ties
    broken by id), ``first level`` that of the earliest.
    """
    person = [Contact.person]
    latest_first = [Contact.started_at.desc(), Contact.id.desc()]
    inner = (
        Contact.select(
            Contact.gender,
            Contact.age_band,
            Contact.home_municipality,
            Contact.housing,
            Contact.crisis_level.alias("latest"),
            pw.fn.COUNT(Contact.id).over(partition_by=person).alias("n"),
            pw.fn.ROW_NUMBER().over(partition_by=person, order_by=latest_first).alias("rn"),
            pw.fn.FIRST_VALUE(Contact.crisis_level)
            .over(partition_by=person, order_by=[Contact.started_at, Contact.id])
            .alias("first"),
        )
        .where(crisis(scope), Contact.person.is_null(False))
        .alias("p")
    )
    columns = [
        inner.c.gender,
        inner.c.age_band,
        inner.c.home_municipality,
        inner.c.housing,
        inner.c.n,
        inner.c.first,
        inner.c.latest,
    ]
    query = (
        pw.Select([inner], [*columns, pw.fn.COUNT(pw.SQL("*"))])
        .where(inner.c.rn == 1)
        .group_by(*columns)
        .bind(database)
    )
    return rows(query)
