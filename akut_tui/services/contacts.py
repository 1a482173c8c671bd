"""Contacts: save a new or edited contact, load one back into the form, list the shift's.

Rules enforced here, whatever the UI does: roles and edit windows (from
:mod:`akut_tui.permissions`), CPR validation and pseudonymisation, crisis plan
only in person, no future times, follow-up due dates, note expiry. Every read
or change of personal data is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, cast

from akut_tui import permissions
from akut_tui.clock import format_date, from_db, local, shift_of, to_db
from akut_tui.cpr import mask_cpr
from akut_tui.errors import AkutError, NotFound, PermissionDenied, ValidationError
from akut_tui.sanitize import clean_text
from akut_tui.services import audit
from akut_tui.services.auth import require
from akut_tui.services.contact_input import (
    NON_DATA_TYPES,
    NOT_REGISTERED,
    UNKNOWN_MUNICIPALITY,
    ContactInput,
    cpr_prompt_reasons,
    validate,
)
from akut_tui.services.dto import ContactRow, SavedContact, SessionInfo
from akut_tui.services.person_match import resolve_person
from akut_tui.services.runtime import Runtime
from akut_tui.services.storage import checkpoint_after_delete, connection, write_transaction
from akut_tui.services.values import codes_by_list
from db.models import Contact, ContactDraft, ContactValue, FollowUp, Person, User

FOLLOWUP_DAYS = 14
MULTI_LISTS = {
    "symptoms": "symptom",
    "events": "event",
    "actions": "action",
    "escalations": "escalation",
}
"""Form field → value list of the codes stored in ``ContactValue`` rows."""

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

OPTIONAL_FIELDS = ("crisis_level", "stabilisation", "turned_away", "referred_to")
"""Fields stored in the column of the same name, an empty choice as NULL."""

EDIT_REFUSED = "Du kan kun {verb} dine egne henvendelser i den vagt, de er registreret."


class FormErrors(AkutError):
    """Several field errors at once; ``str()`` is the first message."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(str(errors[0]) if errors else "Ugyldige felter.")
        self.errors = errors


def _stored_fields(form: ContactInput) -> dict[str, Any]:
    """The columns written straight from the form (the rest are derived or cleaned)."""
    values: dict[str, Any] = {name: getattr(form, name) for name in SAME_FIELDS}
    values.update({name: getattr(form, name) or None for name in OPTIONAL_FIELDS})
    values["conversation"] = form.crisis_conversation or NOT_REGISTERED
    return values


def _form_fields(contact: Contact) -> dict[str, Any]:
    """The form values read straight back from the columns (the inverse of the above)."""
    values: dict[str, Any] = {name: getattr(contact, name) for name in SAME_FIELDS}
    values.update({name: getattr(contact, name) or "" for name in OPTIONAL_FIELDS})
    talk = str(contact.conversation or NOT_REGISTERED)
    values["crisis_conversation"] = "" if talk == NOT_REGISTERED else talk
    return values


def _may_edit(rt: Runtime, session: SessionInfo, contact: Contact) -> bool:
    role = require(session, "contact.view_shift")
    return permissions.may_edit_contact(
        role,
        locked=bool(contact.locked),
        own=contact.created_by_id == session.user_id,
        this_shift=(contact.shift, contact.shift_date) == rt.current_shift(),
    )


def _editable(rt: Runtime, session: SessionInfo, contact_id: int, verb: str) -> Contact:
    """Return the contact if the session's user may edit it; raise otherwise."""
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFound("Henvendelsen findes ikke.")
    if not _may_edit(rt, session, contact):
        raise PermissionDenied(EDIT_REFUSED.format(verb=verb))
    return contact


