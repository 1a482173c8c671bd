"""``akut demo`` has night data and names its users on the login screen (issue 14 §7)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from akut_tui.core.config import DatabaseConfig
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.demo.build import create_demo, demo_users
from akut_tui.services.night import beds, outreach
from akut_tui.services.night.dto import OCCUPIED, RESERVED
from akut_tui.services.startup.opening import open_runtime
from akut_tui.tui.app import AkutApp
from db.database import connection, database
from db.models import HandoverAck, HandoverNote, OutreachTrip, Stay, StayNight
from screens.login import LoginScreen
from screens.widgets.text import Plain
from tests.conftest import PASSWORD, FakeClock, cheap_hasher, make_config


@pytest.fixture
def demo_rt(tmp_path: Path, clock: FakeClock) -> Runtime:
    config = make_config(tmp_path)
    rt = open_runtime(config, now=clock, hasher=cheap_hasher())
    create_demo(rt, months=2, seed=7, os_user="test")
    return rt


def test_demo_has_beds_in_use_trips_and_handovers(demo_rt: Runtime) -> None:
    rt = demo_rt
    accounts.create_user(rt, "kontrol", PASSWORD, "leder", actor=None)
    viewer = auth.login(rt, "kontrol", PASSWORD)
    board = beds.board(rt, viewer)
    statuses = [cell.status for row in board.rows for cell in row.cells]
    assert OCCUPIED in statuses and RESERVED in statuses
    tonight = [row.cells[0] for row in board.rows if row.cells[0].status == OCCUPIED]
    assert tonight and tonight[0].night_label.startswith("2/") and tonight[0].decision_missing
    reserved = [c for row in board.rows for c in row.cells if c.status == RESERVED]
    assert reserved[0].guest  # a coming reservation names its guest
    with connection():
        assert StayNight.select().where(StayNight.decision.is_null(False)).count() > 0
        assert OutreachTrip.select().count() > 3
        assert OutreachTrip.select().where(OutreachTrip.companion.is_null(False)).exists()
        anchors = HandoverNote.select().where(HandoverNote.category == "tilstand")
        signed = {a.note_id for a in HandoverAck.select()}
        assert any(a.id in signed for a in anchors) and any(a.id not in signed for a in anchors)
        assert Stay.select().where(Stay.checked_out_at.is_null()).count() == 2
    assert outreach.recent_trips(rt, viewer) is not None
    assert demo_users() == ("demo-leder", "demo-koordinator", "demo-medarbejder")


def test_a_real_database_has_no_demo_users(rt: Runtime) -> None:
    accounts.create_user(rt, "demo-leder", PASSWORD, "leder", actor=None)
    assert demo_users() == ()


async def test_the_demo_login_screen_names_the_demo_users(demo_rt: Runtime, tmp_path: Path) -> None:
    database.close()
    config = replace(
        make_config(tmp_path), database=DatabaseConfig(url=f"sqlite:///{tmp_path / 'akut.db'}")
    )
    app = AkutApp(config, runtime=open_runtime(config, hasher=cheap_hasher()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        line = str(app.screen.query_one("#login-demo", Plain).render())
        assert "demo-leder" in line and "demo-medarbejder" in line
        assert app.screen.query_one("#login-demo").display
