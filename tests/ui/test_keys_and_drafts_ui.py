"""Pilot tests at 80x24 for issue 7 items 1-7: type-ahead in one burst, drafts kept on
every way of leaving a form, the idle lock timer, and keys that must not navigate.

A burst is posted to the app all at once, as the terminal parser delivers the keys of
one read (``Pilot.press`` waits between keys and would hide the defects).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from akut_tui.core.config import Config
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import Contact, ContactDraft, ContactValue
from screens.contacts import ContactsScreen
from screens.dialogs.reauth import ReauthDialog
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.lock import LockScreen
from screens.login import LoginScreen
from screens.persons import PersonsScreen
from screens.widgets.quick_log import QuickLogPanel
from tests.conftest import PASSWORD
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in

SIZE = (80, 24)
CHARS = {
    "|": " ",
    "ctrl+s": "\x13",
    "enter": "\r",
    "backspace": "\x7f",
    "escape": "\x1b",
    "tab": "\t",
}


def burst(app: AkutApp, *keys: str) -> None:
    """Post ``keys`` as one terminal read would deliver them: all before any is handled."""
    for key in keys:
        char = CHARS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key("space" if key == "|" else key, char))


def _contacts() -> list[Contact]:
    with connection():
        return list(Contact.select().order_by(Contact.id))


def _drafts() -> list[ContactDraft]:
    with connection():
        return list(ContactDraft.select().order_by(ContactDraft.id))


class Ticks:
    """A settable monotonic clock for the idle lock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- item 1: type-ahead ----------------------------------------------------------------


