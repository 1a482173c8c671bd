"""Keep an open registration saved as a draft while it is typed.

A :class:`DraftKeeper` belongs to one form (the full form or the quick log).
It writes the draft a few seconds after the last change, on demand before a
lock, logout or quit unmounts the form, and never after the form was saved or
discarded. While a change waits it is registered with the session's
:class:`~akut_tui.tui.session.DraftRegistry`, which the app flushes before any
screen goes away; the app never has to look for forms. Writes run on the app's
workers, not the form's, so they finish even when the form is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import forms as drafts
from screens.support.host import host
from screens.support.workers import run_service

DRAFT_DELAY = 3.0
"""Seconds after the last change before the draft is written."""


class DraftKeeper:
    """Debounced draft writing for one form."""

    def __init__(
        self,
        owner: Widget,
        read: Callable[[], ContactInput],
        on_error: Callable[[str], None],
        *,
        draft_id: int | None = None,
        contact_id: int | None = None,
    ) -> None:
        self._owner = owner
        self._read = read
        self._on_error = on_error
        self.draft_id = draft_id
        """The stored draft, once written (or when resuming one)."""
        self.contact_id = contact_id
        self._timer: Timer | None = None
        self._closed = False
        self._discard_late = False

    @property
    def pending(self) -> bool:
        """True while a change waits to be written."""
        return self._timer is not None

    def changed(self) -> None:
        """Note a change: the draft is written ``DRAFT_DELAY`` s after the last one."""
        if self._closed:
            return
        if self._timer is None:
            self._timer = self._owner.set_timer(DRAFT_DELAY, self.write)
            host(self._owner).drafts.register(self)
        else:
            self._timer.reset()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            host(self._owner).drafts.unregister(self)

    def flush(self, wait: bool = False) -> None:
        """Write a pending change now; ``wait=True`` writes on this thread (app exit)."""
        if self._timer is not None:
            self.write(wait=wait)

    def write(self, wait: bool = False) -> None:
        """Write the form as it stands."""
        self._stop_timer()
        app = host(self._owner)
        session = app.session
        if session is None or self._closed:
            return
        save = self._saver(app.runtime, session)
        if wait:
            self.draft_id = save()
            return
        run_service(self._owner.app, save, self._stored, self._failed, group="draft")

    def _stored(self, new_id: int) -> None:
        self.draft_id = new_id
        if self._closed and self._discard_late:
            # The form was saved or discarded while this write was under way.
            self._discard_stored()

    def _failed(self, message: str) -> None:
        if self._owner.is_attached:
            self._on_error(message)

    def close(self, *, discard_late: bool = False) -> None:
        """Write nothing more.

        ``discard_late=True`` when the form is being saved (the save removes the
        draft): a draft write still under way is then thrown away when it lands.
        """
        self._stop_timer()
        self._closed = True
        self._discard_late = discard_late

    def reopen(self) -> None:
        """The save was refused: keep drafting the form."""
        self._closed = False
        self._discard_late = False

    def discard(self) -> None:
        """Throw the draft away and write nothing more."""
        self.close(discard_late=True)
        self._discard_stored()

    def _saver(self, rt: Runtime, session: SignedInUser) -> Callable[[], int]:
        """The service call that writes the form as it stands now (run on a worker)."""
        form = self._read()
        draft_id, contact_id = self.draft_id, self.contact_id

        def save() -> int:
            return drafts.save_draft(rt, session, form, draft_id=draft_id, contact_id=contact_id)

        return save

    def _remover(self, rt: Runtime, session: SignedInUser) -> Callable[[], object] | None:
        """The service call that deletes the stored draft, or ``None`` if none is stored."""
        draft_id = self.draft_id
        if draft_id is None:
            return None
        return lambda: drafts.discard_draft(rt, session, draft_id)

    def _discard_stored(self) -> None:
        app = host(self._owner)
        session = app.session
        if session is None:
            return
        remove = self._remover(app.runtime, session)
        self.draft_id = None
        if remove is None:
            return
        run_service(
            self._owner.app,
            remove,
            _discarded,
            self._failed,
            group="draft-discard",
        )


def _discarded(_: object) -> None:
    """The draft is gone; nothing to show (a failure goes to the form's message line)."""
