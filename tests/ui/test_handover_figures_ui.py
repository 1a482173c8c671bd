"""Pilot tests at 80x24 for issue 14 §3 and §4: the handover and the figures, by keyboard.

The read-only view offers no write key and opens no write dialog; a refused
write or delete is refused before any dialog opens; Delete asks j/n and leaves
"slettet af"; Enter shows a whole item wrapped; a change after signing shows
NY and asks for a new signature. On the bed board, a refused check-in is one
row however often Ctrl+S is pressed, ``n`` asks j/n and ``N`` undoes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import handover, handover_items, stays
from akut_tui.services.night.handover import ShiftRef
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import AuditEvent, BedRequest
from screens.bed_board import BedBoardScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.handover_item import HandoverItemScreen
from screens.dialogs.help import HelpScreen
from screens.dialogs.night import NightDialog
from screens.handover import HandoverScreen
from screens.widgets.text import Plain
from tests.conftest import FakeClock
from tests.night_helpers import CPR_A, CPR_B, CPR_C, bed_ids, form
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, rows, running, signed_in, text

EVENING = ShiftRef("aften", datetime(2026, 11, 20).date())
LONG_PLAN = (
    "Hvis gæsten i seng 2 vågner urolig og vil gå: tal roligt, tilbyd te, ring til "
    "vagtlægen på det kendte nummer og skriv bagefter hvad der skete; ring til lederen "
    "hvis politiet kommer."
)


def shown(widget: Plain) -> list[str]:
    """The lines a widget draws on the terminal."""
    return [
        "".join(seg.text for seg in widget.render_line(y)).rstrip()
        for y in range(widget.size.height)
    ]


async def open_handover(app: AkutApp, pilot: Pilot[int]) -> HandoverScreen:
    await press(app, pilot, "h")
    screen = app.screen
    assert isinstance(screen, HandoverScreen)
    return screen


async def test_read_only_view_has_no_write_keys_and_opens_no_dialog(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    eva = make_user(rt, "eva", "medarbejder")
    handover.set_summary(rt, eva, EVENING, state="rolig", situation="Stille aften")
    handover_items.add_item(rt, eva, EVENING, "hvis_saa", "Hvis alarmen går: ring")
    clock.current = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)  # 23:30, the night shift
    async with signed_in(config, rt, name="ida") as (app, pilot):
        screen = app.screen  # the unsigned evening handover opened at login
        assert isinstance(screen, HandoverScreen)
        assert text(app, "#handover-title").endswith("kun læsning")
        assert text(app, "#handover-help").startswith("Kun læsning: Enter vis punkt")
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Plain).render())
        for write in ("Tilstand, situation", "Tilføj handling", "Fastgør", "Slet punkt"):
            assert write not in keys
        assert "Kvittér for overleveringen" in keys and "Kryds handling af" in keys
        await press(app, pilot, "escape")
        for key in ("t", "a", "p", "f", "l", "delete"):
            await press(app, pilot, key)
            assert app.screen is screen, key  # no dialog, and t did not open statistics
            assert text(app, "#handover-message").startswith("Kun læsning")
        await press(app, pilot, "k")
        await settle(app, pilot)
        assert text(app, "#handover-acks") == "Kvitteret af: ida"
    with connection():
        assert HandoverNoteCount.count() == 3  # nothing was written


class HandoverNoteCount:
    """The number of handover rows (a read-only view writes none)."""

    @staticmethod
    def count() -> int:
        from db.models import HandoverNote

        return int(HandoverNote.select().count())


async def test_a_refused_write_opens_no_dialog(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    mette = make_user(rt, "mette", "medarbejder")  # signed in on the evening shift
    clock.current = datetime(2026, 11, 20, 22, 55, tzinfo=UTC)  # 23:55: grace hour
    async with running(config, rt, mette) as (app, pilot):
        screen = await open_handover(app, pilot)
        await pilot.press("v")  # the evening she worked: still hers to write
        await settle(app, pilot)
        assert screen.view is not None and screen.view.editable
        clock.advance(minutes=10)  # 00:05: the window closed while the view was open
        await press(app, pilot, "a")
        assert app.screen is screen
        assert "første time" in text(app, "#handover-message")


async def test_out_of_service_is_refused_for_staff_before_the_dialog(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, name="mette", opened="s") as (app, pilot):
        board = app.screen
        assert isinstance(board, BedBoardScreen)
        await press(app, pilot, "g")
        assert app.screen is board
        assert text(app, "#beds-message") == "Din rolle giver ikke adgang til dette."


async def test_delete_only_own_after_j_n_and_the_line_stays(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    jonas = make_user(rt, "jonas", "medarbejder")
    handover_items.add_item(rt, jonas, EVENING, "hvis_saa", "Hvis politiet ringer: ring leder")
    async with signed_in(config, rt, name="mette") as (app, pilot):
        await open_handover(app, pilot)
        await pilot.press("delete")  # Jonas's item: refused before any question
        await settle(app, pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert text(app, "#handover-message").startswith("Kun den der skrev punktet")
    clock.advance(minutes=12)
    async with running(config, rt, jonas) as (app, pilot):
        await open_handover(app, pilot)
        await press(app, pilot, "delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # nej: nothing happens
        await settle(app, pilot)
        assert rows(app)[0][1] == "Hvis politiet ringer: ring leder"
        await press(app, pilot, "delete")
        await press(app, pilot, "j")
        await settle(app, pilot)
        assert rows(app) == [["Hvis-så", "slettet af jonas kl. 20:12", "", ""]]
    with connection():
        deletes = AuditEvent.select().where(AuditEvent.action == "handover.delete").count()
    assert deletes == 1


async def test_enter_shows_the_whole_item_wrapped(config: Config, rt: Runtime) -> None:
    eva = make_user(rt, "eva", "medarbejder")
    handover_items.add_item(rt, eva, EVENING, "hvis_saa", LONG_PLAN)
    async with signed_in(config, rt, name="mette") as (app, pilot):
        await open_handover(app, pilot)
        assert rows(app)[0][1] == LONG_PLAN  # the cell holds it, the column cuts it
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HandoverItemScreen)
        body = app.screen.query_one("#item-text", Plain)
        lines = shown(body)
        assert len(lines) >= 3 and all(len(line) <= 78 for line in lines)
        assert " ".join(lines).split() == LONG_PLAN.split()  # every word, on screen
        region = body.region
        assert region.right <= 80 and region.bottom <= 24
        await press(app, pilot, "escape")
        assert isinstance(app.screen, HandoverScreen)


async def test_an_item_added_after_signing_shows_new_and_asks_again(
    config: Config, rt: Runtime, clock: FakeClock
) -> None:
    eva = make_user(rt, "eva", "medarbejder")
    handover.set_summary(rt, eva, EVENING, state="rolig", situation="Stille aften")
    clock.current = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)  # 23:30
    async with signed_in(config, rt, name="ida") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        await press(app, pilot, "k")
        await settle(app, pilot)
        assert text(app, "#handover-acks") == "Kvitteret af: ida"
        clock.advance(minutes=5)
        due = clock.current + timedelta(hours=2)
        handover_items.add_item(
            rt, eva, EVENING, "handling", "Ring bosted", owner="Nat", due_at=due
        )
        screen.watcher.poll()  # what the 2-second timer does
        await settle(app, pilot)
        assert rows(app)[1] == ["Handling", "Ring bosted", "Nat 01:35", "NY"]
        assert text(app, "#handover-acks") == "NY efter kvittering (ida): kvittér igen (k)"
        await press(app, pilot, "k")
        await settle(app, pilot)
        assert text(app, "#handover-acks") == "Kvitteret af: ida"
        assert rows(app)[1][3] == ""


async def test_refused_check_in_is_one_row_however_often_saved(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, name="mette", opened="s") as (app, pilot):
        await press(app, pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        dialog.query_one("#f-cpr_text").value = CPR_C  # type: ignore[attr-defined]
        for name, answer in (("intoxicated", "j"), ("threatening", "n"), ("disturbing", "n")):
            dialog.query_one(f"#f-{name}").focus()
            await pilot.press(answer)
        for _ in range(3):
            await press(app, pilot, "ctrl+s")
            assert "Afslaget er registreret" in dialog.message
    with connection():
        assert [r.reason for r in BedRequest.select()] == ["udelukket"]


async def test_no_bed_asks_and_can_be_undone(config: Config, rt: Runtime) -> None:
    staff = make_user(rt, "jonas", "medarbejder")
    for bed_id, cpr in zip(bed_ids(), (CPR_A, CPR_B), strict=True):
        stays.check_in(rt, staff, form(bed_id, cpr))
    async with signed_in(config, rt, name="mette", opened="s") as (app, pilot):
        await press(app, pilot, "n")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # nej: nothing logged
        await settle(app, pilot)
        with connection():
            assert BedRequest.select().count() == 0
        await press(app, pilot, "n", "j")
        assert "N fortryder" in text(app, "#beds-message")
        with connection():
            assert BedRequest.select().count() == 1
        await press(app, pilot, "N")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "j")
        assert text(app, "#beds-message") == "Fortrudt: 'ønsket, ingen ledig' er fjernet."
        with connection():
            assert BedRequest.select().count() == 0
            undone = AuditEvent.select().where(AuditEvent.action == "beds.request_undo").count()
        assert undone == 1
