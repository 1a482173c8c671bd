"""Person search, repeat look-up, merge, CPR reveal and the special-attention flag.

Persons are pseudonymous: lists show a nickname or a masked CPR, never the
full number. Revealing a CPR is a separate, role-checked and audited call.
Every call is audited in its own transaction, and audit rows never hold the
search text or a CPR.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from peewee import JOIN, fn

from akut_tui.core.clock import format_date, local
from akut_tui.core.cpr import CprError, contains_cpr, mask_cpr, parse_cpr, pseudonym, redact_cpr
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require, verify_session_password
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import PersonRow, RepeatInfo, SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts.form import ContactInput, clean_nickname
from akut_tui.services.contacts.person_match import person_by_cpr, person_for_nickname
from akut_tui.services.contacts.prepare import validate
from db.models import Contact, FollowUp, Person, Stay
from db.queries import fold, folded

SEARCH_LIMIT = 50
"""At most this many persons are returned by one search."""

_CPR_LIKE = re.compile(r"\s*\d{6}[- ]?\d{4}\s*")


def person_label(
    person_id: int | None,
    nickname: str | None,
    cpr_plain: str | None,
    cpr_key: str | None,
) -> str:
    """Return how a person is shown in lists: nickname, masked CPR or "Anonym".

    Never returns a full CPR number.
    """
    if person_id is None:
        return "Anonym"
    if nickname:
        return redact_cpr(clean_text(nickname, max_length=60))
    if cpr_plain or cpr_key:
        return mask_cpr(cpr_plain)
    return f"Borger nr. {person_id}"


PLAN_MAX = 12
"""The longest plan reference (a code, not a description)."""
_PLAN = re.compile(r"[A-Za-z0-9ÆØÅæøå./-]+")


def plan_reference(text: str) -> str | None:
    """A cleaned plan reference (``SP-12``), ``None`` if empty; refuses free text and CPR."""
    plan = clean_text(text, max_length=100).strip()
    if not plan:
        return None
    if contains_cpr(plan):
        raise ValidationError(
            "Planhenvisningen ligner et CPR-nummer. Skriv kun planens kode.", "plan"
        )
    if len(plan) > PLAN_MAX or not _PLAN.fullmatch(plan):
        raise ValidationError(
            f"Planhenvisningen er en kort kode (højst {PLAN_MAX} tegn: bogstaver, tal, - . /), "
            "ikke en beskrivelse.",
            "plan",
        )
    return plan


def _attention_active(flag: bool, until: date | None, today: date) -> bool:
    return bool(flag) and (until is None or until >= today)


def _as_datetime(value: Any) -> datetime | None:
    """Turn an aggregate's value (a datetime, or text on SQLite) into aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        moment: datetime = Contact.started_at.python_value(value)  # the stored-UTC field's reading
        return moment
    return None


def _rows(query: Any, today: date) -> list[PersonRow]:
    contacts = fn.COUNT(Contact.id)
    last = fn.MAX(Contact.started_at)
    select = (
        query.select(
            Person.id,
            Person.nickname,
            Person.cpr_plain,
            Person.cpr_key,
            Person.birth_year,
            Person.special_attention,
            Person.special_attention_until,
            contacts.alias("contacts"),
            last.alias("last_contact"),
        )
        .join(Contact, JOIN.LEFT_OUTER, on=(Contact.person == Person.id))
        .group_by(Person.id)
        .order_by(Person.last_seen_at.desc(nulls="LAST"), Person.id.desc())
        .limit(SEARCH_LIMIT)
        .tuples()
    )
    rows = []
    for pid, nickname, plain, key, year, flag, until, count, last_at in select:
        rows.append(
            PersonRow(
                id=int(pid),
                label=person_label(pid, nickname, plain, key),
                birth_year=year,
                contacts=int(count or 0),
                last_contact=_as_datetime(last_at),
                special_attention=_attention_active(flag, until, today),
            )
        )
    return rows


def _nickname_matches(fragment: str) -> Any:
    """A case-insensitive "contains" on the nickname, for every alphabet; % and _ literal."""
    return folded(Person.nickname).contains(fold(fragment))


