"""The bed settings screen (letter g) as a leader and as staff (issue 18 §7), at 80x24."""

from __future__ import annotations

from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import bed_settings, beds
from akut_tui.tui.app import AkutApp
from screens.bed_settings import BedSettingsScreen
from screens.dialogs.night import NightDialog
from screens.home import HomeScreen
from screens.widgets.text import Plain, TextInput
from tests.night_helpers import bed_ids
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in
from tests.ui.test_values_ui import screen_text


def _text(app: AkutApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Plain).render())


async def test_leader_sees_history_adds_and_renames(
    config: Config, rt: Runtime, clock: object
) -> None:
    lea = make_user(rt, "lea", "leder")
    first, second = bed_ids()
    beds.set_out_of_service(rt, lea, second, "Vandskade")
    async with running(config, rt, lea) as (app, pilot):
        await press(app, pilot, "g")
        screen = app.screen
        assert isinstance(screen, BedSettingsScreen)
        assert "Ude af drift, Seng 1: aldrig" in _text(app, "#bed-settings-history")
        table = screen.query_one(DataTable)
        table.focus()
        await press(app, pilot, "down")
        history = _text(app, "#bed-settings-history")
        assert "Ude af drift, Seng 2:" in history and "– nu · Vandskade · lea" in history
        await press(app, pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        field = dialog.query_one("#f-name", TextInput)
        field.value = "seng 1"
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog and "findes allerede en seng" in dialog.message
        assert field.value == "seng 1"  # kept for the correction
        field.value = "Seng ved vinduet"
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        assert "Sengen hedder nu Seng ved vinduet." in _text(app, "#bed-settings-message")
        await press(app, pilot, "n")
        app.screen.query_one("#f-name", TextInput).value = "Seng 3"
        await press(app, pilot, "ctrl+s")
        assert "Seng 3 er tilføjet og i drift." in _text(app, "#bed-settings-message")
        assert "tilføjet" in screen_text(app)
    names = [b.name for b in bed_settings.list_beds(rt, lea)]
    assert names == ["Seng 1", "Seng ved vinduet", "Seng 3"]


async def test_staff_has_no_bed_settings_and_the_service_refuses(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, "medarbejder", name="ole") as (app, pilot):
        assert "Sengeindstillinger" not in screen_text(app)
        await press(app, pilot, "g")
        assert isinstance(app.screen, HomeScreen)
        app.push_screen(BedSettingsScreen())
        await settle(app, pilot)
        assert "Din rolle giver ikke adgang til dette." in _text(app, "#bed-settings-message")
        await press(app, pilot, "n")
        app.screen.query_one("#f-name", TextInput).value = "Seng 9"
        await press(app, pilot, "ctrl+s")
        assert "Din rolle giver ikke adgang til dette." in app.screen.message  # type: ignore[attr-defined]
    assert len(bed_ids()) == 2