def save_contact(
    rt: Runtime,
    session: SessionInfo,
    form: ContactInput,
    *,
    contact_id: int | None = None,
    draft_id: int | None = None,
) -> SavedContact:
    """Validate and store a contact (new, or an edit of ``contact_id``).

    Raises :class:`FormErrors` listing every invalid field; nothing is stored then.
    """
    now = rt.now()
    tz = rt.config.site.timezone
    moment = local(form.started_at or now, tz)
    if form.contact_type in NON_DATA_TYPES:
        # A silent call, wrong number or test call carries no assessment and no course.
        form = replace(
            form,
            identity="anonym",
            crisis_level="",
            cpr_text="",
            followup_wanted=False,
            followup_phone="",
            progression_goal=False,
            crisis_plan=False,
        )
    if not form.home_municipality:
        # A blank is unknown: assuming the host municipality would bend the figure
        # on citizens from elsewhere (DOMAIN.md §1).
        form = replace(form, home_municipality=UNKNOWN_MUNICIPALITY)
    with write_transaction():
        existing: Contact | None = None
        if contact_id is None:
            require(session, "contact.create")
        else:
            existing = _editable(rt, session, contact_id, "rette")
        derived, errors = validate(form, moment=moment, now=local(now, tz), lists=codes_by_list())
        prior_person = existing.person if existing is not None and existing.person_id else None
        # The masked CPR that load_contact showed stands for the contact's own
        # CPR person; any other "-XXXX" text is an invalid CPR like any other.
        keep_cpr = (
            prior_person is not None
            and prior_person.cpr_key is not None
            and form.identity == "cpr"
            and not form.cpr_declined
            and form.cpr_text.strip() == mask_cpr(prior_person.cpr_plain)
        )
        if keep_cpr:
            errors = [e for e in errors if e.field != "cpr_text"]
        if errors:
            raise FormErrors(errors)
        person, cpr_status = resolve_person(
            rt, form, derived, moment.date(), prior_person if keep_cpr else None
        )
        shift, shift_date = shift_of(moment, rt.config.shifts, tz)
        note = clean_text(form.note, multiline=True).strip() or None
        values = _stored_fields(form) | {
            "started_at": to_db(moment),
            "shift": shift,
            "shift_date": shift_date,
            "partner_type": form.partner_type if form.caller == "samarbejdspartner" else None,
            "anonymous": person is None and cpr_status == "anonym",
            "person": person,
            "cpr_status": cpr_status,
            "gender": derived.gender,
            "age_band": derived.age_band,
            "duration_min": derived.duration,
            "note": note,
            "note_expires": (moment.date() + timedelta(days=rt.config.retention.free_text_days))
            if note
            else None,
        }
        if existing is None:
            contact = Contact.create(created_by=session.user_id, created_at=to_db(now), **values)
        else:
            Contact.update(updated_by=session.user_id, updated_at=to_db(now), **values).where(
                Contact.id == existing.id
            ).execute()
            contact = Contact.get_by_id(existing.id)
            ContactValue.delete().where(ContactValue.contact == contact.id).execute()
        rows = [
            {"contact": contact.id, "list_name": list_name, "code": code}
            for attr, list_name in MULTI_LISTS.items()
            for code in dict.fromkeys(getattr(form, attr))
        ]
        if rows:
            ContactValue.insert_many(rows).execute()
        due = _ensure_followup(contact, person, form, moment.date())
        if person is not None:
            Person.update(last_seen_at=to_db(now)).where(Person.id == person.id).execute()
        if draft_id is not None:
            ContactDraft.delete().where(
                ContactDraft.id == draft_id, ContactDraft.user == session.user_id
            ).execute()
        audit.record(
            rt,
            "contact.create" if existing is None else "contact.update",
            actor=session,
            object_type="contact",
            object_id=contact.id,
            person_ref=person.id if person else "",
        )
        known_before = person is not None and (
            Contact.select().where(Contact.person == person.id, Contact.id != contact.id).exists()
        )
    if draft_id is not None:
        checkpoint_after_delete()  # the draft's text leaves the -wal file too
    return SavedContact(
        id=contact.id,
        created=existing is None,
        contact_type=form.contact_type,
        crisis_level=form.crisis_level or None,
        duration_min=derived.duration,
        person_id=person.id if person else None,
        under_18=derived.under_18,
        cpr_reasons=tuple(cpr_prompt_reasons(form, known_person=known_before)),
        followup_due=format_date(due) if due else None,
    )


