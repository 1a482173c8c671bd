"""The hostile-text corpus in every note field of the night work (docs/security.md rows 12-15).

Each value is refused with a field error, or stored and read back exactly as
the sanitiser leaves it (controls and bidi removed, markup and SQL literal).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from akut_tui.core.errors import ValidationError
from akut_tui.core.sanitize import clean_text, is_clean
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import clean_nickname
from akut_tui.services.night import beds, handover, handover_items, nights, stays
from akut_tui.services.night.handover import LIMITS, ShiftRef
from db.database import connection
from db.models import Bed, Contact, ContactValue, HandoverNote, Person, Stay, StayNight
from tests.night_helpers import CPR_A, bed_ids, form, session
from tests.unit.test_hostile_text import CORPUS

EVENING = ShiftRef("aften", datetime(2026, 11, 20).date())
DUE = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette")


@pytest.fixture
def leader(rt: Runtime) -> SignedInUser:
    return session(rt, "lea", "leder")


def _single(value: str, limit: int) -> str | None:
    """What a single-line field stores, or None when it must be refused."""
    expected = clean_text(value).strip()
    return expected if expected and len(expected) <= limit else None


def _check(outcome: dict[str, int], expected: str | None, call: Any, read: Any) -> None:
    if expected is None:
        with pytest.raises(ValidationError) as info:
            call()
        assert str(info.value)
        outcome["refused"] += 1
        return
    call()
    stored = read()
    assert stored == expected and is_clean(stored, multiline=True)
    outcome["stored"] += 1


def test_summary_fields(rt: Runtime, staff: SignedInUser) -> None:
    """Situation (read through the view) and free text (multi-line) in one save per value."""
    outcome = {"stored": 0, "refused": 0}
    for value in CORPUS:
        situation = clean_text(value).strip()
        free = clean_text(value, multiline=True).strip()
        if len(situation) > LIMITS["situation"] or len(free) > LIMITS["fri"]:
            with pytest.raises(ValidationError) as info:
                handover.set_summary(
                    rt, staff, EVENING, state="rolig", situation=value, free_text=value
                )
            assert info.value.field in ("situation", "fri")
            outcome["refused"] += 1
            continue
        handover.set_summary(rt, staff, EVENING, state="rolig", situation=value, free_text=value)
        items = handover.view(rt, staff).items
        stored = {i.category: i.body for i in items if i.deleted_at is None}  # not "slettet"
        assert stored == {k: v for k, v in (("situation", situation), ("fri", free)) if v}
        assert all(is_clean(v, multiline=True) for v in stored.values())
        outcome["stored"] += 1
    assert outcome["stored"] and outcome["refused"]


def test_item_fields(rt: Runtime, staff: SignedInUser) -> None:
    """Action text and owner, and an if-then plan, for every value."""
    outcome = {"stored": 0, "refused": 0}
    for value in CORPUS:
        body = _single(value, LIMITS["handling"])
        owner = _single(value, 40)
        plan = _single(value, LIMITS["hvis_saa"])
        if body is None or owner is None:
            with pytest.raises(ValidationError):
                handover_items.add_item(
                    rt, staff, EVENING, "handling", value, owner=value, due_at=DUE
                )
            outcome["refused"] += 1
        else:
            handover_items.add_item(rt, staff, EVENING, "handling", value, owner=value, due_at=DUE)
            outcome["stored"] += 1
        if plan is None:
            with pytest.raises(ValidationError):
                handover_items.add_item(rt, staff, EVENING, "hvis_saa", value)
        else:
            handover_items.add_item(rt, staff, EVENING, "hvis_saa", value)
        with connection():
            rows = {(n.category, n.body, n.owner) for n in HandoverNote.select()}
            HandoverNote.delete().execute()
        expected = set()
        if body is not None and owner is not None:
            expected.add(("handling", body, owner))
        if plan is not None:
            expected.add(("hvis_saa", plan, None))
        assert rows == expected
    assert outcome["stored"] and outcome["refused"]


def test_history_search_with_hostile_text(rt: Runtime, staff: SignedInUser) -> None:
    coordinator = session(rt, "kim", "koordinator")
    handover.set_summary(rt, staff, EVENING, state="rolig", situation="[b]x[/b] %_\\")
    for value in CORPUS:
        if len(clean_text(value).strip()) > handover.SEARCH_MAX:
            with pytest.raises(ValidationError, match="Søgeteksten"):
                handover.history(rt, coordinator, value)
        else:
            assert isinstance(handover.history(rt, coordinator, value), list)
    [hit] = handover.history(rt, coordinator, "%_\\")
    assert hit.items == 2


def test_guest_nickname(rt: Runtime, staff: SignedInUser) -> None:
    first = bed_ids()[0]
    for value in CORPUS:
        result = stays.check_in(rt, staff, form(first, CPR_A, nickname=value))
        expected = clean_nickname(value)
        with connection():
            stored = Stay.get_by_id(result.stay_id).person.nickname
            StayNight.delete().execute()
            Stay.delete().execute()
            ContactValue.delete().execute()
            Contact.delete().execute()
            Person.delete().execute()
        assert stored == (expected or None)
        assert result.guest == expected if expected else result.guest.startswith("Gæst nr. ")
        assert is_clean(result.guest)


def test_referred_to_and_override_and_bed_reason(
    rt: Runtime, staff: SignedInUser, leader: SignedInUser
) -> None:
    first, second = bed_ids()
    stay_id = stays.check_in(rt, staff, form(first)).stay_id
    outcome = {"stored": 0, "refused": 0}
    for value in CORPUS:

        def read_referral() -> str:
            with connection():
                return str(StayNight.get(StayNight.stay == stay_id).referred_to)

        _check(
            outcome,
            _single(value, nights.REFERRED_MAX),
            lambda value=value: nights.decide_night(
                rt, staff, stay_id, "henvist", referred_to=value
            ),
            read_referral,
        )

        def read_reason() -> str:
            with connection():
                return str(Bed.get_by_id(second).out_of_service_reason)

        _check(
            outcome,
            _single(value, beds.REASON_MAX),
            lambda value=value: beds.set_out_of_service(rt, leader, second, value),
            read_reason,
        )
        beds.set_out_of_service(rt, leader, second, None)
        expected = _single(value, beds.OVERRIDE_MAX)
        if expected is not None and len(expected) < beds.OVERRIDE_MIN:
            expected = None
        with pytest.raises(ValidationError) if expected is None else _nothing():
            beds.leader_override(leader, "leder", value, "Test.")
    assert outcome["stored"] and outcome["refused"]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None
