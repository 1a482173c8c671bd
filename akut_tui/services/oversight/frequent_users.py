"""Frequent users: identified persons with the most crisis contacts in a window (issue 18 §4).

The list counts crisis contacts (``contact_type = krise``), as the export's
``contacts_per_person`` table does. Showing the list is audited once; opening a
person is audited as a read of that person (:func:`person_history`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import peewee as pw

from akut_tui.core.clock import format_date, zone
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.contacts.persons import person_label
from akut_tui.services.oversight.dto import FrequentList, FrequentUser, PersonContact, PersonHistory
from akut_tui.services.oversight.quality_checks import tuples
from db.models import Contact, Person, Stay, StayNight
from db.utctime import aware_utc, stored_utc
from db.value_lists import codes as list_codes

WINDOWS: tuple[int, ...] = (30, 90, 365)
"""The windows offered, in days (30 days, 90 days, a year)."""
TOP = 50
"""At most this many persons are listed."""
LEVELS = ("ikke_krise", "let", "middel", "alvorlig")
"""Crisis levels, mildest first (the sparkline's order)."""
NOT_ASSESSED = "ikke_vurderet"
CRISIS = "krise"


def level_code(level: object) -> str:
    """The stored level as a code, anything else as ``ikke_vurderet`` (like the export)."""
    return str(level) if level in LEVELS else NOT_ASSESSED


def window_start(rt: Runtime, days: int) -> date:
    """The first local date of a window of ``days`` days ending today."""
    if days not in WINDOWS:
        raise ValidationError("Vælg 30 dage, 90 dage eller et år.", "window")
    return rt.today() - timedelta(days=days - 1)


def _utc_start(rt: Runtime, first: date) -> datetime:
    return stored_utc(datetime.combine(first, time(0), tzinfo=zone(rt.config.site.timezone)))


def _aware(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return aware_utc(moment)


def _attention(person: Any, today: date) -> tuple[bool, str]:
    until = person.special_attention_until
    active = bool(person.special_attention) and (until is None or until >= today)
    return active, (person.special_attention_plan or "") if active else ""


def frequent_users(rt: Runtime, session: SignedInUser, days: int) -> FrequentList:
    """The persons with the most crisis contacts in the last ``days`` days, most first.

    Coordinators and leaders only (checked against the database). Ties go to
    the person seen most recently.
    """
    first = window_start(rt, days)
    lo = _utc_start(rt, first)
    today = rt.today()
    in_window = (
        (Contact.started_at >= lo)
        & (Contact.contact_type == CRISIS)
        & Contact.person.is_null(False)
    )
    with write_transaction():
        require(session, "frequent_users.view")
        top = tuples(
            Contact.select(Contact.person, pw.fn.COUNT(Contact.id), pw.fn.MAX(Contact.started_at))
            .where(in_window)
            .group_by(Contact.person)
            .order_by(pw.fn.COUNT(Contact.id).desc(), pw.fn.MAX(Contact.started_at).desc())
            .limit(TOP)
        )
        ids = [int(pid) for pid, _n, _last in top]
        persons = {p.id: p for p in Person.select().where(Person.id.in_(ids))} if ids else {}
        channels: dict[int, Counter[str]] = defaultdict(Counter)
        levels: dict[int, list[str]] = defaultdict(list)
        if ids:
            query = (
                Contact.select(Contact.person, Contact.channel, Contact.crisis_level)
                .where(in_window, Contact.person.in_(ids))
                .order_by(Contact.started_at, Contact.id)
            )
            for pid, channel, level in tuples(query):
                channels[pid][str(channel)] += 1
                levels[pid].append(level_code(level))
        nights = _nights(ids, first, today)
        rows = []
        for pid, count, last in top:
            person = persons[int(pid)]
            active, plan = _attention(person, today)
            rows.append(
                FrequentUser(
                    id=int(pid),
                    label=person_label(
                        person.id, person.nickname, person.cpr_plain, person.cpr_key
                    ),
                    contacts=int(count),
                    by_channel=tuple((c, channels[pid][c]) for c in list_codes("channel")),
                    levels=tuple(levels[pid]),
                    nights=nights.get(int(pid), 0),
                    last_contact=_aware(last),
                    attention=active,
                    plan=plan,
                )
            )
        audit.record(
            rt, "frequent_users.list", actor=session, object_type="frequent_users", object_id=days
        )
    return FrequentList(days, format_date(first), tuple(rows))


def _nights(ids: list[int], first: date, last: date) -> dict[int, int]:
    """Bed-nights per person in [first, last]; reservations not checked in do not count."""
    if not ids:
        return {}
    query = (
        StayNight.select(Stay.person, pw.fn.COUNT(StayNight.id))
        .join(Stay)
        .where(
            Stay.person.in_(ids),
            Stay.reserved == False,  # noqa: E712 - SQL comparison
            StayNight.night_date.between(first, last),
        )
        .group_by(Stay.person)
    )
    return {int(pid): int(n) for pid, n in tuples(query)}


def person_history(rt: Runtime, session: SignedInUser, person_id: int) -> PersonHistory:
    """Every contact of one person in date order, codes only; audited as a read of the person."""
    today = rt.today()
    with write_transaction():
        require(session, "frequent_users.view")
        person = Person.get_or_none(Person.id == person_id)
        if person is None:
            raise NotFound("Borgeren findes ikke.")
        query = (
            Contact.select(
                Contact.id,
                Contact.started_at,
                Contact.shift,
                Contact.contact_type,
                Contact.channel,
                Contact.caller,
                Contact.crisis_level,
                Contact.home_municipality,
            )
            .where(Contact.person == person.id)
            .order_by(Contact.started_at, Contact.id)
        )
        contacts = tuple(
            PersonContact(
                id=int(cid),
                started_at=_aware(started),
                shift=str(shift),
                contact_type=str(kind),
                channel=str(channel),
                caller=str(caller),
                crisis_level=level_code(level) if kind == CRISIS else "",
                municipality=str(municipality),
            )
            for cid, started, shift, kind, channel, caller, level, municipality in tuples(query)
        )
        active, plan = _attention(person, today)
        audit.record_person(rt, "frequent_users.open", session, person.id)
    return PersonHistory(
        person_id=person.id,
        label=person_label(person.id, person.nickname, person.cpr_plain, person.cpr_key),
        attention=active,
        plan=plan,
        contacts=contacts,
    )