def _ensure_followup(
    contact: Contact, person: Person | None, form: ContactInput, day: date
) -> date | None:
    open_one = FollowUp.get_or_none(FollowUp.contact == contact.id)
    if not form.followup_wanted:
        if open_one is not None and open_one.done_at is None:
            open_one.delete_instance()
        return None
    due = day + timedelta(days=FOLLOWUP_DAYS)
    phone = form.followup_phone.replace(" ", "").strip() or None
    if open_one is None:
        FollowUp.create(contact=contact.id, person=person, due_date=due, phone=phone)
    elif open_one.done_at is None:
        FollowUp.update(due_date=due, phone=phone, person=person).where(
            FollowUp.id == open_one.id
        ).execute()
    return due


def load_contact(rt: Runtime, session: SessionInfo, contact_id: int) -> ContactInput:
    """Return a saved contact as form data for editing (CPR masked); audited."""
    with write_transaction():
        contact = _editable(rt, session, contact_id, "åbne")
        values: dict[str, Any] = {name: [] for name in MULTI_LISTS}
        reverse = {v: k for k, v in MULTI_LISTS.items()}
        picks = (
            ContactValue.select(ContactValue.list_name, ContactValue.code)
            .where(ContactValue.contact == contact.id)
            .tuples()
        )
        for list_name, code in cast(Iterable[tuple[str, str]], picks):
            values[reverse[list_name]].append(code)
        person = Person.get_or_none(Person.id == contact.person_id) if contact.person_id else None
        identity, cpr_text, nickname, birth_year = "anonym", "", "", ""
        if person is not None:
            identity = "cpr" if person.cpr_key else "pseudonym"
            if person.cpr_key:
                cpr_text = mask_cpr(person.cpr_plain)
            nickname = clean_text(person.nickname or "")  # older rows: see the note below
            birth_year = str(person.birth_year or "")
        elif contact.cpr_status == "afvist":
            identity = "cpr"
        phone = ""
        followup = FollowUp.get_or_none(FollowUp.contact == contact.id)
        if followup is not None and followup.phone:
            phone = followup.phone
        audit.record(
            rt,
            "contact.read",
            actor=session,
            object_type="contact",
            object_id=contact.id,
            person_ref=contact.person_id or "",
        )
        return ContactInput(
            **_form_fields(contact),
            **values,
            started_at=from_db(contact.started_at),
            partner_type=contact.partner_type or "",
            identity=identity,
            cpr_text=cpr_text,
            cpr_declined=contact.cpr_status == "afvist",
            nickname=nickname,
            birth_year=birth_year,
            gender=contact.gender,
            age_band=contact.age_band,
            followup_phone=phone,
            duration_min="" if contact.duration_min is None else str(contact.duration_min),
            # Text stored before input was refused (issue 11) may hold control
            # characters; the form gets it cleaned so it can be saved again.
            note=clean_text(contact.note or "", multiline=True),
        )


def shift_contacts(rt: Runtime, session: SessionInfo, limit: int = 200) -> list[ContactRow]:
    """Return the current shift's contacts, newest first."""
    shift, day = rt.current_shift()
    with connection():
        role = require(session, "contact.view_shift")
        query = (
            Contact.select(Contact, User.username)
            # attr: without it Peewee puts the id-less User where created_by was,
            # and created_by_id (used for ``editable``) reads as None.
            .join(User, on=(Contact.created_by == User.id), attr="creator")
            .where(Contact.shift == shift, Contact.shift_date == day)
            .order_by(Contact.started_at.desc(), Contact.id.desc())
            .limit(limit)
        )
        return [
            ContactRow(
                id=c.id,
                started_at=from_db(c.started_at),
                contact_type=c.contact_type,
                channel=c.channel,
                crisis_level=c.crisis_level,
                duration_min=c.duration_min,
                staff=getattr(c, "creator").username,  # noqa: B009 - join alias
                anonymous=c.anonymous,
                # Every row is of the current shift.
                editable=permissions.may_edit_contact(
                    role,
                    locked=bool(c.locked),
                    own=c.created_by_id == session.user_id,
                    this_shift=True,
                ),
            )
            for c in query
        ]
