"""Every figure counts once: refusals per attempt, granted nights, undone requests (issue 14 §4).

Refusals are logged through the services staff use; the last test reads the
``overnight`` figures back through ``akut export``, the way a leader gets them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.errors import NotFound, PermissionDenied
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import bed_requests, beds, nights, stays
from akut_tui.services.night.stays import ExcludedGuest
from db.database import connection
from db.models import BedRequest
from tests.cli_helpers import write_config
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, CPR_C, actions, bed_ids, form, session

REASON = "Ingen anden løsning i nat, aftalt med kommunen"


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", display="Mette")


@pytest.fixture
def leader(rt: Runtime) -> SignedInUser:
    return session(rt, "lea", "leder", display="Lea")


def _reasons() -> list[str]:
    with connection():
        return [r.reason for r in BedRequest.select().order_by(BedRequest.id)]


def _refuse_at_door(rt: Runtime, staff: SignedInUser, attempt: str, presses: int = 1) -> None:
    for _ in range(presses):  # Ctrl+S pressed again on the same open dialog
        with pytest.raises(ExcludedGuest):
            stays.check_in(rt, staff, form(bed_ids()[0], CPR_C, intoxicated=True, attempt=attempt))


def test_a_refused_check_in_is_one_row_per_attempt(rt: Runtime, staff: SignedInUser) -> None:
    _refuse_at_door(rt, staff, "dialog-1", presses=3)
    assert _reasons() == ["udelukket"]
    assert actions().count("beds.refused_exclusion") == 1
    _refuse_at_door(rt, staff, "dialog-2")  # the dialog opened again: a new attempt
    assert _reasons() == ["udelukket", "udelukket"]


def _to_third_night(rt: Runtime, staff: SignedInUser, clock: FakeClock) -> int:
    stay = stays.check_in(rt, staff, form(bed_ids()[0], CPR_A)).stay_id
    nights.decide_night(rt, staff, stay, "forlaeng")
    clock.advance(days=1)
    nights.decide_night(rt, staff, stay, "forlaeng")
    clock.advance(days=1)
    return stay


def test_a_fourth_night_refused_twice_counts_once(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    stay = _to_third_night(rt, staff, clock)
    for _ in range(2):
        with pytest.raises(PermissionDenied, match="højst 3 nætter i træk"):
            nights.decide_night(rt, staff, stay, "forlaeng")
    assert _reasons() == ["max_naetter"]


def test_a_fourth_night_granted_by_the_leader_is_not_a_refusal(
    rt: Runtime, staff: SignedInUser, leader: SignedInUser, clock: FakeClock
) -> None:
    stay = _to_third_night(rt, staff, clock)
    with pytest.raises(PermissionDenied):
        nights.decide_night(rt, staff, stay, "forlaeng")
    assert _reasons() == ["max_naetter"]
    nights.decide_night(rt, leader, stay, "forlaeng", override_reason=REASON)
    assert _reasons() == []
    assert actions()[-2:] == ["stay.override_max", "beds.request_granted"]


def _fill_beds(rt: Runtime, staff: SignedInUser) -> None:
    for bed_id, cpr in zip(bed_ids(), (CPR_A, CPR_B), strict=True):
        stays.check_in(rt, staff, form(bed_id, cpr))


def test_a_request_logged_by_mistake_is_undone_within_the_shift(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    _fill_beds(rt, staff)
    colleague = session(rt, "jonas", display="Jonas")
    first = beds.log_bed_request(rt, staff)
    second = beds.log_bed_request(rt, staff)
    logged = bed_requests.last_undoable(rt, staff)
    assert logged is not None and logged.id == second
    assert bed_requests.last_undoable(rt, colleague) is None  # not his to undo
    with pytest.raises(NotFound):
        bed_requests.undo_request(rt, colleague, second)
    bed_requests.undo_request(rt, staff, second)
    assert _reasons() == ["ingen_ledig"]
    assert actions()[-1] == "beds.request_undo"
    clock.advance(hours=4)  # 00:00: the night shift; the evening's request stands
    assert bed_requests.last_undoable(rt, staff) is None
    with pytest.raises(NotFound):
        bed_requests.undo_request(rt, staff, first)
    assert _reasons() == ["ingen_ledig"]


def _export_overnight(rt: Runtime, tmp_path: Path) -> dict[str, str]:
    cfg = tmp_path / "config.toml"
    write_config(cfg, tmp_path / "akut.db")
    out = tmp_path / "stats.csv"
    argv = ["--config", str(cfg), "export", "--period", "2026-11", "--no-suppress"]
    argv += ["--csv-dialect", "rfc4180", "--out", str(out)]
    try:
        assert main(argv) == 0
    except SystemExit as exc:  # pragma: no cover - main returns normally
        assert not exc.code
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    return {row[4]: row[6] for row in rows if row and row[0] == "overnight"}


def test_the_export_counts_each_refusal_once(
    rt: Runtime, staff: SignedInUser, leader: SignedInUser, clock: FakeClock, tmp_path: Path
) -> None:
    _refuse_at_door(rt, staff, "dialog-1", presses=3)
    stay = _to_third_night(rt, staff, clock)
    with pytest.raises(PermissionDenied):
        nights.decide_night(rt, staff, stay, "forlaeng")
    nights.decide_night(rt, leader, stay, "forlaeng", override_reason=REASON)
    stays.check_in(rt, staff, form(bed_ids()[1], CPR_B))  # both beds taken tonight
    beds.log_bed_request(rt, staff)
    mistake = beds.log_bed_request(rt, staff)
    bed_requests.undo_request(rt, staff, mistake)

    overnight = _export_overnight(rt, tmp_path)
    assert overnight["afvist_udelukket"] == "1"
    assert overnight["afvist_fjerde_nat"] == "0"
    assert overnight["ingen_ledig_seng"] == "1"
