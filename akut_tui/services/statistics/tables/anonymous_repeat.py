"""``anonymous_repeat``: anonymous crisis contacts by "har ringet før" (issue 19 §4)."""

from __future__ import annotations

from collections import Counter

import peewee as pw

from akut_tui.services.statistics.dto import TOTAL, Bound, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, crisis, partition, rows
from db.models import Contact

BOUNDS = (Bound((("", (TOTAL,)),), (("cpr_status", ("anonym",)),)),)
"""An anonymous contact has the CPR status ``anonym`` (a database check); a contact
with that status need not be anonymous, so the anonymous contacts are at most it."""


def build(scope: Scope) -> RawTable:
    """Anonymous crisis contacts by ``ja``, ``nej``, ``ved_ikke``; the rest ``ikke_registreret``."""
    query = (
        Contact.select(Contact.anonymous_repeat, pw.fn.COUNT(Contact.id))
        .where(crisis(scope), Contact.anonymous == True)  # noqa: E712 - Peewee expression
        .group_by(Contact.anonymous_repeat)
    )
    found = rows(query)
    counts: Counter[str] = Counter({str(code): int(n) for code, n in found if code})
    table = partition(
        "anonymous_repeat",
        "Anonyme: har ringet før",
        scope.codes("called_before"),
        counts,
        sum(int(n) for _code, n in found),
    )
    table.bounds = BOUNDS
    return table


TABLE = TableSpec("anonymous_repeat", 181, build)
