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
from screens.widgets import MessageLine, Plain, refill_table
from screens.workers import run_service


class UsersScreen(QuickLogHost, QuietScreen[None]):
    """Accounts in a table; d disables, a enables, u unlocks the selected user."""

    DEFAULT_CSS = """
    UsersScreen { padding: 0 1; }
    UsersScreen #users-title { text-style: bold; }
    UsersScreen DataTable { height: 1fr; }
    UsersScreen #users-help { height: 1; color: $text-muted; }
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
        self._message_row: int | None = None

    def compose(self) -> ComposeResult:
        yield Label("Brugere", id="users-title")
        yield DataTable(id="users-table", cursor_type="row", zebra_stripes=False)
        yield MessageLine("Henter brugere…", id="users-message")
        yield Plain("d deaktiver · a aktiver · u ophæv spærring · Esc tilbage", id="users-help")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Bruger", "Rolle", "Status", "Låst til")
        self.reload()

    def reload(self, message: str | None = None) -> None:
        """Load the accounts in a worker; show ``message`` (or the count) once loaded."""
        app = host(self)
        rt, session = app.runtime, app.session

        def shown(users: list[UserInfo]) -> None:
            self._show(users)
            text = (
                message
                if message is not None
                else f"{len(users)} bruger{'e' if len(users) != 1 else ''}."
            )
            self._message(text, self.query_one(DataTable).cursor_row)

        run_service(self, lambda: accounts.list_users(rt, session), shown, self._message)

    def _show(self, users: list[UserInfo]) -> None:
        self._users = users
        tz = host(self).config.site.timezone
        refill_table(
            self.query_one(DataTable),
            (
                (
                    (
                        Text(user.username),
                        Text(role_label(user.role)),
                        Text("aktiv" if user.active else "deaktiveret"),
                        Text(format_datetime(user.locked_until, tz) if user.locked_until else ""),
                    ),
                    user.username,
                )
                for user in users
            ),
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # A message about another row must not look as if it were about this one.
        # Highlights left over from a reload (the cursor passes row 0) are stale.
        current = event.data_table.cursor_row
        if event.cursor_row != current:
            return
        if self._message_row is not None and current != self._message_row:
            self._message("")

    def _message(self, text: str, row: int | None = None) -> None:
        self._message_row = row
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
        row = self.query_one(DataTable).cursor_row
        self._message("Gemmer…", row)
        done_text = {
            "unlock": "Spærringen for {} er ophævet.",
            "enable": "{} er aktiveret.",
            "disable": "{} er deaktiveret.",
        }[kind]

        def call() -> UserInfo:
            if kind == "unlock":
                return accounts.unlock_user(rt, session, name)
            return accounts.set_active(rt, session, name, kind == "enable")

        def done(user: UserInfo) -> None:
            self._message_row = row
            self.reload(done_text.format(user.username))

        def failed(text: str) -> None:
            self._message(text, row)

        run_service(self, call, done, failed)

    def action_disable(self) -> None:
        """Disable the selected account."""
        self._change("disable")

    def action_enable(self) -> None:
        """Enable the selected account."""
        self._change("enable")

    def action_unlock(self) -> None:
        """Lift the selected account's lockout."""
        self._change("unlock")
