"""Login screen: username, password, Enter. The same message for every failure."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from akut_tui.services import auth
from akut_tui.services.dto import SessionInfo
from screens.base import host
from screens.quiet import QuietScreen
from screens.widgets import Plain, TextInput
from screens.workers import run_service


class LoginScreen(QuietScreen[None]):
    """Ask for username and password; hands a session to the app."""

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen #login-box { width: 60; height: auto; padding: 1 2; background: $panel; }
    LoginScreen Label { margin-top: 1; }
    LoginScreen #login-title { text-style: bold; }
    LoginScreen TextInput { width: 34; }
    LoginScreen #login-message { margin-top: 1; color: $error; height: auto; }
    """

    BINDINGS = [Binding("enter", "submit", "Log ind", show=False, id="login.submit")]

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self._message = message
        self._busy = False
        self._waiting = False

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Plain(host(self).config.site.name, id="login-title")
            yield Label("Brugernavn")
            yield TextInput(id="username", max_length=64, enter_advances=True)
            yield Label("Adgangskode")
            yield TextInput(id="password", password=True, max_length=256)
            yield Plain(self._message, id="login-message")

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def show_message(self, text: str) -> None:
        """Show a message under the form."""
        self.query_one("#login-message", Plain).set_text(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Check the credentials in a worker."""
        if self._busy:
            return
        app = host(self)
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        if not username.strip() or not password:
            self.show_message("Skriv brugernavn og adgangskode.")
            return
        if not app.runtime_ready():
            # Keys can arrive before the database is open (it opens after the
            # first paint); the login goes ahead as soon as it is.
            self._waiting = True
            self.show_message("Åbner databasen…")
            return
        self._busy = True
        self.show_message("Kontrollerer…")
        rt = app.runtime
        run_service(self, lambda: auth.login(rt, username, password), self._ok, self._failed)

    def database_ready(self) -> None:
        """Called by the app when the database is open: submit a login typed before."""
        if self._waiting:
            self._waiting = False
            self.action_submit()

    def _ok(self, session: SessionInfo) -> None:
        self._busy = False
        host(self).start_session(session)

    def _failed(self, message: str) -> None:
        self._busy = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self.show_message(message)
