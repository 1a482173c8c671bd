"""Time fields and the outreach cursor at 80x24 (issue 14 §6).

A ``TT:MM`` that would fall on another day shows the date and asks j/n; a
return time a minute ahead is now; after a departure the cursor is on the
new trip, so ``k`` logs its return.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from akut_tui.core.clock import local
from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import outreach
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import OutreachTrip
from screens.blocks.bed_text import parse_clock
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.night import NightDialog
from screens.outreach import OutreachScreen
from screens.widgets.text import Plain
from tests.conftest import FakeClock
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import press, running

TZ = "Europe/Copenhagen"


async def _outreach(app: AkutApp, pilot: object, rt: Runtime) -> None:
    await login(app, pilot, make_user(rt, "mette", "medarbejder"))  # type: ignore[arg-type]
    await pilot.press("u")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, OutreachScreen)


async def test_a_departure_time_on_another_day_shows_the_date_and_asks(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    clock.current = datetime(2026, 11, 21, 7, 33, tzinfo=UTC)  # 08:33 local
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _outreach(app, pilot, rt)
        await press(app, pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        dialog.query_one("#f-at").value = "23:59"  # type: ignore[attr-defined]
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#confirm-text", Plain).render())
        assert "23:59" in question and "20-11-2026" in question and "i går" in question
        await press(app, pilot, "n")
        assert app.screen is dialog and "Ret tidspunktet" in dialog.message
        with connection():
            assert OutreachTrip.select().count() == 0  # nothing saved on "nej"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "j")
        await settle(app, pilot)
        assert isinstance(app.screen, OutreachScreen)
    with connection():
        trip = OutreachTrip.get()
    assert local(trip.departed_at, TZ) == datetime(
        2026, 11, 20, 23, 59, tzinfo=local(clock.current, TZ).tzinfo
    )


async def test_a_time_today_saves_without_a_question(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _outreach(app, pilot, rt)
        await press(app, pilot, "a")
        app.screen.query_one("#f-at").value = "19:50"  # type: ignore[attr-defined]
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, OutreachScreen)
    with connection():
        assert OutreachTrip.select().count() == 1


def test_a_time_a_minute_ahead_is_today_and_accepted_as_now(rt: Runtime, clock: FakeClock) -> None:
    clock.advance(seconds=40)  # 20:00:40 local; the terminal already says 20:01
    moment = parse_clock("20:01", clock.current, TZ)
    assert moment.date() == clock.current.date()
    assert parse_clock("20:02", clock.current, TZ) < clock.current - timedelta(hours=23)
    mette = make_user(rt, "mette", "medarbejder")
    trip = outreach.depart(rt, mette, at=clock.current - timedelta(minutes=30))
    row = outreach.return_trip(rt, mette, trip.id, at=moment)
    assert row.returned_at == clock.current


async def test_after_a_departure_the_cursor_is_on_the_new_trip(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    mette = make_user(rt, "mette", "medarbejder")
    first = outreach.depart(rt, mette, at=clock.current - timedelta(hours=2))
    outreach.return_trip(rt, mette, first.id, at=clock.current - timedelta(hours=1))
    async with running(config, rt, mette) as (app, pilot):
        await press(app, pilot, "u")
        screen = app.screen
        assert isinstance(screen, OutreachScreen)
        await press(app, pilot, "a")
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert screen.table.row_count == 2
        selected = screen.selected()
        assert selected is not None and selected.returned_at is None
        await press(app, pilot, "k")
        assert isinstance(app.screen, NightDialog)  # not "allerede afsluttet"


async def test_a_message_about_a_trip_goes_when_the_cursor_moves(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    mette = make_user(rt, "mette", "medarbejder")
    for hours in (3, 2):
        trip = outreach.depart(rt, mette, at=clock.current - timedelta(hours=hours))
        outreach.return_trip(rt, mette, trip.id, at=clock.current - timedelta(hours=hours - 1))
    async with running(config, rt, mette) as (app, pilot):
        await press(app, pilot, "u")
        await press(app, pilot, "k")
        line = app.screen.query_one("#outreach-message", Plain)
        assert str(line.render()) == "Turen er allerede afsluttet."
        await press(app, pilot, "down")
        assert str(line.render()) == ""
