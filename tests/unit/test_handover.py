"""Handover rules through the service API (docs/domain.md §4, §2.7; I-PASS structure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from akut_tui.core.errors import NotFound, PermissionDenied, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.audit import retention
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import save_contact
from akut_tui.services.night import beds, changes, handover, handover_items, nights, outreach, stays
from akut_tui.services.night.handover import ShiftRef
from db.database import connection
from db.models import HandoverAck, HandoverNote
from tests.conftest import PASSWORD, FakeClock
from tests.night_helpers import CPR_A, CPR_B, actions, bed_ids, form, session

DAY = date(2026, 11, 20)
EVENING = ShiftRef("aften", DAY)  # the clock fixture: 20:00 local
NIGHT = ShiftRef("nat", DAY)


@pytest.fixture
def mette(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


@pytest.fixture
def jonas(rt: Runtime) -> SignedInUser:
    return session(rt, "jonas", display="Jonas")


@pytest.fixture
def ida(rt: Runtime) -> SignedInUser:
    return session(rt, "ida", display="Ida")


@pytest.fixture
def coordinator(rt: Runtime) -> SignedInUser:
    return session(rt, "kim", "koordinator", display="Kim")


def _to_night(clock: FakeClock) -> None:
    clock.current = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)  # 23:30 local


def _arrive(rt: Runtime, name: str) -> SignedInUser:
    """``name`` signs in now (the incoming shift signs in for its shift)."""
    return auth.login(rt, name, PASSWORD)


def test_summary_is_validated(rt: Runtime, mette: SignedInUser) -> None:
    with pytest.raises(ValidationError, match="rolig, hold øje"):
        handover.set_summary(rt, mette, EVENING, state="kaos")
    with pytest.raises(ValidationError, match="Højst 300 tegn") as info:
        handover.set_summary(rt, mette, EVENING, state="rolig", situation="x" * 301)
    assert info.value.field == "situation"
    with pytest.raises(ValidationError, match="CPR"):
        handover.set_summary(rt, mette, EVENING, state="rolig", free_text="Gæst 010180-1235")
    with connection():
        assert HandoverNote.select().count() == 0


def test_write_and_view(rt: Runtime, mette: SignedInUser, clock: FakeClock) -> None:
    token = changes.change_token(rt)
    handover.set_summary(
        rt, mette, EVENING, state="hold_oeje", situation="Travl aften", free_text="Nøgle i skab"
    )
    assert changes.change_token(rt) != token
    due = clock.current + timedelta(hours=10)
    handover_items.add_item(
        rt, mette, EVENING, "handling", "Ring til bosted", owner="Dag", due_at=due
    )
    handover_items.add_item(rt, mette, EVENING, "hvis_saa", "Hvis politiet ringer: ring leder")
    view = handover.view(rt, mette)
    assert view.label == "Aften 20-11-2026" and view.state == "hold_oeje" and view.editable
    kinds = [(i.category, i.body) for i in view.items]
    assert kinds == [
        ("situation", "Travl aften"),
        ("fri", "Nøgle i skab"),
        ("handling", "Ring til bosted"),
        ("hvis_saa", "Hvis politiet ringer: ring leder"),
    ]
    action = view.items[2]
    assert action.owner == "Dag" and action.due_at == due and action.author == "Mette"
    # A second save replaces, and an emptied field leaves only "slettet af".
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Stille")
    view = handover.view(rt, mette)
    assert view.state == "rolig"
    texts = [(i.body, i.deleted_by) for i in view.items if i.category in ("situation", "fri")]
    assert texts == [("Stille", ""), ("", "Mette")]
    assert "handover.read" in actions()


def test_action_needs_owner_and_time_and_is_limited(rt: Runtime, mette: SignedInUser) -> None:
    due = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="ansvarlig"):
        handover_items.add_item(rt, mette, EVENING, "handling", "Ring", owner=" ", due_at=due)
    with pytest.raises(ValidationError, match="tidspunkt"):
        handover_items.add_item(rt, mette, EVENING, "handling", "Ring", owner="Dag")
    with pytest.raises(ValidationError, match="Højst 120"):
        handover_items.add_item(rt, mette, EVENING, "handling", "x" * 121, owner="D", due_at=due)
    for n in range(5):
        handover_items.add_item(rt, mette, EVENING, "hvis_saa", f"Plan {n}")
    with pytest.raises(ValidationError, match="Højst 5 punkter"):
        handover_items.add_item(rt, mette, EVENING, "hvis_saa", "En for meget")


def test_writing_is_limited_to_the_shift_and_one_hour_after(
    rt: Runtime, mette: SignedInUser, clock: FakeClock
) -> None:
    with pytest.raises(PermissionDenied, match="første time"):
        handover.set_summary(rt, mette, NIGHT, state="rolig")
    clock.current = datetime(2026, 11, 20, 22, 59, tzinfo=UTC)  # 23:59 local, night shift
    handover.set_summary(rt, mette, EVENING, state="rolig")  # grace hour
    assert handover.view(rt, mette, EVENING).editable
    clock.advance(minutes=2)
    with pytest.raises(PermissionDenied):
        handover.set_summary(rt, mette, EVENING, state="ustabil")
    assert not handover.view(rt, mette, EVENING).editable


def test_night_pair_both_sign_and_writer_cannot(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, ida: SignedInUser, clock: FakeClock
) -> None:
    with pytest.raises(NotFound):
        handover.acknowledge(rt, jonas, EVENING)
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Stille aften")
    _to_night(clock)
    jonas, ida = _arrive(rt, "jonas"), _arrive(rt, "ida")  # the incoming night pair
    with pytest.raises(PermissionDenied, match="egen overlevering"):
        handover.acknowledge(rt, mette, EVENING)
    assert handover.acknowledge(rt, jonas, EVENING) == ("Jonas",)
    with pytest.raises(ValidationError, match="allerede kvitteret"):
        handover.acknowledge(rt, jonas, EVENING)
    assert handover.acknowledge(rt, ida, EVENING) == ("Jonas", "Ida")
    assert handover.view(rt, ida, EVENING).acked_by == ("Jonas", "Ida")
    assert actions().count("handover.ack") == 2


def test_unacknowledged_handover_is_pending_at_the_next_login(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    assert handover.pending(rt, jonas) is None
    handover.set_summary(rt, mette, EVENING, state="ustabil")
    assert handover.pending(rt, jonas) is None  # still the same shift
    _to_night(clock)
    assert handover.pending(rt, mette) is None  # the writer is not asked
    assert handover.pending(rt, jonas) is None  # signed in on the outgoing shift
    jonas = _arrive(rt, "jonas")
    summary = handover.pending(rt, jonas)
    assert summary is not None and summary.label == "Aften 20-11-2026"
    assert summary.state == "ustabil" and summary.items == 1
    handover.acknowledge(rt, jonas, EVENING)
    assert handover.pending(rt, jonas) is None


def test_next_shift_ticks_actions_off(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    due = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    item = handover_items.add_item(
        rt, mette, EVENING, "handling", "Tjek alarm", owner="Nat", due_at=due
    )
    _to_night(clock)
    handover_items.tick_action(rt, jonas, item)
    [action] = handover.view(rt, jonas, EVENING).items
    assert action.done_at == clock.current and action.done_by == "Jonas"
    handover_items.tick_action(rt, jonas, item, done=False)
    assert handover.view(rt, jonas, EVENING).items[0].done_at is None


def test_pins_show_in_later_handovers_until_resolved(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    item = handover_items.add_item(rt, mette, EVENING, "hvis_saa", "Hvis alarmen går: ring vagt")
    with pytest.raises(ValidationError, match="slettefristen"):
        handover_items.pin_item(rt, mette, item, DAY + timedelta(days=15))
    with pytest.raises(ValidationError, match="fortiden"):
        handover_items.pin_item(rt, mette, item, DAY - timedelta(days=1))
    handover_items.pin_item(rt, mette, item, DAY + timedelta(days=3))
    clock.advance(days=2)
    view = handover.view(rt, jonas)
    assert [p.body for p in view.pinned] == ["Hvis alarmen går: ring vagt"]
    assert view.pinned[0].shift_date == DAY
    handover_items.resolve_item(rt, jonas, item)
    assert handover.view(rt, jonas).pinned == ()
    clock.advance(days=5)
    handover_items.pin_item(rt, mette, item, None)


def test_history_search_retention_and_purge(
    rt: Runtime, mette: SignedInUser, coordinator: SignedInUser, clock: FakeClock
) -> None:
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Stille aften")
    clock.advance(days=1)
    handover.set_summary(
        rt,
        mette,
        ShiftRef("aften", DAY + timedelta(days=1)),
        state="ustabil",
        situation="Politiet kom forbi",
    )
    with pytest.raises(PermissionDenied):
        handover.history(rt, mette)
    with pytest.raises(PermissionDenied):
        handover.view(rt, mette, ShiftRef("dag", DAY - timedelta(days=3)))
    labels = [h.label for h in handover.history(rt, coordinator)]
    assert labels == ["Aften 21-11-2026", "Aften 20-11-2026"]
    assert [h.label for h in handover.history(rt, coordinator, "POLITIET")] == ["Aften 21-11-2026"]
    assert handover.view(rt, coordinator, EVENING).state == "rolig"
    clock.current = datetime(2026, 12, 5, 19, 0, tzinfo=UTC)  # 15 days after 20-11
    assert [h.label for h in handover.history(rt, coordinator)] == ["Aften 21-11-2026"]
    report = retention.purge(rt, run_vacuum=False)
    assert {line.setting: line.count for line in report.lines}["handover_days"] == 2
    with connection():
        assert HandoverNote.select().count() == 2
        assert HandoverAck.select().count() == 0


def test_derived_prefill_from_a_prepared_shift(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    _to_night(clock)
    save_contact(rt, mette, ContactInput(channel="telefon", crisis_level="let"))
    save_contact(rt, mette, ContactInput(channel="telefon", crisis_level="let"))
    save_contact(
        rt,
        mette,
        ContactInput(channel="telefon", crisis_level="alvorlig", escalations=["112", "politi"]),
    )
    save_contact(rt, mette, ContactInput(channel="fremmoede", turned_away="rusmidler"))
    first, second = bed_ids()
    one = stays.check_in(rt, mette, form(first, nickname="Bo")).stay_id
    stays.check_in(rt, mette, form(second, CPR_B))
    nights.decide_night(rt, mette, one, "forlaeng")
    beds.log_bed_request(rt, mette)
    trip = outreach.depart(rt, jonas)
    clock.advance(minutes=45)
    outreach.return_trip(rt, jonas, trip.id)
    save_contact(
        rt,
        mette,
        ContactInput(
            channel="telefon",
            followup_wanted=True,
            identity="cpr",
            cpr_text=CPR_A,
            crisis_level="middel",
        ),
    )

    figures = handover.view(rt, mette, NIGHT).derived
    assert figures is not None
    assert figures.contacts_by_level == (
        ("Alvorlig", 1),
        ("Middelsvær", 1),
        ("Let", 2),
        ("Ikke vurderet", 3),  # the turned-away walk-in and the two overnight arrivals
    )
    assert figures.contacts_total == 7 and figures.severe == 1
    assert figures.escalations == (("112", 1), ("Politi", 1))
    assert figures.turned_away == (("Påvirket af rusmidler/alkohol", 1),)
    assert figures.beds == (
        ("Seng 1", "Optaget 1/3 · Forlæng"),
        ("Seng 2", "Optaget 1/3 · beslutning mangler"),
    )
    assert figures.unmet_bed_requests == 1
    assert [(t.user, t.returned_at is not None) for t in figures.trips] == [("Jonas", True)]
    assert figures.followups_due == 0  # due in 14 days, not tomorrow
    assert "Bo" not in repr(figures.beds)  # no guest names in the handover
    # The evening shift before has none of it.
    evening = handover.view(rt, mette, EVENING).derived
    assert evening is not None and evening.contacts_total == 0 and evening.trips == ()
