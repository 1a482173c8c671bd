"""Keep a dialog's typed text as a draft (check-in, decision, handover...).

:class:`DialogDraftKeeper` is the intake form's :class:`DraftKeeper` with the
dialog-draft service behind it: the same debounce, the same registry that every
lock, logout, quit and hang-up flushes, the same app workers. The draft is named
by the dialog's key, so reopening the same dialog (same bed, trip or handover)
finds it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import dialogs as dialog_drafts
from screens.support.drafting import DraftKeeper


def _no_form() -> ContactInput:
    raise AssertionError("a dialog draft has no contact form")


class DialogDraftKeeper(DraftKeeper):
    """Debounced draft writing for one dialog's fields."""

    def __init__(
        self,
        owner: Widget,
        dialog: str,
        title: str,
        read: Callable[[], dict[str, str]],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(owner, _no_form, on_error)
        self.dialog = dialog
        """The dialog key the draft is stored under."""
        self.title = title
        self._read_values = read
        self.stored = False
        """True when a draft of this dialog is (or may be) stored."""

    def _saver(self, rt: Runtime, session: SignedInUser) -> Callable[[], int]:
        values, dialog, title = self._read_values(), self.dialog, self.title
        self.stored = True
        return lambda: dialog_drafts.save(rt, session, dialog, title, values)

    def _remover(self, rt: Runtime, session: SignedInUser) -> Callable[[], object] | None:
        if not self.stored:
            return None
        self.stored = False
        dialog = self.dialog
        return lambda: dialog_drafts.discard(rt, session, dialog)

    def _stored(self, new_id: int) -> None:
        # A write that lands after the dialog was saved or discarded is removed
        # again by the base class; it must know that a row now exists.
        self.stored = True
        super()._stored(new_id)
