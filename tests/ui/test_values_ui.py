"""The value-list screen (letter v) as a leader and as staff (issue 18 §6), at 80x24."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.admin import value_admin
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import stored_value_lists
from akut_tui.tui.app import AkutApp
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.night import NightDialog
from screens.home import HomeScreen
from screens.values import ValuesScreen
from screens.widgets.text import Plain, TextInput
from tests.ui.helpers import settle
from tests.ui.pilot_helpers import press, signed_in


def _message(app: AkutApp) -> str:
    return str(app.screen.query_one("#values-message", Plain).render())


def screen_text(app: AkutApp) -> str:
    """The characters on screen, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _open(app: AkutApp, pilot: Pilot[int], key: str) -> ValuesScreen:
    await press(app, pilot, "v")
    screen = app.screen
    assert isinstance(screen, ValuesScreen)
    table = screen.query_one(DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await settle(app, pilot)
    return screen


async def test_leader_relabels_adds_and_retires(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        screen = await _open(app, pilot, "partner_type:tuba")
        assert "TUBA" in screen_text(app) and "Værdilister" in screen_text(app)
        await press(app, pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        field = dialog.query_one("#f-label", TextInput)
        field.value = "Ib 010190-1234"
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog and "CPR-nummer" in dialog.message
        assert field.value == "Ib 010190-1234"  # nothing typed is lost
        field.value = "TUBA Viborg"
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        assert "tuba hedder nu TUBA Viborg." in _message(app)
        assert ("tuba", "TUBA Viborg") in app.value_lists["partner_type"]  # forms follow
        await press(app, pilot, "n")
        app.screen.query_one("#f-label", TextInput).value = "Akutteam"
        await press(app, pilot, "ctrl+s")
        assert "Tilføjet: Akutteam (kode akutteam)." in _message(app)
        assert screen.selected_key() == "partner_type:akutteam"
        await press(app, pilot, "x")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "j")
        assert "Akutteam er udgået." in _message(app)
        assert "akutteam" not in dict(app.value_lists["partner_type"])
        assert ("akutteam", "Akutteam", False) in stored_value_lists(rt)["partner_type"]


async def test_fixed_list_refuses_new_values_with_a_reason(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        await _open(app, pilot, "channel:telefon")
        await press(app, pilot, "n")
        assert "Listen Kanal er fast; der kan ikke tilføjes værdier." in _message(app)
        await press(app, pilot, "x", "j")
        assert "Listen Kanal er fast; værdier kan kun omdøbes." in _message(app)


async def test_staff_has_no_value_lists_and_the_service_refuses(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, "medarbejder", name="ole") as (app, pilot):
        assert "Værdilister" not in screen_text(app)
        await press(app, pilot, "v")
        assert isinstance(app.screen, HomeScreen)
        app.push_screen(ValuesScreen())
        await settle(app, pilot)
        assert "Din rolle giver ikke adgang til dette." in _message(app)
    before = stored_value_lists(rt)
    assert value_admin.OPEN_LISTS <= set(before)


def test_an_old_contact_keeps_a_retired_value_when_edited() -> None:
    """The form's widgets offered only values in use: a retired one was dropped on save."""
    from screens.blocks.intake_fields import BY_NAME, build
    from screens.widgets.fields import Choice, MultiChoice

    lists = {"symptom": [("angst", "Angst")], "channel": [("telefon", "Telefon")]}
    symptoms = build(BY_NAME["symptoms"], ["angst", "uro"], lists)
    assert isinstance(symptoms, MultiChoice)
    assert symptoms.selected == ["angst", "uro"]
    assert ("uro", "Uro (udgået)") in symptoms.options
    channel = build(BY_NAME["channel"], "virtuel", lists)
    assert isinstance(channel, Choice) and channel.value == "virtuel"
    # A new contact is offered only the values in use.
    assert build(BY_NAME["symptoms"], [], lists).options == [("angst", "Angst")]  # type: ignore[attr-defined]
