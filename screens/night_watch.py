"""Live views without periodic redraws: a change watcher and the on-site header line.

:class:`ChangeWatcher` polls :func:`akut_tui.services.changes.change_token`
(one query) in a thread worker every :data:`POLL_SECONDS`. When the token is
unchanged it does nothing at all: no widget is touched, so nothing is written
to the terminal. When a part moved it tells its owner which areas changed, and
the owner reloads and redraws only the cells whose text differs.

:class:`SiteHeader` is the "På stedet: Mette · Ude: Jonas siden 01:40" line;
it reloads when outreach trips, logins or log-outs change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.timer import Timer
from textual.widget import Widget

from akut_tui.services import changes
from akut_tui.services.night_dto import SiteStatus
from screens.base import host
from screens.widgets import Plain
from screens.workers import run_service

POLL_SECONDS = 2.0
"""Token poll interval: a colleague's change shows within about 2 s (bar: 5 s)."""
PRESENCE_PARTS = frozenset({changes.OUTREACH, "login", "session"})
"""Token parts that change who is on site."""


class ChangeWatcher:
    """Poll the change token for ``owner`` and report which parts changed."""

    def __init__(
        self,
        owner: Widget,
        on_change: Callable[[frozenset[str]], None],
        *,
        interval: float = POLL_SECONDS,
    ) -> None:
        self._owner = owner
        self._on_change = on_change
        self._interval = interval
        self._token: changes.Token | None = None
        self._timer: Timer | None = None
        self._busy = False
        self.due_at: datetime | None = None
        """An aware time at which the owner's data changes by the clock alone."""

    def start(self) -> None:
        """Poll now (the first answer reports every part as changed) and then regularly."""
        self.poll()
        self._timer = self._owner.set_interval(self._interval, self.poll)

    def stop(self) -> None:
        """Stop polling."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def poll(self) -> None:
        """Ask for the token in a worker (skipped while the previous ask is running)."""
        app = host(self._owner)
        if self._busy or app.session is None or not app.runtime_ready():
            return
        rt = app.runtime
        self._busy = True
        run_service(
            self._owner,
            lambda: changes.change_token(rt),
            self._answer,
            self._failed,
            group="night-watch",
        )

    def _failed(self, _message: str) -> None:
        self._busy = False

    def _answer(self, token: changes.Token) -> None:
        self._busy = False
        old = dict(self._token) if self._token is not None else None
        new = dict(token)
        self._token = token
        if old is None:
            moved = frozenset(new) | frozenset(changes.AREAS) | PRESENCE_PARTS
        else:
            moved = frozenset(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        due = self.due_at
        if due is not None and host(self._owner).runtime.now() >= due:
            self.due_at = None
            moved |= {"clock"}
        if moved:
            self._on_change(moved)


class SiteHeader(Plain):
    """Who is on site and who is out; redraws only when the text changes."""

    DEFAULT_CSS = """
    SiteHeader { height: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("På stedet: …", **kwargs)
        self.text = "På stedet: …"
        """The text on screen (for tests and for comparison)."""

    def reload(self) -> None:
        """Fetch the site status in a worker and show it if it changed."""
        from akut_tui.services import outreach

        app = host(self)
        session = app.session
        if session is None or not app.runtime_ready():
            return
        rt = app.runtime
        run_service(
            self,
            lambda: outreach.site_status(rt, session),
            self._show,
            lambda _message: None,
            group="site-status",
        )

    def _show(self, status: SiteStatus) -> None:
        text = status.text + (" · ALENE PÅ STEDET" if status.alone else "")
        if text != self.text:
            self.text = text
            self.set_text(text, style="bold" if status.alone else "")
