"""Synthetic demo data with the distributions of docs/domain.md §5 (never real people).

A demo database is marked by a ``demo.create`` audit event; :func:`is_demo`
checks for it so ``akut demo`` never writes over a real database. The data:
about four contacts a day, ministry channel 83 / 15 / 2 %, crisis levels that
are more severe by day and milder at night, about 28 / 19 / 14 minutes per
shift, five frequent users behind some 38 % of contacts, overnight stays of at
most the configured number of nights (CPR always known), unmet bed requests and
14-day follow-ups with results; night data (guests on the board now, outreach
trips, signed and unsigned handovers) comes from :mod:`akut_tui.services.demo.night`.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from akut_tui.core.clock import local, shift_of, zone
from akut_tui.core.cpr import parse_cpr, pseudonym
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts.form import EXCLUSIVE_ACTIONS, ContactInput
from akut_tui.services.contacts.prepare import PreparedContact, age_band_for, prepare
from akut_tui.services.demo import goals, referrals
from akut_tui.services.demo.night import create_night_data
from akut_tui.services.demo.shares import (
    ACTIONS,
    ESCALATIONS,
    EVENTS,
    LEVELS,
    MINUTES,
    RESULTS,
    SYMPTOMS,
)
from db.bulk import insert_plain, insert_returning_ids
from db.database import database
from db.models import (
    AuditEvent,
    Bed,
    BedRequest,
    FollowUp,
    Person,
    Stay,
    StayNight,
    User,
)

MARKER = "demo.create"
ROLES = (
    ("demo-leder", "leder"),
    ("demo-koordinator", "koordinator"),
    ("demo-medarbejder", "medarbejder"),
)
WORDS = ("blaa", "hest", "kaffe", "bro", "mose", "lampe", "vinter", "fyr", "sild", "kvist", "tog")


@dataclass(frozen=True)
class DemoResult:
    """What was created, with the demo users' passwords (shown once)."""

    contacts: int
    stays: int
    first: date
    last: date
    users: tuple[tuple[str, str, str], ...]
    """(username, role, password)."""


def is_demo() -> bool:
    """True if the open database was made by :func:`create_demo`."""
    with connection():
        if "audit_event" not in database.get_tables():
            return False
        return bool(AuditEvent.select().where(AuditEvent.action == MARKER).exists())


def demo_users() -> tuple[str, ...]:
    """The demo users' names if the open database was made by ``akut demo``, else ()."""
    if not is_demo():
        return ()
    names = {name for name, _role in ROLES}
    with connection():
        found = User.select(User.username).where(User.username.in_(names), User.active == True)  # noqa: E712
        present = {u.username for u in found}
    return tuple(name for name, _role in ROLES if name in present)


def _pick(rnd: random.Random, weighted: tuple[tuple[str, int], ...], k: int) -> list[str]:
    codes, weights = [c for c, _ in weighted], [w for _, w in weighted]
    chosen: list[str] = []
    while len(chosen) < k:
        code = rnd.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    return chosen


def _password(rnd: random.Random) -> str:
    words = [secrets.choice(WORDS) for _ in range(4)]
    return "-".join(words) + f"-{secrets.randbelow(90) + 10}"


def _persons(rt: Runtime, rnd: random.Random, until: date) -> list[dict[str, Any]]:
    """Five frequent users and 60 others; about half known by CPR (synthetic numbers)."""
    people = []
    for index in range(65):
        born = date(rnd.randint(1950, 2000), rnd.randint(1, 12), rnd.randint(1, 28))
        digits = f"{born:%d%m%y}{rnd.randint(0, 3)}{rnd.randint(0, 999):03d}"
        if index < 5 or rnd.random() < 0.45:
            cpr = parse_cpr(digits, until)
            people.append(
                {
                    "cpr_key": pseudonym(cpr.digits, rt.keys.pseudonym),
                    "cpr_plain": cpr.digits,
                    "cpr_plain_expires": until + timedelta(days=rt.config.retention.plain_cpr_days),
                    "birth_year": born.year,
                    "gender": cpr.gender,
                    "born": born,
                }
            )
        else:
            people.append(
                {
                    "nickname": f"Demo {index}",
                    "birth_year": born.year,
                    "gender": "ikke_registreret",
                    "born": born,
                }
            )
    return people


def _actions(codes: list[str]) -> list[str]:
    """The drawn actions without "no further action" when another action was drawn too."""
    if len(codes) > 1:
        return [code for code in codes if code not in EXCLUSIVE_ACTIONS]
    return codes


Drawn = tuple[ContactInput, int | None, str]
"""A drawn contact: its form, the person's id and the CPR status."""


