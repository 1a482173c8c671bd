"""Home screen after login: who is logged in, the current shift, and the menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from akut_tui.core.clock import SHIFT_LABELS, format_date, next_shift_start, shift_of
from akut_tui.core.permissions import role_label
from akut_tui.core.plural import count
from akut_tui.services.base.dto import DraftInfo
from akut_tui.services.drafts import forms as drafts
from akut_tui.tui_kit.overrides import QuietScreen
from screens.support.host import host, run_signed_in
from screens.widgets.night_watch import PRESENCE_PARTS, ChangeWatcher, SiteHeader
from screens.widgets.quick_log_host import QuickLogHost
from screens.widgets.text import MessageLine, Plain


class HomeScreen(QuickLogHost, QuietScreen[None]):
    """Static text only: nothing here redraws while the user is idle."""

    def __init__(self, menu: list[tuple[str, str]], notice: str = "") -> None:
        """Build the home screen.

        Args:
            menu: (keys, label) lines of the menu for the user's role
                (:func:`akut_tui.tui.menu.home_lines`).
            notice: A line to show at once ("Gemt: henvendelse nr. 12.").
        """
        super().__init__()
        self._menu = menu
        self._notice = notice
        self._site_watch = ChangeWatcher(self, self._site_changed)

    def compose(self) -> ComposeResult:
        app = host(self)
        session = app.session
        assert session is not None
        config = app.config
        name = session.display_name or session.username
        with Vertical():
            yield Plain(config.site.name, id="home-title")
            yield Plain(
                f"Logget ind som {session.username} ({role_label(session.role)}) · {name}",
                id="home-user",
            )
            yield Plain("", id="home-shift")
            yield SiteHeader(id="home-site")  # issue 9: who is on site / out
            # Keys in a column at least 8 wide, always with a space after the widest
            # (the leader's letter line, "s/u/h/a/n", is 9).
            width = max([8, *(len(key) + 2 for key, _ in self._menu)])
            lines = "\n".join(f"{key:<{width}}{text}" for key, text in self._menu)
            yield Plain(lines, id="home-menu")
            yield Plain("", id="home-drafts")
            yield MessageLine(self._notice, id="home-message")
        yield from self.compose_quick_log()

    def _show_shift(self) -> None:
        """Show the current shift, and again when the next one starts."""
        app = host(self)
        config = app.config
        now = app.runtime.now()
        code, day = shift_of(now, config.shifts, config.site.timezone)
        self.query_one("#home-shift", Plain).set_text(
            f"Vagt: {SHIFT_LABELS[code]} {format_date(day)}"
        )
        upcoming = next_shift_start(now, config.shifts, config.site.timezone)
        self.set_timer(max(1.0, (upcoming - now).total_seconds() + 1), self._show_shift)

    def on_mount(self) -> None:
        self._show_shift()
        self._site_watch.start()

    def on_unmount(self) -> None:
        self._site_watch.stop()

    def _site_changed(self, parts: frozenset[str]) -> None:
        if parts & PRESENCE_PARTS:
            self.query_one(SiteHeader).reload()

    def show_notice(self, text: str) -> None:
        """Show ``text`` in the notice line (the app does, coming back from a form)."""
        self.query_one("#home-message", Plain).set_text(text)

    def on_screen_resume(self) -> None:
        """Shown (first time or coming back): count the drafts."""
        self._check_drafts()

    def _check_drafts(self) -> None:

        run_signed_in(self, drafts.list_drafts, self._drafts, self._drafts_failed)

    def _drafts_failed(self, message: str) -> None:
        self.query_one("#home-drafts", Plain).set_text(f"Kladderne kunne ikke tælles: {message}")

    def _drafts(self, drafts: list[DraftInfo]) -> None:
        if not drafts:
            self.query_one("#home-drafts", Plain).set_text("")
            return
        stale = sum(1 for d in drafts if d.stale)
        text = f"Du har {count(len(drafts), 'kladde')} med tekst der ikke er gemt (F5)."
        if stale:
            text += f" {stale} er fra en tidligere vagt."
        self.query_one("#home-drafts", Plain).set_text(text)
