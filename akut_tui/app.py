"""The Textual application: session, idle lock, navigation and hardening.

Low bandwidth by design: no animation, no cursor blink, no clock, no mouse
tracking, no command palette (which would also offer "screenshot"), and no
periodic redraw. The idle lock is a single timer that is reset on each key,
so an idle session writes nothing to the terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label

from akut_tui import permissions
from akut_tui.config import Config
from akut_tui.idle import IdleWatch
from akut_tui.services.contact_input import ContactInput
from akut_tui.services.dto import SavedContact, SessionInfo
from akut_tui.services.runtime import Runtime
from akut_tui.services.values import ValueLists
from akut_tui.typeahead import KeyGate
from screens.first_run import FirstRunScreen
from screens.help import HelpScreen
from screens.home import HomeScreen, MenuEntry
from screens.lock import LockScreen
from screens.login import LoginScreen
from screens.quiet import QuietModalScreen, QuietScreen
from screens.workers import run_service


@dataclass(frozen=True)
class Destination:
    """A screen (or panel) reachable from the menu with an F-key or a letter."""

    key: str
    letter: str
    text: str
    permission: str
    factory: Callable[[AkutApp], Screen[None] | None]
    """Builds the screen; ``None`` means the destination acted without a new screen."""


def _quick_log(app: AkutApp) -> None:
    app.open_quick_log()
    return None


def _intake(app: AkutApp) -> Screen[None]:
    from screens.intake import IntakeScreen

    return IntakeScreen(app.value_lists)


def _contacts(app: AkutApp) -> Screen[None]:
    from screens.contacts import ContactsScreen

    return ContactsScreen()


def _drafts(app: AkutApp) -> Screen[None]:
    from screens.drafts import DraftsScreen

    return DraftsScreen()


def _followups(app: AkutApp) -> Screen[None]:
    from screens.followups import FollowUpsScreen

    return FollowUpsScreen()


def _persons(app: AkutApp) -> Screen[None]:
    from screens.persons import PersonsScreen

    return PersonsScreen()


def _beds(app: AkutApp) -> Screen[None]:
    from screens.bed_board import BedBoardScreen

    return BedBoardScreen()


def _outreach(app: AkutApp) -> Screen[None]:
    from screens.outreach import OutreachScreen

    return OutreachScreen()


def _handover(app: AkutApp) -> Screen[None]:
    from screens.handover import HandoverScreen

    return HandoverScreen()


def _statistics(app: AkutApp) -> Screen[None]:
    from screens.statistics import StatisticsScreen

    return StatisticsScreen()


def _users(app: AkutApp) -> Screen[None]:
    from screens.users import UsersScreen

    return UsersScreen()


DESTINATIONS: list[Destination] = [
    Destination("f2", "r", "Hurtig registrering (telefon, anonym)", "contact.create", _quick_log),
    Destination("f3", "i", "Ny registrering (alle felter)", "contact.create", _intake),
    Destination("f4", "l", "Vagtens henvendelser", "contact.view_shift", _contacts),
    Destination("f5", "k", "Kladder", "contact.create", _drafts),
    Destination("f6", "o", "Opfølgninger (14 dage)", "followup.view", _followups),
    Destination("f7", "p", "Personer: søg og flet", "person.search", _persons),
    Destination("f8", "t", "Statistik", "stats.view", _statistics),
    Destination("f9", "b", "Brugere", "users.manage", _users),
    # Night work (issue 9); an empty key means a letter only.
    Destination("", "s", "Senge (sengeoversigt)", "beds.view", _beds),
    Destination("", "u", "Udkørsel (natstøtte)", "outreach.log", _outreach),
    Destination("", "h", "Overlevering", "handover.read", _handover),
]
"""Menu destinations in menu order."""


def _destination_bindings() -> list[Binding]:
    bindings: list[Binding] = []
    for dest in DESTINATIONS:
        if dest.key:
            bindings.append(
                Binding(dest.key, f"open('{dest.key}')", dest.text, id=f"app.{dest.key}")
            )
        bindings.append(
            Binding(dest.letter, f"open('{dest.letter}')", dest.text, show=not dest.key)
        )
    return bindings


class BlankScreen(QuietScreen[None]):
    """The bottom of the stack: nothing to show, nothing to redraw."""


MIN_WIDTH, MIN_HEIGHT = 80, 24
ACCOUNT_CHECK_SECONDS = 5.0
"""How often a session checks that its account is still active."""


class TooSmallScreen(QuietModalScreen[None]):
    """Shown instead of a broken layout while the terminal is smaller than 80x24."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen Label { width: auto; }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self._text = (
            f"Gør vinduet mindst {MIN_WIDTH}x{MIN_HEIGHT} tegn (nu {width}x{height}). "
            "Intet er tabt."
        )

    def compose(self) -> ComposeResult:
        yield Label(self._text)


