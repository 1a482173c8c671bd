"""Type-ahead: hand keys to the app one at a time, each after the previous one took effect.

Why this exists (Textual 8.2.8, ``App.on_event`` and ``MessagePump._on_message``):
the terminal parser (``_xterm_parser.py``) splits one read such as
``"\\x1bOQ2a\\x13"`` into the right key events in the right order; the parser is not
the problem. The loss happens in the dispatch that follows. The app takes each key
from its queue, checks only *priority* bindings, and posts the key to the queue of
the widget focused *at that moment*. Ordinary bindings (F2, F3, letters, Backspace
in an Input, Down in a table) run only when the key has bubbled back up, one queue
per ancestor, to ``App._on_key``. So in a burst every key is routed before the first
one's binding has run: after ``F2 2 a Ctrl+S`` the ``2`` and ``a`` went to the old
focus and were dropped, while Ctrl+S (resolved late, from the new focus) saved an
empty call. In an Input, printable keys are inserted directly but Backspace is a
binding, so ``12<BS>3`` became ``123`` and then ``12``: the digit overtook the
Backspace.

:class:`KeyGate` keeps the order a user means: a key that is not plain typing into
the focused field holds every later key back until the app is quiet again (every
queue of the app and the current screen drained, then the screen refreshed and
every after-refresh callback queued before that run), so a key that opens a panel
or screen or moves the focus has taken effect before the next key is routed. Work
the key started in a worker (checking a password, saving, searching) counts too:
keys typed after the login Enter reach the home screen, not the login screen that
is about to close. Plain typing (a printable
key into a focused Input, which handles it itself) passes straight on, so typing
costs nothing extra.

Keys typed ahead while a dialog was on top are dropped (with a bell) when that dialog
closes: they were meant for the dialog, never for the screen below it. Esc is the
exception: it is a key that closes (or opens) a screen on purpose, so the keys after
it go, in order, to where Esc led (issue 14).

Esc and the next key in one read (``Escape u`` from a script, a fast typist, or a
slow link that delivers both in one packet) reach Textual's parser as ``\x1bu``,
which it reports as one key, ``alt+u``. Akut binds no Alt keys, so the gate splits
such a key back into Esc and the letter (:func:`split_escape`) before routing them.

Public means first: ``call_later`` on every pump ("what was queued before has
been handled") and ``call_after_refresh`` on the screen, whose callbacks run in
the order queued ("the callbacks queued before mine have run"). Only "is this
queue empty now" has no public way (:func:`akut_tui.tui_kit.overrides.pump_idle`). If
that read ever fails (a Textual that renamed it), the gate reports the incident
once and goes on with the public means alone: keys still pass one at a time and
in order, never a crash inside the key handler.

A wait can be lost: Textual drops the ``call_later`` and after-refresh callbacks
of a screen it removes, and a form that closes on a worker's answer (then opens
the password dialog) can close between the gate's wait and its next frame. So
each wait belongs to a round, a change of the top screen (the public
``screen_change_signal``) starts a new round while a key is in flight, and an
answer to an older round is ignored.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen
from textual.widgets import Input
from textual.worker import Worker

from akut_tui.core.incident import report_incident
from akut_tui.tui_kit.overrides import pump_idle

MAX_WAIT = 2.0
"""Seconds a key may hold later keys back at most (a safety net; normally a few ms)."""
MAX_WORK_WAIT = 10.0
"""Seconds a key may hold later keys back while work it started (login, save) runs."""
BACKGROUND = "background"
"""Worker group whose work does not hold keys back (a long count the user may leave)."""
DEGRADED_ROUNDS = 6
"""Rounds that stand in for "every queue is empty" once the private read failed."""
WORK_POLL = 0.02
"""Seconds between checks while work started by a key still runs."""


Params = ParamSpec("Params")


def fail_safe(
    step: Callable[Concatenate[KeyGate, Params], None],
) -> Callable[Concatenate[KeyGate, Params], None]:
    """Run a step of the gate; if it raises, the gate passes keys straight through.

    The steps run inside Textual's key handling, where an exception would end the
    app; a gate that cannot tell when a key took effect still keeps keys in order.
    """

    def guarded(gate: KeyGate, /, *args: Params.args, **kwargs: Params.kwargs) -> None:
        try:
            step(gate, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - never crash the app inside a key
            gate.fail_open(error)

    guarded.__doc__ = step.__doc__
    return guarded


def split_escape(event: events.Key) -> list[events.Key]:
    """``alt+u`` (Esc and ``u`` in one read) as the two keys the user pressed.

    Only a printable key with Alt is split; the keys are new events (the first is
    Esc), so each is routed on its own.
    """
    char = event.character
    if not event.key.startswith("alt+") or char is None or len(char) != 1 or not char.isprintable():
        return [event]
    name = event.key[len("alt+") :]
    if name.startswith("shift+") or char.isalnum():
        name = char  # alt+shift+u -> "U"; Textual names a letter or digit by itself
    return [events.Key("escape", "\x1b"), events.Key(name, char)]


class KeyGate:
    """Serialises key handling for one app (see the module docstring)."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]]) -> None:
        self._app = app
        self._dispatch = dispatch
        self._pending: deque[events.Key] = deque()
        self._busy = False
        self._started = 0.0
        self._rounds = 0
        self._generation = 0
        self._watching = False
        self._dialog: Screen[Any] | None = None
        self._before: set[Worker[Any]] = set()
        self.dropped = 0
        """Keys dropped because the dialog they were typed into had closed."""
        self.degraded = False
        """True once the private idle read failed: the gate uses public means alone."""
        self.passthrough = False
        """True once a step of the gate failed: keys go straight on, in order."""

    @property
    def busy(self) -> bool:
        """True while a key is still taking effect (later keys wait)."""
        return self._busy or bool(self._pending)

    async def key(self, event: events.Key) -> None:
        """Take a key from the terminal: route it now or after the keys before it."""
        for key in split_escape(event):
            if self.busy:
                self._pending.append(key)
            else:
                await self._send(key)

    def _plain_typing(self, event: events.Key) -> bool:
        return isinstance(self._app.focused, Input) and event.is_printable

    async def _send(self, event: events.Key) -> None:
        app = self._app
        screen = app.screen
        plain = self._plain_typing(event)
        before = set(app.workers)
        self._watch_screens()
        await self._dispatch(event)
        if plain or self.passthrough:
            return
        self._before = before
        self._busy = True
        # Keys after an Esc go where it led; after any other key that closes a
        # dialog (Enter, Ctrl+S) they were meant for the dialog and are dropped.
        closing = isinstance(screen, ModalScreen) and event.key != "escape"
        self._dialog = screen if closing else None
        self._started = time.monotonic()
        self._rounds = 0
        self._round()

    def _watch_screens(self) -> None:
        """Subscribe once to the app's public screen-change signal (:meth:`_screen_changed`)."""
        if self._watching:
            return
        try:
            self._app.screen_change_signal.subscribe(self._app, self._screen_changed)
        except Exception as error:  # noqa: BLE001 - the gate still works without it
            report_incident(error)
        self._watching = True

    def _screen_changed(self, _screen: Screen[Any]) -> None:
        """The top screen changed while a key was taking effect: wait afresh.

        What the gate waited for may never come: a ``call_later`` on a pump of a
        screen that was removed, or an after-refresh callback queued on a dialog
        that closed before it refreshed again (a form that hands over to the
        password dialog once its check in a worker is done) is dropped with that
        screen, and the gate held every later key back for good. A new round
        supersedes the lost wait (see :meth:`_round`).
        """
        if self._busy:
            self._round()

    def _pumps(self) -> list[MessagePump]:
        app = self._app
        try:
            screen = app.screen
        except Exception:  # noqa: BLE001 - no screen while the app closes
            return [app]
        return [app, *screen.walk_children(with_self=True)]

    @fail_safe
    def _round(self) -> None:
        """Wait until every pump has handled what was queued before this call.

        Each round supersedes the one before it: a wait that is answered after a
        newer round started (a timer, a screen change) is ignored, so one chain
        of waits runs at a time.
        """
        if not self._busy:
            return
        self._rounds += 1
        self._generation += 1
        generation = self._generation
        pumps = self._pumps()
        count = 0

        def done() -> None:
            nonlocal count
            count -= 1
            if count == 0:
                self._settled(pumps, generation)

        for pump in pumps:
            if pump.call_later(done):
                count += 1
        if count == 0:
            self._release()

    def _idle(self, pumps: list[MessagePump], rounds: int) -> bool:
        """Every pump's queue is empty.

        Once the private read has failed, ``rounds`` rounds since the key stand in
        for it: each round lets a key bubble one widget further, and a key's
        messages rarely pass more than a few pumps.
        """
        if not self.degraded:
            try:
                return all(pump_idle(pump) for pump in pumps)
            except (AttributeError, TypeError) as error:
                self.degraded = True
                report_incident(error)
        return self._rounds >= rounds

    def _same_screen(self, pumps: list[MessagePump]) -> bool:
        try:
            return self._app.screen is pumps[1]
        except Exception:  # noqa: BLE001 - no screen while the app closes
            return True

    @fail_safe
    def _settled(self, pumps: list[MessagePump], generation: int) -> None:
        """Every pump handled what was queued before the round: wait again or refresh."""
        if generation != self._generation:
            return
        elapsed = time.monotonic() - self._started
        if not (self._idle(pumps, DEGRADED_ROUNDS) and self._same_screen(pumps)):
            if elapsed < MAX_WAIT:
                self._round()
                return
        try:
            screen = self._app.screen
        except Exception:  # noqa: BLE001 - no screen while the app closes
            self._release()
            return
        if not screen.call_after_refresh(self._refreshed, pumps, generation):
            self._release()

    @fail_safe
    def _refreshed(self, pumps: list[MessagePump], generation: int) -> None:
        """The after-refresh callbacks queued before this one have run.

        Anything they queued (a focus moved after a page switch) shows as a busy
        pump, so the gate goes round again; otherwise the key has taken effect,
        once the work it started in a worker is done.
        """
        if generation != self._generation:
            return
        app = self._app
        elapsed = time.monotonic() - self._started
        now = self._pumps()
        if not (self._idle(now, 2 * DEGRADED_ROUNDS) and self._same_screen(pumps)):
            if elapsed < MAX_WAIT:
                self._round()
                return
        working = any(
            not worker.is_finished
            for worker in app.workers
            if worker not in self._before and worker.group != BACKGROUND
        )
        if working and elapsed < MAX_WORK_WAIT:
            app.set_timer(WORK_POLL, self._round)
            return
        self._release()

    def fail_open(self, error: Exception) -> None:
        """A step of the gate failed: report it once, then pass keys straight on, in order."""
        if not self.passthrough:
            report_incident(error)
        self.passthrough = True
        self._dialog = None
        self._release()

    def _release(self) -> None:
        self._busy = False
        self._generation += 1
        self._before = set()
        dialog, self._dialog = self._dialog, None
        app = self._app
        if dialog is not None and dialog not in app.screen_stack and self._pending:
            self.dropped += len(self._pending)
            self._pending.clear()
            app.bell()
        if self._pending:
            app.call_later(self._next)

    async def _next(self) -> None:
        while self._pending and not self._busy:
            await self._send(self._pending.popleft())
