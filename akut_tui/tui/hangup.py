"""SIGHUP and SIGTERM end the TUI cleanly: pending drafts are written first.

sshd sends SIGHUP when the link drops, and a closed terminal sends it too; the
default action ends Python at once, so a note typed in the last seconds (the
draft debounce window) was lost. The handlers run on the asyncio loop, between
two events, so the app is in a consistent state when it writes the drafts.
SIGKILL cannot be caught: a kill -9 within the debounce window may lose those
seconds (the README says so).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
EXIT_GRACE = 3.0
"""Seconds the app gets to end normally after a hang-up before the process ends anyway.

With the terminal gone, Textual's shutdown can block on the dead tty; the drafts
are already written by then, and a draft write still under way on a worker
thread has these seconds to finish.
"""


def install_hangup_handlers(handler: Callable[[int], None]) -> None:
    """Call ``handler(signum)`` on SIGHUP and SIGTERM (must run inside the app's loop)."""
    loop = asyncio.get_running_loop()
    for signum in HANGUP_SIGNALS:
        loop.add_signal_handler(signum, handler, int(signum))


def exit_soon(code: int, grace: float = EXIT_GRACE) -> None:
    """End the process with ``code`` after ``grace`` seconds unless it ended before."""
    timer = threading.Timer(grace, os._exit, (code,))
    timer.daemon = True
    timer.start()
