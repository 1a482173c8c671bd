"""The base of the live night screens (bed board, handover; outreach is a live list).

A live screen owns a :class:`~screens.widgets.night_watch.ChangeWatcher` that
runs while the screen is mounted. When the change token reports one of the
screen's :attr:`LiveScreen.RELOAD_PARTS` the screen reloads its data (and
redraws only what changed); when logins or outreach trips change, the
:class:`~screens.widgets.night_watch.SiteHeader` line reloads. An unchanged
token touches nothing, so an idle live screen writes nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.screen import Screen

from akut_tui.tui_kit.overrides import QuietScreen
from screens.widgets.night_watch import PRESENCE_PARTS, ChangeWatcher, SiteHeader
from screens.widgets.quick_log_host import QuickLogHost


def live_watcher(
    screen: Screen[Any], parts: frozenset[str], reload: Callable[[], object]
) -> ChangeWatcher:
    """A change watcher for ``screen``: ``reload`` when one of ``parts`` moved, and the
    screen's :class:`SiteHeader` when logins or outreach trips changed."""

    def changed(moved: frozenset[str]) -> None:
        if moved & parts:
            reload()
        if moved & PRESENCE_PARTS:
            screen.query_one(SiteHeader).reload()

    return ChangeWatcher(screen, changed)


class LiveScreen(QuickLogHost, QuietScreen[None]):
    """A screen kept current by the change watcher; subclasses name their parts and reload."""

    RELOAD_PARTS: ClassVar[frozenset[str]] = frozenset()
    """Change-token parts whose movement makes the screen reload its data."""

    def __init__(self) -> None:
        super().__init__()
        self.watcher = live_watcher(self, self.RELOAD_PARTS, self.reload)

    def on_mount(self) -> None:
        """Start watching (after the subclass's own mount handler has built the table)."""
        self.watcher.start()

    def on_unmount(self) -> None:
        """Stop the watcher's poller thread."""
        self.watcher.stop()

    def reload(self) -> None:
        """Fetch the screen's data in a worker and redraw what changed."""
        raise NotImplementedError
