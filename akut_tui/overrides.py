"""Every override of Textual's private behaviour, in one place.

Verified on Textual 8.2.x (pyproject pins ``textual>=8.2.8,<8.3``). Each override
says what it fixes and what it gained, measured with ``benchmarks/ptymeter.py``
at 80x24 (``benchmarks/terminal.py``). ``tests/unit/test_overrides.py`` has one
test per override that fails when the Textual internals it leans on move: read
that test first when upgrading Textual.

Nothing else in Akut touches a private Textual name; screens and the app use
:class:`QuietApp`, :class:`QuietScreen` and :class:`QuietModalScreen`, and the
type-ahead gate (``akut_tui/typeahead.py``) asks :func:`pump_idle` and
:func:`has_after_refresh_callbacks`.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.text import Text
from textual.app import App
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from akut_tui.incident import report_incident

ReturnType = TypeVar("ReturnType")
ResultType = TypeVar("ResultType")


class QuietScreen(Screen[ResultType]):
    """A Screen whose focus changes repaint only the widgets involved.

    Override 1, ``Screen.focused`` (a reactive with ``repaint=True`` upstream):
    every focus change repainted the whole screen. The focused and blurred widgets
    refresh themselves anyway, so the screen-wide repaint only cost bandwidth.
    Measured (``benchmarks/terminal.py --only tab --runs 3``, full form, 80x24):
    3,233 B per Tab without this override, 225 B with it. The watcher that
    refreshes key bindings still runs.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class QuietModalScreen(ModalScreen[ResultType]):
    """A ModalScreen whose focus changes repaint only the widgets involved (override 1)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class QuietApp(App[ReturnType], Generic[ReturnType]):
    """An App that does not repaint what did not change and never prints locals on a crash."""

    def refresh(
        self, *, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> QuietApp[ReturnType]:
        """Refresh the current screen; a layout refresh repaints only what moved.

        Override 2, ``App.refresh``: Textual calls ``app.refresh(layout=True)``
        after it removes a screen (``App._prune``), which repainted the whole new
        screen a second time on every screen change. A reflow already marks every
        region whose widget moved or resized as dirty, so the full repaint only
        cost bandwidth. Measured (``benchmarks/terminal.py --only switch --runs 3``):
        8,308 B per switch between two screens without this override, 6,834 B
        with it.
        """
        if layout and not recompose:
            repaint = False
        super().refresh(repaint=repaint, layout=layout, recompose=recompose)
        return self

    def _fatal_error(self) -> None:
        """Replace Textual's crash report with an incident id.

        Override 3, ``App._fatal_error``: Textual's default prints a traceback with
        local variables (personal data: names, CPR numbers, notes) to the user's
        terminal. There is no public hook, so the trace goes to the server-side
        incident log (CPR-like numbers redacted) and the terminal gets one Danish
        line with the incident id (docs/security.md: no CPR in tracebacks).
        """

        error = self._exception
        incident = report_incident(error) if error is not None else "ukendt"
        self._exit_renderables.append(
            Text(f"Akut stoppede uventet (hændelse {incident}). Kontakt IT.")
        )
        self._close_messages_no_wait()

    def action_suspend_process(self) -> None:
        """Ctrl+Z must not drop a shared laptop to a shell (public action, disabled)."""

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots would write personal data to disk; disabled (public action)."""


def pump_idle(pump: MessagePump) -> bool:
    """True when ``pump`` holds no message (read 4: private fields, no public way).

    The type-ahead gate (``akut_tui/typeahead.py``) holds a key back until the key
    before it has taken effect: over SSH "F2 2 a Ctrl+S" arrives in one read, and
    without the gate the "2" and "a" went to the old focus and an empty call was
    saved (issue 7; ``tests/e2e/test_keys_e2e.py``). A pump looks one message ahead
    (``_pending_message``) to merge messages, so an empty queue alone does not mean
    it is idle.
    """
    return (
        pump._message_queue.empty() and pump._pending_message is None and not pump._next_callbacks
    )


def has_after_refresh_callbacks(screen: Screen[object]) -> bool:
    """True while ``screen`` still has ``call_after_refresh`` callbacks to run (read 5).

    A key that switches page or screen focuses its field after the refresh; the
    type-ahead gate waits for that before it routes the next key (see
    :func:`pump_idle`).
    """
    return bool(screen._callbacks)
