"""The night limit counts nights slept across stays; slept nights are never erased (issue 15 §4).

The attack: each evening staff checked the guest out "30 minutes after the
previous check-in" (``TT:MM`` read as yesterday, so the night looked unslept
and was deleted) and checked them in again: 7 stays, 1 night. These tests
run on SQLite here and on PostgreSQL in tests/postgres/test_pg_reused.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from akut_tui.core.errors import PermissionDenied, ValidationError
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import nights, stays
from db.database import connection
from db.models import Stay, StayNight
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, actions, bed_ids, form, session


def _people(rt: Runtime) -> tuple[SignedInUser, SignedInUser]:
    return session(rt, "mette", display="Mette"), session(rt, "lea", "leder", display="Lea")


def _slept_nights() -> int:
    with connection():
        return StayNight.select().count()


def test_backdated_checkout_is_refused_and_keeps_the_slept_night(
    rt: Runtime, clock: FakeClock
) -> None:
    staff, _leader = _people(rt)
    checked_in = clock.current  # 20:00 local
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0], CPR_A)).stay_id
    clock.advance(hours=24)  # the next evening; the night has been slept
    with pytest.raises(ValidationError, match="natten er begyndt") as info:
        nights.check_out(rt, staff, stay_id, checked_in + timedelta(minutes=30))
    assert info.value.field == "at"
    assert _slept_nights() == 1
    nights.check_out(rt, staff, stay_id, clock.current)
    assert _slept_nights() == 1  # checked out, the night slept stays


def test_checkout_before_midnight_frees_the_unslept_night(rt: Runtime, clock: FakeClock) -> None:
    staff, _leader = _people(rt)
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0], CPR_A)).stay_id
    clock.advance(hours=2)  # 22:00, the guest left before sleeping
    nights.check_out(rt, staff, stay_id, clock.current)
    assert _slept_nights() == 0


def test_checkout_in_the_same_minute_as_the_check_in_is_accepted(
    rt: Runtime, clock: FakeClock
) -> None:
    staff, _leader = _people(rt)
    clock.advance(seconds=30)  # checked in at 20:00:30
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0], CPR_A)).stay_id
    clock.advance(seconds=10)
    typed = clock.current.replace(second=0)  # "20:00" typed in the dialog
    result = nights.check_out(rt, staff, stay_id, typed)
    assert "tjekket ud" in result.message
    assert _slept_nights() == 0


def test_seven_evenings_of_checkout_and_check_in_cannot_pass_the_limit(
    rt: Runtime, clock: FakeClock
) -> None:
    staff, _leader = _people(rt)
    with connection():
        bed = bed_ids()[0]
    stay_id = stays.check_in(rt, staff, form(bed, CPR_A)).stay_id
    refused = 0
    for _evening in range(6):
        previous_check_in = clock.current
        clock.advance(hours=24)
        try:
            nights.check_out(rt, staff, stay_id, previous_check_in + timedelta(minutes=30))
        except ValidationError:
            nights.check_out(rt, staff, stay_id, clock.current)
        try:
            stay_id = stays.check_in(rt, staff, form(bed, CPR_A)).stay_id
        except PermissionDenied as exc:
            assert "kun en leder" in str(exc).lower()
            refused += 1
            break
    with connection():
        stays_made = Stay.select().count()
    assert _slept_nights() == stays_made  # every stay kept its night
    assert refused == 1 and stays_made == 1  # the gap rule holds after the first stay


def test_fourth_night_in_a_row_across_stays_needs_a_leader_every_time(
    rt: Runtime, clock: FakeClock
) -> None:
    staff, leader = _people(rt)
    bed = bed_ids()[0]
    reason = "Ingen anden plads i kommunen i aften"
    # Night 1, then a leader lets the guest start a new stay the next night (gap override).
    stay_id = stays.check_in(rt, staff, form(bed, CPR_A)).stay_id
    clock.advance(hours=24)
    nights.check_out(rt, staff, stay_id, clock.current)
    stay_id = stays.check_in(rt, leader, form(bed, CPR_A, override_reason=reason)).stay_id
    # Night 2 of the new stay is the guest's 3rd night in a row: still allowed.
    nights.decide_night(rt, staff, stay_id, "forlaeng")
    clock.advance(hours=24)
    # The 4th night in a row is night 3 of this stay: staff is refused.
    with pytest.raises(PermissionDenied, match="nat 4 i træk"):
        nights.decide_night(rt, staff, stay_id, "forlaeng", override_reason=reason)
    nights.decide_night(rt, leader, stay_id, "forlaeng", override_reason=reason)
    assert actions().count("stay.override_max") == 1
    with connection():
        fourth = StayNight.select().order_by(StayNight.night_date.desc()).first()
        assert fourth.override_reason == reason


def test_fourth_night_by_check_in_after_a_leader_gap_override_needs_a_leader(
    rt: Runtime, clock: FakeClock
) -> None:
    staff, leader = _people(rt)
    bed = bed_ids()[0]
    reason = "Ingen anden plads i kommunen i aften"
    stay_id = stays.check_in(rt, staff, form(bed, CPR_A)).stay_id
    for _ in range(2):
        nights.decide_night(rt, staff, stay_id, "forlaeng")
        clock.advance(hours=24)
    clock.advance(hours=24)  # the evening after night 3: check out, then in again at once
    nights.check_out(rt, staff, stay_id, clock.current)
    with pytest.raises(PermissionDenied, match="nat 4 i træk"):
        stays.check_in(rt, staff, form(bed, CPR_A, override_reason=reason))
    stays.check_in(rt, leader, form(bed, CPR_A, override_reason=reason))
    assert "stay.override_max" in actions()