async def test_quick_log_burst_reaches_the_panel(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        burst(app, "f2", "2", "a", "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert contact.crisis_level == "middel"
    with connection():
        values = {(v.list_name, v.code) for v in ContactValue.select()}
    assert values == {("symptom", "angst")}


async def test_full_form_burst_lands_in_the_new_screen(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        # F3 opens the form; what follows edits its first field (the start time).
        burst(app, "f3", "backspace", "backspace", "4", "5", "tab", "l")
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#started_at", Input).value == "20-11-2026 20:45"


async def test_backspace_then_digits_keep_their_order(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        field = app.screen.query_one("#started_at", Input)
        field.focus()
        await settle(app, pilot)
        field.value = "20-11-2026 20:00"
        field.cursor_position = len(field.value)
        burst(app, "backspace", "backspace", "4", "5", "backspace", "7")
        await settle(app, pilot)
        assert field.value == "20-11-2026 20:47"


# --- item 2: drafts kept on every way of leaving ------------------------------------


async def _form_with_note(app: AkutApp, pilot: Pilot[int], session: SignedInUser) -> None:
    await login(app, pilot, session)
    await press(app, pilot, "f3")
    field = app.screen.query_one("#started_at", Input)
    field.focus()
    await pilot.press("backspace", "1")  # a change, written only after the debounce


async def test_f_key_out_of_the_form_keeps_a_draft(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await _form_with_note(app, pilot, session)
        await press(app, pilot, "f4")
        assert isinstance(app.screen, ContactsScreen)
        await press(app, pilot, "f5")
    assert len(_drafts()) == 1


async def test_escape_then_letter_keeps_a_draft(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await _form_with_note(app, pilot, session)
        burst(app, "escape", "l")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactsScreen)
    assert len(_drafts()) == 1


async def test_only_f8_discards(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await _form_with_note(app, pilot, session)
        await press(app, pilot, "f8")
        # (a confirmation, if shown, is answered yes)
        if not isinstance(app.screen, HomeScreen):
            await press(app, pilot, "j")
        await press(app, pilot, "f4")
    assert _drafts() == []


@pytest.mark.parametrize("leave", ["ctrl+l", "f12", "ctrl+q", "disabled", "expired"])
async def test_lock_logout_quit_and_session_end_keep_the_draft(
    config: Config, rt: Runtime, leave: str
) -> None:
    session = make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await _form_with_note(app, pilot, session)
        if leave in ("disabled", "expired"):
            app.session_control.end(leave)
        else:
            await pilot.press(leave)
        await settle(app, pilot)
        if leave != "ctrl+q":
            assert isinstance(app.screen, LockScreen | LoginScreen)
    assert len(_drafts()) == 1


# --- items 4 and 5: the idle lock ----------------------------------------------------


async def test_idle_lock_counts_from_the_last_key(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    ticks = Ticks()
    app = AkutApp(config, runtime=rt, idle_clock=ticks)
    limit = config.security.idle_lock_minutes * 60
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot, session)
        idle = app.session_control.idle
        assert idle is not None
        ticks.now += limit - 60
        await pilot.press("f4")  # a key one minute before the limit
        await settle(app, pilot)
        ticks.now += limit - 1
        idle.check()  # what the timer does when it wakes
        await settle(app, pilot)
        assert not isinstance(app.screen, LockScreen)
        assert idle.running and abs(idle.remaining() - 1) < 1e-6  # sleeps what is left
        ticks.now += 1
        idle.check()
        await settle(app, pilot)
        assert isinstance(app.screen, LockScreen)  # exactly `limit` after the last key


async def test_idle_lock_fires_again_after_an_unlock(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    ticks = Ticks()
    app = AkutApp(config, runtime=rt, idle_clock=ticks)
    limit = config.security.idle_lock_minutes * 60
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot, session)
        for _ in range(2):
            idle = app.session_control.idle
            assert idle is not None and idle.running
            ticks.now += limit
            idle.check()
            await settle(app, pilot)
            assert isinstance(app.screen, LockScreen)
            assert not idle.running  # no timer while locked
            app.screen.query_one("#password", Input).value = PASSWORD
            await press(app, pilot, "enter")
            assert isinstance(app.screen, HomeScreen)


# --- items 6 and 7: keys act where the user is; letters never navigate while typing --


@asynccontextmanager
async def _on_persons(config: Config, rt: Runtime) -> AsyncIterator[tuple[AkutApp, Pilot[int]]]:
    """A coordinator on the persons screen, with one pseudonymous person (Mette)."""
    session = make_user(rt, "kirsten", "koordinator")
    contacts.save_contact(
        rt, session, ContactInput(identity="pseudonym", nickname="Mette", crisis_level="let")
    )
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f7")
        assert isinstance(app.screen, PersonsScreen)
        yield app, pilot


async def test_persons_c_reveals_and_the_password_is_never_shown(
    config: Config, rt: Runtime
) -> None:
    async with _on_persons(config, rt) as (app, pilot):
        screen = app.screen
        assert isinstance(app.focused, DataTable)  # the keys in the help line work here
        burst(app, "c", *"hemmelig")
        await settle(app, pilot)
        assert isinstance(app.screen, ReauthDialog)
        assert screen.query_one("#persons-search", Input).value == ""
        field = app.screen.query_one("#reauth-password", Input)
        assert field.value == "hemmelig" and field.password


async def test_persons_down_leaves_the_search(config: Config, rt: Runtime) -> None:
    async with _on_persons(config, rt) as (app, pilot):
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await press(app, pilot, "down", "c")
        assert isinstance(app.screen, ReauthDialog)


async def test_failed_reauth_keeps_the_dialog_and_letters(config: Config, rt: Runtime) -> None:
    async with _on_persons(config, rt) as (app, pilot):
        await press(app, pilot, "c")
        burst(app, *"forkert", "enter")
        await settle(app, pilot)
        # Wrong password: the dialog stays, so what is typed next is a password again.
        assert isinstance(app.screen, ReauthDialog)
        burst(app, "b", "l", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReauthDialog)
        assert app.screen.query_one("#reauth-password", Input).value == ""  # "bl" was wrong


async def test_keys_typed_after_esc_on_a_dialog_go_where_esc_led(
    config: Config, rt: Runtime
) -> None:
    # Issue 14: Esc closes the dialog on purpose; the keys after it are for the
    # screen below (here "l" opens this shift's contacts). Keys typed ahead of a
    # dialog closed by any other key are still dropped
    # (tests/ui/test_escape_typeahead_ui.py).
    async with _on_persons(config, rt) as (app, pilot):
        await press(app, pilot, "c")
        burst(app, "escape", "l")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert app.key_gate.dropped == 0


async def test_letters_in_the_quick_log_do_not_navigate(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        burst(app, "o", "p")  # menu letters, not quick-log keys: nothing happens
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(QuickLogPanel).is_open


async def test_letters_in_the_quick_log_do_not_reach_the_screen_below(
    config: Config, rt: Runtime
) -> None:
    async with _on_persons(config, rt) as (app, pilot):
        await press(app, pilot, "f2")
        burst(app, "m", "c")  # persons' mark and CPR keys, not quick-log keys
        await settle(app, pilot)
        assert isinstance(app.screen, PersonsScreen)
        assert "Markeret" not in str(app.screen.query_one("#persons-message").render())
        assert app.screen.query_one(QuickLogPanel).is_open


async def test_keys_typed_after_the_login_enter_wait_for_the_login(
    config: Config, rt: Runtime
) -> None:
    make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        burst(app, "b", "o", "tab", *PASSWORD.replace(" ", "|"), "enter", "f2", "3", "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert contact.crisis_level == "alvorlig"
