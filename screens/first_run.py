"""First run: no user exists yet, so create the first leader account."""

from __future__ import annotations

from textual.app import ComposeResult

from akut_tui.services.accounts import auth
from akut_tui.services.base.dto import SignedInUser
from akut_tui.tui_kit.messages import LoggedIn
from akut_tui.tui_kit.overrides import QuietScreen
from screens.support.host import host
from screens.widgets.form_box import USERNAME, BoxField, FormBox


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

    def on_form_box_submitted(self, event: FormBox.Submitted) -> None:
        """Validate and create the account in a worker."""
        event.stop()
        box = event.box
        if not box.repeated("password", "repeat", "De to adgangskoder er ikke ens."):
            return
        rt = host(self).runtime
        username, name = box.value("username"), box.value("display-name")
        password = box.value("password")
        box.run(
            "Opretter…", lambda: auth.create_first_leader(rt, username, password, name), self._ok
        )

    def _ok(self, session: SignedInUser) -> None:
        self.post_message(LoggedIn(session))
