"""First run: no user exists yet, so create the first leader account."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from akut_tui.messages import LoggedIn
from akut_tui.overrides import QuietScreen
from akut_tui.services import auth
from akut_tui.services.dto import SessionInfo
from screens.base import host
from screens.form_box import USERNAME, BoxField, FormBox
from screens.workers import run_service


class FirstRunScreen(QuietScreen[None]):
    """Create the first leader; afterwards that leader is logged in."""

    def compose(self) -> ComposeResult:
        yield FormBox(
            "first",
            "Første opstart: opret lederens konto",
            [
                USERNAME,
                BoxField("display-name", "Navn", max_length=120),
                BoxField(
                    "password", "Adgangskode (mindst 15 tegn, gerne en sætning)", password=True
                ),
                BoxField("repeat", "Gentag adgangskode", password=True),
            ],
            lines=["Ingen brugere endnu. Lederen kan bagefter oprette de andre."],
        )

    def on_mount(self) -> None:
        self.query_one(FormBox).focus_field()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Validate and create the account in a worker."""
        box = self.query_one(FormBox)
        if box.value("password") != box.value("repeat"):
            box.show_message("De to adgangskoder er ikke ens.")
            box.focus_field("repeat")
            return
        rt = host(self).runtime
        username, name = box.value("username"), box.value("display-name")
        password = box.value("password")
        box.show_message("Opretter…")
        run_service(
            self,
            lambda: auth.create_first_leader(rt, username, password, name),
            self._ok,
            box.show_message,
        )

    def _ok(self, session: SessionInfo) -> None:
        self.post_message(LoggedIn(session))
