"""Pilot tests at 80x24: outreach out and back, handover pre-fill, signing, pending at login."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import save_contact
from akut_tui.services.night import beds, handover, handover_items, outreach, stays
from akut_tui.services.night.handover import ShiftRef
from db.database import connection
from db.models import AuditEvent, HandoverAck
from screens.dialogs.night import NightDialog
from screens.handover import HandoverScreen
from screens.home import HomeScreen
from screens.outreach import OutreachScreen
from tests.conftest import FakeClock
from tests.night_helpers import CPR_B, bed_ids, form
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, rows, running, signed_in, text

EVENING = ShiftRef("aften", datetime(2026, 11, 20).date())
EVIL = "[/]\x1b[2J[@click=app.quit]"


async def test_outreach_out_and_back_with_the_header_line(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    make_user(rt, "jonas", "medarbejder")
    clock.advance(minutes=1)
    async with signed_in(config, rt, name="mette", opened="u") as (app, pilot):
        assert isinstance(app.screen, OutreachScreen)
        assert text(app, "#outreach-site") == "På stedet: jonas, mette"
        await press(app, pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        dialog.query_one("#f-companion").value = "jonas"  # type: ignore[attr-defined]
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, OutreachScreen)
        await settle(app, pilot)
        assert rows(app) == [["20:01", "ude", "mette", "jonas", ""]]
        assert text(app, "#outreach-site") == (
            "INGEN PÅ STEDET · Ude: jonas siden 20:01, mette siden 20:01"
        )
        clock.advance(minutes=40)
        await press(app, pilot, "k")
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert rows(app) == [["20:01", "20:41", "mette", "jonas", "40"]]
        assert text(app, "#outreach-site") == "På stedet: jonas, mette"
    with connection():
        done = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert done[-2:] == ["outreach.depart", "outreach.return"]


async def test_header_shows_a_colleague_alone(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    jonas = make_user(rt, "jonas", "medarbejder")
    async with signed_in(config, rt, name="mette", opened="u") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, OutreachScreen)
        clock.current = clock.current.replace(hour=0, minute=40)
        outreach.depart(rt, jonas)  # the colleague, in "another terminal"
        screen.watcher.poll()  # what the 2-second timer does
        await settle(app, pilot)
        assert text(app, "#outreach-site") == (
            "ALENE PÅ STEDET · På stedet: mette · Ude: jonas siden 01:40"
        )
        assert rows(app)[0][1] == "ude"


async def _prepared_shift(rt: Runtime, clock: FakeClock) -> None:
    staff = make_user(rt, "eva", "medarbejder")
    save_contact(rt, staff, ContactInput(channel="telefon", crisis_level="let"))
    save_contact(
        rt, staff, ContactInput(channel="telefon", crisis_level="alvorlig", escalations=["112"])
    )
    stays.check_in(rt, staff, form(bed_ids()[0], nickname="Bo"))
    stays.check_in(rt, staff, form(bed_ids()[1], CPR_B))
    beds.log_bed_request(rt, staff)
    trip = outreach.depart(rt, staff)
    clock.advance(minutes=30)
    outreach.return_trip(rt, staff, trip.id)
    handover.set_summary(rt, staff, EVENING, state="hold_oeje", situation=EVIL)
    handover_items.add_item(
        rt,
        staff,
        EVENING,
        "handling",
        "Ring til bosted",
        owner="Nat",
        due_at=datetime(2026, 11, 20, 23, 0, tzinfo=UTC),
    )


async def test_handover_prefill_and_two_signatures(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    await _prepared_shift(rt, clock)
    # 23:30, the night shift's first hour: the handover window is open.
    clock.current = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)
    jonas = make_user(rt, "jonas", "medarbejder")
    async with signed_in(config, rt, name="mette") as (app, pilot):
        # The unsigned evening handover opens by itself after login.
        assert isinstance(app.screen, HandoverScreen)
        assert "Aften 20-11-2026 er ikke kvitteret" in text(app, "#handover-message")
        assert text(app, "#handover-title") == (
            "Overlevering · Aften 20-11-2026 · Tilstand: Hold øje · kun læsning"
        )
        figures = text(app, "#handover-figures").splitlines()
        assert figures[0] == "Henvendelser 4: Alvorlig 1 · Let 1 · Ikke vurderet 2"
        assert figures[1] == "Alvorlige: 1 · Eskaleret: 112 1"
        assert figures[2] == "Senge: Seng 1 Optaget 1/3 MANGLER | Seng 2 Optaget 1/3 MANGLER"
        assert figures[3].endswith("Ønsket seng, ingen ledig: 1")
        assert figures[4] == "Udkørsel: eva 20:00–20:30"
        assert rows(app)[0] == ["Situation", "[/][2J[@click=app.quit]", "", ""]
        assert rows(app)[1] == ["Handling", "Ring til bosted", "Nat 00:00", ""]
        app.screen.query_one(DataTable).move_cursor(row=1)
        await press(app, pilot, "x")
        await settle(app, pilot)
        assert rows(app)[1][3] == "✓ mette"
        await press(app, pilot, "k")
        await settle(app, pilot)
        assert text(app, "#handover-acks") == "Kvitteret af: mette"
        handover.acknowledge(rt, jonas, EVENING)  # the other half of the night pair
        app.screen.watcher.poll()  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert text(app, "#handover-acks") == "Kvitteret af: mette, jonas"
        assert app.is_running
    with connection():
        assert HandoverAck.select().count() == 2


async def test_signed_handover_is_not_shown_at_login(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    await _prepared_shift(rt, clock)
    clock.current = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)
    jonas = make_user(rt, "jonas", "medarbejder")
    handover.acknowledge(rt, jonas, EVENING)
    async with signed_in(config, rt, name="mette") as (app, pilot):
        assert isinstance(app.screen, HomeScreen)


async def test_write_the_handover_with_the_keyboard(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, name="mette", opened="h") as (app, pilot):
        assert isinstance(app.screen, HandoverScreen)
        assert text(app, "#handover-title") == (
            "Overlevering · Aften 20-11-2026 · Tilstand: ikke skrevet"
        )
        await press(app, pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        dialog.query_one("#f-situation").value = "Rolig aften"  # type: ignore[attr-defined]
        await press(app, pilot, "ctrl+s")
        assert dialog.message == "Vælg rolig, hold øje eller ustabil."
        dialog.query_one("#f-state").focus()
        await pilot.press("r")  # Rolig
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert text(app, "#handover-title").endswith("Tilstand: Rolig")
        await press(app, pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        dialog.query_one("#f-body").value = "Ring til vagtlæge"  # type: ignore[attr-defined]
        dialog.query_one("#f-owner").value = "Nat"  # type: ignore[attr-defined]
        dialog.query_one("#f-due").value = "02:00"  # type: ignore[attr-defined]
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert rows(app) == [
            ["Situation", "Rolig aften", "", ""],
            ["Handling", "Ring til vagtlæge", "Nat 02:00", ""],
        ]


async def test_history_for_the_coordinator(config: Config, rt: Runtime, clock: FakeClock) -> None:
    staff = make_user(rt, "eva", "medarbejder")
    handover.set_summary(rt, staff, EVENING, state="ustabil", situation="Politiet kom forbi")
    clock.advance(days=1)
    async with signed_in(config, rt, "koordinator", name="kim", opened="h") as (app, pilot):
        await press(app, pilot, "o")
        from screens.handover_history import HandoverHistoryScreen

        assert isinstance(app.screen, HandoverHistoryScreen)
        assert rows(app) == [["Aften 20-11-2026", "Ustabil", "2", "ingen", "04-12-2026"]]
        await pilot.press("slash")
        await pilot.press(*"ingenting")
        await press(app, pilot, "enter")
        assert rows(app) == []
        await pilot.press("slash")
        app.screen.query_one("#history-search").value = "politi"  # type: ignore[attr-defined]
        await press(app, pilot, "enter")
        assert len(rows(app)) == 1
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HandoverScreen)
        assert text(app, "#handover-title").endswith("Tilstand: Ustabil · kun læsning")


async def test_history_is_refused_for_staff(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, name="eva", opened="h") as (app, pilot):
        await press(app, pilot, "o")
        assert isinstance(app.screen, HandoverScreen)
        assert text(app, "#handover-message") == "Historikken er for koordinator og leder."


async def test_home_shows_who_is_on_site(config: Config, rt: Runtime, clock: FakeClock) -> None:
    jonas = make_user(rt, "jonas", "medarbejder")
    async with signed_in(config, rt, name="mette") as (app, pilot):
        home = app.screen
        assert isinstance(home, HomeScreen)
        await settle(app, pilot)
        assert text(app, "#home-site") == "På stedet: jonas, mette"
        outreach.depart(rt, jonas)
        home._site_watch.poll()
        await settle(app, pilot)
        assert text(app, "#home-site") == (
            "ALENE PÅ STEDET · På stedet: mette · Ude: jonas siden 20:00"
        )


async def test_header_warning_is_never_cut_at_80_columns(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    from akut_tui.services.accounts import users as accounts
    from tests.conftest import PASSWORD

    for name, display in (
        ("jonas", "Jonas Østergaard Pedersen"),
        ("karoline", "Karoline Bach-Johannessen"),
    ):
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None, display_name=display)
    accounts.create_user(
        rt, "mette", PASSWORD, "medarbejder", actor=None, display_name="Mette Christensen-Andersen"
    )
    from akut_tui.services.accounts import auth

    jonas = auth.login(rt, "jonas", PASSWORD)
    outreach.depart(rt, jonas, companion="karoline")
    async with running(config, rt, auth.login(rt, "mette", PASSWORD)) as (app, pilot):
        await press(app, pilot, "u")
        line = text(app, "#outreach-site")
        assert line.startswith("ALENE PÅ STEDET · På stedet: Mette")
        assert len(line) <= 76 and "Jonas" in line and "Karoline" in line
