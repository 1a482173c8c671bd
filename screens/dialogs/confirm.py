"""A reusable yes/no confirmation for irreversible actions (keyboard only, Danish).

Built like Frogmouth's ``yes_no_dialog``: a :class:`~textual.screen.ModalScreen`
that dismisses with ``True`` or ``False``. Keys: ``j``/``y``/Enter = ja,
``n``/Esc = nej. Every other key is swallowed while the dialog is open (only
Ctrl+L, F12 and Ctrl+Q still lock, log out and quit), so a letter typed at it
never reaches the app's shortcuts (``b`` would open the users screen), and the
answering key itself is consumed by the dialog.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical

from akut_tui.tui_kit.overrides import QuietModalScreen
from screens.widgets.text import Plain

YES_KEYS = frozenset({"j", "y", "J", "Y", "enter"})
"""Keys that answer ja."""
NO_KEYS = frozenset({"n", "N", "escape"})
"""Keys that answer nej."""
PASS_THROUGH = {"ctrl+l": "lock", "f12": "logout"}
"""App actions that work even while a question is open (the form is kept as a draft).

A modal screen hides the app's non-priority bindings, so these are run here.
"""


class ConfirmDialog(QuietModalScreen[bool]):
    """Ask a yes/no question; dismisses with ``True`` (ja) or ``False`` (nej)."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog #confirm-box {
        width: 64; max-width: 78; height: auto; max-height: 20;
        padding: 1 2; background: $panel; border: none;
    }
    ConfirmDialog #confirm-text { height: auto; }
    ConfirmDialog #confirm-keys { margin-top: 1; text-style: bold; }
    """

    def __init__(self, question: str, *, yes: str = "ja", no: str = "nej") -> None:
        """Build the dialog.

        Args:
            question: The question (user text allowed: it is never parsed as markup).
            yes: What ``j``/Enter does, e.g. "kassér".
            no: What ``n``/Esc does, e.g. "behold".
        """
        super().__init__()
        self._question = question
        self._yes = yes
        self._no = no
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Plain(self._question, id="confirm-text")
            yield Plain(f"j/Enter = {self._yes} · n/Esc = {self._no}", id="confirm-keys")

    def _answer(self, answer: bool) -> None:
        if not self._answered:
            self._answered = True
            self.dismiss(answer)

    async def on_key(self, event: events.Key) -> None:
        # Runs before bindings are looked up: the dialog owns every key (except
        # the app's priority keys such as Ctrl+Q, and lock/log out) until answered.
        event.stop()
        event.prevent_default()
        if event.key in PASS_THROUGH:
            await self.app.run_action(PASS_THROUGH[event.key])
            return
        if self._answered:
            return
        if event.key in YES_KEYS or (event.character or "") in YES_KEYS:
            self._answer(True)
        elif event.key in NO_KEYS or (event.character or "") in NO_KEYS:
            self._answer(False)
