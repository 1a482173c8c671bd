"""A cap on parallel password hashing that holds across processes (docs/security.md row 3).

Every SSH session is its own process, so a thread semaphore alone would let
25 simultaneous logins run 25 argon2 computations of 64 MiB each. A
:class:`HashSlots` holds one of ``n`` lock files (``flock``) in a private
folder for the length of a hash, so at most ``n`` hashes run on the machine
at once, whatever the number of processes; the others queue. A process that
dies releases its slot with its file descriptor.
"""

from __future__ import annotations

import fcntl
import os
import random
import threading
import time
from pathlib import Path
from types import TracebackType

POLL_SECONDS = 0.005


class HashSlots:
    """Context manager: ``with slots:`` around one hash computation."""

    def __init__(self, count: int, directory: Path | None) -> None:
        self.count = count
        self.directory = directory
        self._threads = threading.BoundedSemaphore(count)
        self._held = threading.local()

    def _paths(self) -> list[Path]:
        assert self.directory is not None
        return [self.directory / f".hash-slot-{n}" for n in range(self.count)]

    def _acquire_file(self) -> int | None:
        if self.directory is None:
            return None
        paths = self._paths()
        while True:
            random.shuffle(paths)
            for path in paths:
                try:
                    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:
                    return None  # folder not writable: the in-process cap still applies
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    os.close(fd)
            time.sleep(POLL_SECONDS)

    def __enter__(self) -> HashSlots:
        """Wait for a free slot (in this process, then on the machine)."""
        self._threads.acquire()
        try:
            self._held.fd = self._acquire_file()
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Release the slot."""
        fd = getattr(self._held, "fd", None)
        self._held.fd = None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self._threads.release()
