"""The session controller: who is logged in, the idle lock, the 12-hour limit and logout.

:class:`SessionController` owns the session's timers (idle lock from the last
key, absolute expiry, the account check every few seconds) and every way a
session ends (logout, lock, quit, hang-up, a disabled account). It writes the
pending drafts first (:class:`DraftRegistry`: forms register their draft keeper
while a change waits to be written), records the event in the audit log in a
worker, and shows the next screen through the app's
:class:`~akut_tui.tui.navigation.Navigation`. A failed audit write is logged and
shown in Danish; it never blocks the logout or the lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from textual.timer import Timer

from akut_tui.core.incident import report_incident
from akut_tui.services.accounts import auth
from akut_tui.services.base.dto import SignedInUser
from akut_tui.tui.idle import IdleWatch
from akut_tui.tui.shell import ShellApp
from screens.handover import offer_pending_handover
from screens.lock import LockScreen
from screens.login import LoginScreen
from screens.password import ChangePasswordScreen
from screens.support.host import DraftWriter
from screens.support.workers import run_service

ACCOUNT_CHECK_SECONDS = 5.0
"""How often a session checks that its account is still active (docs/security.md row 22)."""

END_MESSAGES = {
    "expired": "Sessionen er udløbet. Log ind igen.",
    "unlock_failed": "For mange forkerte forsøg. Du er logget ud.",
    "disabled": "Din konto er deaktiveret. Kontakt din leder.",
}
"""What the login screen says after a session ended for a reason other than logout."""


class DraftRegistry:
    """The draft keepers with a change waiting to be written.

    A keeper registers when a change starts its debounce timer and leaves when the
    draft is written, saved or thrown away; a lock, logout, screen change or quit
    flushes whatever is registered, so the app never has to look for forms.
    """

    def __init__(self) -> None:
        self._pending: list[DraftWriter] = []

    def register(self, keeper: DraftWriter) -> None:
        """``keeper`` has a change waiting."""
        if keeper not in self._pending:
            self._pending.append(keeper)

    def unregister(self, keeper: DraftWriter) -> None:
        """``keeper`` has nothing waiting any more."""
        if keeper in self._pending:
            self._pending.remove(keeper)

    @property
    def pending(self) -> int:
        """How many keepers have a change waiting."""
        return len(self._pending)

    def flush_all(self, wait: bool = False) -> None:
        """Write every waiting draft (``wait``: on this thread)."""
        for keeper in list(self._pending):
            keeper.flush(wait=wait)


class SessionController:
    """One login session and its timers; see the module docstring."""

    def __init__(self, app: ShellApp, idle_clock: Callable[[], float] = time.monotonic) -> None:
        self._app = app
        self._idle_clock = idle_clock
        self.session: SignedInUser | None = None
        """The logged-in user, or ``None``."""
        self.idle: IdleWatch | None = None
        """The idle lock's watch while a session is open."""
        self.drafts = DraftRegistry()
        """Forms with a draft change waiting."""
        self.locked = False
        """True while the lock screen is up."""
        self._expiry: Timer | None = None
        self._status: Timer | None = None

    @property
    def active(self) -> bool:
        """Logged in, password not pending and not locked: the menu may be used."""
        return (
            self.session is not None and not self.session.must_change_password and not self.locked
        )

    # --- starting --------------------------------------------------------------------
    def start(self, session: SignedInUser) -> None:
        """Enter the app as ``session``: arm the timers and show the first screen."""
        self.session = session
        self.locked = False
        sec = self._app.config.security
        self.idle = IdleWatch(self._app, sec.idle_lock_minutes * 60, self.lock, self._idle_clock)
        self.idle.start()
        self._expiry = self._app.set_timer(
            sec.absolute_session_hours * 3600, lambda: self.end("expired")
        )
        # The check reads one row in a worker and writes nothing to the terminal.
        self._status = self._app.set_interval(ACCOUNT_CHECK_SECONDS, self.check_account)
        self._show_start()
        if not session.must_change_password:
            offer_pending_handover(self._app)

    def _show_start(self) -> None:
        """The home screen, or first the forced password change."""
        if self.session is not None and self.session.must_change_password:
            self._app.nav.reset_to(ChangePasswordScreen())
        else:
            self._app.nav.show_home()

    def password_changed(self) -> None:
        """The forced password change is done: on to the home screen."""
        if self.session is not None:
            self.session = replace(self.session, must_change_password=False)
            self._show_start()

    def touch(self) -> None:
        """A key was pressed: the idle limit counts from now."""
        if self.idle is not None and not self.locked:
            self.idle.touch()

    # --- the account check -----------------------------------------------------------
    def check_account(self) -> None:
        """Check that the account is still active and its role unchanged (every 5 s)."""
        session = self.session
        if session is None or not self._app.runtime_ready():
            return

        def checked(status: tuple[bool, str]) -> None:
            active, role = status
            if self.session is None or self.session.user_id != session.user_id:
                return
            if not active:
                self.end("disabled")
            elif role != self.session.role:
                self.session = replace(self.session, role=role)
                self._app.nav.role_changed()

        # A failed check is retried in 5 s: it is logged each time, never shown every 5 s.
        run_service(
            self._app,
            lambda: auth.account_status(session),
            checked,
            _logged,
            group="account",
            log=True,
        )

    # --- ending ----------------------------------------------------------------------
    @property
    def timers_running(self) -> bool:
        """True while any session timer (idle, expiry, account check) is armed."""
        return self.idle is not None or self._expiry is not None or self._status is not None

    def stop_timers(self) -> None:
        """Stop every session timer."""
        for timer in (self._expiry, self._status):
            if timer is not None:
                timer.stop()
        if self.idle is not None:
            self.idle.stop()
        self.idle = self._expiry = self._status = None

    def lock(self) -> None:
        """Engage the idle lock: drafts are written, every screen with personal data goes."""
        session = self.session
        if session is None or self.locked:
            return
        if self.idle is not None:
            self.idle.stop()
        self.drafts.flush_all()
        self.locked = True

        self._app.nav.reset_to(LockScreen())
        if self._app.runtime_ready():
            rt = self._app.runtime
            self._audit(lambda: auth.record_lock(rt, session))

    def unlocked(self) -> None:
        """A correct password on the lock screen: back where the session was."""
        self.locked = False
        if self.idle is not None:
            self.idle.start()
        self._show_start()

    def end(self, reason: str = "logout") -> None:
        """Log out: write drafts, forget the session, show the login screen, audit it."""
        self.drafts.flush_all()
        session = self.session
        self.stop_timers()
        self.session = None
        self.locked = False

        self._app.nav.reset_to(LoginScreen(message=END_MESSAGES.get(reason, "")))
        if session is not None and self._app.runtime_ready():
            rt = self._app.runtime
            self._audit(lambda: auth.logout(rt, session, reason))

    def leave(self, reason: str) -> None:
        """Quit or hang-up: write drafts and the logout on this thread (the app exits next)."""
        session = self.session
        self.stop_timers()
        if session is not None and self._app.runtime_ready():
            try:
                self.drafts.flush_all(wait=True)
                auth.logout(self._app.runtime, session, reason)
            except Exception as exc:  # noqa: BLE001 - exiting anyway; the trace is kept
                report_incident(exc)
        self.session = None

    def _audit(self, write: Callable[[], object]) -> None:
        """Write an audit event in a worker; a failure is logged and shown, never dropped."""
        run_service(self._app, write, _written, self._audit_failed, group="audit", log=True)

    def _audit_failed(self, message: str) -> None:
        # The event could not be written (disk full, database locked); the session
        # has ended or is locked anyway. The text names the cause and the incident
        # id under which the error log has it.
        text = f"Hændelsen kunne ikke skrives i loggen: {message}"
        self._app.notify(text, severity="error", timeout=30, markup=False)


def _written(_: object) -> None:
    """An audit write finished; nothing to show."""


def _logged(message: str) -> None:
    """A background check failed: ``run_service(log=True)`` has written it to the error log.

    It is not shown: the check runs every few seconds and would repeat the message.
    """
