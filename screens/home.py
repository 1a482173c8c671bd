"""Home screen after login: who is logged in, the current shift, and the menu."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from akut_tui.clock import SHIFT_LABELS, format_date, next_shift_start, shift_of
from akut_tui.permissions import role_label
from akut_tui.services.dto import DraftInfo
from screens.base import host
from screens.night_watch import PRESENCE_PARTS, ChangeWatcher, SiteHeader
from screens.quick_log import QuickLogHost
from screens.quiet import QuietScreen
from screens.widgets import MessageLine, Plain
from screens.workers import run_service

MenuEntry = tuple[str, str, str]
"""(key shown, Danish text, permission or '' for everyone)."""


class HomeScreen(QuickLogHost, QuietScreen[None]):
    """Static text only: nothing here redraws while the user is idle."""

    DEFAULT_CSS = """
    HomeScreen { padding: 1 2; }
    HomeScreen #home-title { text-style: bold; }
    HomeScreen #home-menu { margin-top: 1; }
    HomeScreen #home-shift { height: 1; }
    HomeScreen #home-message { color: ansi_green; }
    HomeScreen #home-drafts { margin-top: 1; height: 2; color: ansi_yellow; }
    """

    def __init__(self, menu: list[MenuEntry]) -> None:
        super().__init__()
        self._menu = menu
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
            lines = "\n".join(f"{key:<8}{text}" for key, text, _ in self._menu)
            yield Plain(lines, id="home-menu")
            yield Plain("", id="home-drafts")
            yield MessageLine(getattr(app, "take_home_message", lambda: "")(), id="home-message")
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

    def on_screen_resume(self) -> None:
        """Shown (first time or coming back): show news, count drafts."""
        message = getattr(self.app, "take_home_message", lambda: "")()
        if message:
            self.query_one("#home-message", Plain).set_text(message)
        self._check_drafts()

    def _check_drafts(self) -> None:
        app = host(self)
        session = app.session
        if session is None or not app.runtime_ready():
            return
        from akut_tui.services import drafts

        rt = app.runtime
        run_service(self, lambda: drafts.list_drafts(rt, session), self._drafts, lambda _: None)

    def _drafts(self, drafts: list[DraftInfo]) -> None:
        if not drafts:
            self.query_one("#home-drafts", Plain).set_text("")
            return
        stale = sum(1 for d in drafts if d.stale)
        text = f"Du har {len(drafts)} kladde(r) der ikke er gemt som henvendelser (F5)."
        if stale:
            text += f" {stale} er fra en tidligere vagt."
        self.query_one("#home-drafts", Plain).set_text(text)
