"""Which person a contact is about: find or create one by CPR or nickname, follow merges.

Used inside the callers' transactions (saving a contact, the repeat look-up);
nothing here opens a transaction, checks a role or writes an audit row itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from akut_tui.core.cpr import CprNumber, is_masked, pseudonym
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import NON_DATA_TYPES
from akut_tui.services.contacts.prepare import PreparedContact
from db.models import Person
from db.queries import fold, folded


def resolve_person(
    rt: Runtime, prepared: PreparedContact, existing: Person | None
) -> tuple[Person | None, str]:
    """Find or create the person; return (person, cpr_status). Runs in the write transaction."""
    form = prepared.answers
    retention = timedelta(days=rt.config.retention.plain_cpr_days)
    now = rt.now()
    if form.contact_type in NON_DATA_TYPES or form.identity == "anonym":
        return None, "anonym" if form.identity == "anonym" else "ikke_relevant"
    if form.identity == "cpr" and existing is not None and is_masked(form.cpr_text):
        return follow_merge(existing), "oplyst"
    if prepared.cpr is not None:
        expires = prepared.moment.date() + retention
        return person_for_cpr(rt, prepared.cpr, expires, now), "oplyst"
    status = "afvist" if form.identity == "cpr" and form.cpr_declined else "ikke_relevant"
    nickname = prepared.nickname
    if not nickname:
        return None, status
    person = person_for_nickname(nickname, prepared.birth_year)
    if person is None:
        person = Person.create(
            nickname=nickname,
            birth_year=prepared.birth_year,
            gender=prepared.gender,
            created_at=now,
            last_seen_at=now,
        )
    return person, status


def follow_merge(person: Person) -> Person:
    """Return the person that ``person`` was (perhaps repeatedly) merged into."""
    seen = set()
    while person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        person = Person.get_by_id(person.merged_into_id)
    return person


def person_by_cpr(rt: Runtime, cpr: CprNumber) -> Person | None:
    """Return the (merged-into) person with this CPR number, or ``None``."""
    found = Person.get_or_none(Person.cpr_key == pseudonym(cpr.digits, rt.keys.pseudonym))
    return follow_merge(found) if found else None


def person_for_cpr(rt: Runtime, cpr: CprNumber, expires: date, now: datetime) -> Person:
    """Return the person with this CPR, created if new; the plain CPR is kept until ``expires``."""
    person = person_by_cpr(rt, cpr)
    if person is None:
        return Person.create(
            cpr_key=pseudonym(cpr.digits, rt.keys.pseudonym),
            cpr_plain=cpr.digits,
            cpr_plain_expires=expires,
            birth_year=cpr.birth_date.year,
            gender=cpr.gender,
            created_at=now,
            last_seen_at=now,
        )
    keep_until = max(expires, person.cpr_plain_expires or expires)
    Person.update(cpr_plain=cpr.digits, cpr_plain_expires=keep_until, last_seen_at=now).where(
        Person.id == person.id
    ).execute()
    return Person.get_by_id(person.id)


def _nickname_equals(nickname: str) -> Any:
    """Case-insensitive equality, for every alphabet ("Øjvind" == "øjvind")."""
    return folded(Person.nickname) == fold(nickname)


def person_for_nickname(nickname: str, birth_year: int | None) -> Person | None:
    """Return the one unmerged person with this nickname (and birth year), or ``None``.

    A person with the nickname but no birth year yet takes the given year when
    it is the only candidate.
    """
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
