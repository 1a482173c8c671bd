"""The app as the session controller and the start-up see it, one layer below them.

:class:`ShellApp` holds what both work on: the configuration, the runtime once
the database is open, the value lists and the screen stack. The app
(:class:`akut_tui.tui.app.AkutApp`) builds on it and owns the session controller
and the start-up, which take a :class:`ShellApp`; so neither imports the app
module back, not even for a type (issue 17 §2: no import cycle; the contract
counts imports under ``TYPE_CHECKING`` too).
"""

from __future__ import annotations

from akut_tui.core.config import Config
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import ValueLists
from akut_tui.tui.navigation import Navigation
from akut_tui.tui_kit.overrides import QuietApp


class ShellApp(QuietApp[int]):
    """The state of Akut's app below its session controller and start-up (see the module)."""

    def __init__(self, config: Config, runtime: Runtime | None = None) -> None:
        super().__init__()
        self.config = config
        self._runtime = runtime
        self.value_lists: ValueLists = {}
        """The value lists, loaded once the database is open."""
        self.nav = Navigation(self, lambda: self.session)
        """The screen stack."""

    @property
    def session(self) -> SignedInUser | None:
        """The signed-in session, or ``None``; the app answers from its session controller."""
        raise NotImplementedError

    @property
    def runtime(self) -> Runtime:
        """The open runtime; raises before the database is ready."""
        if self._runtime is None:
            raise RuntimeError("database not open yet")
        return self._runtime

    def runtime_ready(self) -> bool:
        """True once the database is open."""
        return self._runtime is not None

    def use_runtime(self, runtime: Runtime) -> None:
        """The database is open (start-up)."""
        self._runtime = runtime