class AkutApp(App[int]):
    """Akut's Textual app. Pass a ready :class:`Runtime` (tests) or let it open one."""

    TITLE = "Akut"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { background: $background; layers: base overlay; }
    """
    BINDINGS = [
        Binding("ctrl+q", "quit_app", "Log ud og afslut", priority=True, id="app.quit"),
        Binding("f1", "help", "Vis alle taster", id="app.help"),
        Binding("question_mark", "help", "Vis alle taster", show=False, id="app.help2"),
        Binding("ctrl+l", "lock", "Lås skærmen", id="app.lock"),
        Binding("f12", "logout", "Log ud", id="app.logout"),
        Binding("escape", "go_home", "Til forsiden", show=False, id="app.home"),
        # Focus moves are priority bindings so they happen before the next key of
        # a burst is routed: over SSH "name<Tab>password<Enter>" often arrives in
        # one read, and a non-priority Tab would let the password land in the
        # name field.
        Binding("tab", "focus_next", "Næste felt", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Forrige felt", show=False, priority=True),
        Binding("enter", "enter_advance", "Næste felt", show=False, priority=True),
        *_destination_bindings(),
    ]

    def __init__(
        self,
        config: Config,
        *,
        runtime: Runtime | None = None,
        db_url: str | None = None,
        idle_clock: Callable[[], float] = time.monotonic,
        handle_signals: bool = False,
    ) -> None:
        super().__init__()
        self._handle_signals = handle_signals
        self.config = config
        self._runtime = runtime
        self._db_url = db_url
        self.session: SessionInfo | None = None
        self.value_lists: ValueLists = {}
        self._home_message = ""
        self._idle_clock = idle_clock
        self.idle: IdleWatch | None = None
        """The idle lock's watch while a session is open."""
        self.keys = KeyGate(self, super().on_event)
        """Routes keys one at a time so type-ahead reaches what the previous key opened."""
        self._expiry_timer: Timer | None = None
        self._status_timer: Timer | None = None
        self.animation_level = "none"
        self.theme = "ansi-dark"

    # --- runtime -----------------------------------------------------------------
    @property
    def runtime(self) -> Runtime:
        """The open runtime; raises before the database is ready."""
        if self._runtime is None:
            raise RuntimeError("database not open yet")
        return self._runtime

    def runtime_ready(self) -> bool:
        """True once the database is open."""
        return self._runtime is not None

    def get_default_screen(self) -> Screen[None]:
        return BlankScreen()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen(width, height))
        elif small and showing:
            self.pop_screen()
            self.push_screen(TooSmallScreen(width, height))
        elif not small and showing:
            self.pop_screen()

    def on_mount(self) -> None:
        if self._handle_signals:
            from akut_tui.hangup import install_hangup_handlers

            install_hangup_handlers(self.hang_up)
        self.push_screen(LoginScreen())
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        # Opening the database (imports, schema check, fsync) runs only after the
        # login screen is on the terminal, so it never delays the first paint.
        self._check_size(self.size.width, self.size.height)
        if self._runtime is None:
            from akut_tui.services.runtime import open_runtime

            config, url = self.config, self._db_url
            run_service(
                self,
                lambda: open_runtime(config, url=url),
                self._opened,
                self._open_failed,
                group="startup",
            )
        else:
            self._opened(self._runtime)

    def _opened(self, runtime: Runtime) -> None:
        self._runtime = runtime
        from akut_tui.services.auth import has_users
        from akut_tui.services.values import load_value_lists

        def prepare() -> bool:
            self.value_lists = load_value_lists(runtime)
            return has_users()

        run_service(self, prepare, self._checked_users, self._open_failed, group="startup")

    def _checked_users(self, any_users: bool) -> None:
        if not any_users and self.session is None:
            self._reset_to(FirstRunScreen())
        elif isinstance(self.screen, LoginScreen):
            self.screen.database_ready()

    def _open_failed(self, message: str) -> None:
        self._reset_to(LoginScreen(message=f"Databasen kan ikke åbnes: {message}"))

    # --- session -----------------------------------------------------------------
    def start_session(self, session: SessionInfo) -> None:
        """Enter the app as ``session``."""
        self.session = session
        sec = self.config.security
        self.idle = IdleWatch(self, sec.idle_lock_minutes * 60, self.lock, self._idle_clock)
        self.idle.start()
        self._expiry_timer = self.set_timer(
            sec.absolute_session_hours * 3600, lambda: self.end_session("expired")
        )
        # A disabled account must lose its session within seconds (SECURITY.md row 22).
        # The check reads one row in a worker and writes nothing to the terminal.
        self._status_timer = self.set_interval(ACCOUNT_CHECK_SECONDS, self._check_account)
        if session.must_change_password:
            from screens.password import ChangePasswordScreen

            self._reset_to(ChangePasswordScreen())
            return
        self.action_go_home()
        from screens.handover import offer_pending_handover  # issue 9: unsigned handover

        offer_pending_handover(self)

    def password_changed(self) -> None:
        """The forced password change is done: continue to the home screen."""
        if self.session is not None:
            from dataclasses import replace

            self.session = replace(self.session, must_change_password=False)
            self._reset_to(HomeScreen(self.menu()))

    def _check_account(self) -> None:
        session = self.session
        if session is None or self._runtime is None:
            return
        from akut_tui.services.auth import account_status

        def checked(status: tuple[bool, str]) -> None:
            active, role = status
            if self.session is None or self.session.user_id != session.user_id:
                return
            if not active:
                self.end_session("disabled")
            elif role != self.session.role:
                from dataclasses import replace

                self.session = replace(self.session, role=role)
                if isinstance(self.screen, HomeScreen):
                    self._reset_to(HomeScreen(self.menu()))

        run_service(self, lambda: account_status(session), checked, lambda _: None, group="account")

    def _stop_timers(self) -> None:
        for timer in (self._expiry_timer, self._status_timer):
            if timer is not None:
                timer.stop()
        if self.idle is not None:
            self.idle.stop()
        self.idle = self._expiry_timer = self._status_timer = None

    def _flush_drafts(self, wait: bool = False) -> None:
        """Write every pending draft before its form is unmounted."""
        for screen in self.screen_stack:
            for node in [screen, *screen.walk_children()]:
                flush = getattr(node, "flush_draft", None)
                if callable(flush):
                    flush(wait=wait)

    def end_session(self, reason: str = "logout") -> None:
        """Log out: record it, forget the session and show the login screen."""
        self._flush_drafts()
        session = self.session
        self._stop_timers()
        self.session = None
        messages = {
            "expired": "Sessionen er udløbet. Log ind igen.",
            "unlock_failed": "For mange forkerte forsøg. Du er logget ud.",
            "disabled": "Din konto er deaktiveret. Kontakt din leder.",
        }
        self._reset_to(LoginScreen(message=messages.get(reason, "")))
        if session is not None and self._runtime is not None:
            from akut_tui.services.auth import logout

            rt = self._runtime
            run_service(
                self,
                lambda: logout(rt, session, reason),
                lambda _: None,
                lambda _: None,
                group="audit",
            )

    def lock(self) -> None:
        """Engage the idle lock: unmount every screen that may hold personal data."""
        session = self.session
        if session is None or isinstance(self.screen, LockScreen):
            return
        if self.idle is not None:
            self.idle.stop()
        self._flush_drafts()
        self._reset_to(LockScreen())
        if self._runtime is not None:
            from akut_tui.services.auth import record_lock

            rt = self._runtime
            run_service(
                self,
                lambda: record_lock(rt, session),
                lambda _: None,
                lambda _: None,
                group="audit",
            )

    def unlocked(self) -> None:
        """Return to the home screen after a correct unlock."""
        if self.idle is not None:
            self.idle.start()
        if self.session is not None and self.session.must_change_password:
            from screens.password import ChangePasswordScreen

            self._reset_to(ChangePasswordScreen())
            return
        self._reset_to(HomeScreen(self.menu()))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.idle is not None and not isinstance(self.screen, LockScreen):
                self.idle.touch()
            await self.keys.key(event)
            return
        await super().on_event(event)

    def pop_screen(self) -> AwaitComplete:
        """Remove the top screen; a form on it keeps what was typed as a draft."""
        self._flush_drafts()
        return super().pop_screen()

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        """Replace the top screen; a form on it keeps what was typed as a draft."""
        self._flush_drafts()
        return super().switch_screen(screen)

    def _reset_to(self, screen: Screen[None]) -> None:
        async def reset() -> None:
            while len(self.screen_stack) > 2:
                await self.pop_screen()
            if len(self.screen_stack) == 2:
                await self.switch_screen(screen)
            else:
                await self.push_screen(screen)
            self._check_size(self.size.width, self.size.height)

        self.call_later(reset)

    def _show_home(self, then: Screen[None] | None = None) -> None:
        """Return to the existing home screen (or a new one), optionally opening ``then``.

        Popping back to the home screen that is already in the stack, instead of
        building a new one, saves a full repaint on every screen switch.
        """

        async def go() -> None:
            home = self.screen_stack[1] if len(self.screen_stack) > 1 else None
            if isinstance(home, HomeScreen):
                while len(self.screen_stack) > 2:
                    await self.pop_screen()
            elif len(self.screen_stack) >= 2:
                while len(self.screen_stack) > 2:
                    await self.pop_screen()
                await self.switch_screen(HomeScreen(self.menu()))
            else:
                await self.push_screen(HomeScreen(self.menu()))
            if then is not None:
                await self.push_screen(then)
            self._check_size(self.size.width, self.size.height)

        self.call_later(go)

    # --- navigation --------------------------------------------------------------
    def menu(self) -> list[MenuEntry]:
        """The home menu for the logged-in role."""
        role = self.session.role if self.session else ""
        allowed = [d for d in DESTINATIONS if permissions.allowed(role, d.permission)]
        entries: list[MenuEntry] = [
            (f"{d.key.upper()}/{d.letter}", d.text, d.permission) for d in allowed if d.key
        ]
        # Letter-only destinations (the night work) share one line, so home fits 80x24.
        letters = [d for d in allowed if not d.key]
        if letters:
            entries.append(
                (
                    "/".join(d.letter for d in letters),
                    " · ".join(d.text.split(" (")[0] for d in letters),
                    "",
                )
            )
        entries += [
            ("F1/?", "Vis alle taster", ""),
            ("Ctrl+L", "Lås skærmen", ""),
            ("F12", "Log ud", ""),
            ("Ctrl+Q", "Log ud og afslut", ""),
        ]
        return entries

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        logged_in = (
            self.session is not None
            and not self.session.must_change_password
            and not isinstance(self.screen, LockScreen)
        )
        if action == "open":
            key = str(parameters[0])
            if len(key) == 1 and self._typing():
                return False
            dest = self._destination(key)
            return bool(
                logged_in and dest and permissions.allowed(self.session.role, dest.permission)
                if self.session
                else False
            )
        if action == "enter_advance":
            focused = self.focused
            return bool(getattr(focused, "enter_advances", False))
        if action in ("lock", "logout", "go_home", "help"):
            return logged_in or action == "help"
        return True

    def _typing(self) -> bool:
        """True while keys are text for a field, a form or a dialog (no letter shortcuts)."""
        screen = self.screen
        if isinstance(screen, ModalScreen):
            return True
        focused = self.focused
        if isinstance(focused, Input):
            return True
        node = focused if focused is not None else screen
        return any(getattr(n, "captures_letters", False) for n in node.ancestors_with_self)

    def _destination(self, key: str) -> Destination | None:
        for dest in DESTINATIONS:
            if key and key in (dest.key, dest.letter):
                return dest
        return None

    def action_open(self, key: str) -> None:
        """Open the destination bound to ``key`` if the role allows it."""
        dest = self._destination(key)
        if dest is None or self.session is None:
            return
        if not permissions.allowed(self.session.role, dest.permission):
            self.bell()
            return
        screen = dest.factory(self)
        if screen is None:
            return
        self._show_home(then=screen)

    # --- registration --------------------------------------------------------------
    def open_quick_log(self) -> None:
        """Show the quick-log panel over the bottom of the current screen."""
        from screens.quick_log import QuickLogDone, QuickLogPanel

        screen = self.screen
        if self.session is None or self.session.must_change_password:
            return
        panels = screen.query(QuickLogPanel)
        if not panels:
            self.bell()
            return
        for done in screen.query(QuickLogDone):
            done.hide()
        panel = panels.first()
        if panel.is_open:
            screen.set_focus(panel)
            return
        panel.open(self.runtime.now())

    def quick_log_saved(self, panel: Widget, saved: SavedContact) -> None:
        """Hide the panel and show a one-line confirmation."""
        from screens.quick_log import QuickLogDone, QuickLogPanel, confirmation_text

        screen = panel.screen
        if isinstance(panel, QuickLogPanel):
            panel.hide()
        for done in screen.query(QuickLogDone):
            done.show(confirmation_text(saved))

    def open_full_form(
        self, form: ContactInput, draft_id: int | None, contact_id: int | None = None
    ) -> None:
        """Open the full registration form with ``form`` filled in."""
        from screens.intake import IntakeScreen

        if self.session is None:
            return
        screen = IntakeScreen(self.value_lists, form, contact_id=contact_id, draft_id=draft_id)
        self._show_home(then=screen)

    def show_home_message(self, text: str) -> None:
        """Show ``text`` on the home screen the next time it is shown."""
        self._home_message = text

    def take_home_message(self) -> str:
        """Return and forget the pending home-screen message."""
        text, self._home_message = self._home_message, ""
        return text

    def action_go_home(self) -> None:
        """Show the home screen (closing every other screen)."""
        if self.session is None or self.session.must_change_password:
            return
        if isinstance(self.screen, LockScreen | HomeScreen):
            return
        self._show_home()

    def action_help(self) -> None:
        """Show every key binding that applies here."""
        if isinstance(self.screen, HelpScreen):
            return
        from screens.help import collect_keys, quick_log_keys, screen_has_quick_log

        keys = collect_keys(self.screen.BINDINGS, self.BINDINGS, self.check_action)
        quick = quick_log_keys() if screen_has_quick_log(self.screen) else None
        self.push_screen(HelpScreen(keys, quick))

    def action_enter_advance(self) -> None:
        """Enter in a field that is not the last one moves to the next field."""
        self.screen.focus_next()

    def action_lock(self) -> None:
        """Lock the screen now."""
        self.lock()

    def action_logout(self) -> None:
        """Log out and return to the login screen."""
        self.end_session("logout")

    def action_quit_app(self) -> None:
        """Log out (if logged in) and exit."""
        self._leave("quit", 0)

    def hang_up(self, signum: int) -> None:
        """SIGHUP (the link dropped) or SIGTERM: write pending drafts, log out, exit."""
        from akut_tui.hangup import exit_soon

        self._leave("hangup", 128 + signum)
        exit_soon(128 + signum)

    def _leave(self, reason: str, code: int) -> None:
        session, rt = self.session, self._runtime
        self._stop_timers()
        if session is not None and rt is not None:
            from akut_tui.services.auth import logout

            try:
                self._flush_drafts(wait=True)
                logout(rt, session, reason)
            except Exception as exc:  # noqa: BLE001 - exiting anyway; keep the trace
                from akut_tui.incident import report_incident

                report_incident(exc)
        self.session = None
        self.exit(code)

    def refresh(
        self, *, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> AkutApp:
        """Refresh the current screen; a layout refresh repaints only what moved.

        Textual calls ``app.refresh(layout=True)`` after it removes a screen
        (``App._prune``), which repainted the whole new screen a second time on
        every screen change. A reflow already marks every region whose widget
        moved or resized as dirty, so the full repaint only cost bandwidth.
        """
        if layout and not recompose:
            repaint = False
        super().refresh(repaint=repaint, layout=layout, recompose=recompose)
        return self

    # --- hardening ---------------------------------------------------------------
    def action_suspend_process(self) -> None:
        """Ctrl+Z must not drop a shared laptop to a shell."""

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots would write personal data to disk; disabled."""

    def _fatal_error(self) -> None:
        # Textual's default prints a traceback with local variables (personal
        # data) to the terminal; there is no public hook, so replace it with an
        # incident id and a redacted trace in the server-side log.
        from akut_tui.incident import report_incident

        error = self._exception
        incident = report_incident(error) if error is not None else "ukendt"
        self._exit_renderables.append(
            Text(f"Akut stoppede uventet (hændelse {incident}). Kontakt IT.")
        )
        self._close_messages_no_wait()
