"""Night data for ``akut demo``: beds in use now, outreach trips and handovers.

Called inside :func:`akut_tui.services.demo.build.create_demo`'s transaction, after
the contacts and past stays. It adds, over the demo period:

* the bed board *now*: a guest on night 2 with last night's decision
  recorded and tonight's missing, and a reservation for a coming night;
* outreach trips (flexible night support) on some nights, one of them with a
  companion, and none still open;
* a handover for each of the last days' shifts (state, situation, an action
  and an if-then plan); older ones are signed by the incoming shift, the most
  recent one is left unsigned so the login shows it as waiting.

Everything is synthetic; no text holds a CPR number.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from akut_tui.core.clock import zone
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.prepare import prepare
from akut_tui.services.night.bed_nights import night_of
from db.models import (
    Bed,
    HandoverAck,
    HandoverNote,
    OutreachTrip,
    Person,
    Stay,
    StayNight,
    User,
)

HANDOVER_DAYS = 6
"""How many of the last days get a handover per shift."""
SITUATIONS = (
    "Stille vagt. To opkald om ensomhed, begge afsluttet med aftale om ny samtale.",
    "Gæsten i seng 1 sov uroligt; talt med kl. 02. Ønsker samtale med rådgiver i dag.",
    "Mange opkald fra pårørende efter udskrivelse fra psykiatrien; se handlingen.",
    "Rolig aften. Én henvendelse fra politiet om en borger der blev kørt hjem.",
)
ACTIONS = (
    "Ring tilbage til pårørende om aftalt samtale",
    "Tjek om seng 2 er gjort klar til i aften",
    "Send besked til rådgiver om gæstens ønske",
)
PLANS = (
    "Hvis gæsten i seng 1 ringer igen: tilbyd samtale i morgen kl. 10.",
    "Hvis borgeren fra opkaldet kl. 21 møder op: tjek ind, CPR kendt.",
)


def create_night_data(rt: Runtime, rnd: random.Random, first: date, today: date) -> int:
    """Add the bed board's current guests, outreach trips and handovers; return stays added."""
    users = {u.username: u.id for u in User.select(User.id, User.username)}
    staff = users["demo-medarbejder"]
    leader = users["demo-leder"]
    coordinator = users["demo-koordinator"]
    stays = _current_guests(rt, today, staff)
    _trips(rt, rnd, first, today, staff, coordinator)
    _handovers(rt, rnd, today, staff, leader, coordinator)
    return stays


def _current_guests(rt: Runtime, today: date, staff: int) -> int:
    """A guest on night 2 (tonight's decision missing) and a reservation two nights ahead."""
    tz = zone(rt.config.site.timezone)
    tonight = night_of(rt)
    beds = [int(b.id) for b in Bed.select().where(Bed.out_of_service == False)]  # noqa: E712
    persons = [
        int(p.id)
        for p in Person.select(Person.id).where(Person.cpr_key.is_null(False)).order_by(Person.id)
    ]
    busy = {
        int(row.stay.person_id)
        for row in StayNight.select(StayNight, Stay)
        .join(Stay)
        .where(StayNight.night_date >= tonight - timedelta(days=2))
    }
    free_persons = [p for p in persons if p not in busy]
    if not beds or len(free_persons) < 2:
        return 0
    guest, later = free_persons[0], free_persons[1]
    start = tonight - timedelta(days=1)
    arrived = datetime.combine(start, time(21, 40), tzinfo=tz)
    arrival = ContactInput(
        started_at=arrived,
        channel="fremmoede",
        home_municipality=rt.config.site.municipality,
        actions=["overnatning"],
    )
    contact_id = contact_columns.insert(
        prepare(rt, arrival, lists=codes_by_list()),
        person_id=guest,
        cpr_status="oplyst",
        created_by=staff,
        created_at=arrived,
    )
    stay = Stay.create(
        person=guest,
        bed=beds[0],
        contact=contact_id,
        checked_in_at=arrived,
        created_by=staff,
    )
    StayNight.create(
        stay=stay,
        bed=beds[0],
        night_date=start,
        night_number=1,
        decision="forlaeng",
        decided_by=staff,
        decided_at=arrived + timedelta(hours=3),
    )
    StayNight.create(stay=stay, bed=beds[0], night_date=tonight, night_number=2)
    night = tonight + timedelta(days=2)
    deadline = datetime.combine(night, time(22), tzinfo=tz)
    reserved = Stay.create(
        person=later,
        bed=beds[-1],
        checked_in_at=rt.now(),
        reserved=True,
        reserved_until=deadline,
        created_by=staff,
    )
    StayNight.create(stay=reserved, bed=beds[-1], night_date=night, night_number=1)
    return 2


def _trips(
    rt: Runtime, rnd: random.Random, first: date, today: date, staff: int, coordinator: int
) -> None:
    """Outreach trips on about one night in five, all returned."""
    tz = zone(rt.config.site.timezone)
    day = max(first, today - timedelta(days=90))
    while day < today:
        if rnd.random() < 0.2:
            out = datetime.combine(day, time(rnd.choice((22, 23)), rnd.randint(0, 59)), tzinfo=tz)
            back = out + timedelta(minutes=rnd.randint(25, 95))
            OutreachTrip.create(
                departed_at=out,
                returned_at=back,
                user=staff,
                companion=coordinator if rnd.random() < 0.3 else None,
            )
        day += timedelta(days=1)


def _handovers(
    rt: Runtime,
    rnd: random.Random,
    today: date,
    staff: int,
    leader: int,
    coordinator: int,
) -> None:
    """A handover per shift of the last days; all signed except the newest."""
    keep = rt.config.retention.handover_days
    shifts = [
        (day, shift)
        for day in (today - timedelta(days=n) for n in range(HANDOVER_DAYS, 0, -1))
        for shift in ("dag", "aften", "nat")
    ]
    for index, (day, shift) in enumerate(shifts):
        author = (staff, coordinator, staff)[index % 3]
        written = datetime.combine(day, time(14 if shift == "dag" else 22), tzinfo=zone("UTC"))
        common = {
            "shift": shift,
            "shift_date": day,
            "author": author,
            "created_at": written,
            "expires_on": day + timedelta(days=keep),
        }
        state = rnd.choice(("rolig", "rolig", "hold_oeje", "ustabil"))
        anchor = HandoverNote.create(category="tilstand", body=state, **common)
        HandoverNote.create(category="situation", body=rnd.choice(SITUATIONS), **common)
        HandoverNote.create(
            category="handling",
            body=rnd.choice(ACTIONS),
            owner="Dagvagten" if shift == "nat" else "Næste vagt",
            due_at=written + timedelta(hours=10),
            **common,
        )
        if rnd.random() < 0.5:
            HandoverNote.create(category="hvis_saa", body=rnd.choice(PLANS), **common)
        if index < len(shifts) - 1:
            signer = leader if author != leader else staff
            HandoverAck.create(note=anchor.id, user=signer, acked_at=written + timedelta(hours=9))
