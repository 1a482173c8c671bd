"""The bed board at 80x24 in the morning, reservations for coming nights, moves, stale lines.

Issue 14 §5 and §7 ("messages about a row clear when the row or its state changes").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import nights, stays
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import Stay, StayNight
from screens.bed_board import BedBoardScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.night import NightDialog
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, bed_ids, form
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press
from tests.ui.test_bed_board_ui import cells, fill, open_board, save, text

MORNING = datetime(2026, 11, 21, 7, 10, tzinfo=UTC)  # 08:10 local


def _headers(app: AkutApp) -> list[str]:
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)
    return [str(c.label) for c in table.columns.values()]


async def test_morning_board_names_the_nights_and_t_books_the_coming_night(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stay_id = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    clock.current = MORNING
    nights.check_out(rt, staff, stay_id)
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        assert _headers(app)[:3] == ["Seng", "Sidste nat 20-11", "I nat 21-11"]
        assert cells(app)[0][1:3] == ["Tjekket ud", "Ledig"]
        assert text(app, "#beds-title").startswith("Senge · i nat 21-11-2026")
        assert text(app, "#beds-summary").startswith("Ledige i nat: 2")
        await press(app, pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        assert dialog.values()["night"] == "2026-11-21"  # the coming night by default
        await fill(app, pilot, cpr_text=CPR_B)
        for name in ("intoxicated", "threatening", "disturbing"):
            dialog.query_one(f"#f-{name}").focus()
            await pilot.press("n")
        await save(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, BedBoardScreen)
        assert cells(app)[0][2].startswith("Optaget 1/3")
    with connection():
        newest = Stay.select().order_by(Stay.id.desc()).first()
        assert StayNight.get(StayNight.stay == newest.id).night_date == date(2026, 11, 21)


async def test_a_coming_reservation_shows_the_name_and_c_cancels_it(
    config: Config, rt: Runtime
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    later = date(2026, 11, 22)
    stays.check_in(
        rt,
        staff,
        stays.CheckInInput(bed_ids()[0], CPR_A, nickname="Resi", reserve=True, night=later),
    )
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        assert cells(app)[0][3] == "Res. Resi"
        await press(app, pilot, "c")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "j")
        await settle(app, pilot)
        assert cells(app)[0][3] == "Ledig"
        assert text(app, "#beds-message") == "Reservationen er annulleret."


async def test_m_moves_a_booking_and_the_bed_can_then_go_out_of_service(
    config: Config, rt: Runtime
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stays.check_in(rt, staff, form(bed_ids()[0], nickname="Bo"))
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt, role="leder")
        await press(app, pilot, "m")
        assert isinstance(app.screen, NightDialog)
        await save(app, pilot)
        await settle(app, pilot)
        assert cells(app)[0][1] == "Ledig" and cells(app)[1][1].startswith("Optaget 1/3")
        assert text(app, "#beds-message") == "Bo er flyttet til Seng 2."
        await press(app, pilot, "g")
        await fill(app, pilot, reason="Vandskade")
        await save(app, pilot)
        await settle(app, pilot)
        assert cells(app)[0][1] == "Ude af drift"


async def test_a_refusal_about_a_bed_goes_when_the_cursor_leaves_it(
    config: Config, rt: Runtime
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stays.check_in(rt, staff, form(bed_ids()[0]))
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        await press(app, pilot, "t")
        assert text(app, "#beds-message") == "Seng 1 er ikke ledig i nat."
        await press(app, pilot, "down")
        assert text(app, "#beds-message") == ""


async def test_a_message_about_a_reservation_goes_when_it_expires(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        await press(app, pilot, "e")
        await fill(app, pilot, cpr_text=CPR_A, nickname="Resi")
        await save(app, pilot)
        await settle(app, pilot)
        assert text(app, "#beds-message") == "Resi er reserveret i Seng 1."
        board = app.screen
        assert isinstance(board, BedBoardScreen)
        clock.current += timedelta(hours=2, minutes=1)  # past 22:00: the reservation lapsed
        board.watcher.poll()
        await settle(app, pilot)
        await settle(app, pilot)
        assert cells(app)[0][1] == "Ledig"
        assert text(app, "#beds-message") == ""


async def test_the_check_in_note_agrees_with_the_cpr_rule(config: Config, rt: Runtime) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt, role="leder")
        await press(app, pilot, "t")
        note = str(app.screen.query_one("#dialog-note").render())
        assert "CPR er påkrævet ved overnatning, også for en leder" in note
        await fill(app, pilot, cpr_text="Afvist")
        await save(app, pilot)
        assert "også når en leder" in app.screen.message  # type: ignore[attr-defined]


async def test_in_the_morning_d_says_it_decides_last_night(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stays.check_in(rt, staff, form(bed_ids()[0]))
    clock.current = MORNING
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        await press(app, pilot, "d")
        title = str(app.screen.query_one("#dialog-title").render())
        assert title.startswith("Beslutning for sidste nat:")
