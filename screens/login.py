"""Login screen: username, password, Enter. The same message for every failure."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from akut_tui.services.accounts import auth
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.demo import build as demo
from akut_tui.tui_kit.messages import LoggedIn
from akut_tui.tui_kit.overrides import QuietScreen
from screens.support.host import host
from screens.support.workers import run_service
from screens.widgets.form_box import USERNAME, BoxField, FormBox
from screens.widgets.text import Plain


class LoginScreen(QuietScreen[None]):
    """Ask for username and password; posts :class:`~akut_tui.tui_kit.messages.LoggedIn`."""

    BINDINGS = [Binding("enter", "submit", "Log ind", show=False, id="login.submit")]

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self._message = message
        self._busy = False
        self._waiting = False
        self._demo_checked = False

    def compose(self) -> ComposeResult:
        yield FormBox(
            "login",
            host(self).config.site.name,
            [USERNAME, BoxField("password", "Adgangskode", password=True)],
            message=self._message,
        )
        note = Plain("", id="login-demo")
        note.display = False  # shown only on a database made by ``akut demo``
        yield note

    def on_mount(self) -> None:
        if host(self).runtime_ready():
            self._check_demo()

    def _check_demo(self) -> None:
        """Name the demo users under the box when this is a demo database (in a worker, once)."""
        if self._demo_checked:
            return  # a second call would cancel the first worker (same group)
        self._demo_checked = True
        run_service(self, demo.demo_users, self._show_demo, lambda _message: None, group="demo")

    def _show_demo(self, users: tuple[str, ...]) -> None:
        if not users:
            return
        note = self.query_one("#login-demo", Plain)
        note.set_text(
            "Demo med syntetiske data. Brugere: " + ", ".join(users) + ". Adgangskoderne "
            "blev vist, da demoen blev oprettet."
        )
        note.display = True

    @property
    def box(self) -> FormBox:
        """The login box."""
        return self.query_one(FormBox)

    def show_message(self, text: str) -> None:
        """Show a message under the form."""
        self.box.show_message(text)

    def on_form_box_submitted(self, event: FormBox.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Check the credentials in a worker."""
        if self._busy:
            return
        app = host(self)
        username, password = self.box.value("username"), self.box.value("password")
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
        self._check_demo()
        if self._waiting:
            self._waiting = False
            self.action_submit()

    def _ok(self, session: SignedInUser) -> None:
        self._busy = False
        self.post_message(LoggedIn(session))

    def _failed(self, message: str) -> None:
        self._busy = False
        self.box.clear("password")
        self.show_message(message)
