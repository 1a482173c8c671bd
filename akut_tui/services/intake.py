"""Contact registration: save and edit contacts, drafts, repeat recognition.

Rules enforced here, whatever the UI does: roles and edit windows, CPR
validation and pseudonymisation, crisis plan only in person, no future times,
follow-up due dates, note expiry. Every read or change of personal data is
audited in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, cast

from akut_tui.clock import format_date, from_db, local, shift_of, to_db
from akut_tui.contact_summary import summarise
from akut_tui.cpr import CprNumber, pseudonym
from akut_tui.errors import AkutError, NotFound, PermissionDenied, ValidationError
from akut_tui.sanitize import clean_text
from akut_tui.services import audit
from akut_tui.services.auth import require
from akut_tui.services.contact_input import (
    NON_DATA_TYPES,
    ContactInput,
    Derived,
    clean_nickname,
    cpr_prompt_reasons,
    validate,
)
from akut_tui.services.dto import ContactRow, DraftInfo, RepeatInfo, SavedContact, SessionInfo
from akut_tui.services.runtime import Runtime
from db.database import checkpoint_after_delete, connection, write_transaction
from db.models import (
    Contact,
    ContactDraft,
    ContactValue,
    FollowUp,
    Person,
    Stay,
    User,
    ValueItem,
)
from db.queries import fold, folded

FOLLOWUP_DAYS = 14
MULTI_LISTS = {
    "symptoms": "symptom",
    "events": "event",
    "actions": "action",
    "escalations": "escalation",
}
MASK_SUFFIX = "-XXXX"


class FormErrors(AkutError):
    """Several field errors at once; ``str()`` is the first message."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(str(errors[0]) if errors else "Ugyldige felter.")
        self.errors = errors


def _codes() -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    query = ValueItem.select(ValueItem.list_name, ValueItem.code).tuples()
    for list_name, code in cast(Iterable[tuple[str, str]], query):
        codes.setdefault(list_name, []).append(code)
    return codes


def _current_shift(rt: Runtime) -> tuple[str, date]:
    cfg = rt.config
    return shift_of(rt.now(), cfg.shifts, cfg.site.timezone)


def _may_edit(rt: Runtime, session: SessionInfo, contact: Contact) -> bool:
    role = require(session, "contact.view_shift")
    if contact.locked:
        return role == "leder"
    if role in ("koordinator", "leder"):
        return True
    shift, day = _current_shift(rt)
    return (
        contact.created_by_id == session.user_id
        and contact.shift == shift
        and contact.shift_date == day
    )


def _resolve_person(
    rt: Runtime, form: ContactInput, derived: Derived, today: date, existing: Person | None
) -> tuple[Person | None, str]:
    """Find or create the person; return (person, cpr_status). Runs in the write transaction."""
    retention = timedelta(days=rt.config.retention.plain_cpr_days)
    now = to_db(rt.now())
    if form.contact_type in NON_DATA_TYPES or form.identity == "anonym":
        return None, "anonym" if form.identity == "anonym" else "ikke_relevant"
    if form.identity == "cpr" and existing is not None and form.cpr_text.endswith(MASK_SUFFIX):
        return _follow_merge(existing), "oplyst"
    if derived.cpr is not None:
        return _person_for_cpr(rt, derived.cpr, today + retention, now), "oplyst"
    status = "afvist" if form.identity == "cpr" and form.cpr_declined else "ikke_relevant"
    nickname = clean_nickname(form.nickname)
    if not nickname:
        return None, status
    person = _person_for_nickname(nickname, derived.birth_year)
    if person is None:
        person = Person.create(
            nickname=nickname,
            birth_year=derived.birth_year,
            gender=derived.gender,
            created_at=now,
            last_seen_at=now,
        )
    return person, status


def _masked(person: Person) -> str:
    """Return the CPR as load_contact shows it: ``DDMMYY-XXXX`` (``XXXXXX-XXXX`` once expired)."""
    return (person.cpr_plain[:6] if person.cpr_plain else "XXXXXX") + MASK_SUFFIX


def _follow_merge(person: Person) -> Person:
    seen = set()
    while person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        person = Person.get_by_id(person.merged_into_id)
    return person


