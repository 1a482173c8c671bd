"""The master side of a pseudo-terminal: start a program, read and count its output, type.

Used by ``benchmarks/ptymeter.py``: :class:`Options` says how to run the program,
:class:`Terminal` spawns it on a pty of the given size in its own session, feeds
its output to a ``pyte`` screen, answers the terminal queries a real terminal
answers, counts bytes per phase (raw and zlib-per-read) and sends keys.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ptykeys import key_bytes

try:
    import pyte
except ImportError:  # reported by make_screen()
    pyte = None

Log = Callable[[str], None]

# ---------------------------------------------------------------------------
# Options


@dataclass
class Options:
    """How to run the program and the script (the command line's options)."""

    command: list[str]
    cols: int = 80
    rows: int = 24
    term: str = "xterm-256color"
    env: list[str] = field(default_factory=list)  # NAME=VALUE
    unset: list[str] = field(default_factory=list)
    inherit_env: bool = False
    reply_queries: bool = True
    wait_text: str | None = None
    startup_timeout: float = 30.0
    settle: float = 0.3
    settle_max: float = 3.0
    key_delay: float = 0.1
    step_timeout: float = 15.0
    idle: float = 0.0
    quit: list[str] = field(default_factory=list)
    quit_timeout: float = 3.0
    timeout: float = 600.0
    chunks: bool = False


# Variables an ssh login passes on; the rest of this process's environment is left out.
_SSH_LIKE_ENV = ("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE")


def program_env(opts: Options) -> dict[str, str]:
    """The program's environment: ssh-like and minimal unless ``inherit_env``."""
    if opts.inherit_env:
        env = dict(os.environ)
    else:
        env = {k: v for k, v in os.environ.items() if k in _SSH_LIKE_ENV or k.startswith("LC_")}
        if "VIRTUAL_ENV" in os.environ:
            env["VIRTUAL_ENV"] = os.environ["VIRTUAL_ENV"]
        env.setdefault("LANG", "C.UTF-8")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env["TERM"] = opts.term
    for name in opts.unset:
        env.pop(name, None)
    for pair in opts.env:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--env expects NAME=VALUE, got {pair!r}")
        env[name] = value
    return env


# ---------------------------------------------------------------------------
# The terminal

# Queries a terminal answers: cursor position (CSI 6 n), status (CSI 5 n), device attributes.
_QUERY = re.compile(rb"\x1b\[([0-9]*)([cn])")


@dataclass
class Phase:
    """Bytes counted between two ``phase:`` steps."""

    name: str
    start_s: float
    end_s: float | None = None
    bytes: int = 0
    writes: int = 0
    zlib_bytes: int = 0


def make_screen(cols: int, rows: int) -> tuple[Any, Any]:
    """A pyte screen and the byte stream that feeds it."""
    if pyte is None:
        raise SystemExit("pyte is not installed: pip install pyte (it is in the test extra)")
    screen = pyte.Screen(cols, rows)
    return screen, pyte.ByteStream(screen)


class Terminal:
    """The master side of one pty: spawns the program, reads, counts, types."""

    def __init__(self, opts: Options, log: Log) -> None:
        self.opts = opts
        self.log = log
        self.screen, self._stream = make_screen(opts.cols, opts.rows)
        self._zlib = zlib.compressobj(6)
        self.raw = bytearray()
        self.chunks: list[tuple[float, int, int]] = []  # (seconds, bytes, phase index)
        self.phases: list[Phase] = []
        self.on_output: Callable[[int], None] | None = None
        self.first_output: float | None = None
        self.last_input: float | None = None  # monotonic time of the last key sent
        self.replies = 0
        self.pyte_errors = 0
        self.eof = False
        self.proc: subprocess.Popen[bytes] | None = None
        self.master = -1
        self.t0 = 0.0
        self._tail = b""

    # -- process -----------------------------------------------------------
    def spawn(self) -> None:
        """Start the program on a new pty of the configured size, in its own session."""
        master, slave = os.openpty()
        size = struct.pack("HHHH", self.opts.rows, self.opts.cols, 0, 0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
        self.t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                self.opts.command,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=program_env(self.opts),
                start_new_session=True,
                close_fds=True,
                preexec_fn=_take_controlling_tty,  # noqa: PLW1509 - needed for a real tty
            )
        finally:
            os.close(slave)
        self.master = master
        os.set_blocking(master, False)

    def now(self) -> float:
        """Seconds since the program started."""
        return time.monotonic() - self.t0

    def alive(self) -> bool:
        """True while the program runs."""
        return self.proc is not None and self.proc.poll() is None

    def ended(self) -> bool:
        """True once the program has exited and its output is read."""
        return self.eof and not self.alive()

    # -- phases ------------------------------------------------------------
    def open_phase(self, name: str) -> None:
        """Close the current phase and count from now on under ``name``."""
        now = self.now()
        if self.phases and self.phases[-1].end_s is None:
            self.phases[-1].end_s = now
        self.phases.append(Phase(name, now))

    # -- reading -----------------------------------------------------------
    def read(self, timeout: float) -> bool:
        """Read one chunk that arrives within ``timeout`` seconds; True if one came.

        One ``read`` per wake-up keeps the chunks close to the program's own
        ``write`` calls, which the per-write zlib figure depends on.
        """
        if self.eof:
            time.sleep(max(0.0, timeout))
            return False
        try:
            ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        except InterruptedError:
            return False
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return False
        except OSError as exc:  # EIO: every slave fd closed (the program ended)
            if exc.errno not in (errno.EIO, errno.EBADF):
                raise
            data = b""
        if not data:
            self.eof = True
            return False
        self._count(data)
        return True

    def _count(self, data: bytes) -> None:
        now = self.now()
        if self.first_output is None:
            self.first_output = now
        self.raw += data
        squeezed = len(self._zlib.compress(data)) + len(self._zlib.flush(zlib.Z_PARTIAL_FLUSH))
        index = len(self.phases) - 1
        self.chunks.append((now, len(data), index))
        if index >= 0:
            phase = self.phases[index]
            phase.bytes += len(data)
            phase.writes += 1
            phase.zlib_bytes += squeezed
        if self.on_output is not None:
            self.on_output(len(data))
        try:
            self._stream.feed(data)
        except Exception as exc:  # noqa: BLE001 - a bad sequence must not end the run
            self.pyte_errors += 1
            self.log(f"pyte: {exc!r}")
        if self.opts.reply_queries:
            self._answer(data)

    def _answer(self, data: bytes) -> None:
        buffer = self._tail + data
        for match in _QUERY.finditer(buffer):
            number, final = match.group(1), match.group(2)
            reply = b""
            if final == b"n" and number == b"6":
                cursor = self.screen.cursor
                reply = f"\x1b[{cursor.y + 1};{cursor.x + 1}R".encode()
            elif final == b"n" and number == b"5":
                reply = b"\x1b[0n"
            elif final == b"c" and number in (b"", b"0"):
                reply = b"\x1b[?62;22c"
            if reply:
                self._write(reply)
                self.replies += 1
        # A query split over two reads: keep a short unfinished escape for the next one.
        last = buffer.rfind(b"\x1b")
        tail = buffer[last:] if last >= 0 and len(buffer) - last < 8 else b""
        self._tail = b"" if _QUERY.match(tail) else tail

    def read_for(self, seconds: float) -> None:
        """Keep reading for ``seconds``."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.read(min(left, 0.05))

    def read_until(self, done: Callable[[], bool], timeout: float) -> bool:
        """Read until ``done()`` holds (True) or ``timeout`` passes (False)."""
        end = time.monotonic() + timeout
        while not done():
            left = end - time.monotonic()
            if left <= 0:
                return False
            if self.ended():
                return done()
            self.read(min(left, 0.05))
        return True

    def settle(self, quiet: float, limit: float) -> bool:
        """Read until no output came for ``quiet`` seconds; False if ``limit`` passed first."""
        start = last = time.monotonic()
        while True:
            now = time.monotonic()
            if now - last >= quiet or self.ended():
                return True
            if now - start >= limit:
                return False
            if self.read(min(0.05, quiet - (now - last), limit - (now - start))):
                last = time.monotonic()

    # -- typing ------------------------------------------------------------
    def send(self, data: bytes) -> None:
        """Write input bytes to the program (as if typed)."""
        self.last_input = time.monotonic()
        self._write(data)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + 5
        while view:
            try:
                view = view[os.write(self.master, view) :]
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the terminal's input buffer stayed full") from None
                self.read(0.01)
            except OSError as exc:
                if exc.errno in (errno.EIO, errno.EBADF):
                    return
                raise

    def key(self, name: str) -> bytes:
        """The bytes of a named key in the program's current cursor-key mode."""
        return key_bytes(name, app_cursor=(1 << 5) in self.screen.mode)

    # -- screen ------------------------------------------------------------
    def shows(self, text: str) -> bool:
        """True if ``text`` is on the emulated screen (within one line)."""
        return any(text in line for line in self.screen.display)

    def screen_lines(self) -> list[str]:
        """The emulated screen, one string per row, trailing blanks removed."""
        return [line.rstrip() for line in self.screen.display]

    # -- ending ------------------------------------------------------------
    def stop(self) -> tuple[str, int | None]:
        """End the program: quit keys, then SIGHUP, SIGTERM, SIGKILL to its process group."""
        assert self.proc is not None
        how = "exit" if not self.alive() else ""
        if not how and self.opts.quit:
            for name in self.opts.quit:
                self.send(self.key(name))
                self.read(0.05)
            if self.read_until(lambda: not self.alive(), self.opts.quit_timeout):
                how = "quit-keys"
        for sig, grace in ((signal.SIGHUP, 2.0), (signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            if how:
                break
            _signal_group(self.proc.pid, sig)
            if self.read_until(lambda: not self.alive(), grace):
                how = sig.name
        self.read_until(lambda: self.eof, 0.5)
        _signal_group(self.proc.pid, signal.SIGKILL)  # anything the program left behind
        try:
            code: int | None = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if self.phases and self.phases[-1].end_s is None:
            self.phases[-1].end_s = self.now()
        os.close(self.master)
        return how or "unknown", code


def _take_controlling_tty() -> None:
    """In the child: make the pty (stdin) the controlling terminal of the new session."""
    try:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    except OSError:
        pass


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
