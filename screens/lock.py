"""Idle lock: shows no personal data; the password unlocks; repeated failures log out."""

from __future__ import annotations

from textual.app import ComposeResult

from akut_tui.services.accounts import auth
from akut_tui.tui_kit.messages import LogoutRequested, Unlocked
from akut_tui.tui_kit.overrides import QuietScreen
from screens.support.host import host
from screens.support.workers import run_service
from screens.widgets.form_box import BoxField, FormBox


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

    def on_form_box_submitted(self, event: FormBox.Submitted) -> None:
        event.stop()
        app = host(self)
        session, box = app.session, event.box
        password = box.value("password")
        if session is None or not password:
            return
        rt = app.runtime
        run_service(
            self,
            lambda: auth.verify_session_password(rt, session, password, "unlock"),
            self._checked,
            box.show_message,
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
        box = self.query_one(FormBox)
        box.field("password").value = ""
        box.show_message(f"Forkert adgangskode. {left} forsøg tilbage før du logges ud.")
