"""The 14-day follow-up queue: list, complete, and the audited phone number.

A follow-up's phone number is kept only until the follow-up is done
(docs/domain.md §9.12); the schema enforces it with ``CHECK (done_at IS NULL OR
phone IS NULL)``. Lists show a nickname or a masked CPR, never a full CPR.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peewee import JOIN

from akut_tui.core.clock import format_date
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import FollowUpRow, SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import checkpoint_after_delete, write_transaction
from akut_tui.services.contacts.persons import person_label
from akut_tui.services.contacts.referrals import referrals_of
from db.models import Contact, FollowUp, Person, ValueItem

RESULT_LIST = "followup_result"
"""The value list holding the valid follow-up results."""


def _query() -> Any:
    return (
        FollowUp.select(
            FollowUp.id,
            FollowUp.contact,
            FollowUp.due_date,
            FollowUp.phone,
            FollowUp.done_at,
            FollowUp.result,
            Person.id,
            Person.nickname,
            Person.cpr_plain,
            Person.cpr_key,
            Contact.progression_goal,
            Contact.goal_kind,
            Contact.goal_attainment,
        )
        .join(Person, JOIN.LEFT_OUTER, on=(FollowUp.person == Person.id))
        .switch(FollowUp)
        .join(Contact, on=(FollowUp.contact == Contact.id))
    )


def _to_rows(query: Any, today: date) -> list[FollowUpRow]:
    rows = []
    found = list(query.tuples())
    referred = referrals_of({int(row[1]) for row in found})
    for fid, contact_id, due, phone, done_at, result, pid, nick, plain, key, *goal in found:
        done = done_at is not None
        rows.append(
            FollowUpRow(
                id=int(fid),
                contact_id=int(contact_id),
                due_date=format_date(due),
                overdue=not done and due < today,
                has_phone=bool(phone),
                person_label=person_label(pid, nick, plain, key),
                done=done,
                result=result,
                referrals=referred.get(int(contact_id), ()),
                has_goal=bool(goal[0]),
                goal=goal[1] or "",
                attained=goal[2] or "",
            )
        )
    return rows


def due_followups(
    rt: Runtime, session: SignedInUser, *, include_done: bool = False
) -> list[FollowUpRow]:
    """Return follow-ups by due date, oldest (overdue) first; done ones last if included."""
    today = rt.today()
    query = _query()
    if not include_done:
        query = query.where(FollowUp.done_at.is_null())
    query = query.order_by(FollowUp.done_at.is_null(False), FollowUp.due_date, FollowUp.id)
    with write_transaction():
        require(session, "followup.view")
        rows = _to_rows(query, today)
        audit.record(rt, "followup.list", actor=session, object_type="followup")
    return rows


def _valid_result(code: str) -> bool:
    return bool(
        ValueItem.select()
        .where(
            ValueItem.list_name == RESULT_LIST,
            ValueItem.code == code,
            ValueItem.active == True,  # noqa: E712 - Peewee expression
        )
        .exists()
    )


def complete_followup(
    rt: Runtime, session: SignedInUser, followup_id: int, result: str
) -> FollowUpRow:
    """Record the result of a follow-up and delete its phone number; audited."""
    now = rt.now()
    today = rt.today()
    with write_transaction():
        require(session, "followup.complete")
        if not _valid_result(result):
            raise ValidationError("Vælg et resultat fra listen.", "result")
        followup = FollowUp.get_or_none(FollowUp.id == followup_id)
        if followup is None:
            raise NotFound("Opfølgningen findes ikke.")
        updated = (
            FollowUp.update(done_at=now, done_by=session.user_id, result=result, phone=None)
            .where(FollowUp.id == followup_id, FollowUp.done_at.is_null())
            .execute()
        )
        if not updated:
            raise ValidationError("Opfølgningen er allerede afsluttet.")
        audit.record(
            rt,
            "followup.complete",
            actor=session,
            object_type="followup",
            object_id=followup_id,
            person_ref=followup.person_id or "",
        )
        row = _to_rows(_query().where(FollowUp.id == followup_id), today)[0]
    checkpoint_after_delete()  # the phone number leaves the -wal file too
    return row


def reveal_followup_phone(rt: Runtime, session: SignedInUser, followup_id: int) -> str:
    """Return the phone number the citizen gave for the follow-up; audited."""
    with write_transaction():
        require(session, "followup.complete")
        followup = FollowUp.get_or_none(FollowUp.id == followup_id)
        if followup is None:
            raise NotFound("Opfølgningen findes ikke.")
        if not followup.phone:
            raise NotFound("Der er ikke gemt et telefonnummer til denne opfølgning.")
        audit.record(
            rt,
            "followup.phone",
            actor=session,
            object_type="followup",
            object_id=followup.id,
            person_ref=followup.person_id or "",
        )
        return str(followup.phone)