def _person_for_cpr(rt: Runtime, cpr: CprNumber, expires: date, now: datetime) -> Person:
    key = pseudonym(cpr.digits, rt.keys.pseudonym)
    person = Person.get_or_none(Person.cpr_key == key)
    if person is None:
        return Person.create(
            cpr_key=key,
            cpr_plain=cpr.digits,
            cpr_plain_expires=expires,
            birth_year=cpr.birth_date.year,
            gender=cpr.gender,
            created_at=now,
            last_seen_at=now,
        )
    person = _follow_merge(person)
    keep_until = max(expires, person.cpr_plain_expires or expires)
    Person.update(cpr_plain=cpr.digits, cpr_plain_expires=keep_until, last_seen_at=now).where(
        Person.id == person.id
    ).execute()
    return Person.get_by_id(person.id)


def _nickname_equals(nickname: str) -> Any:
    """Case-insensitive equality, for every alphabet ("Øjvind" == "øjvind")."""
    return folded(Person.nickname) == fold(nickname)


def _person_for_nickname(nickname: str, birth_year: int | None) -> Person | None:
    candidates = list(
        Person.select().where(_nickname_equals(nickname), Person.merged_into.is_null())
    )
    if birth_year is not None:
        exact = [p for p in candidates if p.birth_year == birth_year]
        if exact:
            return exact[0]
        open_year = [p for p in candidates if p.birth_year is None]
        if len(open_year) == 1:
            Person.update(birth_year=birth_year).where(Person.id == open_year[0].id).execute()
            return open_year[0]
        return None
    return candidates[0] if len(candidates) == 1 else None


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
        form = replace(form, home_municipality=rt.config.site.municipality)
    with write_transaction():
        existing: Contact | None = None
        if contact_id is None:
            require(session, "contact.create")
        else:
            existing = Contact.get_or_none(Contact.id == contact_id)
            if existing is None:
                raise NotFound("Henvendelsen findes ikke.")
            if not _may_edit(rt, session, existing):
                raise PermissionDenied(
                    "Du kan kun rette dine egne henvendelser i den vagt, de er registreret."
                )
        derived, errors = validate(form, moment=moment, now=local(now, tz), lists=_codes())
        prior_person = existing.person if existing is not None and existing.person_id else None
        # The masked CPR that load_contact showed stands for the contact's own
        # CPR person; any other "-XXXX" text is an invalid CPR like any other.
        keep_cpr = (
            prior_person is not None
            and prior_person.cpr_key is not None
            and form.identity == "cpr"
            and not form.cpr_declined
            and form.cpr_text.strip() == _masked(prior_person)
        )
        if keep_cpr:
            errors = [e for e in errors if e.field != "cpr_text"]
        if errors:
            raise FormErrors(errors)
        person, cpr_status = _resolve_person(
            rt, form, derived, moment.date(), prior_person if keep_cpr else None
        )
        shift, shift_date = shift_of(moment, rt.config.shifts, tz)
        note = clean_text(form.note, multiline=True).strip() or None
        values = {
            "started_at": to_db(moment),
            "shift": shift,
            "shift_date": shift_date,
            "contact_type": form.contact_type,
            "channel": form.channel,
            "caller": form.caller,
            "partner_type": form.partner_type if form.caller == "samarbejdspartner" else None,
            "anonymous": person is None and cpr_status == "anonym",
            "person": person,
            "cpr_status": cpr_status,
            "home_municipality": form.home_municipality,
            "housing": form.housing,
            "gender": derived.gender,
            "age_band": derived.age_band,
            "crisis_level": form.crisis_level or None,
            "crisis_conversation": form.crisis_conversation,
            "crisis_plan": form.crisis_plan,
            "progression_goal": form.progression_goal,
            "followup_wanted": form.followup_wanted,
            "duration_min": derived.duration,
            "coordination_needed": form.coordination_needed,
            "stabilisation": form.stabilisation or None,
            "turned_away": form.turned_away or None,
            "referred_to": form.referred_to or None,
            "under18_notified": form.under18_notified,
            "flag_suicidal": form.flag_suicidal,
            "flag_self_harm": form.flag_self_harm,
            "flag_influence": form.flag_influence,
            "flag_threatening": form.flag_threatening,
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
        contact = Contact.get_or_none(Contact.id == contact_id)
        if contact is None:
            raise NotFound("Henvendelsen findes ikke.")
        if not _may_edit(rt, session, contact):
            raise PermissionDenied(
                "Du kan kun åbne dine egne henvendelser i den vagt, de er registreret."
            )
        values: dict[str, list[str]] = {name: [] for name in MULTI_LISTS}
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
                cpr_text = _masked(person)
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
            started_at=from_db(contact.started_at),
            contact_type=contact.contact_type,
            channel=contact.channel,
            caller=contact.caller,
            partner_type=contact.partner_type or "",
            identity=identity,
            cpr_text=cpr_text,
            cpr_declined=contact.cpr_status == "afvist",
            nickname=nickname,
            birth_year=birth_year,
            gender=contact.gender,
            age_band=contact.age_band,
            home_municipality=contact.home_municipality,
            housing=contact.housing,
            crisis_level=contact.crisis_level or "",
            flag_suicidal=contact.flag_suicidal,
            flag_self_harm=contact.flag_self_harm,
            flag_influence=contact.flag_influence,
            flag_threatening=contact.flag_threatening,
            symptoms=values["symptoms"],
            events=values["events"],
            actions=values["actions"],
            escalations=values["escalations"],
            stabilisation=contact.stabilisation or "",
            crisis_conversation=contact.crisis_conversation,
            crisis_plan=contact.crisis_plan,
            progression_goal=contact.progression_goal,
            followup_wanted=contact.followup_wanted,
            followup_phone=phone,
            duration_min="" if contact.duration_min is None else str(contact.duration_min),
            coordination_needed=contact.coordination_needed,
            turned_away=contact.turned_away or "",
            referred_to=contact.referred_to or "",
            under18_notified=contact.under18_notified,
            # Text stored before input was refused (issue 11) may hold control
            # characters; the form gets it cleaned so it can be saved again.
            note=clean_text(contact.note or "", multiline=True),
        )