def _contact(
    rt: Runtime,
    rnd: random.Random,
    moment: datetime,
    person: dict[str, Any] | None,
    pid: int | None,
) -> Drawn:
    shift, _shift_date = shift_of(moment, rt.config.shifts, rt.config.site.timezone)
    kind = "krise" if rnd.random() < 0.95 else rnd.choice(("stille_opkald", "fejlopkald"))
    draw = rnd.random()
    caller, channel, partner = "borger", "telefon", ""
    if draw < 0.02:
        caller = rnd.choice(("paaroerende", "samarbejdspartner"))
        partner = (
            rnd.choice(("politi", "regionspsykiatri", "bostoette_botilbud"))
            if caller == "samarbejdspartner"
            else ""
        )
    elif draw < 0.17:
        channel = "fremmoede"
    elif draw < 0.18:
        channel = "virtuel"
    let, middel, alvorlig, ikke = LEVELS[shift]
    level = rnd.choices(
        ["let", "middel", "alvorlig", "ikke_krise", ""],
        [let, middel, alvorlig, ikke, 1 - let - middel - alvorlig - ikke],
    )[0]
    minutes = max(2, int(rnd.gauss(MINUTES[shift], MINUTES[shift] / 3)))
    age = (moment.date() - person["born"]).days // 365 if person else None
    crisis = kind == "krise"
    # Fields added later draw from their own stream, so the figures of the
    # original fields stay those of the seed.
    more = random.Random(f"{moment.isoformat()}|{pid}")
    municipality = "791" if rnd.random() < 0.85 else rnd.choice(("740", "779", "756"))
    if pid is None and more.random() < 0.8:
        municipality = "ukendt"  # most anonymous callers do not say where they live
    talk = crisis and rnd.random() < 0.9
    known = person is not None and pid is not None and crisis
    by_cpr = known and person is not None and "cpr_key" in person
    form = ContactInput(
        started_at=moment,
        contact_type=kind,
        channel=channel,
        caller=caller,
        partner_type=partner,
        identity=("cpr" if by_cpr else "pseudonym") if known else "anonym",
        cpr_text=person["cpr_plain"] if by_cpr and person else "",
        nickname=person.get("nickname", "") if known and person else "",
        home_municipality=municipality,
        housing=rnd.choice(("egen_bolig", "egen_bolig", "botilbud_85", "ukendt")),
        gender=person["gender"] if person and crisis else "ikke_registreret",
        age_band=age_band_for(age) if age is not None and crisis else "ukendt",
        crisis_level=level if crisis else "",
        crisis_conversation=("ja" if talk else "nej") if crisis else "",
        coordination_needed=crisis and more.random() < 0.1,
        referred_to=more.choice(("egen_laege_vagtlaege", "rusmiddelcenter", "regionspsykiatri"))
        if crisis and more.random() < 0.08
        else "",
        crisis_plan=crisis and channel == "fremmoede" and rnd.random() < 0.3,
        progression_goal=crisis and pid is not None and rnd.random() < 0.15,
        followup_wanted=crisis and pid is not None and rnd.random() < 0.15,
        duration_min=str(minutes if crisis else 1),
        stabilisation=rnd.choice(
            ("stabiliseret",) * 5 + ("delvist_stabiliseret",) * 4 + ("ikke_stabiliseret", "")
        )
        if crisis
        else "",
    )
    if crisis:
        form.symptoms = _pick(rnd, SYMPTOMS, rnd.randint(1, 3))
        form.events = _pick(rnd, EVENTS, 1)
        form.actions = _actions(_pick(rnd, ACTIONS, rnd.randint(1, 2)))
        if level == "alvorlig" and more.random() < 0.7:
            form.escalations = more.sample(ESCALATIONS, more.randint(1, 2))
    referrals.draw(form, moment, pid)
    goals.draw(form, moment, pid)
    status = ("oplyst" if by_cpr else "ikke_relevant") if known else "anonym"
    return form, pid if known else None, status


