"""Contacts: save a new or edited contact, load one back into the form, list the shift's.

Rules enforced here, whatever the UI does: roles and edit windows (from
:mod:`akut_tui.core.permissions`), CPR validation and pseudonymisation, crisis plan
only in person, no future times, follow-up due dates, note expiry. Every read
or change of personal data is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, cast

from akut_tui.core import permissions
from akut_tui.core.clock import format_date
from akut_tui.core.cpr import mask_cpr
from akut_tui.core.errors import NotFound, PermissionDenied
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import ContactRow, SavedContact, SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import checkpoint_after_delete, connection, write_transaction
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.person_match import resolve_person
from akut_tui.services.contacts.prepare import MULTI_LISTS, FormErrors, PreparedContact, prepare
from db.models import Contact, ContactDraft, ContactValue, FollowUp, Person, User

__all__ = ["FormErrors", "load_contact", "save_contact", "shift_contacts"]

FOLLOWUP_DAYS = 14
EDIT_REFUSED = "Du kan kun {verb} dine egne henvendelser i den vagt, de er registreret."


def _may_edit(rt: Runtime, session: SignedInUser, contact: Contact) -> bool:
    role = require(session, "contact.view_shift")
    return permissions.may_edit_contact(
        role,
        locked=bool(contact.locked),
        own=contact.created_by_id == session.user_id,
        this_shift=(contact.shift, contact.shift_date) == rt.current_shift(),
    )


def _editable(rt: Runtime, session: SignedInUser, contact_id: int, verb: str) -> Contact:
    """Return the contact if the session's user may edit it; raise otherwise."""
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFound("Henvendelsen findes ikke.")
    if not _may_edit(rt, session, contact):
        raise PermissionDenied(EDIT_REFUSED.format(verb=verb))
    return contact


def save_contact(
    rt: Runtime,
    session: SignedInUser,
    form: ContactInput,
    *,
    contact_id: int | None = None,
    draft_id: int | None = None,
) -> SavedContact:
    """Validate and store a contact (new, or an edit of ``contact_id``).

    Raises :class:`FormErrors` listing every invalid field; nothing is stored then.
    """
    now = rt.now()
    with write_transaction():
        existing: Contact | None = None
        if contact_id is None:
            require(session, "contact.create")
        else:
            existing = _editable(rt, session, contact_id, "rette")
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
        prepared = prepare(rt, form, lists=codes_by_list(), now=now, kept_cpr=keep_cpr)
        person, cpr_status = resolve_person(rt, prepared, prior_person if keep_cpr else None)
        person_id = int(person.id) if person is not None else None
        if existing is None:
            saved_id = contact_columns.insert(
                prepared,
                person_id=person_id,
                cpr_status=cpr_status,
                created_by=session.user_id,
                created_at=now,
            )
        else:
            saved_id = int(existing.id)
            contact_columns.update(
                saved_id,
                prepared,
                person_id=person_id,
                cpr_status=cpr_status,
                updated_by=session.user_id,
                updated_at=now,
            )
        due = _ensure_followup(saved_id, person_id, prepared)
        if person is not None:
            Person.update(last_seen_at=now).where(Person.id == person.id).execute()
        if draft_id is not None:
            ContactDraft.delete().where(
                ContactDraft.id == draft_id, ContactDraft.user == session.user_id
            ).execute()
        audit.record(
            rt,
            "contact.create" if existing is None else "contact.update",
            actor=session,
            object_type="contact",
            object_id=saved_id,
            person_ref=person_id or "",
        )
        known_before = person is not None and (
            Contact.select().where(Contact.person == person.id, Contact.id != saved_id).exists()
        )
    if draft_id is not None:
        checkpoint_after_delete()  # the draft's text leaves the -wal file too
    answers = prepared.answers
    return SavedContact(
        id=saved_id,
        created=existing is None,
        contact_type=answers.contact_type,
        crisis_level=answers.crisis_level or None,
        duration_min=prepared.duration,
        person_id=person_id,
        under_18=prepared.under_18,
        cpr_reasons=prepared.cpr_reasons_known if known_before else prepared.cpr_reasons,
        followup_due=format_date(due) if due else None,
    )


def _ensure_followup(
    contact_id: int, person_id: int | None, prepared: PreparedContact
) -> date | None:
    open_one = FollowUp.get_or_none(FollowUp.contact == contact_id)
    if not prepared.answers.followup_wanted:
        if open_one is not None and open_one.done_at is None:
            open_one.delete_instance()
        return None
    due = prepared.moment.date() + timedelta(days=FOLLOWUP_DAYS)
    if open_one is None:
        FollowUp.create(contact=contact_id, person=person_id, due_date=due, phone=prepared.phone)
    elif open_one.done_at is None:
        FollowUp.update(due_date=due, phone=prepared.phone, person=person_id).where(
            FollowUp.id == open_one.id
        ).execute()
    return due


def load_contact(rt: Runtime, session: SignedInUser, contact_id: int) -> ContactInput:
    """Return a saved contact as form data for editing (CPR masked); audited."""
    with write_transaction():
        contact = _editable(rt, session, contact_id, "åbne")
        values: dict[str, Any] = {name: [] for name in MULTI_LISTS}
        reverse = {v: k for k, v in MULTI_LISTS.items()}
        picks = (
            ContactValue.select(
                ContactValue.list_name,
                ContactValue.code,
                ContactValue.consent,
                ContactValue.made_by,
            )
            .where(ContactValue.contact == contact.id)
            .order_by(ContactValue.id)
            .tuples()
        )
        values["referral_consent"], values["referral_made_by"] = {}, {}
        for list_name, code, consent, made_by in cast(Iterable[tuple[str, ...]], picks):
            values[reverse[list_name]].append(code)
            if consent:
                values["referral_consent"][code] = consent
            if made_by:
                values["referral_made_by"][code] = made_by
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
            **contact_columns.form_fields(contact),
            **values,
            started_at=contact.started_at,
            identity=identity,
            cpr_text=cpr_text,
            cpr_declined=contact.cpr_status == "afvist",
            nickname=nickname,
            birth_year=birth_year,
            followup_phone=phone,
            # Text stored before input was refused (issue 11) may hold control
            # characters; the form gets it cleaned so it can be saved again.
            note=clean_text(contact.note or "", multiline=True),
        )


def shift_contacts(rt: Runtime, session: SignedInUser, limit: int = 200) -> list[ContactRow]:
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
                started_at=c.started_at,
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
