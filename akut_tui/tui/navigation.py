"""The app's screen stack: which screen shows next, and the too-small guard.

The stack is always ``[blank, base, (screen over home), (dialogs)]``: the blank
bottom screen, then the login, lock, password-change or home screen, then at
most one screen opened from the menu. Going home pops back to the home screen
already in the stack instead of building a new one, which saves a full repaint
on every screen switch. After every change the terminal size is checked: below
80x24 a modal says so instead of a broken layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen

from akut_tui.services.base.dto import SignedInUser
from akut_tui.tui import menu
from akut_tui.tui_kit.overrides import QuietScreen
from screens.dialogs.too_small import TooSmallScreen, too_small
from screens.home import HomeScreen


class BlankScreen(QuietScreen[None]):
    """The bottom of the stack: nothing to show, nothing to redraw."""


class Navigation:
    """Moves between screens for one app; the session controller and the app call it."""

    def __init__(self, app: App[Any], current_session: Callable[[], SignedInUser | None]) -> None:
        self._app = app
        self._current_session = current_session

    def home_screen(self, notice: str = "") -> HomeScreen:
        """A new home screen with the menu for the current role."""
        session = self._current_session()
        return HomeScreen(menu.home_lines(session.role if session else ""), notice)

    def check_size(self, width: int | None = None, height: int | None = None) -> None:
        """Show (or drop) the too-small notice for the terminal size (the app's by default)."""
        app = self._app
        width = app.size.width if width is None else width
        height = app.size.height if height is None else height
        small = too_small(width, height)
        showing = isinstance(app.screen, TooSmallScreen)
        if small and showing:
            app.pop_screen()
            app.push_screen(TooSmallScreen(width, height))
        elif small:
            app.push_screen(TooSmallScreen(width, height))
        elif showing:
            app.pop_screen()

    def reset_to(self, screen: Screen[None]) -> None:
        """Replace every screen above the blank one with ``screen``."""
        app = self._app

        async def reset() -> None:
            while len(app.screen_stack) > 2:
                await app.pop_screen()
            if len(app.screen_stack) == 2:
                await app.switch_screen(screen)
            else:
                await app.push_screen(screen)
            self.check_size()

        app.call_later(reset)

    def show_home(self, then: Screen[None] | None = None, notice: str = "") -> None:
        """Return to the home screen (the one in the stack if any), then open ``then``."""
        app = self._app

        async def go() -> None:
            home = app.screen_stack[1] if len(app.screen_stack) > 1 else None
            while len(app.screen_stack) > 2:
                await app.pop_screen()
            if isinstance(home, HomeScreen):
                if notice:
                    home.show_notice(notice)
            elif len(app.screen_stack) == 2:
                await app.switch_screen(self.home_screen(notice))
            else:
                await app.push_screen(self.home_screen(notice))
            if then is not None:
                await app.push_screen(then)
            self.check_size()

        app.call_later(go)

    def role_changed(self) -> None:
        """The role changed: a showing home screen gets the new role's menu."""
        if isinstance(self._app.screen, HomeScreen):
            self.reset_to(self.home_screen())
