"""Bed board rules through the service API (docs/domain.md §3, §9; docs/security.md row 10)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from akut_tui.core.errors import NotFound, PermissionDenied, ValidationError
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import save_contact
from akut_tui.services.night import beds, changes, nights, stays
from akut_tui.services.night.dto import FREE, OCCUPIED, OUT_OF_SERVICE, RESERVED, SLEPT
from db.database import connection
from db.models import BedRequest, Contact, ContactValue, Person, Stay, StayNight
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, CPR_C, actions, bed_ids, form, session

TONIGHT = date(2026, 11, 20)  # the clock fixture: 20:00 local on 20-11-2026


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


@pytest.fixture
def leader(rt: Runtime) -> SignedInUser:
    return session(rt, "lea", "leder", display="Lea")


def _counts() -> tuple[int, int, int]:
    with connection():
        return Stay.select().count(), StayNight.select().count(), Contact.select().count()


def test_empty_board_shows_every_bed_free_for_four_nights(rt: Runtime, staff: SignedInUser) -> None:
    board = beds.board(rt, staff)
    assert board.nights == tuple(TONIGHT + timedelta(days=i) for i in range(4))
    assert [r.name for r in board.rows] == ["Seng 1", "Seng 2"]
    assert all(c.status == FREE and c.label() == "Ledig" for r in board.rows for c in r.cells)
    assert board.free_tonight == 2 and board.missing_decisions == 0
    # Nothing personal shown, nothing audited.
    assert "beds.view" not in actions()


def test_night_rolls_over_at_checkout_time(rt: Runtime, clock: FakeClock) -> None:
    clock.current = datetime(2026, 11, 21, 8, 59, tzinfo=UTC)  # 09:59 local
    assert beds.night_of(rt) == TONIGHT
    clock.advance(minutes=1)
    assert beds.night_of(rt) == TONIGHT + timedelta(days=1)


@pytest.mark.parametrize(
    ("changes_", "field", "fragment"),
    [
        ({"cpr": ""}, "cpr_text", "påkrævet"),
        ({"cpr": "   "}, "cpr_text", "påkrævet"),
        ({"cpr": "", "cpr_declined": True}, "cpr_text", "Afvist"),
        ({"cpr": CPR_A, "cpr_declined": True}, "cpr_text", "Afvist"),
        ({"cpr": "999999-9999"}, "cpr_text", "dato"),
        ({"cpr": "12345"}, "cpr_text", "DDMMÅÅ"),
        ({"intoxicated": None}, "exclusions", "udelukkelseskriterierne"),
        ({"disturbing": None}, "exclusions", "udelukkelseskriterierne"),
    ],
)
def test_check_in_refusals_store_nothing(
    rt: Runtime, staff: SignedInUser, changes_: dict[str, object], field: str, fragment: str
) -> None:
    cpr = str(changes_.pop("cpr", CPR_A))
    before = _counts()
    with pytest.raises(ValidationError) as info:
        stays.check_in(rt, staff, form(bed_ids()[0], cpr, **changes_))
    assert info.value.field == field and fragment in str(info.value)
    assert _counts() == before


@pytest.mark.parametrize("answer", ["intoxicated", "threatening", "disturbing"])
def test_exclusion_yes_refuses_and_logs_the_refusal(
    rt: Runtime, staff: SignedInUser, answer: str
) -> None:
    with pytest.raises(stays.ExcludedGuest, match="afvist"):
        stays.check_in(rt, staff, form(bed_ids()[0], CPR_A, **{answer: True}))
    with connection():
        assert Stay.select().count() == 0
        assert [r.reason for r in BedRequest.select()] == ["udelukket"]
    assert "beds.refused_exclusion" in actions()


def test_check_in_shows_on_the_board_and_is_audited(rt: Runtime, staff: SignedInUser) -> None:
    token = changes.change_token(rt)
    result = stays.check_in(rt, staff, form(bed_ids()[0], nickname="Bo"))
    assert result.night_number == 1 and result.guest == "Bo"
    assert changes.change_token(rt) != token
    board = beds.board(rt, staff)
    cell = board.rows[0].cells[0]
    assert cell.status == OCCUPIED and cell.label() == "Optaget 1/3"
    assert cell.guest == "Bo" and cell.cpr_masked == "010180-XXXX"
    assert cell.checkout == "21-11 10:00"
    assert cell.decision_missing and board.missing_decisions == 1
    assert board.rows[0].cells[1].status == FREE
    assert board.free_tonight == 1
    assert "1235" not in repr(board)
    assert actions()[-3:] == ["contact.create", "stay.checkin", "beds.view"]


def test_check_in_creates_an_in_person_contact_marked_overnatning(
    rt: Runtime, staff: SignedInUser
) -> None:
    result = stays.check_in(rt, staff, form(bed_ids()[0]))
    with connection():
        contact = Contact.get_by_id(result.contact_id)
        assert contact.channel == "fremmoede" and not contact.anonymous
        assert contact.cpr_status == "oplyst" and contact.person_id is not None
        assert ContactValue.get(ContactValue.contact == contact.id).code == "overnatning"
        assert Stay.get_by_id(result.stay_id).contact_id == contact.id


def test_check_in_from_a_phone_contact_links_a_new_in_person_contact(
    rt: Runtime, staff: SignedInUser
) -> None:
    phone = save_contact(rt, staff, ContactInput(channel="telefon", crisis_level="let"))
    result = stays.check_in(rt, staff, form(bed_ids()[0], contact_id=phone.id))
    with connection():
        arrival = Contact.get_by_id(result.contact_id)
        assert arrival.id != phone.id and arrival.linked_to_id == phone.id
        assert arrival.channel == "fremmoede"
        assert Contact.get_by_id(phone.id).channel == "telefon"


def test_check_in_from_an_in_person_contact_reuses_it(rt: Runtime, staff: SignedInUser) -> None:
    walk_in = save_contact(rt, staff, ContactInput(channel="fremmoede", crisis_level="let"))
    result = stays.check_in(rt, staff, form(bed_ids()[0], contact_id=walk_in.id))
    assert result.contact_id == walk_in.id
    with connection():
        contact = Contact.get_by_id(walk_in.id)
        assert contact.person_id is not None and not contact.anonymous
        assert Contact.select().count() == 1


def test_contact_of_another_person_is_refused(rt: Runtime, staff: SignedInUser) -> None:
    other = save_contact(
        rt, staff, ContactInput(channel="fremmoede", identity="cpr", cpr_text=CPR_B)
    )
    with pytest.raises(ValidationError, match="anden person"):
        stays.check_in(rt, staff, form(bed_ids()[0], contact_id=other.id))
    with pytest.raises(NotFound):
        stays.check_in(rt, staff, form(bed_ids()[0], contact_id=999))


def test_no_double_booking_and_one_stay_per_person(rt: Runtime, staff: SignedInUser) -> None:
    first, second = bed_ids()
    stays.check_in(rt, staff, form(first))
    with pytest.raises(beds.BedTaken, match="optaget af en kollega"):
        stays.check_in(rt, staff, form(first, CPR_B))
    with pytest.raises(ValidationError, match="aktiv overnatning"):
        stays.check_in(rt, staff, form(second, CPR_A))
    stays.check_in(rt, staff, form(second, CPR_B))
    with pytest.raises(beds.BedTaken):
        stays.check_in(rt, staff, form(second, CPR_C))


def _night(clock: FakeClock) -> None:
    clock.advance(days=1)


def test_fourth_night_refused_unless_a_leader_gives_a_reason(
    rt: Runtime, staff: SignedInUser, leader: SignedInUser, clock: FakeClock
) -> None:
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    assert nights.decide_night(rt, staff, stay_id, "forlaeng").night_number == 1
    _night(clock)
    assert beds.board(rt, staff).rows[0].cells[0].label() == "Optaget 2/3"
    nights.decide_night(rt, staff, stay_id, "forlaeng")
    _night(clock)
    assert beds.board(rt, staff).rows[0].cells[0].night_label == "3/3"
    with pytest.raises(PermissionDenied, match="højst 3 nætter i træk"):
        nights.decide_night(rt, staff, stay_id, "forlaeng", override_reason="Meget god grund her")
    with connection():  # the refused 4th night counts as unmet demand (statistics)
        assert [r.reason for r in BedRequest.select()] == ["max_naetter"]
    assert "beds.refused_max_nights" in actions()
    with pytest.raises(ValidationError, match="mindst 10 tegn"):
        nights.decide_night(rt, leader, stay_id, "forlaeng", override_reason="kort")
    with connection():
        assert StayNight.select().where(StayNight.stay == stay_id).count() == 3
    nights.decide_night(
        rt, leader, stay_id, "forlaeng", override_reason="Venter på plads på forsorgshjem"
    )
    with connection():
        fourth = StayNight.get(StayNight.stay == stay_id, StayNight.night_number == 4)
        assert fourth.override_reason == "Venter på plads på forsorgshjem"
    assert "stay.override_max" in actions()
    _night(clock)
    assert beds.board(rt, staff).rows[0].cells[0].night_label == "4/3"


def test_changed_decision_frees_the_booked_night(rt: Runtime, staff: SignedInUser) -> None:
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    nights.decide_night(rt, staff, stay_id, "forlaeng")
    assert beds.board(rt, staff).rows[0].cells[1].status == OCCUPIED
    nights.decide_night(rt, staff, stay_id, "afslut")
    board = beds.board(rt, staff)
    assert board.rows[0].cells[1].status == FREE
    assert board.rows[0].cells[0].decision == "afslut" and board.missing_decisions == 0


def test_referred_on_needs_where(rt: Runtime, staff: SignedInUser) -> None:
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    with pytest.raises(ValidationError, match="henvist til"):
        nights.decide_night(rt, staff, stay_id, "henvist", referred_to="  ")
    with pytest.raises(ValidationError, match="forlæng, afslut"):
        nights.decide_night(rt, staff, stay_id, "måske")
    nights.decide_night(rt, staff, stay_id, "henvist", referred_to="Forsorgscenter")
    with connection():
        assert StayNight.get(StayNight.stay == stay_id).referred_to == "Forsorgscenter"


def test_check_out_with_time(rt: Runtime, staff: SignedInUser, clock: FakeClock) -> None:
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    nights.decide_night(rt, staff, stay_id, "forlaeng")
    clock.advance(hours=12)  # 08:00 local next morning
    with pytest.raises(ValidationError, match="fremtiden"):
        nights.check_out(rt, staff, stay_id, clock.current + timedelta(minutes=5))
    with pytest.raises(ValidationError, match="kan ikke ligge før"):
        nights.check_out(rt, staff, stay_id, clock.current - timedelta(days=2))
    nights.check_out(rt, staff, stay_id, clock.current - timedelta(minutes=30))
    with connection():
        stay = Stay.get_by_id(stay_id)
        assert stay.checked_out_at == datetime(2026, 11, 21, 6, 30, tzinfo=UTC)
        assert [n.night_date for n in StayNight.select()] == [TONIGHT]  # night 2 freed
    board = beds.board(rt, staff)  # 08:00: last night was slept, the coming nights are free
    assert [c.status for c in board.rows[0].cells] == [SLEPT, FREE, FREE, FREE]
    assert board.coming == 1
    with pytest.raises(NotFound):
        nights.check_out(rt, staff, stay_id)


def test_a_new_stay_needs_a_night_between(
    rt: Runtime, staff: SignedInUser, leader: SignedInUser, clock: FakeClock
) -> None:
    first = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    nights.decide_night(rt, staff, first, "afslut")
    clock.advance(hours=13)  # 09:00 next morning
    nights.check_out(rt, staff, first)
    clock.advance(hours=11)  # 20:00: night 21-11 directly after
    with pytest.raises(PermissionDenied, match="mindst én nat mellem"):
        stays.check_in(rt, staff, form(bed_ids()[0]))
    result = stays.check_in(
        rt, leader, form(bed_ids()[0], override_reason="Ingen anden mulighed i nat")
    )
    with connection():
        assert Stay.get_by_id(result.stay_id).override_reason == "Ingen anden mulighed i nat"
    assert "stay.override_gap" in actions()


def test_after_a_night_between_no_override_is_needed(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    first = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    clock.advance(hours=13)
    nights.check_out(rt, staff, first)
    clock.advance(days=1, hours=11)  # night 22-11: 21-11 was free
    stays.check_in(rt, staff, form(bed_ids()[0]))


def test_leaving_before_midnight_frees_the_night(rt: Runtime, staff: SignedInUser) -> None:
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    nights.check_out(rt, staff, stay_id)
    with connection():
        assert StayNight.select().count() == 0
    stays.check_in(rt, staff, form(bed_ids()[0], CPR_B))


def test_reservation_shows_and_expires(rt: Runtime, staff: SignedInUser, clock: FakeClock) -> None:
    first = bed_ids()[0]
    stays.check_in(rt, staff, stays.CheckInInput(first, CPR_A, reserve=True))
    board = beds.board(rt, staff)
    cell = board.rows[0].cells[0]
    assert cell.status == RESERVED and cell.label() == "Reserveret"
    assert board.valid_until == datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # 22:00 local
    assert board.free_tonight == 1 and board.missing_decisions == 0
    clock.current = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
    assert beds.board(rt, staff).rows[0].cells[0].status == FREE
    stays.check_in(rt, staff, form(first, CPR_B))
    with connection():
        assert Stay.get(Stay.reserved == True).ended_reason == "udloebet"  # noqa: E712
    assert "stay.reservation_expired" in actions()


def test_reservation_for_a_later_night_and_arrival(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    first = bed_ids()[0]
    tomorrow = TONIGHT + timedelta(days=1)
    stay_id = stays.check_in(
        rt, staff, stays.CheckInInput(first, CPR_A, reserve=True, night=tomorrow)
    ).stay_id
    assert beds.board(rt, staff).rows[0].cells[1].status == RESERVED
    with pytest.raises(ValidationError, match="senere nat"):
        stays.arrive(rt, staff, stay_id, intoxicated=False, threatening=False, disturbing=False)
    clock.advance(days=1)
    with pytest.raises(ValidationError, match="udelukkelseskriterierne"):
        stays.arrive(rt, staff, stay_id, intoxicated=None, threatening=False, disturbing=False)
    result = stays.arrive(
        rt, staff, stay_id, intoxicated=False, threatening=False, disturbing=False
    )
    assert result.contact_id is not None
    assert beds.board(rt, staff).rows[0].cells[0].label() == "Optaget 1/3"
    with pytest.raises(ValidationError, match="4 nætter|tre nætter"):
        stays.check_in(
            rt, staff, stays.CheckInInput(first, CPR_B, reserve=True, night=TONIGHT + timedelta(7))
        )


def test_cancel_reservation(rt: Runtime, staff: SignedInUser) -> None:
    stay_id = stays.check_in(
        rt, staff, stays.CheckInInput(bed_ids()[0], CPR_A, reserve=True)
    ).stay_id
    nights.cancel_reservation(rt, staff, stay_id)
    assert beds.board(rt, staff).free_tonight == 2
    assert "stay.cancel" in actions()


def test_requested_no_bed_is_logged_only_when_full(rt: Runtime, staff: SignedInUser) -> None:
    first, second = bed_ids()
    with pytest.raises(ValidationError, match="ledig seng"):
        beds.log_bed_request(rt, staff)
    stays.check_in(rt, staff, form(first))
    stays.check_in(rt, staff, form(second, CPR_B))
    beds.log_bed_request(rt, staff)
    with connection():
        assert [r.reason for r in BedRequest.select()] == ["ingen_ledig"]
    assert actions()[-1] == "beds.request"


def test_out_of_service_is_leader_only_with_reason(
    rt: Runtime, staff: SignedInUser, leader: SignedInUser
) -> None:
    first = bed_ids()[0]
    with pytest.raises(PermissionDenied):
        beds.set_out_of_service(rt, staff, first, "ABA-anlæg ikke godkendt")
    with pytest.raises(ValidationError, match="hvorfor"):
        beds.set_out_of_service(rt, leader, first, "  ")
    beds.set_out_of_service(rt, leader, first, "ABA-anlæg ikke godkendt")
    cell = beds.board(rt, staff).rows[0].cells[0]
    assert cell.status == OUT_OF_SERVICE and cell.reason == "ABA-anlæg ikke godkendt"
    with pytest.raises(ValidationError, match="ude af drift"):
        stays.check_in(rt, staff, form(first))
    beds.set_out_of_service(rt, leader, first, None)
    stays.check_in(rt, staff, form(first))
    with pytest.raises(ValidationError, match="booket"):
        beds.set_out_of_service(rt, leader, first, "Vandskade")


def test_board_reads_are_audited_per_guest_but_do_not_move_the_token(
    rt: Runtime, staff: SignedInUser
) -> None:
    first, second = bed_ids()
    stays.check_in(rt, staff, form(first))
    stays.check_in(rt, staff, form(second, CPR_B))
    token = changes.change_token(rt)
    beds.board(rt, staff)
    assert actions()[-2:] == ["beds.view", "beds.view"]
    assert changes.change_token(rt) == token
    with connection():
        assert Person.select().count() == 2


def test_disabled_user_is_refused(rt: Runtime, staff: SignedInUser) -> None:

    accounts.set_active(rt, None, "mette", False)
    with pytest.raises(PermissionDenied):
        beds.board(rt, staff)
    with pytest.raises(PermissionDenied):
        stays.check_in(rt, staff, form(bed_ids()[0]))