def shift_contacts(rt: Runtime, session: SessionInfo, limit: int = 200) -> list[ContactRow]:
    """Return the current shift's contacts, newest first."""
    shift, day = _current_shift(rt)
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
        rows = []
        for c in query:
            editable = (not c.locked or role == "leder") and (
                role != "medarbejder" or c.created_by_id == session.user_id
            )
            rows.append(
                ContactRow(
                    id=c.id,
                    started_at=from_db(c.started_at),
                    contact_type=c.contact_type,
                    channel=c.channel,
                    crisis_level=c.crisis_level,
                    duration_min=c.duration_min,
                    staff=getattr(c, "creator").username,  # noqa: B009 - join alias
                    anonymous=c.anonymous,
                    editable=editable,
                )
            )
        return rows


def lookup_repeat(
    rt: Runtime, session: SessionInfo, form: ContactInput, exclude_contact: int | None = None
) -> RepeatInfo | None:
    """Recognise an earlier person by CPR or nickname (+ birth year); audited when found."""
    moment = local(form.started_at or rt.now(), rt.config.site.timezone)
    person: Person | None = None
    with write_transaction():
        require(session, "person.search")
        if form.identity == "cpr" and form.cpr_text.strip() and not form.cpr_declined:
            derived, errors = validate(
                replace(form, duration_min="", followup_phone=""),
                moment=moment,
                now=moment,
                lists=_codes(),
            )
            if derived.cpr is None:
                return None
            found = Person.get_or_none(
                Person.cpr_key == pseudonym(derived.cpr.digits, rt.keys.pseudonym)
            )
            person = _follow_merge(found) if found else None
        elif form.identity == "pseudonym" and form.nickname.strip():
            year_text = form.birth_year.strip()
            year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
            # Cleaned and cut exactly as save_contact stores it.
            nickname = clean_nickname(form.nickname)
            person = _person_for_nickname(nickname, year)
        if person is None:
            return None
        contacts = Contact.select().where(Contact.person == person.id)
        if exclude_contact is not None:
            contacts = contacts.where(Contact.id != exclude_contact)
        count = contacts.count()
        last = contacts.order_by(Contact.started_at.desc()).first()
        active_stay = (
            Stay.select().where(Stay.person == person.id, Stay.checked_out_at.is_null()).exists()
        )
        open_followup = (
            FollowUp.select()
            .where(FollowUp.person == person.id, FollowUp.done_at.is_null())
            .exists()
        )
        until = None
        if person.special_attention and (
            person.special_attention_until is None
            or person.special_attention_until >= moment.date()
        ):
            until = (
                format_date(person.special_attention_until)
                if person.special_attention_until
                else "indtil videre"
            )
        audit.record(
            rt,
            "person.lookup",
            actor=session,
            object_type="person",
            object_id=person.id,
            person_ref=person.id,
        )
        return RepeatInfo(
            person_id=person.id,
            earlier_contacts=count,
            last_contact=from_db(last.started_at) if last else None,
            last_level=last.crisis_level if last else None,
            active_stay=active_stay,
            open_followup=open_followup,
            special_attention_until=until,
        )


