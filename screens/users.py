"""User administration (leader only): list, enable/disable, unlock."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from akut_tui.clock import format_datetime
from akut_tui.permissions import role_label
from akut_tui.services import accounts
from akut_tui.services.dto import UserInfo
from screens.base import host
from screens.quick_log import QuickLogHost
from screens.quiet import QuietScreen
from screens.widgets import Plain
from screens.workers import run_service


class UsersScreen(QuickLogHost, QuietScreen[None]):
    """Accounts in a table; d disables, a enables, u unlocks the selected user."""

    DEFAULT_CSS = """
    UsersScreen { padding: 0 1; }
    UsersScreen #users-title { text-style: bold; }
    UsersScreen DataTable { height: 1fr; }
    UsersScreen #users-message { height: 1; }
    """

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="users.back"),
        Binding("d", "disable", "Deaktiver", id="users.disable"),
        Binding("a", "enable", "Aktiver", id="users.enable"),
        Binding("u", "unlock", "Ophæv spærring", id="users.unlock"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._users: list[UserInfo] = []

    def compose(self) -> ComposeResult:
        yield Label("Brugere", id="users-title")
        yield DataTable(id="users-table", cursor_type="row", zebra_stripes=False)
        yield Plain("d deaktiver · a aktiver · u ophæv spærring · Esc tilbage", id="users-message")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Bruger", "Rolle", "Status", "Låst til")
        self.reload()

    def reload(self) -> None:
        """Load the accounts in a worker."""
        app = host(self)
        rt, session = app.runtime, app.session
        run_service(self, lambda: accounts.list_users(rt, session), self._show, self._message)

    def _show(self, users: list[UserInfo]) -> None:
        self._users = users
        tz = host(self).config.site.timezone
        table = self.query_one(DataTable)
        table.clear()
        for user in users:
            table.add_row(
                Text(user.username),
                Text(role_label(user.role)),
                Text("aktiv" if user.active else "deaktiveret"),
                Text(format_datetime(user.locked_until, tz) if user.locked_until else ""),
                key=user.username,
            )

    def _message(self, text: str) -> None:
        self.query_one("#users-message", Plain).set_text(text)

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not self._users or table.cursor_row < 0 or table.cursor_row >= len(self._users):
            return None
        return self._users[table.cursor_row].username

    def _change(self, kind: str) -> None:
        name = self._selected()
        if name is None:
            return
        app = host(self)
        rt, session = app.runtime, app.session

        def call() -> UserInfo:
            if kind == "unlock":
                return accounts.unlock_user(rt, session, name)
            return accounts.set_active(rt, session, name, kind == "enable")

        run_service(self, call, lambda _: self.reload(), self._message)

    def action_disable(self) -> None:
        """Disable the selected account."""
        self._change("disable")

    def action_enable(self) -> None:
        """Enable the selected account."""
        self._change("enable")

    def action_unlock(self) -> None:
        """Lift the selected account's lockout."""
        self._change("unlock")
