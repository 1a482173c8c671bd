"""The bed board in the morning, and reservations for coming nights (issue 14 §5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from akut_tui.core.errors import ValidationError
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import beds, bookings, nights, stays
from akut_tui.services.night.beds import BedTaken
from akut_tui.services.night.dto import FREE, OCCUPIED, RESERVED, SLEPT
from db.database import connection
from db.models import StayNight
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, actions, bed_ids, form, session

LAST_NIGHT = date(2026, 11, 20)
COMING = date(2026, 11, 21)
MORNING = datetime(2026, 11, 21, 7, 10, tzinfo=UTC)  # 08:10 local


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


def test_after_a_morning_checkout_the_board_names_both_nights_and_books_the_coming_one(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    first, second = bed_ids()
    stay_id = stays.check_in(rt, staff, form(first, CPR_A)).stay_id
    clock.current = MORNING
    nights.check_out(rt, staff, stay_id)
    board = beds.board(rt, staff)
    assert board.nights[:2] == (LAST_NIGHT, COMING) and board.coming == 1
    assert [c.status for c in board.rows[0].cells[:2]] == [SLEPT, FREE]
    assert board.free_tonight == 2  # the coming night: both beds
    result = stays.check_in(rt, staff, form(first, CPR_B))
    assert result.night_date == COMING
    with connection():
        assert StayNight.get(StayNight.stay == result.stay_id).night_date == COMING


def test_last_night_only_when_chosen(rt: Runtime, staff: SignedInUser, clock: FakeClock) -> None:
    first, second = bed_ids()
    stay_id = stays.check_in(rt, staff, form(first, CPR_A)).stay_id
    clock.current = MORNING
    nights.check_out(rt, staff, stay_id)
    with pytest.raises(BedTaken, match="sovet"):
        stays.check_in(rt, staff, form(first, CPR_B, night=LAST_NIGHT))
    late = stays.check_in(rt, staff, form(second, CPR_B, night=LAST_NIGHT))
    assert late.night_date == LAST_NIGHT
    with pytest.raises(ValidationError, match="i nat"):
        stays.check_in(rt, staff, form(first, "030390-3457", night=COMING + timedelta(days=1)))


def test_requested_no_bed_in_the_morning_looks_at_the_coming_night(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    first, second = bed_ids()
    one = stays.check_in(rt, staff, form(first, CPR_A)).stay_id
    two = stays.check_in(rt, staff, form(second, CPR_B)).stay_id
    for stay_id in (one, two):
        nights.decide_night(rt, staff, stay_id, "forlaeng")
    clock.current = MORNING
    beds.log_bed_request(rt, staff)  # both beds are booked for the coming night
    nights.decide_night(rt, staff, two, "afslut")
    with pytest.raises(ValidationError, match="ledig seng"):
        beds.log_bed_request(rt, staff)


def test_a_future_reservation_shows_the_guest_and_can_be_cancelled(
    rt: Runtime, staff: SignedInUser
) -> None:
    first = bed_ids()[0]
    later = LAST_NIGHT + timedelta(days=2)
    stay_id = stays.check_in(
        rt, staff, stays.CheckInInput(first, CPR_A, nickname="Resi", reserve=True, night=later)
    ).stay_id
    cell = beds.board(rt, staff).rows[0].cells[2]
    assert cell.status == RESERVED and cell.guest == "Resi" and cell.stay_id == stay_id
    nights.cancel_reservation(rt, staff, stay_id)
    assert beds.board(rt, staff).rows[0].cells[2].status == FREE


def test_a_booking_moves_to_another_bed_and_the_bed_can_go_out_of_service(
    rt: Runtime, staff: SignedInUser
) -> None:
    lea = session(rt, "lea", "leder", display="Lea")
    first, second = bed_ids()
    guest = stays.check_in(rt, staff, form(first, CPR_A, nickname="Bo")).stay_id
    nights.decide_night(rt, staff, guest, "forlaeng")
    later = LAST_NIGHT + timedelta(days=3)
    resi = stays.check_in(
        rt, staff, stays.CheckInInput(first, CPR_B, nickname="Resi", reserve=True, night=later)
    ).stay_id
    with pytest.raises(ValidationError, match="flyt"):
        beds.set_out_of_service(rt, lea, first, "Vandskade")
    result = bookings.move_stay(rt, staff, guest, second)
    assert result.bed_name == "Seng 2" and "flyttet" in result.message
    bookings.move_stay(rt, staff, resi, second)
    board = beds.board(rt, staff)
    assert [c.status for c in board.rows[1].cells] == [OCCUPIED, OCCUPIED, FREE, RESERVED]
    assert all(c.status == FREE for c in board.rows[0].cells)
    beds.set_out_of_service(rt, lea, first, "Vandskade")
    assert actions().count("stay.move") == 2
    with pytest.raises(ValidationError, match="ude af drift"):
        bookings.move_stay(rt, staff, guest, first)


def test_a_move_to_a_booked_bed_is_refused(rt: Runtime, staff: SignedInUser) -> None:
    first, second = bed_ids()
    guest = stays.check_in(rt, staff, form(first, CPR_A)).stay_id
    stays.check_in(rt, staff, form(second, CPR_B))
    with pytest.raises(ValidationError, match="ikke ledig"):
        bookings.move_stay(rt, staff, guest, second)


@pytest.mark.parametrize("typed", ["Afvist", "afvist cpr", " AFVIST "])
def test_a_leader_typing_afvist_gets_the_cpr_rule_not_a_format_error(
    rt: Runtime, typed: str
) -> None:
    lea = session(rt, "lea", "leder", display="Lea")
    with pytest.raises(ValidationError, match="også når en leder") as info:
        stays.check_in(rt, lea, form(bed_ids()[0], typed, override_reason="En god grund til det"))
    assert info.value.field == "cpr_text"
