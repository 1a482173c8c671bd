"""``referral_consent``: consent to contact the referral targets on the citizen's behalf."""

from __future__ import annotations

from collections import Counter

import peewee as pw

from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.tables.cubes import with_any
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, crisis, partition, rows
from db.models import Contact, ContactValue

TARGETS = "referral_target"


def build(scope: Scope) -> RawTable:
    """Crisis contacts with a referral, by consent (``ja``, ``nej``, ``ikke_spurgt``)."""
    referred = ContactValue.select(ContactValue.contact).where(ContactValue.list_name == TARGETS)
    query = (
        Contact.select(Contact.referral_consent, pw.fn.COUNT(Contact.id))
        .where(crisis(scope), Contact.id.in_(referred))
        .group_by(Contact.referral_consent)
    )
    counts: Counter[str] = Counter({str(code): int(n) for code, n in rows(query) if code})
    return partition(
        "referral_consent",
        "Samtykke til at kontakte henvisningsstedet",
        scope.codes("consent"),
        counts,
        scope.shared(with_any, TARGETS),
    )


TABLE = TableSpec("referral_consent", 176, build)
