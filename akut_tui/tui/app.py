"""The Textual application: start-up, key bindings, and the messages screens send it.

Low bandwidth by design: no animation, no cursor blink, no clock, no mouse
tracking, no command palette (which would also offer "screenshot"), and no
periodic redraw; an idle session writes nothing to the terminal.

What the app delegates (see the README's "Code map"): the menu table
(:mod:`akut_tui.tui.menu`), the session with its timers, lock and logout
(:mod:`akut_tui.tui.session`), the screen stack (:mod:`akut_tui.tui.navigation`), key
order for type-ahead (:mod:`akut_tui.tui_kit.typeahead`) and every override of Textual
internals (:mod:`akut_tui.tui_kit.overrides`). The look is one stylesheet, ``akut.tcss``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui import hangup, menu
from akut_tui.tui.navigation import BlankScreen
from akut_tui.tui.session import DraftRegistry, SessionController
from akut_tui.tui.shell import ShellApp
from akut_tui.tui.startup import Startup
from akut_tui.tui_kit import messages
from akut_tui.tui_kit.typeahead import KeyGate
from screens.dialogs.help import HelpScreen, quick_log_keys
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.login import LoginScreen
from screens.support.key_markers import CapturesLetters, EnterAdvances
from screens.widgets.quick_log_host import QuickLogHost


class AkutApp(ShellApp):
    """Akut's Textual app. Pass a ready :class:`Runtime` (tests) or let it open one."""

    TITLE = "Akut"
    ENABLE_COMMAND_PALETTE = False
    CSS_PATH = "akut.tcss"
    BINDINGS = [
        *menu.app_bindings(),
        Binding("escape", "go_home", "Til forsiden", show=False, id="app.home"),
        # Focus moves are priority bindings so they happen before the next key of
        # a burst is routed: over SSH "name<Tab>password<Enter>" often arrives in
        # one read, and a non-priority Tab would let the password land in the
        # name field.
        Binding("tab", "focus_next", "Næste felt", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Forrige felt", show=False, priority=True),
        Binding("enter", "enter_advance", "Næste felt", show=False, priority=True),
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
        super().__init__(config, runtime)
        self._handle_signals = handle_signals
        self.session_control = SessionController(self, idle_clock)
        """The login session, its timers and every way it ends."""
        self.startup = Startup(self, db_url)
        """Opens the database after the first paint."""
        self.key_gate = KeyGate(self, super().on_event)
        """Routes keys one at a time so type-ahead reaches what the previous key opened."""
        self.animation_level = "none"
        self.theme = "ansi-dark"

    # --- what screens read (screens.support.host.AkutHost) -----------------------------
    @property
    def session(self) -> SignedInUser | None:
        """The logged-in user, or ``None``."""
        return self.session_control.session

    @property
    def drafts(self) -> DraftRegistry:
        """Forms with a draft change waiting."""
        return self.session_control.drafts

    # --- start-up ----------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return BlankScreen()

    def on_resize(self, event: events.Resize) -> None:
        self.nav.check_size(event.size.width, event.size.height)

    def on_mount(self) -> None:
        if self._handle_signals:
            hangup.install_hangup_handlers(self.hang_up)
        self.push_screen(LoginScreen())
        self.call_after_refresh(self.startup.begin)

    # --- messages from screens ---------------------------------------------------------
    def on_logged_in(self, message: messages.LoggedIn) -> None:
        self.session_control.start(message.session)

    def on_password_changed(self, message: messages.PasswordChanged) -> None:
        self.session_control.password_changed()

    def on_unlocked(self, message: messages.Unlocked) -> None:
        self.session_control.unlocked()

    def on_logout_requested(self, message: messages.LogoutRequested) -> None:
        self.session_control.end(message.reason)

    def on_open_full_form(self, message: messages.OpenFullForm) -> None:

        if self.session is not None:
            form, draft_id, contact_id = message.form, message.draft_id, message.contact_id
            screen = IntakeScreen(self.value_lists, form, contact_id=contact_id, draft_id=draft_id)
            self.nav.show_home(then=screen)

    def on_go_home(self, message: messages.GoHome) -> None:
        if self.session_control.active:
            self.nav.show_home(notice=message.notice)

    # --- keys and actions ----------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.session_control.touch()
            await self.key_gate.key(event)
            return
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            key = str(parameters[0])
            entry = menu.find(key)
            if entry is None or (len(key) == 1 and self._typing()):
                return False
            session = self.session
            return (
                self.session_control.active
                and session is not None
                and menu.allowed(session.role, entry)
            )
        if action == "enter_advance":
            focused = self.focused
            return isinstance(focused, EnterAdvances) and focused.enter_advances
        if action in ("lock", "logout", "go_home"):
            return self.session_control.active
        return True

    def _typing(self) -> bool:
        """True while keys are text for a field, a form or a dialog (no letter shortcuts)."""
        if isinstance(self.screen, ModalScreen) or isinstance(self.focused, Input):
            return True
        node = self.focused if self.focused is not None else self.screen
        return any(isinstance(n, CapturesLetters) for n in node.ancestors_with_self)

    def action_open(self, key: str) -> None:
        """Open the menu entry bound to ``key`` if the role allows it."""
        entry, session = menu.find(key), self.session
        if entry is None or session is None or not menu.allowed(session.role, entry):
            self.bell()
        elif entry.screen is not None:
            self.nav.show_home(then=entry.screen(self))
        elif isinstance(self.screen, QuickLogHost):  # F2: the panel over this screen
            self.screen.open_quick_log(self.runtime.now())
        else:
            self.bell()

    def action_go_home(self) -> None:
        """Show the home screen (closing every other screen)."""

        if self.session_control.active and not isinstance(self.screen, HomeScreen):
            self.nav.show_home()

    def action_help(self) -> None:
        """Show every key that works here: the active bindings and the menu table."""

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        keys = menu.help_lines(screen, self, [("Tab", "Næste felt (Shift+Tab: forrige)")])
        quick = quick_log_keys() if isinstance(screen, QuickLogHost) else None
        self.push_screen(HelpScreen(keys, quick))

    def action_enter_advance(self) -> None:
        """Enter in a field that is not the last one moves to the next field."""
        self.screen.focus_next()

    def action_lock(self) -> None:
        """Lock the screen now."""
        self.session_control.lock()

    def action_logout(self) -> None:
        """Log out and return to the login screen."""
        self.session_control.end("logout")

    def action_quit_app(self) -> None:
        """Log out (if logged in) and exit."""
        self.session_control.leave("quit")
        self.exit(0)

    def hang_up(self, signum: int) -> None:
        """SIGHUP (the link dropped) or SIGTERM: write pending drafts, log out, exit."""

        self.session_control.leave("hangup")
        self.exit(128 + signum)
        hangup.exit_soon(128 + signum)

    def pop_screen(self) -> AwaitComplete:
        """Remove the top screen; a form on it keeps what was typed as a draft."""
        self.drafts.flush_all()
        return super().pop_screen()

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        """Replace the top screen; a form on it keeps what was typed as a draft."""
        self.drafts.flush_all()
        return super().switch_screen(screen)
