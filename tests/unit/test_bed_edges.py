"""Bed board edge cases: contacts marked Overnatning, unknown contacts, stays never checked out."""

from __future__ import annotations

import pytest

from akut_tui.core.errors import NotFound
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import save_contact
from akut_tui.services.night import beds, nights, stays
from akut_tui.services.night.dto import FREE
from db.database import connection
from db.models import BedRequest
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, bed_ids, form, session


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


def test_contact_marked_overnatning_is_offered_until_used(rt: Runtime, staff: SignedInUser) -> None:
    assert nights.overnight_contact(rt, staff) is None
    save_contact(rt, staff, ContactInput(channel="telefon", crisis_level="let"))
    marked = save_contact(
        rt, staff, ContactInput(channel="telefon", crisis_level="let", actions=["overnatning"])
    )
    assert nights.overnight_contact(rt, staff) == marked.id
    stays.check_in(rt, staff, form(bed_ids()[0], contact_id=marked.id))
    assert nights.overnight_contact(rt, staff) is None  # the arrival contact links to it


def test_unknown_contact_is_not_found_for_reservations_and_refusals(
    rt: Runtime, staff: SignedInUser
) -> None:
    with pytest.raises(NotFound):
        stays.check_in(
            rt, staff, stays.CheckInInput(bed_ids()[0], CPR_A, reserve=True, contact_id=77)
        )
    with pytest.raises(stays.ExcludedGuest):
        stays.check_in(rt, staff, form(bed_ids()[0], contact_id=77, threatening=True))
    with connection():
        assert [r.contact_id for r in BedRequest.select()] == [None]


def test_a_stay_never_checked_out_stays_on_the_board(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    clock.advance(hours=16)  # 12:00 next day: night 1 is over, no decision, no check-out
    cell = beds.board(rt, staff).rows[0].cells[0]
    assert cell.overdue and cell.label() == "Ikke tjekket ud" and cell.decision_missing
    assert beds.board(rt, staff).rows[0].cells[1].status == FREE
    nights.decide_night(rt, staff, stay_id, "forlaeng")  # books tonight: night 2
    cell = beds.board(rt, staff).rows[0].cells[0]
    assert not cell.overdue and cell.label() == "Optaget 2/3"


def test_schema_refuses_night_zero_and_a_second_guest_per_bed_night(
    rt: Runtime, staff: SignedInUser
) -> None:
    import peewee as pw

    from db.database import database
    from db.models import StayNight

    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    with connection():
        night = StayNight.get(StayNight.stay == stay_id)
        for values in (
            {"night_number": 0, "night_date": night.night_date.replace(year=2030)},
            {"night_number": 2, "night_date": night.night_date},  # same bed, same night
        ):
            with pytest.raises(pw.IntegrityError), database.atomic():
                StayNight.create(stay=stay_id, bed=night.bed_id, **values)
