"""Pilot tests of the bed board at 80x24: check-in, decisions, check-out, requests, expiry."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import stays
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import AuditEvent, BedRequest, Stay
from screens.bed_board import BedBoardScreen
from screens.dialogs.night import NightDialog
from screens.widgets.text import Plain
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, bed_ids, form
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import press, signed_in

EVIL = "[b]x[/b][@click=app.quit]"


def cells(app: AkutApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def text(app: AkutApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Plain).render())


async def open_board(
    app: AkutApp, pilot: Pilot[int], rt: Runtime, role: str = "medarbejder"
) -> None:
    await login(app, pilot, make_user(rt, "mette", role))
    await press(app, pilot, "s")
    assert isinstance(app.screen, BedBoardScreen)


async def fill(app: AkutApp, pilot: Pilot[int], **values: str) -> NightDialog:
    dialog = app.screen
    assert isinstance(dialog, NightDialog)
    for name, value in values.items():
        dialog.query_one(f"#f-{name}").value = value  # type: ignore[attr-defined]
    await pilot.pause()
    return dialog


async def save(app: AkutApp, pilot: Pilot[int]) -> None:
    await press(app, pilot, "ctrl+s")


async def test_board_shows_every_bed_as_text(config: Config, rt: Runtime) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        assert cells(app) == [
            ["Seng 1", "Ledig", "Ledig", "Ledig", "Ledig"],
            ["Seng 2", "Ledig", "Ledig", "Ledig", "Ledig"],
        ]
        assert text(app, "#beds-title") == "Senge · i nat 20-11-2026"
        assert text(app, "#beds-summary") == "Ledige i nat: 2 · Mangler beslutning: 0"
        assert text(app, "#beds-site").startswith("På stedet: mette")


async def test_check_in_without_cpr_is_refused_and_keeps_the_text(
    config: Config, rt: Runtime
) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        await press(app, pilot, "t")
        dialog = await fill(app, pilot, nickname=EVIL)
        await save(app, pilot)
        assert app.screen is dialog
        assert "CPR-nummer er påkrævet" in dialog.message
        assert dialog.values()["nickname"] == EVIL
        assert app.focused is dialog.query_one("#f-cpr_text")
        with connection():
            assert Stay.select().count() == 0


async def test_check_in_with_cpr_and_exclusion_checks(config: Config, rt: Runtime) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        await press(app, pilot, "t")
        await fill(app, pilot, cpr_text=CPR_A, nickname=EVIL)
        await save(app, pilot)
        assert "udelukkelseskriterierne" in app.screen.message  # type: ignore[attr-defined]
        assert app.focused is app.screen.query_one("#f-intoxicated")
        for name in ("intoxicated", "threatening", "disturbing"):
            app.screen.query_one(f"#f-{name}").focus()
            await pilot.press("n")  # jumps to "Nej"
        await save(app, pilot)
        assert isinstance(app.screen, BedBoardScreen)
        await settle(app, pilot)
        assert cells(app)[0][:3] == ["Seng 1", "Optaget 1/3 · MANGLER", "Ledig"]
        assert text(app, "#beds-message") == f"{EVIL} er tjekket ind i Seng 1."
        assert text(app, "#beds-detail").startswith(f"Seng 1: {EVIL} (010180-XXXX) · nat 1/3")
        assert "Mangler beslutning: 1" in text(app, "#beds-summary")
        assert app.is_running  # the markup in the nickname did nothing


async def test_decision_then_fourth_night_needs_a_leader(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stay = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    from akut_tui.services.night import nights

    nights.decide_night(rt, staff, stay, "forlaeng")
    clock.advance(days=1)
    nights.decide_night(rt, staff, stay, "forlaeng")
    clock.advance(days=1)
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        assert cells(app)[0][1] == "Optaget 3/3 · MANGLER"
        await press(app, pilot, "d")
        await save(app, pilot)  # "Forlæng" is first
        assert "højst 3 nætter i træk" in app.screen.message  # type: ignore[attr-defined]
        await press(app, pilot, "escape")
        await press(app, pilot, "d")
        app.screen.query_one("#f-decision").focus()
        await pilot.press("a")  # Afslut
        await save(app, pilot)
        await settle(app, pilot)
        assert cells(app)[0][1] == "Optaget 3/3 · Afslut"
        assert "Mangler beslutning: 0" in text(app, "#beds-summary")


async def test_leader_override_with_reason(config: Config, rt: Runtime, clock: FakeClock) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stay = stays.check_in(rt, staff, form(bed_ids()[0])).stay_id
    from akut_tui.services.night import nights

    for _ in range(2):
        nights.decide_night(rt, staff, stay, "forlaeng")
        clock.advance(days=1)
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt, role="leder")
        await press(app, pilot, "d")
        await fill(app, pilot, override_reason="Venter på forsorgshjem i morgen")
        await save(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, BedBoardScreen)
        assert cells(app)[0][1] == "Optaget 3/3 · Forlæng"
        assert cells(app)[0][2] == "Optaget 4/3"
    with connection():
        assert AuditEvent.select().where(AuditEvent.action == "stay.override_max").count() == 1


async def test_check_out_and_requested_no_bed(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stays.check_in(rt, staff, form(bed_ids()[0]))
    stays.check_in(rt, staff, form(bed_ids()[1], CPR_B))
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        await pilot.press("n", "j")  # asked j/n first
        await settle(app, pilot)
        assert "ingen ledig seng" in text(app, "#beds-message")
        with connection():
            assert BedRequest.select().count() == 1
        clock.current = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)  # 08:30 next morning
        await press(app, pilot, "x")
        await fill(app, pilot, at="25:00")
        await save(app, pilot)
        assert "TT:MM" in app.screen.message  # type: ignore[attr-defined]
        await fill(app, pilot, at="08:15")
        await save(app, pilot)
        await settle(app, pilot)
        # The morning: last night was slept (not bookable), the coming night is free.
        assert cells(app)[0][1:3] == ["Tjekket ud", "Ledig"]
        assert text(app, "#beds-summary").startswith("Ledige i nat: 2")
    with connection():
        assert Stay.get_by_id(1).checked_out_at == datetime(2026, 11, 21, 7, 15, tzinfo=UTC)


async def test_reservation_expires_without_a_key_press(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    stays.check_in(rt, staff, stays.CheckInInput(bed_ids()[0], CPR_A, reserve=True))
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        board = app.screen
        assert isinstance(board, BedBoardScreen)
        assert cells(app)[0][1] == "Reserveret · Gæst nr. 1"
        loads = board.loads
        board.watcher.poll()  # a poll with nothing changed fetches nothing
        await settle(app, pilot)
        assert board.loads == loads
        clock.current = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # 22:00 local
        board.watcher.poll()
        await settle(app, pilot)
        assert cells(app)[0][1] == "Ledig"
        assert board.loads == loads + 1


async def test_check_in_starts_from_the_contact_marked_overnatning(
    config: Config, rt: Runtime
) -> None:
    from akut_tui.services.contacts.form import ContactInput
    from akut_tui.services.contacts.records import save_contact
    from db.models import Contact

    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_board(app, pilot, rt)
        session = app.session
        assert session is not None
        phone = save_contact(
            rt,
            session,
            ContactInput(channel="telefon", crisis_level="let", actions=["overnatning"]),
        )
        await press(app, pilot, "t")
        dialog = await fill(app, pilot, cpr_text=CPR_A)
        assert dialog.values()["contact"] == str(phone.id)
        await fill(app, pilot, intoxicated="nej", threatening="nej", disturbing="nej")
        await save(app, pilot)
        assert isinstance(app.screen, BedBoardScreen)
    with connection():
        stay = Stay.get_by_id(1)
        arrival = Contact.get_by_id(stay.contact_id)
        assert arrival.linked_to_id == phone.id and arrival.channel == "fremmoede"


async def test_saved_contact_with_overnatning_points_to_the_check_in(
    config: Config, rt: Runtime
) -> None:
    from akut_tui.services.contacts.form import ContactInput
    from akut_tui.tui_kit.messages import OpenFullForm
    from screens.home import HomeScreen

    async with signed_in(config, rt, name="mette") as (app, pilot):
        app.post_message(
            OpenFullForm(
                ContactInput(channel="telefon", crisis_level="let", actions=["overnatning"])
            )
        )
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert "Overnatning: s og så t tjekker ind" in text(app, "#home-message")
        await press(app, pilot, "s")
        await press(app, pilot, "t")
        assert app.screen.values()["contact"] == "1"  # type: ignore[attr-defined]
