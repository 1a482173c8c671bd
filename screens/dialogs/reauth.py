"""Ask for the user's password again before a sensitive action (a CPR reveal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding

from akut_tui.core.errors import ValidationError
from akut_tui.tui_kit.overrides import QuietModalScreen
from screens.support.workers import run_service
from screens.widgets.form_box import BoxField, FormBox

T = TypeVar("T")


class ReauthDialog(QuietModalScreen[None]):
    """Ask for the user's password again before a sensitive action (Esc cancels).

    The dialog runs ``check(password)`` itself and stays open after a wrong
    password (field cleared, message shown), so what the user types next goes
    into the password field again, never to the screen below. It closes on
    success (then ``done(result)``), on any other error (then ``failed(message)``)
    or on Esc (then ``cancelled()``, when given).
    """

    BINDINGS = [Binding("escape", "cancel", "Fortryd", id="reauth.cancel")]

    def __init__(
        self,
        purpose: str,
        check: Callable[[str], T],
        done: Callable[[T], object],
        failed: Callable[[str], object],
        cancelled: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self._purpose = purpose
        self._check: Callable[[str], Any] = check
        self._done: Callable[[Any], object] = done
        self._failed = failed
        self._cancelled = cancelled
        self._checking = False

    def compose(self) -> ComposeResult:
        yield FormBox(
            "reauth",
            "",
            [BoxField("reauth-password", "Din adgangskode", password=True)],
            lines=[self._purpose],
            keys="Enter bekræfter · Esc fortryder",
        )

    @property
    def box(self) -> FormBox:
        """The password box."""
        return self.query_one(FormBox)

    def on_form_box_submitted(self, event: FormBox.Submitted) -> None:
        event.stop()
        password = event.box.value("reauth-password")
        if not password or self._checking:
            return
        self._checking = True
        check = self._check

        def attempt() -> tuple[bool, Any]:
            try:
                return True, check(password)
            except ValidationError as exc:
                if exc.field == "password":
                    return False, str(exc)
                raise

        self.box.show_message("Kontrollerer…")
        run_service(self, attempt, self._answered, self._error, group="reauth")

    def _answered(self, outcome: tuple[bool, Any]) -> None:
        self._checking = False
        if not self.is_current:  # closed with Esc while the password was checked
            return
        ok, value = outcome
        if ok:
            self.dismiss(None)
            self._done(value)
            return
        self.box.field("reauth-password").value = ""
        self.box.show_message(str(value))

    def _error(self, message: str) -> None:
        self._checking = False
        if not self.is_current:
            return
        self.dismiss(None)
        self._failed(message)

    def action_cancel(self) -> None:
        """Close without a password."""
        self.dismiss(None)
        if self._cancelled is not None:
            self._cancelled()
