"""Where a citizen was referred, and the 14-day follow-up's "kom borgeren frem?" (issue 19 §2).

A referral is one ``referral_target`` row of its contact (stored by the contact
pipeline with its consent and who made it); the follow-up records its answer
(``ja``, ``nej``, ``ved_ikke``) on that same row (schema 17). Every answer is audited.
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
from akut_tui.services.contacts import columns
from db.models import ContactValue, FollowUp, ValueItem

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
    found: dict[int, list[tuple[str, str]]] = {}
    rows: Any = ContactValue.select(
        ContactValue.contact, ContactValue.code, ContactValue.arrived
    ).where(ContactValue.contact.in_(ids), ContactValue.list_name == TARGET_LIST)
    for cid, code, arrived in rows.tuples():
        found.setdefault(int(cid), []).append((str(code), str(arrived or "")))
    return {
        cid: tuple(sorted(held, key=lambda r: (order.get(r[0], len(order)), r[0])))
        for cid, held in found.items()
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
        columns.set_arrival(contact_id, target, arrived, now)
        audit.record(
            rt,
            "followup.referral",
            actor=session,
            object_type="followup",
            object_id=followup_id,
            person_ref=followup.person_id or "",
        )
        return referrals_of([contact_id])[contact_id]
