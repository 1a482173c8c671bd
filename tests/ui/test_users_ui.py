"""The users screen as a leader and as staff (issue 18 §1), under Pilot at 80x24."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.core.errors import LoginFailed
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from screens.dialogs.accounts import AccountDialog, OneTimePasswordDialog
from screens.dialogs.reauth import ReauthDialog
from screens.users import UsersScreen
from screens.widgets.fields import Choice
from screens.widgets.text import Plain, TextInput
from tests.ui.helpers import PASSWORD, make_user, settle
from tests.ui.pilot_helpers import press, signed_in


def _users_message(app: AkutApp) -> str:
    return str(app.screen.query_one("#users-message", Plain).render())


async def _open_users(app: AkutApp, pilot: Pilot[int]) -> UsersScreen:
    await press(app, pilot, "b")
    assert isinstance(app.screen, UsersScreen)
    app.screen.query_one(DataTable).focus()
    return app.screen


async def _password(app: AkutApp, pilot: Pilot[int], password: str = PASSWORD) -> None:
    await settle(app, pilot)
    assert isinstance(app.screen, ReauthDialog), app.screen_stack
    app.screen.query_one("#reauth-password", TextInput).value = password
    await press(app, pilot, "enter")


def _fill(dialog: AccountDialog, **values: str) -> None:
    for name, value in values.items():
        dialog.query_one(f"#f-{name}").value = value  # type: ignore[attr-defined]


async def test_leader_creates_a_user_who_must_change_the_one_time_password(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        await _open_users(app, pilot)
        await press(app, pilot, "n")
        dialog = app.screen
        assert isinstance(dialog, AccountDialog)
        _fill(dialog, username="Mette.K", display_name="Mette Kristensen", role="koordinator")
        await pilot.press("ctrl+s")
        await _password(app, pilot, "forkert adgangskode")
        # A wrong password: the dialog stays, the field is empty, nothing is created.
        assert isinstance(app.screen, ReauthDialog)
        assert "Forkert adgangskode" in str(app.screen.query_one("#reauth-message").render())
        assert "mette.k" not in [u.username for u in accounts.list_users(rt, None)]
        app.screen.query_one("#reauth-password", TextInput).value = PASSWORD
        await press(app, pilot, "enter")
        shown = app.screen
        assert isinstance(shown, OneTimePasswordDialog)
        one_time = shown.password
        assert one_time in str(shown.query_one("#confirm-text", Plain).render())
        await press(app, pilot, "enter")
        assert isinstance(app.screen, UsersScreen)
        assert "Engangskode givet til mette.k" in _users_message(app)
        table = app.screen.query_one(DataTable)
        assert "aktiv, ny kode" in [str(c) for c in table.get_row("mette.k")]
    made = auth.login(rt, "mette.k", one_time)
    assert made.role == "koordinator" and made.must_change_password


async def test_a_refused_form_keeps_what_was_typed(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        await _open_users(app, pilot)
        await press(app, pilot, "n")
        dialog = app.screen
        assert isinstance(dialog, AccountDialog)
        _fill(dialog, username="ny", display_name="Ny 010190-1234")
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog
        assert "visningsnavn må ikke ligne et CPR-nummer" in dialog.message
        assert dialog.values()["username"] == "ny"
        assert app.focused is dialog.query_one("#f-display_name")
        # Esc at the password: the form comes back with the text and a reason.
        _fill(dialog, display_name="Ny Nielsen")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ReauthDialog)
        await press(app, pilot, "escape")
        again = app.screen
        assert isinstance(again, AccountDialog)
        assert again.values() == {
            "username": "ny",
            "display_name": "Ny Nielsen",
            "role": "medarbejder",
        }
        assert "adgangskoden blev ikke skrevet" in again.message
    assert [u.username for u in accounts.list_users(rt, None)] == ["lise"]


async def test_leader_cannot_lower_own_role_and_keeps_the_last_leader(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        await _open_users(app, pilot)
        await press(app, pilot, "r")
        dialog = app.screen
        assert isinstance(dialog, AccountDialog)
        dialog.query_one("#f-role", Choice).value = "medarbejder"
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog  # refused before any password is asked for
        assert "Du kan ikke sænke din egen rolle." in dialog.message
        await press(app, pilot, "escape")
        await press(app, pilot, "d")
        assert isinstance(app.screen, UsersScreen)
        assert "Du kan ikke deaktivere din egen konto." in _users_message(app)
    assert accounts.list_users(rt, None)[0].role == "leder"


async def test_leader_changes_role_resets_password_disables_and_unlocks(
    config: Config, rt: Runtime
) -> None:
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        screen = await _open_users(app, pilot)
        await pilot.press("down")
        assert screen.selected() is not None and screen.selected().username == "ole"  # type: ignore[union-attr]
        await press(app, pilot, "r")
        app.screen.query_one("#f-role", Choice).value = "koordinator"
        await pilot.press("ctrl+s")
        await _password(app, pilot)
        assert "ole har nu rollen koordinator." in _users_message(app)
        await pilot.press("p")
        await _password(app, pilot)
        shown = app.screen
        assert isinstance(shown, OneTimePasswordDialog)
        await press(app, pilot, "escape")
        await pilot.press("d")
        await _password(app, pilot)
        assert "ole er deaktiveret." in _users_message(app)
        await pilot.press("a")
        await _password(app, pilot)
        await pilot.press("u")
        await _password(app, pilot)
        assert "Spærringen for ole er ophævet." in _users_message(app)
    ole = auth.login(rt, "ole", shown.password)
    assert ole.role == "koordinator" and ole.must_change_password
    try:
        auth.login(rt, "ole", PASSWORD)
    except LoginFailed:
        pass
    else:
        raise AssertionError("the old password still works")


async def test_staff_on_the_users_screen_is_refused_by_the_service(
    config: Config, rt: Runtime
) -> None:
    """The menu hides the screen; opened anyway, every action is refused in the service."""
    make_user(rt, "lise", "leder")
    async with signed_in(config, rt, "medarbejder", name="ole") as (app, pilot):
        await press(app, pilot, "b")
        assert not isinstance(app.screen, UsersScreen)
        app.push_screen(UsersScreen())
        await settle(app, pilot)
        assert "Din rolle giver ikke adgang til dette." in _users_message(app)
        await press(app, pilot, "n")
        dialog = app.screen
        assert isinstance(dialog, AccountDialog)
        _fill(dialog, username="ny")
        await press(app, pilot, "ctrl+s")
        assert app.screen is dialog
        assert "Din rolle giver ikke adgang til dette." in dialog.message
    assert [u.username for u in accounts.list_users(rt, None)] == ["lise", "ole"]
