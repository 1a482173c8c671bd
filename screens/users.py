"""User administration (leader only): list, create, one-time password, role, (de)activate, unlock.

Every change asks for the leader's own password first (the service refuses
without it, issue 18 §1): a form checks its fields in the service, then the
:class:`~screens.dialogs.reauth.ReauthDialog` runs the change with the
password. A refusal after the form opens the form again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding

from akut_tui.core.clock import format_datetime
from akut_tui.core.permissions import role_label
from akut_tui.core.plural import count
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import OneTimePassword, SignedInUser, UserInfo
from akut_tui.services.base.runtime import Runtime
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.accounts import OneTimePasswordDialog, new_user_dialog, role_dialog
from screens.dialogs.reauth import ReauthDialog
from screens.support.host import host

DONE_TEXT = {
    "unlock": "Spærringen for {} er ophævet.",
    "enable": "{} er aktiveret.",
    "disable": "{} er deaktiveret.",
}
PURPOSE = {
    "unlock": "Ophæv spærringen for {}.",
    "enable": "Aktivér {}.",
    "disable": "Deaktivér {}.",
}


class UsersScreen(ListScreen[UserInfo]):
    """Accounts in a table, with the leader's actions on the selected one."""

    SPEC = ListSpec(
        "users", accounts.list_users, "Brugere", ("Bruger", "Rolle", "Status", "Låst til"),
        loading="Henter brugere…", key_line=True,
    )  # fmt: skip

    BINDINGS = [
        Binding("n", "new", "Ny", id="users.new"),
        Binding("r", "role", "Rolle", id="users.role"),
        Binding("p", "reset", "Ny kode", id="users.reset"),
        Binding("d", "disable", "Deaktiver", id="users.disable"),
        Binding("a", "enable", "Aktiver", id="users.enable"),
        Binding("u", "unlock", "Lås op", id="users.unlock"),
    ]

    def key_of(self, row: UserInfo) -> str:
        """Accounts are known by their user name."""
        return row.username

    def cells(self, row: UserInfo) -> Cells:
        locked = format_datetime(row.locked_until, self.timezone) if row.locked_until else ""
        status = "aktiv" if row.active else "deaktiveret"
        if row.active and row.must_change_password:
            status = "aktiv, ny kode"
        return (Text(row.username), Text(role_label(row.role)), Text(status), Text(locked))

    def loaded_message(self, rows: Sequence[UserInfo]) -> str:
        return f"{count(len(rows), 'bruger')}."

    # --- the leader's password, then the change ----------------------------------------
    def _confirm(
        self,
        purpose: str,
        change: Callable[[Runtime, SignedInUser, str], object],
        done: Callable[[object], object],
        again: Callable[[str], object] | None = None,
    ) -> None:
        """Ask for the leader's password and run ``change(rt, session, password)`` with it.

        ``again(message)`` reopens the form that led here when the change is refused
        or the password dialog is left with Esc (the form's text comes back).
        """
        app = host(self)
        session = app.session
        if session is None:
            return
        rt = app.runtime
        refused = again or (lambda text: self.message(text, about_row=True))
        self.app.push_screen(
            ReauthDialog(
                purpose,
                lambda password: change(rt, session, password),
                done,
                refused,
                (lambda: again("Ikke udført: adgangskoden blev ikke skrevet.")) if again else None,
            )
        )

    def _show_password(self, made: object) -> None:
        assert isinstance(made, OneTimePassword)
        self.follow(made.user.username)
        self.reload(f"Engangskode givet til {made.user.username}.", about_row=True)
        self.app.push_screen(OneTimePasswordDialog(made.user.username, made.password))

    # --- actions -----------------------------------------------------------------------
    def action_new(self, values: dict[str, str] | None = None, message: str = "") -> None:
        """Create an account: the form, the leader's password, then the one-time password."""
        app = host(self)
        session = app.session
        if session is None:
            return
        rt = app.runtime

        def check(typed: dict[str, str]) -> dict[str, str]:
            name = accounts.check_new_user(
                rt, session, typed["username"], typed["display_name"], typed["role"]
            )
            return {**typed, "username": name}

        def checked(typed: dict[str, str] | None) -> None:
            if typed is None:
                return
            self._confirm(
                f"Opret {typed['username']} som {role_label(typed['role']).lower()}.",
                lambda rt, session, password: accounts.create_with_one_time_password(
                    rt,
                    session,
                    typed["username"],
                    typed["role"],
                    display_name=typed["display_name"],
                    reauth=password,
                ),
                self._show_password,
                lambda text: self.action_new(typed, text),
            )

        self.app.push_screen(new_user_dialog(check, values or {}, message), checked)

    def action_role(self, message: str = "") -> None:
        """Give the selected account another role (not one's own lower, not the last leader)."""
        user = self.selected("Vælg en bruger i listen.")
        app = host(self)
        session = app.session
        if user is None or session is None:
            return
        rt, name = app.runtime, user.username

        def check(typed: dict[str, str]) -> str:
            accounts.check_user_change(rt, session, name, role=typed["role"])
            return typed["role"]

        def checked(role: str | None) -> None:
            if role is None:
                return
            self._confirm(
                f"Giv {name} rollen {role_label(role).lower()}.",
                lambda rt, session, password: accounts.set_role(
                    rt, session, name, role, reauth=password
                ),
                lambda _: self.reload(
                    f"{name} har nu rollen {role_label(role).lower()}.", about_row=True
                ),
                self.action_role,
            )

        self.app.push_screen(role_dialog(name, user.id, user.role, check, message), checked)

    def action_reset(self) -> None:
        """Give the selected account a new one-time password (shown once)."""
        user = self.selected("Vælg en bruger i listen.")
        if user is None:
            return
        name = user.username
        self._confirm(
            f"Ny engangskode til {name}. Den nuværende adgangskode holder op med at virke.",
            lambda rt, session, password: accounts.reset_to_one_time_password(
                rt, session, name, reauth=password
            ),
            self._show_password,
        )

    def _change(self, kind: str) -> None:
        user = self.selected("Vælg en bruger i listen.")
        if user is None:
            return
        name = user.username
        active = None if kind == "unlock" else kind == "enable"

        def change(rt: Runtime, session: SignedInUser, password: str) -> UserInfo:
            if active is None:
                return accounts.unlock_user(rt, session, name, reauth=password)
            return accounts.set_active(rt, session, name, active, reauth=password)

        def done(changed: object) -> None:
            assert isinstance(changed, UserInfo)
            self.reload(DONE_TEXT[kind].format(changed.username), about_row=True)

        # The rules first (the last leader, one's own account): no password for a refusal.
        self.act(
            lambda rt, session: accounts.check_user_change(rt, session, name, active=active),
            lambda _: self._confirm(PURPOSE[kind].format(name), change, done),
            lambda text: self.message(text, about_row=True),
        )

    def action_disable(self) -> None:
        """Disable the selected account."""
        self._change("disable")

    def action_enable(self) -> None:
        """Enable the selected account."""
        self._change("enable")

    def action_unlock(self) -> None:
        """Lift the selected account's lockout."""
        self._change("unlock")