def _person_row(person_id: int, today: date) -> PersonRow:
    rows = _rows(Person.select().where(Person.id == person_id), today)
    if not rows:
        raise NotFound("Borgeren findes ikke.")
    return rows[0]


def _get_person(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise NotFound("Borgeren findes ikke.")
    return person


def search_persons(rt: Runtime, session: SignedInUser, text: str) -> list[PersonRow]:
    """Find persons by CPR (exact, via the keyed pseudonym) or by a nickname fragment.

    An empty text lists the most recently seen persons. Merged persons are
    left out. One audit event per search; the search text is not recorded.
    """
    today = rt.today()
    text = clean_text(text, max_length=100).strip()
    kind = "alle"
    query = Person.select().where(Person.merged_into.is_null())
    if _CPR_LIKE.fullmatch(text):
        try:
            cpr = parse_cpr(text, today)
        except CprError as exc:
            raise ValidationError(str(exc), "search") from None
        kind = "cpr"
        query = query.where(Person.cpr_key == pseudonym(cpr.digits, rt.keys.pseudonym))
    elif text:
        kind = "kaldenavn"
    with write_transaction():
        require(session, "person.search")
        if kind == "kaldenavn":
            query = query.where(_nickname_matches(text))
        rows = _rows(query, today)
        audit.record(
            rt, "person.search", actor=session, object_type="person_search", object_id=kind
        )
    return rows


def merge_persons(rt: Runtime, session: SignedInUser, keep_id: int, merge_id: int) -> PersonRow:
    """Merge person ``merge_id`` into ``keep_id``; returns the kept person.

    Contacts, follow-ups and stays move to the kept person. A CPR moves only
    when the kept person has none; two different CPR numbers are refused.
    """
    if keep_id == merge_id:
        raise ValidationError("En borger kan ikke lægges sammen med sig selv.")
    today = rt.today()
    with write_transaction():
        require(session, "person.merge")
        keep, merged = _get_person(keep_id), _get_person(merge_id)
        if keep.merged_into_id is not None or merged.merged_into_id is not None:
            raise ValidationError("Borgeren er allerede lagt sammen med en anden borger.")
        if keep.cpr_key and merged.cpr_key and keep.cpr_key != merged.cpr_key:
            raise ValidationError(
                "De to borgere har forskellige CPR-numre og kan ikke lægges sammen."
            )
        Contact.update(person=keep.id).where(Contact.person == merged.id).execute()
        FollowUp.update(person=keep.id).where(FollowUp.person == merged.id).execute()
        Stay.update(person=keep.id).where(Stay.person == merged.id).execute()
        # Persons merged earlier into the merged one now point straight at the kept one.
        Person.update(merged_into=keep.id).where(Person.merged_into == merged.id).execute()

        changes: dict[str, Any] = {}
        if not keep.cpr_key and merged.cpr_key:
            # cpr_key is UNIQUE: clear it on the merged person before setting it on keep.
            Person.update(cpr_key=None, cpr_plain=None, cpr_plain_expires=None).where(
                Person.id == merged.id
            ).execute()
            changes.update(
                cpr_key=merged.cpr_key,
                cpr_plain=merged.cpr_plain,
                cpr_plain_expires=merged.cpr_plain_expires,
            )
        if not keep.nickname and merged.nickname:
            changes["nickname"] = merged.nickname
        if keep.birth_year is None and merged.birth_year is not None:
            changes["birth_year"] = merged.birth_year
        if keep.gender == "ikke_registreret" and merged.gender != "ikke_registreret":
            changes["gender"] = merged.gender
        if merged.special_attention and not _attention_active(
            keep.special_attention, keep.special_attention_until, today
        ):
            changes["special_attention"] = True
            changes["special_attention_until"] = merged.special_attention_until
        if merged.last_seen_at and (
            keep.last_seen_at is None or merged.last_seen_at > keep.last_seen_at
        ):
            changes["last_seen_at"] = merged.last_seen_at
        if changes:
            Person.update(changes).where(Person.id == keep.id).execute()
        Person.update(merged_into=keep.id).where(Person.id == merged.id).execute()
        audit.record(
            rt,
            "person.merge",
            actor=session,
            object_type="person",
            object_id=merged.id,
            person_ref=keep.id,
        )
        return _person_row(keep.id, today)


def reveal_cpr(rt: Runtime, session: SignedInUser, person_id: int, password: str) -> str:
    """Return the person's full CPR number as ``DDMMYY-NNNN``; audited.

    Showing a full CPR needs the role and the user's password again
    (re-authentication, docs/security.md row 20), so an unattended session cannot
    be used to read CPR numbers.
    """
    today = rt.today()
    with connection():
        require(session, "cpr.reveal")
    if not verify_session_password(rt, session, password, "reauth"):
        raise ValidationError("Forkert adgangskode. CPR-nummeret vises ikke.", "password")
    with write_transaction():
        require(session, "cpr.reveal")
        person = _get_person(person_id)
        expired = person.cpr_plain_expires is not None and person.cpr_plain_expires < today
        if not person.cpr_plain or expired:
            if person.cpr_key:
                raise NotFound("CPR-nummeret er ikke gemt længere; kun et pseudonym er tilbage.")
            raise NotFound("Der er ikke registreret et CPR-nummer for borgeren.")
        plain = str(person.cpr_plain)
        audit.record_person(rt, "cpr.reveal", session, person.id)
    return f"{plain[:6]}-{plain[6:]}"


def set_special_attention(
    rt: Runtime,
    session: SignedInUser,
    person_id: int,
    until: date | None,
    on: bool,
    plan: str = "",
) -> PersonRow:
    """Set or clear the special-attention flag (``until=None``: until further notice).

    ``plan`` is a short reference to the plan kept elsewhere (``SP-12``), never
    free text; clearing the flag clears it too.
    """
    today = rt.today()
    if on and until is not None and until < today:
        raise ValidationError("Datoen for særlig opmærksomhed ligger i fortiden.", "until")
    plan_ref = plan_reference(plan) if on else None
    with write_transaction():
        require(session, "person.flag")
        person = _get_person(person_id)
        if person.merged_into_id is not None:
            raise ValidationError("Borgeren er lagt sammen med en anden borger.")
        Person.update(
            special_attention=on,
            special_attention_until=until if on else None,
            special_attention_plan=plan_ref,
        ).where(Person.id == person.id).execute()
        audit.record_person(rt, "person.flag" if on else "person.unflag", session, person.id)
        return _person_row(person.id, today)


def lookup_repeat(
    rt: Runtime, session: SignedInUser, form: ContactInput, exclude_contact: int | None = None
) -> RepeatInfo | None:
    """Recognise an earlier person by CPR or nickname (+ birth year); audited when found."""
    moment = local(form.started_at or rt.now(), rt.config.site.timezone)
    person = None
    with write_transaction():
        require(session, "person.search")
        if form.identity == "cpr" and form.cpr_text.strip() and not form.cpr_declined:
            derived, _ = validate(
                replace(form, duration_min="", followup_phone=""),
                moment=moment,
                now=moment,
                lists=codes_by_list(),
            )
            if derived.cpr is None:
                return None
            person = person_by_cpr(rt, derived.cpr)
        elif form.identity == "pseudonym" and form.nickname.strip():
            year_text = form.birth_year.strip()
            year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
            # Cleaned and cut exactly as save_contact stores it.
            person = person_for_nickname(clean_nickname(form.nickname), year)
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
        if _attention_active(
            person.special_attention, person.special_attention_until, moment.date()
        ):
            until = (
                format_date(person.special_attention_until)
                if person.special_attention_until
                else "indtil videre"
            )
        audit.record_person(rt, "person.lookup", session, person.id)
        return RepeatInfo(
            person_id=person.id,
            earlier_contacts=count,
            last_contact=last.started_at if last else None,
            last_level=last.crisis_level if last else None,
            active_stay=active_stay,
            open_followup=open_followup,
            special_attention_until=until,
        )
