"""Forced password change after an administrator set a one-time password."""

from __future__ import annotations

from textual.app import ComposeResult

from akut_tui.services.accounts import auth
from akut_tui.tui_kit.messages import PasswordChanged
from akut_tui.tui_kit.overrides import QuietScreen
from screens.support.host import host
from screens.widgets.form_box import BoxField, FormBox


class ChangePasswordScreen(QuietScreen[None]):
    """The user must choose a new password before anything else (Ctrl+Q quits)."""

    def compose(self) -> ComposeResult:
        yield FormBox(
            "pw",
            "Vælg en ny adgangskode",
            [
                BoxField("old", "Nuværende adgangskode", password=True),
                BoxField("new", "Ny adgangskode (mindst 15 tegn, gerne en sætning)", password=True),
                BoxField("repeat", "Gentag ny adgangskode", password=True),
            ],
            lines=["Din adgangskode er sat af en administrator og skal skiftes nu."],
        )

    def on_form_box_submitted(self, event: FormBox.Submitted) -> None:
        event.stop()
        box, app = event.box, host(self)
        session = app.session
        if session is None or not box.repeated(
            "new", "repeat", "De to nye adgangskoder er ikke ens."
        ):
            return
        rt, old, new = app.runtime, box.value("old"), box.value("new")
        box.run(
            "Gemmer…",
            lambda: auth.change_own_password(rt, session, old, new),
            lambda _: self.post_message(PasswordChanged()),
        )
