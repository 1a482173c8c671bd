"""Idle lock: shows no personal data; the password unlocks; repeated failures log out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from akut_tui.services import auth
from screens.base import host
from screens.quiet import QuietScreen
from screens.widgets import Plain, TextInput
from screens.workers import run_service


class LockScreen(QuietScreen[None]):
    """Shown after the idle time; everything behind it has been unmounted."""

    DEFAULT_CSS = """
    LockScreen { align: center middle; }
    LockScreen #lock-box { width: 60; height: auto; padding: 1 2; background: $panel; }
    LockScreen #lock-title { text-style: bold; }
    LockScreen TextInput { width: 34; }
    LockScreen #lock-message { margin-top: 1; color: $error; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    def compose(self) -> ComposeResult:
        session = host(self).session
        who = session.username if session else ""
        with Vertical(id="lock-box"):
            yield Label("Skærmen er låst", id="lock-title")
            yield Plain(f"Låst af {who}. Skriv din adgangskode for at fortsætte.")
            yield Label("Adgangskode")
            yield TextInput(id="password", password=True, max_length=256)
            yield Plain("", id="lock-message")

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        app = host(self)
        session = app.session
        password = event.value
        if session is None or not password:
            return
        rt = app.runtime
        run_service(
            self,
            lambda: auth.verify_session_password(rt, session, password, "unlock"),
            self._checked,
            self.query_one("#lock-message", Plain).set_text,
        )

    def _checked(self, ok: bool) -> None:
        app = host(self)
        if ok:
            app.unlocked()
            return
        self.failures += 1
        left = app.config.security.unlock_attempts - self.failures
        if left <= 0:
            app.end_session("unlock_failed")
            return
        self.query_one("#password", Input).value = ""
        self.query_one("#lock-message", Plain).set_text(
            f"Forkert adgangskode. {left} forsøg tilbage før du logges ud."
        )
