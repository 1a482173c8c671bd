"""The referrals' answers, counted once for the three tables whose unit is a referral.

A referral is one ``referral_target`` row of a crisis contact (schema 17), with its
consent, who made the contact and the follow-up's "kom borgeren frem?" beside it.
``referral_consent``, ``referral_made_by`` and ``referral_arrived`` each split the
period's referrals by one of these answers, so their totals are the same number: the
referrals, which is also the sum of ``referral_target``'s target rows (a contact
refers to a target at most once). Each declares that identity.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import peewee as pw

from akut_tui.services.statistics.dto import Identity, RawTable
from akut_tui.services.statistics.suppression import THRESHOLD
from akut_tui.services.statistics.tables.kit import (
    CRISIS,
    NOT_REGISTERED,
    Scope,
    crisis,
    merged_by,
    partition,
    rows,
    sum_cells,
)
from db.models import Contact, ContactValue

TARGETS = "referral_target"
ANSWERS = ("consent", "made_by", "arrived")
"""The per-referral columns, in the order of :func:`referral_answers`' keys."""


@merged_by(sum_cells)
def referral_answers(scope: Scope) -> list[tuple[Any, ...]]:
    """(consent, made_by, arrived, count) over the period's crisis contacts' referrals."""
    columns = [getattr(ContactValue, name) for name in ANSWERS]
    query = (
        ContactValue.select(*columns, pw.fn.COUNT(ContactValue.id))
        .join(Contact, on=(ContactValue.contact == Contact.id))
        .where(crisis(scope), ContactValue.list_name == TARGETS)
        .group_by(*columns)
    )
    return rows(query)


def referral_table(
    scope: Scope,
    name: str,
    title: str,
    answer: str,
    list_name: str,
    rest: tuple[str, str] = NOT_REGISTERED,
) -> RawTable:
    """The period's referrals split by ``answer`` (one of :data:`ANSWERS`), codes of
    ``list_name`` first and ``rest`` (no answer, or a retired code) last."""
    at = ANSWERS.index(answer)
    counts: Counter[str] = Counter()
    total = 0
    for *key, n in scope.shared(referral_answers):
        total += int(n)
        if key[at]:
            counts[str(key[at])] += int(n)
    table = partition(name, title, scope.codes(list_name), counts, total, rest)
    # Its rows are the referrals: referral_target's target rows, added up.
    targets = tuple(c for c, _ in scope.codes(TARGETS))
    every = tuple(r.code for r in table.rows)
    table.identities = (Identity((("", every),), ((TARGETS, targets),)),)
    # A hidden target hides the referrals too: else the referrals less the published
    # targets pin it. And the contacts with a referral (the crisis contacts less
    # referral_target's "no referral" row) lie between the largest target and the
    # referrals: a hidden crisis count or "no referral" row hides the referrals too.
    table.denominator_hidden_with = (
        (TARGETS, (*targets, NOT_REGISTERED[0])),
        ("contacts", (CRISIS,)),
    )
    # One hidden row hides them all: a row left alone bounds the referrals from below
    # (and so the contacts with a referral, and the crisis contacts, by the largest
    # target), which a hidden total alone does not stop.
    table.together = every
    # Zeros are shown, so each hidden row is at least 1: with the crisis count hidden
    # for being small (1-4), k hidden rows would still show at least k referrals (and so
    # half as many contacts with a referral as there are targets). Such a period's
    # referral tables are hidden whole, zeros included.
    table.withheld = 0 < scope.crisis_contacts < THRESHOLD
    return table
