"""User administration (leader only): list, enable/disable, unlock."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding

from akut_tui.clock import format_datetime
from akut_tui.permissions import role_label
from akut_tui.services import accounts
from akut_tui.services.dto import SessionInfo, UserInfo
from akut_tui.services.runtime import Runtime
from screens.support.list_screen import Cells, ListScreen, ListSpec

DONE_TEXT = {
    "unlock": "Spærringen for {} er ophævet.",
    "enable": "{} er aktiveret.",
    "disable": "{} er deaktiveret.",
}


class UsersScreen(ListScreen[UserInfo]):
    """Accounts in a table; d disables, a enables, u unlocks the selected user."""

    SPEC = ListSpec(
        "users", accounts.list_users, "Brugere", ("Bruger", "Rolle", "Status", "Låst til"),
        loading="Henter brugere…", key_line=True,
    )  # fmt: skip

    BINDINGS = [
        Binding("d", "disable", "Deaktiver", id="users.disable"),
        Binding("a", "enable", "Aktiver", id="users.enable"),
        Binding("u", "unlock", "Ophæv spærring", id="users.unlock"),
    ]

    def key_of(self, row: UserInfo) -> str:
        """Accounts are known by their user name."""
        return row.username

    def cells(self, row: UserInfo) -> Cells:
        locked = format_datetime(row.locked_until, self.timezone) if row.locked_until else ""
        return (
            Text(row.username),
            Text(role_label(row.role)),
            Text("aktiv" if row.active else "deaktiveret"),
            Text(locked),
        )

    def loaded_message(self, rows: Sequence[UserInfo]) -> str:
        return f"{len(rows)} bruger{'e' if len(rows) != 1 else ''}."

    def _change(self, kind: str) -> None:
        user = self.selected()
        if user is None:
            return
        name = user.username
        self.message("Gemmer…", about_row=True)

        def call(rt: Runtime, session: SessionInfo) -> UserInfo:
            if kind == "unlock":
                return accounts.unlock_user(rt, session, name)
            return accounts.set_active(rt, session, name, kind == "enable")

        def done(changed: UserInfo) -> None:
            self.reload(DONE_TEXT[kind].format(changed.username), about_row=True)

        self.act(call, done, lambda text: self.message(text, about_row=True))

    def action_disable(self) -> None:
        """Disable the selected account."""
        self._change("disable")

    def action_enable(self) -> None:
        """Enable the selected account."""
        self._change("enable")

    def action_unlock(self) -> None:
        """Lift the selected account's lockout."""
        self._change("unlock")
