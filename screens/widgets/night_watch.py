"""Live views without periodic redraws: a change watcher and the on-site header line.

:class:`ChangeWatcher` polls :func:`akut_tui.services.night.changes.change_token`
(one query, on a connection kept by a poller thread) every :data:`POLL_SECONDS`.
When the token is unchanged it does nothing at all: no widget is touched, so
nothing is written to the terminal. When a part moved it tells its owner which areas changed, and
the owner reloads and redraws only the cells whose text differs.

:class:`SiteHeader` is the "På stedet: Mette · Ude: Jonas siden 01:40" line;
it reloads when outreach trips, logins or log-outs change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from textual.widget import Widget

from akut_tui.services.night import changes, outreach
from akut_tui.services.night.dto import SiteStatus
from screens.support.host import host, run_signed_in
from screens.support.site_line import site_line, warning
from screens.support.workers import run_service
from screens.widgets.text import Plain

POLL_SECONDS = 2.0
"""Token poll interval: a colleague's change shows within about 2 s (bar: 5 s)."""
HEADER_MAX = 76
"""Longest header line (80 columns minus the screens' padding)."""
PRESENCE_PARTS = frozenset({changes.OUTREACH, "login", "session"})
"""Token parts that change who is on site."""


class _Poller(threading.Thread):
    """Reads the token every ``interval`` s on one kept connection; calls back on change."""

    def __init__(
        self, watcher: ChangeWatcher, reader: changes.TokenReader, interval: float
    ) -> None:
        super().__init__(daemon=True, name="akut-change-poller")
        self._watcher = watcher
        self._reader = reader
        self._interval = interval
        self.halt = threading.Event()

    def run(self) -> None:
        app = self._watcher.owner.app
        try:
            while not self.halt.wait(self._interval):
                try:
                    token = self._reader.read()
                except Exception:  # noqa: BLE001 - a busy or vanished database: try again later
                    self._reader.close()
                    continue
                if token == self._watcher.token and not self._watcher.is_due():
                    continue  # nothing changed: touch nothing, write nothing
                try:
                    app.call_from_thread(self._watcher.answer, token)
                except RuntimeError:
                    return  # the app is shutting down
        finally:
            self._reader.close()


class ChangeWatcher:
    """Poll the change token for ``owner`` and report which parts changed.

    A background thread polls on its own kept connection (one query per poll);
    :meth:`poll` asks once at once (after the user's own action).
    """

    def __init__(
        self,
        owner: Widget,
        on_change: Callable[[frozenset[str]], None],
        *,
        interval: float = POLL_SECONDS,
    ) -> None:
        self.owner = owner
        self._on_change = on_change
        self._interval = interval
        self.token: changes.Token | None = None
        self._poller: _Poller | None = None
        self._busy = False
        self.due_at: datetime | None = None
        """An aware time at which the owner's data changes by the clock alone."""

    def start(self) -> None:
        """Poll now (the first answer reports every part as changed) and then regularly."""
        self.poll()
        app = host(self.owner)
        if app.runtime_ready():
            self._poller = _Poller(self, changes.TokenReader(app.runtime), self._interval)
            self._poller.start()

    def stop(self) -> None:
        """Stop polling (the thread closes its connection)."""
        if self._poller is not None:
            self._poller.halt.set()
            self._poller = None

    def is_due(self) -> bool:
        """True when the owner's data has changed by the clock alone."""
        due = self.due_at
        return due is not None and host(self.owner).runtime.now() >= due

    def poll(self) -> None:
        """Ask for the token in a worker (skipped while the previous ask is running)."""
        app = host(self.owner)
        if self._busy or app.session is None or not app.runtime_ready():
            return
        rt = app.runtime
        self._busy = True
        run_service(
            self.owner,
            lambda: changes.change_token(rt),
            self._polled,
            self._failed,
            group="night-watch",
        )

    def _failed(self, _message: str) -> None:
        self._busy = False

    def _polled(self, token: changes.Token) -> None:
        self._busy = False
        self.answer(token)

    def answer(self, token: changes.Token) -> None:
        """Compare ``token`` with the last one and report what moved (UI thread)."""
        if host(self.owner).session is None:
            return
        old = dict(self.token) if self.token is not None else None
        new = dict(token)
        self.token = token
        if old is None:
            moved = frozenset(new) | frozenset(changes.AREAS) | PRESENCE_PARTS
        else:
            moved = frozenset(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if self.is_due():
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

        run_signed_in(
            self, outreach.site_status, self._show, lambda _message: None, group="site-status"
        )

    def _show(self, status: SiteStatus) -> None:
        app = host(self)
        tz = app.config.site.timezone
        text = site_line(status, tz, app.runtime.now(), HEADER_MAX)
        if text != self.text:
            self.text = text
            self.set_text(text, style="bold" if warning(status) else "")
