"""One database fixture for the frequent-users and data-quality tests (issue 18 §4, §5).

The clock of ``tests/conftest.py`` stands at 20-11-2026 20:00 local; every row
is written straight through the models (the services under test only read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from db.database import connection, write_transaction
from db.models import (
    Bed,
    ContactDraft,
    FollowUp,
    HandoverAck,
    HandoverNote,
    ImportedRow,
    Person,
    Stay,
    StayNight,
)
from tests.conftest import PASSWORD
from tests.stats_helpers import add_contact, add_stay, staff

NOW = datetime(2026, 11, 20, 20, 0)
"""The fixed clock, as local wall time."""
DB_NOW = datetime(2026, 11, 20, 19, 0)
"""The fixed clock as stored (naive UTC)."""


def login(rt: Runtime, name: str, role: str) -> SignedInUser:
    """A new user of ``role``, logged in."""
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


@dataclass(frozen=True)
class People:
    """The persons of the fixture."""

    ida: int
    ole: int
    ida_twin: int
    cpr_person: int
    nick_person: int


def frequent_fixture() -> People:
    """Ida: 3 crisis contacts in 30 days (+ a silent call), 2 nights, flagged with plan SP-12.
    Ole: 1 crisis contact in 30 days and 4 more 60 days ago."""
    with connection(), write_transaction():
        ida = Person.create(
            nickname="Ida",
            birth_year=1985,
            special_attention=True,
            special_attention_plan="SP-12",
            created_at=datetime(2026, 1, 1),
        ).id
        ole = Person.create(nickname="Ole", created_at=datetime(2026, 1, 1)).id
        ida_twin = Person.create(
            nickname="ida", birth_year=1985, created_at=datetime(2026, 1, 1)
        ).id
        cpr_person = Person.create(cpr_key="c" * 64, created_at=datetime(2026, 1, 1)).id
        nick_person = Person.create(nickname="Bo", created_at=datetime(2026, 1, 1)).id
        for days, level, channel in ((20, "let", "telefon"), (10, "middel", "telefon"),
                                     (1, "alvorlig", "fremmoede")):  # fmt: skip
            add_contact(NOW - timedelta(days=days), person=ida, crisis_level=level,
                        channel=channel, note="hemmelig note")  # fmt: skip
        add_contact(NOW - timedelta(days=2), person=ida, contact_type="stille_opkald")
        add_contact(NOW - timedelta(days=3), person=ole, crisis_level="let")
        for hours in range(4):
            add_contact(NOW - timedelta(days=60, hours=hours), person=ole, crisis_level="let")
        ida_stay = add_stay(ida, date(2026, 11, 10), 2)
        Stay.update(checked_out_at=datetime(2026, 11, 12, 9)).where(Stay.id == ida_stay).execute()
        first = add_contact(NOW - timedelta(days=5), person=cpr_person, crisis_level="let",
                            home_municipality="101")  # fmt: skip
        add_contact(NOW - timedelta(days=5, hours=-1), person=nick_person, crisis_level="let",
                    home_municipality="101", linked_to=first)  # fmt: skip
    return People(ida, ole, ida_twin, cpr_person, nick_person)


def quality_fixture() -> People:
    """The frequent fixture plus one row for each data-quality check (and one that passes)."""
    people = frequent_fixture()
    with connection(), write_transaction():
        user = staff()
        add_contact(NOW - timedelta(days=4))  # crisis, no level, municipality ukendt
        add_contact(NOW - timedelta(days=4), crisis_level="nonsense", home_municipality="101")
        add_contact(NOW - timedelta(days=4), contact_type="fejlopkald")  # not a crisis contact
        add_contact(NOW - timedelta(days=500))  # outside last-12-months
        for hours in (25, 1):
            ContactDraft.create(user=user, created_at=DB_NOW - timedelta(hours=hours),
                                updated_at=DB_NOW, shift="aften", shift_date=NOW.date(),
                                data="{}")  # fmt: skip
        done = add_contact(NOW - timedelta(days=20), crisis_level="let")
        FollowUp.create(contact=done, due_date=date(2026, 11, 19))
        FollowUp.create(contact=done, due_date=date(2026, 11, 25))
        FollowUp.create(contact=done, due_date=date(2026, 11, 1), done_at=NOW, result="ok")
        add_stay(people.ole, date(2026, 11, 20), 1)  # tonight, no decision yet
        second = Bed.select().order_by(Bed.sort_order, Bed.id)[1]
        decided = Stay.create(person=people.ida_twin, bed=second, checked_in_at=DB_NOW,
                              created_by=user)  # fmt: skip
        StayNight.create(stay=decided, bed=second, night_date=date(2026, 11, 20),
                         night_number=1, decision="afslut")  # fmt: skip
        for day, signed in ((date(2026, 11, 18), False), (date(2026, 11, 17), True)):
            anchor = HandoverNote.create(shift="dag", shift_date=day, category="tilstand",
                                         body="Rolig", author=user,
                                         created_at=datetime(day.year, day.month, day.day, 10),
                                         expires_on=date(2026, 12, 31))  # fmt: skip
            if signed:
                HandoverAck.create(note=anchor, user=user, acked_at=datetime(2026, 11, 17, 14))
        HandoverNote.create(shift="aften", shift_date=date(2026, 11, 20), category="tilstand",
                            body="Nu", author=user, created_at=datetime(2026, 11, 20, 15),
                            expires_on=date(2026, 12, 31))  # fmt: skip
        bad = add_contact(NOW - timedelta(days=30), crisis_level="let", home_municipality="101",
                          values={"action": ["ingen_tiltag", "ny_samtale"]})  # fmt: skip
        good = add_contact(NOW - timedelta(days=30), crisis_level="let", home_municipality="101",
                           values={"action": ["ny_samtale"]})  # fmt: skip
        for n, cid in enumerate((bad, good)):
            ImportedRow.create(digest=f"{n}" * 64, contact=cid, imported_at=datetime(2026, 1, 1))
    return people
