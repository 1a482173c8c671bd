"""Forced password change after an administrator set a one-time password."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from akut_tui.services import auth
from screens.base import host
from screens.quiet import QuietModalScreen, QuietScreen
from screens.widgets import Plain, TextInput
from screens.workers import run_service


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


class ReauthDialog(QuietModalScreen[str | None]):
    """Ask for the user's password again before a sensitive action (Esc cancels)."""

    DEFAULT_CSS = """
    ReauthDialog { align: center middle; }
    ReauthDialog #reauth-box { width: 60; height: auto; padding: 1 2; background: $panel; }
    ReauthDialog TextInput { width: 34; }
    """

    BINDINGS = [Binding("escape", "cancel", "Fortryd", id="reauth.cancel")]

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self._purpose = purpose

    def compose(self) -> ComposeResult:
        with Vertical(id="reauth-box"):
            yield Plain(self._purpose)
            yield Label("Din adgangskode")
            yield TextInput(id="reauth-password", password=True, max_length=256)
            yield Label("Enter bekræfter · Esc fortryder")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#reauth-password", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without a password."""
        self.dismiss(None)
