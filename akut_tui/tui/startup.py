"""Start-up: open the database once the login screen is on the terminal, then pick the screen.

Opening the database (imports, schema check, fsync) runs in a worker after the
first paint, so it never delays the login screen. Then the value lists are
loaded and, with no user yet, the first-run screen replaces the login screen;
otherwise a login typed meanwhile goes ahead (``LoginScreen.database_ready``).
"""

from __future__ import annotations

from akut_tui.services.accounts.auth import has_users, prepare_login
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import ValueLists, load_value_lists
from akut_tui.services.startup.opening import open_runtime
from akut_tui.tui.shell import ShellApp
from screens.first_run import FirstRunScreen
from screens.login import LoginScreen
from screens.support.workers import run_service


class Startup:
    """The app's start-up sequence (see the module docstring)."""

    def __init__(self, app: ShellApp, db_url: str | None) -> None:
        self._app = app
        self._db_url = db_url

    def begin(self) -> None:
        """Open the database (or use the runtime the app was given)."""
        app = self._app
        app.nav.check_size()
        if app.runtime_ready():
            self._opened(app.runtime)
            return

        config, url = app.config, self._db_url
        run_service(
            app, lambda: open_runtime(config, url=url), self._opened, self._failed, group="startup"
        )

    def _opened(self, runtime: Runtime) -> None:

        self._app.use_runtime(runtime)

        def prepare() -> tuple[ValueLists, bool]:
            prepare_login(runtime)  # before a login typed meanwhile goes ahead
            return load_value_lists(runtime), has_users()

        run_service(self._app, prepare, self._prepared, self._failed, group="startup")

    def _prepared(self, result: tuple[ValueLists, bool]) -> None:
        app = self._app
        app.value_lists, any_users = result
        if not any_users and app.session is None:
            app.nav.reset_to(FirstRunScreen())
        elif isinstance(app.screen, LoginScreen):
            app.screen.database_ready()

    def _failed(self, message: str) -> None:
        self._app.nav.reset_to(LoginScreen(message=f"Databasen kan ikke åbnes: {message}"))
