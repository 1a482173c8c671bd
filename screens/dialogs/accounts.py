"""The user screen's dialogs: a new account, a new role, and a one-time password shown once.

The two forms are :class:`~screens.dialogs.night.NightDialog` boxes (drafts,
Danish refusals at the field, Ctrl+S); their ``submit`` only checks the input
in the service, and the change itself follows the leader's password
(:class:`~screens.dialogs.reauth.ReauthDialog`, opened by the users screen).
When that step fails or is cancelled, the form opens again with what was typed
and the reason (:class:`AccountDialog`'s ``message``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical

from akut_tui.core.permissions import ROLES, STAFF, role_label
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.night import Field, NightDialog, choice_field, text_field
from screens.widgets.text import Plain

ROLE_OPTIONS = [(role, role_label(role)) for role in ROLES]


class AccountDialog(NightDialog):
    """A NightDialog that can open with a message (why the last attempt was refused)."""

    def __init__(
        self,
        title: str,
        fields: list[Field],
        submit: Callable[[dict[str, str]], Any],
        *,
        dialog: str,
        message: str = "",
    ) -> None:
        super().__init__(title, fields, submit, dialog=dialog)
        self._opening_message = message

    def on_mount(self) -> None:
        super().on_mount()
        if self._opening_message:
            self.show_message(self._opening_message)


def new_user_dialog(
    submit: Callable[[dict[str, str]], Any], values: dict[str, str], message: str = ""
) -> AccountDialog:
    """The form for a new account: username, display name and role."""
    return AccountDialog(
        "Ny bruger (en engangskode vises bagefter)",
        [
            text_field("username", "Brugernavn", values.get("username", "")),
            text_field("display_name", "Visningsnavn", values.get("display_name", "")),
            choice_field("role", "Rolle", ROLE_OPTIONS, values.get("role", STAFF)),
        ],
        submit,
        dialog="users.new",
        message=message,
    )


def role_dialog(
    username: str,
    user_id: int,
    role: str,
    submit: Callable[[dict[str, str]], Any],
    message: str = "",
) -> AccountDialog:
    """The form for another role for ``username``."""
    return AccountDialog(
        f"Skift rolle for {username}",
        [choice_field("role", "Ny rolle", ROLE_OPTIONS, role)],
        submit,
        dialog=f"users.role:{user_id}",
        message=message,
    )


class OneTimePasswordDialog(ConfirmDialog):
    """Show a drawn one-time password once; any answering key closes it."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__(
            f"Engangskode til {username}:\n\n    {password}\n\n"
            "Giv den til brugeren personligt. Den vises kun nu og gemmes ikke. "
            "Ved første login skal brugeren vælge sin egen adgangskode.",
            yes="luk",
            no="luk",
        )
        self.password = password
        """The password shown (for tests; it is never stored or logged)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Plain(self._question, id="confirm-text")
            yield Plain("Enter eller Esc lukker", id="confirm-keys")
