"""``persons``: distinct persons, repeat persons and their contacts, the top five's contacts."""

from __future__ import annotations

import peewee as pw

from akut_tui.services.stats_dto import RawRow, RawTable
from akut_tui.services.stats_tables.kit import Scope, TableSpec, crisis, figures
from db.database import database
from db.models import Contact


def person_figures(scope: Scope) -> tuple[int, int, int, int]:
    """(distinct persons, repeat persons, contacts from repeat persons, top-5 contacts)."""
    per_person = (
        Contact.select(Contact.person, pw.fn.COUNT(Contact.id).alias("n"))
        .where(crisis(scope), Contact.person.is_null(False))
        .group_by(Contact.person)
    )
    sub = per_person.alias("pp")
    many = pw.Case(None, [(sub.c.n > 1, 1)], 0)
    many_n = pw.Case(None, [(sub.c.n > 1, sub.c.n)], 0)
    row = (
        pw.Select([sub], [pw.fn.COUNT(pw.SQL("*")), pw.fn.SUM(many), pw.fn.SUM(many_n)])
        .bind(database)
        .tuples()
        .first()
    )
    top = per_person.order_by(pw.SQL("n").desc()).limit(5).alias("top")
    top5 = pw.Select([top], [pw.fn.SUM(top.c.n)]).bind(database).scalar()
    distinct, repeat, repeat_n = row if row else (0, 0, 0)
    return int(distinct or 0), int(repeat or 0), int(repeat_n or 0), int(top5 or 0)


def build(scope: Scope) -> RawTable:
    """The person figures of the period (persons known by CPR or nickname).

    Distinct counts do not add up over time. The last three figures are hidden
    together: with the number of persons, any two of them give the third.
    """
    distinct, repeat, repeat_n, top5 = person_figures(scope)
    table = figures(
        "persons",
        "Personer (kendt CPR eller kaldenavn)",
        scope.crisis_contacts,
        [
            RawRow("distinct_persons", "Forskellige personer", distinct),
            RawRow("repeat_persons", "Personer med mere end én henvendelse", repeat),
            RawRow("contacts_from_repeat_persons", "Henvendelser fra gengangere", repeat_n),
            RawRow("top5_contacts", "Henvendelser fra de 5 hyppigste", top5),
        ],
        "Andele af alle krisehenvendelser, anonyme medregnet.",
    )
    table.additive_codes = ()
    table.together = ("repeat_persons", "contacts_from_repeat_persons", "top5_contacts")
    return table


TABLE = TableSpec("persons", 200, build, summable=False)
