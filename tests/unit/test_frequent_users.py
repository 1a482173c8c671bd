"""Frequent users and special attention (issue 18 §4): the service, its rules and its audit."""

from __future__ import annotations

from datetime import date

import pytest

from akut_tui.core.errors import PermissionDenied, ValidationError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.services.oversight import frequent_users
from db.database import connection
from db.models import AuditEvent, Person
from tests.oversight_fixture import frequent_fixture, login


def _events() -> list[AuditEvent]:
    with connection():
        return list(AuditEvent.select().order_by(AuditEvent.seq))


def test_the_list_counts_crisis_contacts_in_the_window_most_first(rt: Runtime) -> None:
    people = frequent_fixture()
    coord = login(rt, "kirsten", "koordinator")
    month = frequent_users.frequent_users(rt, coord, 30)
    assert month.first == "22-10-2026"
    ida = month.rows[0]
    assert (ida.id, ida.label, ida.contacts) == (people.ida, "Ida", 3)  # the silent call is not
    assert dict(ida.by_channel) == {"telefon": 2, "fremmoede": 1, "virtuel": 0}
    assert ida.levels == ("let", "middel", "alvorlig")
    assert ida.nights == 2
    assert (ida.attention, ida.plan) == (True, "SP-12")
    assert [r.id for r in month.rows].index(people.ole) > 0
    quarter = frequent_users.frequent_users(rt, coord, 90)
    assert (quarter.rows[0].id, quarter.rows[0].contacts) == (people.ole, 5)
    assert quarter.rows[0].plan == ""


def test_a_flag_that_ran_out_shows_no_plan(rt: Runtime) -> None:
    people = frequent_fixture()
    with connection():
        Person.update(special_attention_until=date(2026, 11, 1)).where(
            Person.id == people.ida
        ).execute()
    coord = login(rt, "kirsten", "koordinator")
    ida = frequent_users.frequent_users(rt, coord, 30).rows[0]
    assert (ida.attention, ida.plan) == (False, "")


def test_staff_are_refused_in_the_service(rt: Runtime) -> None:
    people = frequent_fixture()
    staff = login(rt, "mette", "medarbejder")
    with pytest.raises(PermissionDenied):
        frequent_users.frequent_users(rt, staff, 30)
    with pytest.raises(PermissionDenied):
        frequent_users.person_history(rt, staff, people.ida)
    assert not [e for e in _events() if e.action.startswith("frequent_users")]


def test_only_the_offered_windows(rt: Runtime) -> None:
    coord = login(rt, "kirsten", "koordinator")
    with pytest.raises(ValidationError):
        frequent_users.frequent_users(rt, coord, 7)


def test_opening_a_person_lists_codes_in_date_order_and_is_audited_as_a_read(
    rt: Runtime,
) -> None:
    people = frequent_fixture()
    leader = login(rt, "lea", "leder")
    before = len(_events())
    history = frequent_users.person_history(rt, leader, people.ida)
    assert [c.crisis_level for c in history.contacts] == ["let", "middel", "", "alvorlig"]
    assert [c.contact_type for c in history.contacts][2] == "stille_opkald"
    assert history.contacts == tuple(sorted(history.contacts, key=lambda c: c.started_at))
    assert "hemmelig" not in repr(history)
    (event,) = _events()[before:]
    assert (event.action, event.object_type, event.object_id, event.person_ref) == (
        "frequent_users.open",
        "person",
        str(people.ida),
        str(people.ida),
    )
    assert event.user_id == leader.user_id


def test_the_list_is_audited_once(rt: Runtime) -> None:
    frequent_fixture()
    coord = login(rt, "kirsten", "koordinator")
    before = len(_events())
    frequent_users.frequent_users(rt, coord, 365)
    (event,) = _events()[before:]
    assert (event.action, event.object_id) == ("frequent_users.list", "365")


def test_the_plan_reference_is_a_short_code(rt: Runtime) -> None:
    people = frequent_fixture()
    coord = login(rt, "kirsten", "koordinator")
    persons.set_special_attention(rt, coord, people.ole, None, True, plan=" SP-7 ")
    with connection():
        assert Person.get_by_id(people.ole).special_attention_plan == "SP-7"
    for bad in ("Ring til hans mor hver dag", "x" * 13, "010190-1234"):
        with pytest.raises(ValidationError) as info:
            persons.set_special_attention(rt, coord, people.ole, None, True, plan=bad)
        assert info.value.field == "plan"
        assert "0101" not in str(info.value)
    persons.set_special_attention(rt, coord, people.ole, None, False)
    with connection():
        assert Person.get_by_id(people.ole).special_attention_plan is None
