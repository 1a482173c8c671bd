"""Where a citizen was referred, and the 14-day follow-up's "kom borgeren frem?" (issue 19 §2).

A contact's referral targets are its ``referral_target`` picks (stored by the
contact pipeline); the follow-up records one answer per target in
``referral_arrival`` (``ja``, ``nej``, ``ved_ikke``). Every answer is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from db.models import ContactValue, FollowUp, ReferralArrival, ValueItem

TARGET_LIST = "referral_target"
ARRIVED_LIST = "referral_arrived"

Referrals = tuple[tuple[str, str], ...]
"""(target code, arrival answer or "") of one contact, in the directory's order."""


def referrals_of(contact_ids: Iterable[int]) -> dict[int, Referrals]:
    """Contact id → its referrals and their answers (contacts without any are left out).

    Call inside a connection; the caller audits the read it belongs to.
    """
    ids = list(contact_ids)
    if not ids:
        return {}
    listed: Any = (
        ValueItem.select(ValueItem.code)
        .where(ValueItem.list_name == TARGET_LIST)
        .order_by(ValueItem.sort_order, ValueItem.id)
    )
    order = {str(code): index for index, (code,) in enumerate(listed.tuples())}
    given: Any = ReferralArrival.select(
        ReferralArrival.contact, ReferralArrival.target, ReferralArrival.arrived
    ).where(ReferralArrival.contact.in_(ids))
    answers = {(int(cid), str(target)): str(arrived) for cid, target, arrived in given.tuples()}
    found: dict[int, list[str]] = {}
    picks: Any = ContactValue.select(ContactValue.contact, ContactValue.code).where(
        ContactValue.contact.in_(ids), ContactValue.list_name == TARGET_LIST
    )
    for cid, code in picks.tuples():
        found.setdefault(int(cid), []).append(str(code))
    return {
        cid: tuple(
            (code, answers.get((cid, code), ""))
            for code in sorted(codes, key=lambda c: (order.get(c, len(order)), c))
        )
        for cid, codes in found.items()
    }


def _valid(list_name: str, code: str) -> bool:
    return bool(
        ValueItem.select().where(ValueItem.list_name == list_name, ValueItem.code == code).exists()
    )


def record_arrival(
    rt: Runtime, session: SignedInUser, followup_id: int, target: str, arrived: str
) -> Referrals:
    """Record whether the citizen of a follow-up arrived at ``target``; audited.

    An answer may be changed (the latest counts). Returns the contact's referrals.
    """
    now = rt.now()
    with write_transaction():
        require(session, "followup.complete")
        if not _valid(ARRIVED_LIST, arrived):
            raise ValidationError("Svar ja, nej eller ved ikke.", "arrived")
        followup = FollowUp.get_or_none(FollowUp.id == followup_id)
        if followup is None:
            raise NotFound("Opfølgningen findes ikke.")
        contact_id = int(followup.contact_id)
        held = dict(referrals_of([contact_id]).get(contact_id, ()))
        if target not in held:
            raise ValidationError("Borgeren er ikke henvist dertil ved denne henvendelse.")
        ReferralArrival.insert(
            contact=contact_id, target=target, arrived=arrived, answered_at=now
        ).on_conflict(
            conflict_target=[ReferralArrival.contact, ReferralArrival.target],
            update={ReferralArrival.arrived: arrived, ReferralArrival.answered_at: now},
        ).execute()
        audit.record(
            rt,
            "followup.referral",
            actor=session,
            object_type="followup",
            object_id=followup_id,
            person_ref=followup.person_id or "",
        )
        return referrals_of([contact_id])[contact_id]
