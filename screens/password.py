"""Forced password change after an administrator set a one-time password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from akut_tui.errors import ValidationError
from akut_tui.services import auth
from screens.base import host
from screens.quiet import QuietModalScreen, QuietScreen
from screens.widgets import Plain, TextInput
from screens.workers import run_service

T = TypeVar("T")


class ChangePasswordScreen(QuietScreen[None]):
    """The user must choose a new password before anything else (Ctrl+Q quits)."""

    DEFAULT_CSS = """
    ChangePasswordScreen { align: center middle; }
    ChangePasswordScreen #pw-box { width: 66; height: auto; padding: 1 2; background: $panel; }
    ChangePasswordScreen #pw-title { text-style: bold; }
    ChangePasswordScreen TextInput { width: 40; }
    ChangePasswordScreen #pw-message { margin-top: 1; color: $error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="pw-box"):
            yield Label("Vælg en ny adgangskode", id="pw-title")
            yield Label("Din adgangskode er sat af en administrator og skal skiftes nu.")
            yield Label("Nuværende adgangskode")
            yield TextInput(id="old", password=True, max_length=256, enter_advances=True)
            yield Label("Ny adgangskode (mindst 15 tegn, gerne en sætning)")
            yield TextInput(id="new", password=True, max_length=256, enter_advances=True)
            yield Label("Gentag ny adgangskode")
            yield TextInput(id="repeat", password=True, max_length=256)
            yield Plain("", id="pw-message")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#old", Input))

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        message = self.query_one("#pw-message", Plain)
        if self._value("new") != self._value("repeat"):
            message.set_text("De to nye adgangskoder er ikke ens.")
            self.set_focus(self.query_one("#repeat", Input))
            return
        app = host(self)
        session = app.session
        if session is None:
            return
        rt, old, new = app.runtime, self._value("old"), self._value("new")
        message.set_text("Gemmer…")
        run_service(
            self,
            lambda: auth.change_own_password(rt, session, old, new),
            self._done,
            message.set_text,
        )

    def _done(self, _: object) -> None:
        app = host(self)
        app.password_changed()


class ReauthDialog(QuietModalScreen[None]):
    """Ask for the user's password again before a sensitive action (Esc cancels).

    The dialog runs ``check(password)`` itself and stays open after a wrong
    password (field cleared, message shown), so what the user types next goes
    into the password field again, never to the screen below. It closes on
    success (then ``done(result)``), on any other error (then ``failed(message)``)
    or on Esc.
    """

    DEFAULT_CSS = """
    ReauthDialog { align: center middle; }
    ReauthDialog #reauth-box { width: 60; height: auto; padding: 1 2; background: $panel; }
    ReauthDialog TextInput { width: 34; }
    ReauthDialog #reauth-message { color: $error; height: auto; }
    """

    BINDINGS = [Binding("escape", "cancel", "Fortryd", id="reauth.cancel")]

    def __init__(
        self,
        purpose: str,
        check: Callable[[str], T],
        done: Callable[[T], object],
        failed: Callable[[str], object],
    ) -> None:
        super().__init__()
        self._purpose = purpose
        self._check: Callable[[str], Any] = check
        self._done: Callable[[Any], object] = done
        self._failed = failed
        self._checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="reauth-box"):
            yield Plain(self._purpose)
            yield Label("Din adgangskode")
            yield TextInput(id="reauth-password", password=True, max_length=256)
            yield Plain("", id="reauth-message")
            yield Label("Enter bekræfter · Esc fortryder")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#reauth-password", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        password = event.value
        if not password or self._checking:
            return
        self._checking = True
        check = self._check

        def attempt() -> tuple[bool, Any]:
            try:
                return True, check(password)
            except ValidationError as exc:
                if exc.field == "password":
                    return False, str(exc)
                raise

        self.query_one("#reauth-message", Plain).set_text("Kontrollerer…")
        run_service(self, attempt, self._answered, self._error, group="reauth")

    def _answered(self, outcome: tuple[bool, Any]) -> None:
        self._checking = False
        if not self.is_current:  # closed with Esc while the password was checked
            return
        ok, value = outcome
        if ok:
            self.dismiss(None)
            self._done(value)
            return
        self.query_one("#reauth-password", Input).value = ""
        self.query_one("#reauth-message", Plain).set_text(str(value))

    def _error(self, message: str) -> None:
        self._checking = False
        if not self.is_current:
            return
        self.dismiss(None)
        self._failed(message)

    def action_cancel(self) -> None:
        """Close without a password."""
        self.dismiss(None)
