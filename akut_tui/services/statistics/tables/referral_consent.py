"""``referral_consent``: consent to contact the referral targets on the citizen's behalf."""

from __future__ import annotations

from collections import Counter

import peewee as pw

from akut_tui.services.statistics.dto import Identity, RawTable
from akut_tui.services.statistics.tables.cubes import with_any
from akut_tui.services.statistics.tables.kit import (
    CRISIS,
    NOT_REGISTERED,
    Scope,
    TableSpec,
    crisis,
    partition,
    rows,
)
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
    table = partition(
        "referral_consent",
        "Samtykke til at kontakte henvisningsstedet",
        scope.codes("consent"),
        counts,
        scope.shared(with_any, TARGETS),
    )
    # Its total is referral_target's contacts with a referral: the crisis contacts
    # less that table's "no referral" row.
    every = tuple(r.code for r in table.rows)
    table.identities = (
        Identity((("", every), (TARGETS, (NOT_REGISTERED[0],))), (("contacts", (CRISIS,)),)),
    )
    # Each target's contacts are at most the contacts with a referral: a hidden target
    # hides this total too (else the referrals less it could pin the targets).
    targets = tuple(c for c, _ in scope.codes(TARGETS))
    table.denominator_hidden_with = ((TARGETS, targets),)
    return table


TABLE = TableSpec("referral_consent", 176, build)
