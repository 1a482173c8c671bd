"""First run, login, idle lock, role-restricted navigation and hardening, through Pilot."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from akut_tui.core.config import Config
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from screens.dialogs.help import HelpScreen
from screens.first_run import FirstRunScreen
from screens.home import HomeScreen
from screens.lock import LockScreen
from screens.login import LoginScreen
from tests.conftest import PASSWORD
from tests.ui.pilot_helpers import press

SIZE = (80, 24)
DISPLAY_NAME = "Anna Andersen"


def screen_text(app: App[object]) -> str:
    """The characters currently on screen, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(app: App[object], pilot: Pilot[object]) -> None:
    """Let workers finish and the screen changes they cause run (no sleeping)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _field(app: App[object], name: str) -> Input:
    return app.screen.query_one(f"#{name}", Input)


def _message(app: App[object], selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def login(app: AkutApp, pilot: Pilot[object], name: str, password: str) -> None:
    """Fill the login form directly and press Enter in the password field."""
    assert isinstance(app.screen, LoginScreen)
    _field(app, "username").value = name
    password_field = _field(app, "password")
    password_field.value = password
    password_field.focus()
    await pilot.pause()
    await press(app, pilot, "enter")


@pytest.fixture
def users(rt: Runtime) -> Runtime:
    """Accounts made through the service, as ``akut user add`` does."""
    accounts.create_user(rt, "lise", PASSWORD, "leder", actor=None, display_name="Lise Leder")
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None, display_name=DISPLAY_NAME)
    return rt


# --- (a) first run -------------------------------------------------------------------


async def test_first_run_creates_the_leader(rt: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        assert app.focused is _field(app, "username")
        _field(app, "username").value = "lise"
        _field(app, "display-name").value = "Lise Leder"
        _field(app, "password").value = PASSWORD
        repeat = _field(app, "repeat")
        repeat.value = PASSWORD
        repeat.focus()
        await pilot.pause()
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.session is not None and app.session.role == "leder"
        assert "lise" in screen_text(app)
        assert app.is_running
    assert auth.has_users()
    assert [u.username for u in accounts.list_users(rt, None)] == ["lise"]


async def test_first_run_mismatched_passwords(rt: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        _field(app, "username").value = "lise"
        _field(app, "password").value = PASSWORD
        repeat = _field(app, "repeat")
        repeat.value = PASSWORD + "x"
        repeat.focus()
        await pilot.pause()
        await press(app, pilot, "enter")
        assert isinstance(app.screen, FirstRunScreen)
        assert "ikke ens" in screen_text(app)
        assert app.session is None
    assert not auth.has_users()


async def test_first_run_weak_password_shows_policy_message(rt: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        _field(app, "username").value = "lise"
        _field(app, "password").value = "kort"
        repeat = _field(app, "repeat")
        repeat.value = "kort"
        repeat.focus()
        await pilot.pause()
        await press(app, pilot, "enter")
        assert isinstance(app.screen, FirstRunScreen)
        assert app.session is None
        assert "Opretter" not in screen_text(app)
    assert not auth.has_users()


# --- (b) login -----------------------------------------------------------------------


async def test_login_with_keyboard(users: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is _field(app, "username")
        text = screen_text(app)
        assert "Brugernavn" in text and "Adgangskode" in text
        await pilot.press("o", "l", "e")
        assert _field(app, "username").value == "ole"
        await pilot.press("tab")
        assert app.focused is _field(app, "password")
        _field(app, "password").value = PASSWORD
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.session is not None and app.session.username == "ole"
        assert "ole" in screen_text(app)


async def test_enter_in_username_moves_to_password(users: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        _field(app, "username").value = "ole"
        await press(app, pilot, "enter")
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is _field(app, "password")
        assert app.session is None


# --- (c) wrong password, (d) lockout --------------------------------------------------


async def test_wrong_password_stays_on_login(users: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await login(app, pilot, "ole", "forkert adgangskode")
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert app.is_running
        assert auth.LOGIN_FAILED in _message(app, "#login-message")
        assert _field(app, "password").value == ""
        assert app.focused is _field(app, "password")


async def test_lockout_shows_the_same_message(users: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        messages = []
        for _ in range(config.security.lockout_failures):
            await login(app, pilot, "ole", "forkert adgangskode")
            messages.append(_message(app, "#login-message"))
        await login(app, pilot, "ole", PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        messages.append(_message(app, "#login-message"))
        assert set(messages) == {auth.LOGIN_FAILED}


async def test_empty_fields_are_not_sent(users: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await login(app, pilot, "ole", "")
        assert isinstance(app.screen, LoginScreen)
        assert "Skriv brugernavn og adgangskode" in _message(app, "#login-message")


# --- (e) idle lock -------------------------------------------------------------------


@asynccontextmanager
async def _at_home(
    config: Config, users: Runtime, name: str
) -> AsyncIterator[tuple[AkutApp, Pilot[int]]]:
    """The app at 80x24 with ``name`` logged in through the login screen, on home."""
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await login(app, pilot, name, PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        yield app, pilot


async def test_lock_hides_everything(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        assert DISPLAY_NAME in screen_text(app)
        app.session_control.lock()
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        assert DISPLAY_NAME not in screen_text(app)
        assert app.focused is _field(app, "password")
        # Navigation and menu keys are refused while locked.
        for key in ("escape", "f9", "f12"):
            await press(app, pilot, key)
            assert isinstance(app.screen, LockScreen), key
        assert app.session is not None


async def test_wrong_unlock_password_stays_locked(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        app.session_control.lock()
        await settle(app, pilot)
        _field(app, "password").value = "forkert adgangskode"
        await press(app, pilot, "enter")
        assert isinstance(app.screen, LockScreen)
        assert "2 forsøg tilbage" in _message(app, "#lock-message")
        assert _field(app, "password").value == ""


async def test_correct_password_unlocks_to_home(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        app.session_control.lock()
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen)
        _field(app, "password").value = PASSWORD
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.session is not None and app.session.username == "ole"


async def test_ctrl_l_locks(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        await press(app, pilot, "ctrl+l")
        assert isinstance(app.screen, LockScreen)


async def test_three_bad_unlocks_log_out(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        app.session_control.lock()
        await settle(app, pilot)
        for attempt in range(config.security.unlock_attempts):
            assert isinstance(app.screen, LockScreen), attempt
            _field(app, "password").value = "forkert adgangskode"
            await press(app, pilot, "enter")
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert not any(isinstance(s, HomeScreen | LockScreen) for s in app.screen_stack)
        assert "logget ud" in _message(app, "#login-message")


# --- (f) role-restricted navigation --------------------------------------------------


@pytest.mark.parametrize("key", ["f9", "b"])
async def test_staff_cannot_open_users(users: Runtime, config: Config, key: str) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        assert "Brugere" not in screen_text(app)
        await press(app, pilot, key)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 2


async def test_leader_opens_users(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "lise") as (app, pilot):
        assert "Brugere" in screen_text(app)
        await press(app, pilot, "f9")
        assert type(app.screen).__name__ == "UsersScreen"
        table = app.screen.query_one(DataTable)
        assert [key.value for key in table.rows] == ["lise", "ole"]
        assert "ole" in screen_text(app)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_demoted_leader_sees_no_users(users: Runtime, config: Config) -> None:
    """The service re-checks the role: a stale session cannot list users."""
    async with _at_home(config, users, "lise") as (app, pilot):
        # Another leader first: the last active leader cannot be demoted (issue 18 §1).
        accounts.create_user(users, "bo", PASSWORD, "leder", actor=None)
        accounts.set_role(users, None, "lise", "medarbejder")
        await press(app, pilot, "f9")
        # The menu still follows the session's role, but the service refuses the data.
        assert type(app.screen).__name__ == "UsersScreen"
        assert app.screen.query_one(DataTable).row_count == 0
        assert "Din rolle giver ikke adgang til dette." in screen_text(app)


# --- (g) idle timer ------------------------------------------------------------------


async def test_idle_timer_locks_after_the_configured_time(users: Runtime, config: Config) -> None:
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.session_control.idle is None  # no session, no timer
        await login(app, pilot, "ole", PASSWORD)
        idle = app.session_control.idle
        assert idle is not None and idle.running
        assert idle.limit == config.security.idle_lock_minutes * 60
        idle.limit = 0  # what the timer does when it fires after the limit
        idle.check()
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen)


async def test_logout_stops_the_timers(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        await press(app, pilot, "f12")
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert not app.session_control.timers_running


# --- (h) help ------------------------------------------------------------------------


async def test_question_mark_shows_help(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Taster" in text and "Lås skærmen" in text
        await press(app, pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


# --- (i) hardening -------------------------------------------------------------------


async def test_ctrl_z_never_suspends(
    users: Runtime, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    kills: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: kills.append((pid, sig)))
    async with _at_home(config, users, "ole") as (app, pilot):
        driver = app._driver
        assert driver is not None
        monkeypatch.setattr(type(driver), "can_suspend", property(lambda self: True))
        await pilot.press("ctrl+z")
        app.action_suspend_process()
        await settle(app, pilot)
        assert kills == []
        assert app.is_running
        assert isinstance(app.screen, HomeScreen)


async def test_no_command_palette(users: Runtime, config: Config) -> None:
    async with _at_home(config, users, "ole") as (app, pilot):
        await press(app, pilot, "ctrl+p")
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, CommandPalette) for s in app.screen_stack)
        assert app.ENABLE_COMMAND_PALETTE is False


async def test_screenshot_writes_nothing(
    users: Runtime, config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    monkeypatch.chdir(shots)
    async with _at_home(config, users, "ole") as (app, pilot):
        app.action_screenshot(path=str(shots))
        await app.run_action("screenshot")
        await settle(app, pilot)
    assert list(shots.iterdir()) == []


async def test_dummy_hash_is_ready_before_the_first_login(
    users: Runtime, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 §7: the first attempt for an unknown name computes no extra hash."""
    auth._dummy_hashes.clear()  # a fresh process, as every SSH session is
    app = AkutApp(config, runtime=users)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        hashed: list[str] = []
        real_hash = auth._hash

        def counting_hash(rt: Runtime, password: str) -> str:
            hashed.append(password)
            return real_hash(rt, password)

        monkeypatch.setattr(auth, "_hash", counting_hash)
        for name in ("ukendt", "ole"):
            await login(app, pilot, name, "forkert adgangskode")
            assert _message(app, "#login-message") == auth.LOGIN_FAILED
        assert hashed == []
