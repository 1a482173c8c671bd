"""The one column mapping of a contact, and the only code that writes ``Contact`` rows.

:func:`columns` turns a :class:`~akut_tui.services.contacts.prepare.PreparedContact`
into the ``Contact`` columns; :func:`form_fields` is its inverse for loading a
contact back into the form. The writers (a saved form, a check-in's arrival
contact, the CSV import, the demo) store through :func:`insert`, :func:`update`
or :func:`insert_many`, inside their own transaction. A structural test
(tests/unit/test_contact_pipeline.py) fails when another module builds
contact columns or writes ``Contact`` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from akut_tui.services.contacts.form import NOT_REGISTERED
from akut_tui.services.contacts.prepare import PreparedContact
from db.bulk import insert_plain, insert_returning_ids
from db.models import Contact, ContactValue

REFERRAL_TARGET = "referral_target"
"""The list whose picks are referrals, each with its answers beside it (schema 17)."""
NO_ANSWERS: dict[str, Any] = {
    "consent": None,
    "made_by": None,
    "arrived": None,
    "answered_at": None,
}
"""The per-referral columns of any other pick (every bulk row has the same keys)."""

SAME_FIELDS = (
    "contact_type",
    "channel",
    "caller",
    "home_municipality",
    "housing",
    "crisis_plan",
    "progression_goal",
    "followup_wanted",
    "coordination_needed",
    "under18_notified",
    "flag_suicidal",
    "flag_self_harm",
    "flag_influence",
    "flag_threatening",
)
"""Fields stored in the ``Contact`` column of the same name exactly as typed."""

OPTIONAL_FIELDS = (
    "crisis_level",
    "stabilisation",
    "turned_away",
    "referred_to",
    "anonymous_repeat",
    "goal_kind",
    "goal_attainment",
)
"""Fields stored in the column of the same name, an empty choice as NULL."""


def columns(prepared: PreparedContact, *, person_id: int | None, cpr_status: str) -> dict[str, Any]:
    """The ``Contact`` columns of a prepared contact about ``person_id`` (``None``: nobody)."""
    form = prepared.answers
    values: dict[str, Any] = {name: getattr(form, name) for name in SAME_FIELDS}
    values.update({name: getattr(form, name) or None for name in OPTIONAL_FIELDS})
    values.update(
        started_at=prepared.moment,
        shift=prepared.shift,
        shift_date=prepared.shift_date,
        partner_type=form.partner_type or None if form.caller == "samarbejdspartner" else None,
        conversation=form.crisis_conversation or NOT_REGISTERED,
        anonymous=person_id is None and cpr_status == "anonym",
        person=person_id,
        cpr_status=cpr_status,
        gender=prepared.gender,
        age_band=prepared.age_band,
        duration_min=prepared.duration,
        note=prepared.note,
        note_expires=prepared.note_expires,
    )
    return values


def form_fields(contact: Contact) -> dict[str, Any]:
    """The form values read straight back from the columns (the inverse of :func:`columns`)."""
    values: dict[str, Any] = {name: getattr(contact, name) for name in SAME_FIELDS}
    values.update({name: getattr(contact, name) or "" for name in OPTIONAL_FIELDS})
    talk = str(contact.conversation or NOT_REGISTERED)
    values["crisis_conversation"] = "" if talk == NOT_REGISTERED else talk
    values["partner_type"] = contact.partner_type or ""
    values["gender"] = contact.gender
    values["age_band"] = contact.age_band
    values["duration_min"] = "" if contact.duration_min is None else str(contact.duration_min)
    return values


def insert(
    prepared: PreparedContact,
    *,
    person_id: int | None,
    cpr_status: str,
    created_by: int,
    created_at: datetime,
    linked_to: int | None = None,
) -> int:
    """Store a new contact and its picks; return its id (in the caller's transaction)."""
    contact = Contact.create(
        **columns(prepared, person_id=person_id, cpr_status=cpr_status),
        linked_to=linked_to,
        created_by=created_by,
        created_at=created_at,
    )
    _insert_picks([(int(contact.id), prepared)])
    return int(contact.id)


def update(
    contact_id: int,
    prepared: PreparedContact,
    *,
    person_id: int | None,
    cpr_status: str,
    updated_by: int,
    updated_at: datetime,
) -> None:
    """Overwrite a contact with a prepared edit, its picks replaced.

    A referral kept by the edit keeps its follow-up answer; one taken off goes with it.
    """
    Contact.update(
        **columns(prepared, person_id=person_id, cpr_status=cpr_status),
        updated_by=updated_by,
        updated_at=updated_at,
    ).where(Contact.id == contact_id).execute()
    kept: Any = ContactValue.select(
        ContactValue.code, ContactValue.arrived, ContactValue.answered_at
    ).where(
        ContactValue.contact == contact_id,
        ContactValue.list_name == REFERRAL_TARGET,
        ContactValue.arrived.is_null(False),
    )
    answers = {str(code): (arrived, at) for code, arrived, at in kept.tuples()}
    ContactValue.delete().where(ContactValue.contact == contact_id).execute()
    _insert_picks([(contact_id, prepared)], answers)


def insert_many(
    rows: Sequence[tuple[PreparedContact, int | None, str]],
    *,
    created_by: int,
    created_at: datetime,
) -> list[int]:
    """Store many contacts at once, given as (prepared, person id, CPR status); return the ids."""
    at = created_at
    ids = insert_returning_ids(
        Contact,
        [
            columns(prepared, person_id=person, cpr_status=status)
            | {"created_by": created_by, "created_at": at}
            for prepared, person, status in rows
        ],
    )
    _insert_picks([(cid, row[0]) for cid, row in zip(ids, rows, strict=True)])
    return ids


def link_person(contact_id: int, person_id: int) -> None:
    """Tie an anonymous contact to the person who turned out to be its subject (CPR given)."""
    Contact.update(person=person_id, anonymous=False, cpr_status="oplyst").where(
        Contact.id == contact_id
    ).execute()


def set_goal_attainment(contact_ids: Sequence[int], code: str) -> int:
    """Record the 14-day follow-up's goal attainment on stored contacts; the number changed.

    The caller has checked ``code`` against the ``goal_attainment`` list and that each
    contact has a progression goal (the follow-up service, the demo).
    """
    return int(
        Contact.update(goal_attainment=code).where(Contact.id.in_(list(contact_ids))).execute()
    )


def add_pick(contact_id: int, list_name: str, code: str) -> None:
    """Add one multi-value pick to a stored contact (nothing if it is there already)."""
    ContactValue.insert(contact=contact_id, list_name=list_name, code=code).on_conflict(
        "IGNORE"
    ).execute()


def set_arrival(contact_id: int, target: str, arrived: str, at: datetime) -> int:
    """Record the follow-up's "kom borgeren frem?" on a stored referral; the rows changed.

    The caller has checked ``arrived`` against the ``referral_arrived`` list.
    """
    return int(
        ContactValue.update(arrived=arrived, answered_at=at)
        .where(
            ContactValue.contact == contact_id,
            ContactValue.list_name == REFERRAL_TARGET,
            ContactValue.code == target,
        )
        .execute()
    )


def _insert_picks(
    contacts: Sequence[tuple[int, PreparedContact]],
    answers: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """Store each contact's picks, a referral's answers beside its target (one row each).

    ``answers``: target → (arrival answer, when) kept from before an edit (one contact).
    """
    rows = [
        {"contact": cid, "list_name": list_name, "code": code, **NO_ANSWERS}
        for cid, prepared in contacts
        for list_name, code in prepared.picks
        if list_name != REFERRAL_TARGET
    ]
    for cid, prepared in contacts:
        for target, consent, made_by in prepared.referrals:
            arrived, at = (answers or {}).get(target, (None, None))
            rows.append(
                {
                    "contact": cid,
                    "list_name": REFERRAL_TARGET,
                    "code": target,
                    "consent": consent or None,
                    "made_by": made_by or None,
                    "arrived": arrived,
                    "answered_at": at,
                }
            )
    if rows:
        insert_plain(ContactValue, rows)
