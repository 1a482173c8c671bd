"""Idle lock: shows no personal data; the password unlocks; repeated failures log out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from akut_tui.messages import LogoutRequested, Unlocked
from akut_tui.overrides import QuietScreen
from akut_tui.services import auth
from screens.base import host
from screens.form_box import BoxField, FormBox
from screens.workers import run_service


class LockScreen(QuietScreen[None]):
    """Shown after the idle time; everything behind it has been unmounted."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    def compose(self) -> ComposeResult:
        session = host(self).session
        who = session.username if session else ""
        yield FormBox(
            "lock",
            "Skærmen er låst",
            [BoxField("password", "Adgangskode", password=True)],
            lines=[f"Låst af {who}. Skriv din adgangskode for at fortsætte."],
        )

    @property
    def box(self) -> FormBox:
        """The password box."""
        return self.query_one(FormBox)

    def on_mount(self) -> None:
        self.box.focus_field()

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
            self.box.show_message,
        )

    def _checked(self, ok: bool) -> None:
        if ok:
            self.post_message(Unlocked())
            return
        self.failures += 1
        left = host(self).config.security.unlock_attempts - self.failures
        if left <= 0:
            self.post_message(LogoutRequested("unlock_failed"))
            return
        self.box.field("password").value = ""
        self.box.show_message(f"Forkert adgangskode. {left} forsøg tilbage før du logges ud.")
