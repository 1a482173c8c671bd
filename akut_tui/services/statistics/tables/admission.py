"""``admission``: crisis contacts that led to a psychiatric admission."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import Bound, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, crisis, partition
from db.models import Contact, ContactValue

CODES = (("indlaeggelse", "Førte til indlæggelse"),)
NONE = ("ikke_indlaeggelse", "Ingen indlæggelse registreret")
ACTION = (("actions", ("indlaeggelse",)),)
ESCALATION = (("escalation", ("indlaeggelse",)),)
ADMITTED = (("", ("indlaeggelse",)),)
BOUNDS = (
    Bound(ACTION, ADMITTED),
    Bound(ESCALATION, ADMITTED),
    Bound(ADMITTED, ACTION + ESCALATION),
)
"""An admission is an ``indlaeggelse`` action or escalation (or both): at least the
contacts with either pick, at most their sum."""


def build(scope: Scope) -> RawTable:
    """Contacts with ``indlaeggelse`` as an action or an escalation."""
    picked = ContactValue.select(ContactValue.contact).where(
        ContactValue.code == "indlaeggelse",
        ContactValue.list_name.in_(["action", "escalation"]),
    )
    admitted = Contact.select().where(crisis(scope), Contact.id.in_(picked)).count()
    table = partition(
        "admission",
        "Indlæggelse i psykiatrien",
        CODES,
        Counter({"indlaeggelse": int(admitted)}),
        scope,
        NONE,
    )
    table.bounds = BOUNDS
    return table


TABLE = TableSpec("admission", 250, build)
