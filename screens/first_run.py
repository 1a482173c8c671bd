"""First run: no user exists yet, so create the first leader account."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from akut_tui.services import auth
from akut_tui.services.dto import SessionInfo
from screens.base import host
from screens.quiet import QuietScreen
from screens.widgets import Plain, TextInput
from screens.workers import run_service


class FirstRunScreen(QuietScreen[None]):
    """Create the first leader; afterwards that leader is logged in."""

    DEFAULT_CSS = """
    FirstRunScreen { align: center middle; }
    FirstRunScreen #first-box { width: 70; height: auto; padding: 1 2; background: $panel; }
    FirstRunScreen #first-title { text-style: bold; }
    FirstRunScreen TextInput { width: 40; }
    FirstRunScreen #first-message { margin-top: 1; color: $error; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="first-box"):
            yield Label("Første opstart: opret lederens konto", id="first-title")
            yield Label("Ingen brugere endnu. Lederen kan bagefter oprette de andre.")
            yield Label("Brugernavn")
            yield TextInput(id="username", max_length=64, enter_advances=True)
            yield Label("Navn")
            yield TextInput(id="display-name", max_length=120, enter_advances=True)
            yield Label("Adgangskode (mindst 15 tegn, gerne en sætning)")
            yield TextInput(id="password", password=True, max_length=256, enter_advances=True)
            yield Label("Gentag adgangskode")
            yield TextInput(id="repeat", password=True, max_length=256)
            yield Plain("", id="first-message")

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def submit(self) -> None:
        """Validate and create the account in a worker."""
        message = self.query_one("#first-message", Plain)
        if self._value("password") != self._value("repeat"):
            message.set_text("De to adgangskoder er ikke ens.")
            self.query_one("#repeat", Input).focus()
            return
        rt = host(self).runtime
        username, name, password = (
            self._value("username"),
            self._value("display-name"),
            self._value("password"),
        )
        message.set_text("Opretter…")
        run_service(
            self,
            lambda: auth.create_first_leader(rt, username, password, name),
            self._ok,
            message.set_text,
        )

    def _ok(self, session: SessionInfo) -> None:
        host(self).start_session(session)
