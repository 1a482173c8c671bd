"""The idle lock's timer: fires a fixed time after the last key, every time.

Textual's ``Timer.reset()`` does not restart a sleeping timer: it only marks it, and
the timer starts over when its current sleep ends. A key pressed during the first
interval therefore pushed the lock out to anywhere up to two intervals after the
key (the lock came after 1m50s to 2m50s with a 1-minute limit). A one-shot timer
(``set_timer``) also ends for good once it has fired, so after the first unlock the
session never locked again.

:class:`IdleWatch` keeps the time of the last key (a float, no timer work per key)
and one one-shot timer. When the timer fires it looks at the clock: if the limit has
passed since the last key it locks, otherwise it sleeps exactly the time that is
left. It is started again on every unlock. Nothing is written to the terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

MIN_SLEEP = 0.05
"""Seconds the timer sleeps at least (avoids a busy loop at the limit)."""


class IdleWatch:
    """Calls ``on_idle`` once ``limit`` seconds have passed since the last key."""

    def __init__(
        self,
        owner: MessagePump,
        limit: float,
        on_idle: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._owner = owner
        self.limit = limit
        self._on_idle = on_idle
        self._clock = clock
        self._last = clock()
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        """True while the watch is armed."""
        return self._timer is not None

    def start(self) -> None:
        """Count from now (a login or an unlock)."""
        self.stop()
        self._last = self._clock()
        self._arm(self.limit)

    def touch(self) -> None:
        """A key was pressed: the limit counts from now."""
        self._last = self._clock()

    def stop(self) -> None:
        """Disarm (locked, logged out or quitting)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def remaining(self) -> float:
        """Seconds until the lock, counted from the last key."""
        return self.limit - (self._clock() - self._last)

    def check(self) -> None:
        """Lock if the limit has passed since the last key; otherwise wait what is left."""
        if self._timer is None:
            return
        left = self.remaining()
        if left <= 0:
            self._timer = None  # the one-shot timer that called us is done
            self._on_idle()
        else:
            self._arm(left)

    def _arm(self, seconds: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._owner.set_timer(max(seconds, MIN_SLEEP), self.check, name="idle")