def create_demo(rt: Runtime, *, months: int, seed: int, os_user: str) -> DemoResult:
    """Fill the (fresh) open database with ``months`` of synthetic data and demo users."""
    rnd = random.Random(seed)
    tz = rt.config.site.timezone
    now = local(rt.now(), tz)
    today = now.date()
    # Lazy: keeps the TUI start from loading dateutil before the first paint.
    from dateutil.relativedelta import relativedelta

    first = today.replace(day=1) - relativedelta(months=months - 1)
    users = tuple((name, role, _password(rnd)) for name, role in ROLES)
    for name, role, password in users:
        accounts.create_user(rt, name, password, role, actor=None, display_name=name.title())
    with connection(), write_transaction():
        people = _persons(rt, rnd, today)
        pids = insert_returning_ids(
            Person,
            [
                {k: v for k, v in p.items() if k != "born"} | {"created_at": rt.now()}
                for p in people
            ],
        )
        owner = int(User.get(User.username == "demo-medarbejder").id)
        beds = [int(b.id) for b in Bed.select().where(Bed.out_of_service == False)]  # noqa: E712
        contacts: list[Drawn] = []
        stays: list[
            tuple[int, int, date, int, int]
        ] = []  # (contact index, bed, first night, nights, pid)
        requests: list[datetime] = []
        busy_until = {bed: first for bed in beds}
        day = first
        while day < today:
            for _ in range(rnd.choice((2, 3, 4, 4, 5, 5, 6))):
                hour = rnd.choices(
                    range(24),
                    [1, 1, 1, 1, 1, 1, 2, 4, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 2, 1],
                )[0]
                moment = datetime.combine(day, time(hour, rnd.randint(0, 59)), tzinfo=zone(tz))
                draw = rnd.random()
                index = (
                    rnd.randrange(5)
                    if draw < 0.38
                    else rnd.randrange(5, 65)
                    if draw < 0.6
                    else None
                )
                person = people[index] if index is not None else None
                contacts.append(
                    _contact(rt, rnd, moment, person, pids[index] if index is not None else None)
                )
            if rnd.random() < 0.08:
                free = [b for b in beds if busy_until[b] <= day]
                nights = rnd.randint(1, rt.config.beds.max_consecutive_nights)
                if free and day + timedelta(days=nights) < today:
                    index = rnd.choice([i for i, p in enumerate(people) if "cpr_key" in p])
                    moment = datetime.combine(day, time(21, 15), tzinfo=zone(tz))
                    form, _pid, _status = _contact(rt, rnd, moment, people[index], pids[index])
                    stay_form = replace(
                        form,
                        contact_type="krise",
                        channel="fremmoede",
                        identity="cpr",
                        cpr_text=people[index]["cpr_plain"],
                        actions=_actions([*form.actions, "overnatning"]),
                    )
                    contacts.append((stay_form, pids[index], "oplyst"))
                    stays.append((len(contacts) - 1, free[0], day, nights, pids[index]))
                    busy_until[free[0]] = day + timedelta(days=nights + 1)
                elif not free:
                    requests.append(datetime.combine(day, time(22), tzinfo=zone(tz)))
            day += timedelta(days=1)
        lists = codes_by_list()
        prepared = [
            (prepare(rt, form, lists=lists, now=rt.now()), pid, status)
            for form, pid, status in contacts
        ]
        order = sorted(range(len(prepared)), key=lambda i: prepared[i][0].moment)
        ids = contact_columns.insert_many(
            [prepared[i] for i in order], created_by=owner, created_at=rt.now()
        )
        id_of = {original: ids[pos] for pos, original in enumerate(order)}
        _stays(rt, rnd, stays, id_of, owner)
        for at in requests:
            BedRequest.create(requested_at=at, reason="ingen_ledig", created_by=owner)
        _followups(rnd, prepared, id_of, today, owner)
        current = create_night_data(rt, rnd, first, today)
        audit.record_command(
            rt,
            MARKER,
            os_user,
            "demo",
            str(len(contacts)),
        )
    return DemoResult(len(contacts) + min(current, 1), len(stays) + current, first, today, users)


def _stays(
    rt: Runtime,
    rnd: random.Random,
    stays: list[tuple[int, int, date, int, int]],
    id_of: dict[int, int],
    owner: int,
) -> None:
    tz = zone(rt.config.site.timezone)
    for index, bed, first, nights, pid in stays:
        checked_in = datetime.combine(first, time(21, 30), tzinfo=tz)
        checked_out = datetime.combine(first + timedelta(days=nights), time(9, 30), tzinfo=tz)
        stay = Stay.create(
            person=pid,
            bed=bed,
            contact=id_of[index],
            checked_in_at=checked_in,
            checked_out_at=checked_out,
            created_by=owner,
        )
        for number in range(1, nights + 1):
            StayNight.create(
                stay=stay,
                bed=bed,
                night_date=first + timedelta(days=number - 1),
                night_number=number,
                decision="forlaeng" if number < nights else "afslut",
                decided_by=owner,
                decided_at=checked_in + timedelta(days=number - 1, hours=2),
            )


def _followups(
    rnd: random.Random,
    contacts: list[tuple[PreparedContact, int | None, str]],
    id_of: dict[int, int],
    today: date,
    owner: int,
) -> None:
    rows, arrivals, attained = [], [], []
    for index, (prepared, pid, _status) in enumerate(contacts):
        if not prepared.answers.followup_wanted:
            continue
        due = prepared.moment.astimezone(UTC).date() + timedelta(days=14)
        done = due < today and rnd.random() < 0.85
        if done:
            at = datetime.combine(due, time(11))
            arrivals += referrals.arrival_rows(id_of[index], prepared.answers, at)
            if prepared.answers.progression_goal:
                attained.append((id_of[index], goals.attainment(id_of[index])))
        rows.append(
            {
                "contact": id_of[index],
                "person": pid,
                "due_date": due,
                "done_at": datetime.combine(due, time(11)) if done else None,
                "done_by": owner if done else None,
                "result": _pick(rnd, RESULTS, 1)[0] if done else None,
            }
        )
    insert_plain(FollowUp, rows)
    referrals.store_arrivals(arrivals)
    goals.store_attainments(attained)
