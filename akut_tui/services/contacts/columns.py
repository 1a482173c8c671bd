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
    "referral_consent",
    "referral_made_by",
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
    """Overwrite a contact with a prepared edit, its picks replaced."""
    Contact.update(
        **columns(prepared, person_id=person_id, cpr_status=cpr_status),
        updated_by=updated_by,
        updated_at=updated_at,
    ).where(Contact.id == contact_id).execute()
    ContactValue.delete().where(ContactValue.contact == contact_id).execute()
    _insert_picks([(contact_id, prepared)])


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


def _insert_picks(contacts: Sequence[tuple[int, PreparedContact]]) -> None:
    rows = [
        {"contact": cid, "list_name": list_name, "code": code}
        for cid, prepared in contacts
        for list_name, code in prepared.picks
    ]
    if rows:
        insert_plain(ContactValue, rows)
