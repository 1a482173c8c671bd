"""Every use of Textual's private behaviour, in one place, behind one start-up check.

Verified on Textual 8.2.x (pyproject pins ``textual>=8.2.8,<8.3``). Each override
says what it fixes and what it gained, measured with ``benchmarks/ptymeter.py``
at 80x24 (``benchmarks/terminal.py``). ``tests/unit/test_overrides.py`` has one
test per override that fails when the Textual internals it leans on move, and
``.ci/run`` runs the fast tests against the newest Textual release as well: read
both first when upgrading Textual.

Private names are read for two things only, because Textual offers no public way:
the crash report (:meth:`QuietApp._fatal_error`) and whether a message pump is
idle (:func:`pump_idle`, for the type-ahead gate). :data:`PRIVATE_NAMES` lists
them, and :func:`missing_private_names` is the start-up check: ``akut_tui/tui/run.py``
refuses to start (a Danish message, exit code 3) when one is missing, so a Textual
that renamed them never runs with a crash report that prints local variables.
The type-ahead gate also survives a rename at run time: it falls back to the
public means alone and keeps keys in order (``akut_tui/tui_kit/typeahead.py``).

Nothing else in Akut touches a private Textual name (``tests/unit/test_overrides.py``
checks the source); screens and the app use :class:`QuietApp`, :class:`QuietScreen`
and :class:`QuietModalScreen`.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from akut_tui.core.incident import report_incident

ReturnType = TypeVar("ReturnType")
ResultType = TypeVar("ResultType")


class QuietScreen(Screen[ResultType]):
    """A Screen whose focus changes repaint only the widgets involved.

    Override 1, ``Screen.focused`` (a reactive with ``repaint=True`` upstream):
    every focus change repainted the whole screen. The focused and blurred widgets
    refresh themselves anyway, so the screen-wide repaint only cost bandwidth.
    Measured (``benchmarks/terminal.py --only tab --runs 3``, full form, 80x24):
    3,233 B per Tab without this override, 225 B with it. The watcher that
    refreshes key bindings still runs. This redeclares a public reactive, so it
    needs no private name.
    """

    # Upstream report (as it would be filed with Textualize/textual):
    #   Title: Every focus change repaints the whole screen (Screen.focused has repaint=True)
    #   Textual 8.2.8, src/textual/screen.py: ``focused: Reactive[Widget | None] =
    #   Reactive(None)``; the default ``repaint=True`` marks the whole screen dirty on
    #   every focus change, although ``Widget._on_focus``/``_on_blur`` already call
    #   ``self.refresh()`` on the two widgets whose look changed (``:focus`` styles)
    #   and ``_watch_focused`` refreshes the bindings. Over SSH this is the dominant
    #   cost of Tab in a form.
    #   Measured with a pseudo-terminal meter at 80x24 (``python
    #   benchmarks/terminal.py --only tab --runs 3``, Tab through Akut's full
    #   registration form): 3,233 bytes written per Tab upstream, 225 bytes with
    #   ``Reactive(None, repaint=False)`` (-93 %), with the same text on screen.
    #   Suggested fix: declare ``focused`` with ``repaint=False``.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class QuietModalScreen(ModalScreen[ResultType]):
    """A ModalScreen whose focus changes repaint only the widgets involved (override 1)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class QuietApp(App[ReturnType], Generic[ReturnType]):
    """An App that does not repaint what did not change and never prints locals on a crash."""

    def pop_screen(self) -> AwaitComplete:
        """Remove the top screen; the screen below is painted once (see :meth:`_one_paint`)."""
        return self._one_paint(super().pop_screen())

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        """Replace the top screen; the new one is painted once (see :meth:`_one_paint`)."""
        return self._one_paint(super().switch_screen(screen))

    def _one_paint(self, change: AwaitComplete) -> AwaitComplete:
        """Hold repaints (public ``batch_update``) until a screen change has completed.

        Override 2: Textual removes the old screen after the new top one has
        resumed, and a removal ends in ``app.refresh(layout=True)`` (``App._prune``),
        a second full repaint of the screen that was just painted. Inside one batch
        both requests become one frame. Measured (``benchmarks/terminal.py --only
        switch --runs 5``): 8,348 B per switch between two screens without this,
        6,854 B with it, the same as the former override of ``App.refresh`` (which
        leaned on ``_prune`` calling it); the text shows about 40 ms later (median
        0.20-0.24 s against 0.16-0.19 s), as the one paint waits for the removal.
        """
        batch = self.batch_update()
        batch.__enter__()

        async def end() -> None:
            try:
                await change
            finally:
                # The removal queued one more refresh after this callback: end after it.
                self.call_next(batch.__exit__, None, None, None)

        self.call_next(end)
        return change

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


PRIVATE_NAMES: tuple[tuple[str, str], ...] = (
    ("App", "_fatal_error"),
    ("App", "_close_messages_no_wait"),
    ("App", "_exception"),
    ("App", "_exit_renderables"),
    ("MessagePump", "_message_queue"),
    ("MessagePump", "_pending_message"),
)
"""Every private Textual name Akut reads (the crash report, then :func:`pump_idle`)."""


def missing_private_names(app: App[Any]) -> list[str]:
    """The names of :data:`PRIVATE_NAMES` that a constructed ``app`` lacks (start-up check).

    Empty on the Textual Akut was verified with. The check looks at an app
    instance (an app is a message pump too), so names Textual sets in ``__init__``
    are covered; the queue must still answer ``empty()`` and the exit renderables
    must still be a list.
    """
    attributes = vars(app)
    found = set(attributes) | set(dir(App))  # Textual's own App: our overrides do not count
    missing = [f"{owner}.{name}" for owner, name in PRIVATE_NAMES if name not in found]
    queue = attributes.get("_message_queue")
    if queue is not None and not callable(getattr(queue, "empty", None)):
        missing.append("MessagePump._message_queue.empty()")
    if not isinstance(attributes.get("_exit_renderables", []), list):
        missing.append("App._exit_renderables (a list)")
    return missing


def pump_idle(pump: MessagePump) -> bool:
    """True when ``pump`` holds no message (private fields: Textual has no public way).

    The type-ahead gate (``akut_tui/tui_kit/typeahead.py``) holds a key back until the key
    before it has taken effect: over SSH "F2 2 a Ctrl+S" arrives in one read, and
    without the gate the "2" and "a" went to the old focus and an empty call was
    saved (issue 7; ``tests/e2e/test_keys_e2e.py``). A pump looks one message ahead
    (``_pending_message``) to merge messages, so an empty queue alone does not mean
    it is idle. (``call_next`` callbacks need no check: one is queued only with a
    message that flushes it.) Raises ``AttributeError`` if Textual renamed them; the
    gate then falls back to its public means.
    """
    return pump._message_queue.empty() and pump._pending_message is None
