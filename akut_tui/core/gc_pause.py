"""Pause Python's cyclic garbage collector around a large computation that makes no cycles.

Counting the statistics keeps hundreds of thousands of small tuples and dicts alive
(every year's cells, every identified person's first and latest contact) and frees
them by reference counting; the cyclic collector finds nothing among them but scans
them all again at each full collection. On 1,000,000 contacts that scanning was about
a third of a warm ``all`` (1.6 s against 1.0 s) and a tenth of a cold one (benchmarks/
README.md, "The writer refreshes"). The pause is process-wide (the statistics screen
counts in a thread while Textual runs); it nests, and the collector is switched back
on, as it was, when the last pause ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off (reference counting still frees)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
