"""Bed settings in the service layer (issue 18 §7): beds, out-of-service history, add, rename."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from akut_tui.core.errors import PermissionDenied, ValidationError
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import bed_settings, beds
from akut_tui.services.startup.setup import REMOVED_REASON, sync_beds
from db.database import connection
from db.models import AuditEvent, Bed, BedOutOfService
from tests.conftest import FakeClock
from tests.night_helpers import bed_ids, session


@pytest.fixture
def people(rt: Runtime) -> dict[str, SignedInUser]:
    return {
        "leder": session(rt, "lea", "leder"),
        "koordinator": session(rt, "kim", "koordinator"),
        "medarbejder": session(rt, "ole", "medarbejder"),
    }


def _beds() -> list[tuple[object, ...]]:
    with connection():
        return [
            (b.id, b.name, b.out_of_service, b.config_name, b.added_in_app)
            for b in Bed.select().order_by(Bed.sort_order, Bed.id)
        ]


@pytest.mark.parametrize("role", ["medarbejder", "koordinator"])
@pytest.mark.parametrize("call", ["list", "history", "add", "rename"])
def test_only_a_leader_sees_and_changes_bed_settings(
    rt: Runtime, people: dict[str, SignedInUser], role: str, call: str
) -> None:
    first = bed_ids()[0]
    calls: dict[str, Callable[[SignedInUser], Any]] = {
        "list": lambda s: bed_settings.list_beds(rt, s),
        "history": lambda s: bed_settings.out_of_service_history(rt, s, first),
        "add": lambda s: bed_settings.add_bed(rt, s, "Seng 3"),
        "rename": lambda s: bed_settings.rename_bed(rt, s, first, "Seng A"),
    }
    before = _beds()
    with connection():
        events = AuditEvent.select().count()
    with pytest.raises(PermissionDenied, match="Din rolle giver ikke adgang"):
        calls[call](people[role])
    assert _beds() == before
    with connection():
        assert AuditEvent.select().count() == events


def test_history_shows_periods_newest_first_with_reason_and_who(
    rt: Runtime, people: dict[str, SignedInUser], clock: FakeClock
) -> None:
    lea = people["leder"]
    first = bed_ids()[0]
    beds.set_out_of_service(rt, lea, first, "Vandskade")
    clock.advance(days=2)
    beds.set_out_of_service(rt, lea, first, None)
    clock.advance(days=1)
    beds.set_out_of_service(rt, lea, first, "ABA-anlæg")
    periods = bed_settings.out_of_service_history(rt, lea, first)
    assert [(p.reason, p.started_by, p.ended_by, p.ended_at is None) for p in periods] == [
        ("ABA-anlæg", "lea", "", True),
        ("Vandskade", "lea", "lea", False),
    ]
    listed = {b.id: b for b in bed_settings.list_beds(rt, lea)}
    assert listed[first].out_of_service and listed[first].reason == "ABA-anlæg"
    assert listed[first].periods == 2 and listed[first].source == "konfiguration"


def test_added_and_renamed_beds_survive_a_restart(
    rt: Runtime, people: dict[str, SignedInUser]
) -> None:
    lea = people["leder"]
    first, second = bed_ids()
    renamed = bed_settings.rename_bed(rt, lea, first, "  Seng  ved  vinduet ")
    assert renamed.name == "Seng ved vinduet"
    added = bed_settings.add_bed(rt, lea, "Seng 3")
    assert added.source == "tilføjet" and not added.out_of_service
    sync_beds(rt)  # what every start does with config.toml's beds.names ("Seng 1", "Seng 2")
    assert _beds() == [
        (first, "Seng ved vinduet", False, "Seng 1", None),
        (second, "Seng 2", False, None, None),
        (added.id, "Seng 3", False, None, True),
    ]
    # Renamed back and forth: the bed still answers to its config.toml name.
    bed_settings.rename_bed(rt, lea, first, "Seng 1")
    sync_beds(rt)
    assert [b[1] for b in _beds()] == ["Seng 1", "Seng 2", "Seng 3"]
    with connection():
        actions = [e.action for e in AuditEvent.select().where(AuditEvent.object_type == "bed")]
        assert BedOutOfService.select().count() == 0  # nothing was taken out by the restart
    assert actions == ["beds.rename", "beds.add", "beds.rename"]
    assert REMOVED_REASON not in str(_beds())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Skriv sengens navn"),
        ("seng 2", "findes allerede en seng"),
        ("Ib 010190-1234", "CPR-nummer"),
        ("x" * 41, "højst være 40 tegn"),
    ],
)
def test_bad_bed_names_are_refused_in_danish(
    rt: Runtime, people: dict[str, SignedInUser], name: str, message: str
) -> None:
    before = _beds()
    for call in (
        lambda: bed_settings.add_bed(rt, people["leder"], name),
        lambda: bed_settings.rename_bed(rt, people["leder"], bed_ids()[0], name),
    ):
        with pytest.raises(ValidationError, match=message) as refused:
            call()
        assert refused.value.field == "name"
    assert _beds() == before
