"""The handover means what it says (issue 14 §3), through the service API.

Only the incoming shift signs, inside the handover window; a change after a
signature is marked new and asks for a new signature; only the author or a
leader deletes and the line "slettet af" stays; the previous shift's handover
is read-only for the incoming shift except signing and ticking off; and the
"may I" query refuses before any dialog opens.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from akut_tui.core.errors import PermissionDenied
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import handover, handover_items
from akut_tui.services.night.handover import ShiftRef
from tests.conftest import FakeClock
from tests.night_helpers import actions, session

DAY = date(2026, 11, 20)
EVENING = ShiftRef("aften", DAY)  # 15:00-23:00 local; the clock fixture is 20:00 local
NIGHT = ShiftRef("nat", DAY)


def _local(clock: FakeClock, hour: int, minute: int = 0) -> None:
    """Set the clock to ``hour:minute`` local time on 20-11-2026 (UTC+1)."""
    clock.current = datetime(2026, 11, 20, hour - 1, minute, tzinfo=UTC)


@pytest.fixture
def mette(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


@pytest.fixture
def jonas(rt: Runtime) -> SignedInUser:
    """Mette's colleague on the evening shift (signed in at 20:00)."""
    return session(rt, "jonas", display="Jonas")


def test_a_same_shift_colleague_cannot_sign(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Stille aften")
    with pytest.raises(PermissionDenied, match="fra kl. 22:30"):
        handover.acknowledge(rt, jonas, EVENING)  # hours before the shift ends
    _local(clock, 22, 40)
    with pytest.raises(PermissionDenied, match="vagt, der overleverer"):
        handover.acknowledge(rt, jonas, EVENING)  # in the window, but of the outgoing shift
    with pytest.raises(PermissionDenied, match="vagt, der overleverer"):
        handover.check_may(rt, jonas, EVENING, "sign")
    ida = session(rt, "ida", display="Ida")  # the incoming shift signs in at 22:40
    handover.check_may(rt, ida, EVENING, "sign")
    assert handover.acknowledge(rt, ida, EVENING) == ("Ida",)
    assert actions().count("handover.ack") == 1


def test_signing_closes_with_the_handover_window(
    rt: Runtime, mette: SignedInUser, clock: FakeClock
) -> None:
    handover.set_summary(rt, mette, EVENING, state="rolig")
    _local(clock, 23, 59)
    ida = session(rt, "ida", display="Ida")
    assert handover.pending(rt, ida) is not None
    clock.advance(minutes=1)  # 00:00: one hour into the night shift
    late = session(rt, "bo", display="Bo")
    with pytest.raises(PermissionDenied, match="udløbet"):
        handover.acknowledge(rt, late, EVENING)
    assert handover.pending(rt, late) is None


def test_an_item_added_after_signing_is_new_and_asks_for_a_new_signature(
    rt: Runtime, mette: SignedInUser, clock: FakeClock
) -> None:
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Stille aften")
    _local(clock, 22, 45)
    ida = session(rt, "ida", display="Ida")
    handover.acknowledge(rt, ida, EVENING)
    view = handover.view(rt, ida, EVENING)
    assert view.acked_by == ("Ida",) and not any(i.new for i in view.items)
    clock.advance(minutes=5)
    due = clock.current + timedelta(hours=2)
    handover_items.add_item(rt, mette, EVENING, "handling", "Ring bosted", owner="Nat", due_at=due)
    view = handover.view(rt, ida, EVENING)
    assert [(i.body, i.new) for i in view.items] == [("Stille aften", False), ("Ring bosted", True)]
    assert view.acked_by == () and view.earlier_acks == ("Ida",)
    assert handover.pending(rt, ida) is not None  # offered again: not signed as it is
    clock.advance(minutes=1)
    assert handover.acknowledge(rt, ida, EVENING) == ("Ida",)  # the new signature
    view = handover.view(rt, ida, EVENING)
    assert view.acked_by == ("Ida",) and view.earlier_acks == ()
    assert not any(i.new for i in view.items)
    # Changing a text is a change too; an unchanged save is not.
    clock.advance(minutes=1)
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Stille aften")
    assert handover.view(rt, ida, EVENING).acked_by == ("Ida",)
    handover.set_summary(rt, mette, EVENING, state="rolig", situation="Uro kl. 22:50")
    view = handover.view(rt, ida, EVENING)
    assert [i.new for i in view.items] == [True, False]
    assert view.earlier_acks == ("Ida",)


def test_only_the_author_or_a_leader_deletes_and_the_line_stays(
    rt: Runtime, mette: SignedInUser, jonas: SignedInUser, clock: FakeClock
) -> None:
    plan = handover_items.add_item(rt, mette, EVENING, "hvis_saa", "Hvis alarmen går: ring")
    other = handover_items.add_item(rt, jonas, EVENING, "hvis_saa", "Hvis politiet ringer")
    with pytest.raises(PermissionDenied, match="Kun den der skrev"):
        handover_items.check_may_delete(rt, jonas, plan)
    with pytest.raises(PermissionDenied, match="Kun den der skrev"):
        handover_items.delete_item(rt, jonas, plan)
    handover_items.check_may_delete(rt, mette, plan)
    _local(clock, 21, 12)
    handover_items.delete_item(rt, mette, plan)
    clock.advance(days=1)  # long after the shift: only a leader may still delete
    with pytest.raises(PermissionDenied):
        handover_items.delete_item(rt, jonas, other)
    leader = session(rt, "lea", "leder", display="Lea")
    handover_items.delete_item(rt, leader, other)
    items = handover.view(rt, leader, EVENING).items
    assert [(i.body, i.deleted_by) for i in items] == [("", "Mette"), ("", "Lea")]
    deleted_at = items[0].deleted_at
    assert deleted_at is not None and deleted_at.astimezone(UTC).hour == 20  # 21:12 local
    assert actions().count("handover.delete") == 2


def test_the_previous_handover_is_read_only_for_the_incoming_shift(
    rt: Runtime, mette: SignedInUser, clock: FakeClock
) -> None:
    handover.set_summary(rt, mette, EVENING, state="rolig")
    due = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    action = handover_items.add_item(
        rt, mette, EVENING, "handling", "Tjek", owner="Nat", due_at=due
    )
    _local(clock, 23, 30)  # the night shift's first hour
    ida = session(rt, "ida", display="Ida")
    with pytest.raises(PermissionDenied, match="kun til læsning"):
        handover.check_may(rt, ida, EVENING, "write")
    with pytest.raises(PermissionDenied, match="kun til læsning"):
        handover_items.add_item(rt, ida, EVENING, "hvis_saa", "Hvis noget")
    with pytest.raises(PermissionDenied, match="kun til læsning"):
        handover.set_summary(rt, ida, EVENING, state="ustabil")
    assert not handover.view(rt, ida, EVENING).editable
    # The outgoing writer may still finish, and the incoming shift ticks off and signs.
    assert handover.view(rt, mette, EVENING).editable
    handover.check_may(rt, mette, EVENING, "write")
    handover_items.add_item(rt, mette, EVENING, "hvis_saa", "Hvis nøglen mangler: ring")
    handover_items.tick_action(rt, ida, action)
    handover.acknowledge(rt, ida, EVENING)
    handover.check_may(rt, ida, NIGHT, "write")  # her own shift


def test_the_may_query_refuses_writing_outside_the_window(rt: Runtime, mette: SignedInUser) -> None:
    with pytest.raises(PermissionDenied, match="første time"):
        handover.check_may(rt, mette, NIGHT, "write")


def test_the_incoming_shift_may_not_write_the_handover_before_the_change(
    rt: Runtime, mette: SignedInUser, clock: FakeClock
) -> None:
    """Arriving at 22:40 for the night, Ida reads and signs the evening handover, never adds."""
    handover.set_summary(rt, mette, EVENING, state="rolig")
    _local(clock, 22, 40)
    ida = session(rt, "ida", display="Ida")
    with pytest.raises(PermissionDenied, match="kun til læsning"):
        handover_items.add_item(rt, ida, EVENING, "hvis_saa", "Hvis noget")
    assert not handover.view(rt, ida).editable
    handover_items.add_item(rt, mette, EVENING, "hvis_saa", "Hvis alarmen går: ring")
    handover.acknowledge(rt, ida, EVENING)