# --- drafts -----------------------------------------------------------------------


def save_draft(
    rt: Runtime,
    session: SessionInfo,
    form: ContactInput,
    *,
    draft_id: int | None = None,
    contact_id: int | None = None,
) -> int:
    """Store the form as typed so far; returns the draft id."""
    now = rt.now()
    shift, day = _current_shift(rt)
    # ASCII escapes: a lone surrogate (kept as typed) cannot be encoded as UTF-8.
    data = json.dumps(form.to_json(), ensure_ascii=True)
    with write_transaction():
        require(session, "contact.create")
        if draft_id is not None:
            updated = (
                ContactDraft.update(data=data, updated_at=to_db(now))
                .where(ContactDraft.id == draft_id, ContactDraft.user == session.user_id)
                .execute()
            )
            if updated:
                return draft_id
        draft = ContactDraft.create(
            user=session.user_id,
            contact=contact_id,
            created_at=to_db(now),
            updated_at=to_db(now),
            shift=shift,
            shift_date=day,
            data=data,
        )
        audit.record(rt, "draft.create", actor=session, object_type="draft", object_id=draft.id)
        return int(draft.id)


def list_drafts(rt: Runtime, session: SessionInfo) -> list[DraftInfo]:
    """Return the user's unfinished registrations, newest first."""
    shift, day = _current_shift(rt)
    tz = rt.config.site.timezone
    with connection():
        require(session, "contact.create")
        result = []
        for d in (
            ContactDraft.select()
            .where(ContactDraft.user == session.user_id)
            .order_by(ContactDraft.updated_at.desc())
        ):
            form = ContactInput.from_json(json.loads(d.data))
            result.append(
                DraftInfo(
                    id=d.id,
                    updated_at=from_db(d.updated_at),
                    shift=d.shift,
                    shift_date=format_date(d.shift_date),
                    summary=summarise(form, tz),
                    stale=(d.shift, d.shift_date) != (shift, day),
                    contact_id=d.contact_id,
                )
            )
        return result


def load_draft(rt: Runtime, session: SessionInfo, draft_id: int) -> tuple[ContactInput, int | None]:
    """Return a draft's form data and the contact it edits (if any); audited."""
    with write_transaction():
        require(session, "contact.create")
        draft = ContactDraft.get_or_none(
            ContactDraft.id == draft_id, ContactDraft.user == session.user_id
        )
        if draft is None:
            raise NotFound("Kladden findes ikke.")
        audit.record(rt, "draft.resume", actor=session, object_type="draft", object_id=draft_id)
        return ContactInput.from_json(json.loads(draft.data)), draft.contact_id


def discard_draft(rt: Runtime, session: SessionInfo, draft_id: int) -> None:
    """Delete one of the user's drafts; audited."""
    with write_transaction():
        require(session, "contact.create")
        deleted = (
            ContactDraft.delete()
            .where(ContactDraft.id == draft_id, ContactDraft.user == session.user_id)
            .execute()
        )
        if deleted:
            audit.record(
                rt, "draft.discard", actor=session, object_type="draft", object_id=draft_id
            )
    if deleted:
        checkpoint_after_delete()
