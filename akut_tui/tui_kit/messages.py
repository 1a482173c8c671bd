"""Messages between screens and the app (TUI only; services never import this).

Screens and widgets post these; they bubble up to the app, whose ``on_...``
handlers own the session and the screen stack. Nothing looks the other side up
by name: a screen never calls the app by a string, and the app never queries
inside a screen's widgets. Messages that only one widget sends and only its
screen handles are nested in that widget instead (``QuickLogPanel.Saved``).

| Message | Posted by | Handled by (what happens) |
|---|---|---|
| :class:`LoggedIn` | login, first run | app: start the session |
| :class:`PasswordChanged` | forced password change | app: on to the home screen |
| :class:`Unlocked` | lock screen | app: back to the home screen |
| :class:`LogoutRequested` | lock screen (too many failures) | app: end the session |
| :class:`OpenFullForm` | contacts, drafts, quick log | app: the full form over home |
| :class:`GoHome` | full form (closed, saved, discarded) | app: home, with an optional notice |
"""

from __future__ import annotations

from textual.message import Message

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.contacts.form import ContactInput


class LoggedIn(Message):
    """A login or the first run succeeded: enter the app as ``session``."""

    def __init__(self, session: SignedInUser) -> None:
        super().__init__()
        self.session = session
        """The new session."""


class PasswordChanged(Message):
    """The forced password change is done."""


class Unlocked(Message):
    """The lock screen accepted the password."""


class LogoutRequested(Message):
    """End the session now; ``reason`` is recorded in the audit log."""

    def __init__(self, reason: str = "logout") -> None:
        super().__init__()
        self.reason = reason
        """``logout``, ``expired``, ``unlock_failed`` or ``disabled``."""


class OpenFullForm(Message):
    """Open the full registration form with ``form`` filled in."""

    def __init__(
        self, form: ContactInput, draft_id: int | None = None, contact_id: int | None = None
    ) -> None:
        super().__init__()
        self.form = form
        """The values to show."""
        self.draft_id = draft_id
        """The draft the form continues (the form keeps writing it)."""
        self.contact_id = contact_id
        """The saved contact being edited, if any."""


class GoHome(Message):
    """Close the current screen and show the home screen, with ``notice`` on it."""

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self.notice = notice
        """A line for the home screen ("Gemt: henvendelse nr. 12."), or empty."""
