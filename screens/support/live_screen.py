"""The base of the live night screens (bed board, outreach, handover).

A live screen owns a :class:`~screens.widgets.night_watch.ChangeWatcher` that
runs while the screen is mounted. When the change token reports one of the
screen's :attr:`LiveScreen.RELOAD_PARTS` the screen reloads its data (and
redraws only what changed); when logins or outreach trips change, the
:class:`~screens.widgets.night_watch.SiteHeader` line reloads. An unchanged
token touches nothing, so an idle live screen writes nothing to the terminal.
"""

from __future__ import annotations

from typing import ClassVar

from akut_tui.overrides import QuietScreen
from screens.widgets.night_watch import PRESENCE_PARTS, ChangeWatcher, SiteHeader
from screens.widgets.quick_log_host import QuickLogHost


class LiveScreen(QuickLogHost, QuietScreen[None]):
    """A screen kept current by the change watcher; subclasses name their parts and reload."""

    RELOAD_PARTS: ClassVar[frozenset[str]] = frozenset()
    """Change-token parts whose movement makes the screen reload its data."""

    def __init__(self) -> None:
        super().__init__()
        self.watcher = ChangeWatcher(self, self._changed)

    def on_mount(self) -> None:
        """Start watching (after the subclass's own mount handler has built the table)."""
        self.watcher.start()

    def on_unmount(self) -> None:
        """Stop the watcher's poller thread."""
        self.watcher.stop()

    def _changed(self, parts: frozenset[str]) -> None:
        if parts & self.RELOAD_PARTS:
            self.reload()
        if parts & PRESENCE_PARTS:
            self.query_one(SiteHeader).reload()

    def reload(self) -> None:
        """Fetch the screen's data in a worker and redraw what changed."""
        raise NotImplementedError
