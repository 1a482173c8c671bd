"""``referral_arrived``: "kom borgeren frem?" at the 14-day follow-up, per referral."""

from __future__ import annotations

from collections import Counter

import peewee as pw

from akut_tui.services.statistics.dto import TOTAL, Identity, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, crisis, partition, rows
from db.models import Contact, ContactValue, ReferralArrival

NOT_FOLLOWED_UP = ("ikke_fulgt_op", "Ikke fulgt op")


def build(scope: Scope) -> RawTable:
    """Referrals of the period's crisis contacts by the follow-up's answer.

    The unit is a referral (a contact with two targets counts twice); referrals
    with no answer are ``ikke_fulgt_op``.
    """
    answer = ReferralArrival.arrived
    joined = (ReferralArrival.contact == ContactValue.contact) & (
        ReferralArrival.target == ContactValue.code
    )
    query = (
        ContactValue.select(answer, pw.fn.COUNT(ContactValue.id))
        .join(Contact, on=(ContactValue.contact == Contact.id))
        .join(ReferralArrival, pw.JOIN.LEFT_OUTER, on=joined)
        .where(crisis(scope), ContactValue.list_name == "referral_target")
        .group_by(answer)
    )
    found = rows(query)
    counts: Counter[str] = Counter({str(code): int(n) for code, n in found if code})
    table = partition(
        "referral_arrived",
        "Kom borgeren frem (opfølgning)",
        scope.codes("referral_arrived"),
        counts,
        sum(int(n) for _code, n in found),
        NOT_FOLLOWED_UP,
    )
    # One row per referral: the referrals are referral_target's picks, added up.
    targets = tuple(c for c, _ in scope.codes("referral_target"))
    every = tuple(r.code for r in table.rows)
    table.identities = (Identity((("", every),), (("referral_target", targets),)),)
    # The contacts with a referral (referral_consent's total) lie between the largest
    # target and the referrals: hidden, they hide the referrals too.
    table.denominator_hidden_with = (("referral_consent", (TOTAL,)),)
    return table


TABLE = TableSpec("referral_arrived", 177, build)
