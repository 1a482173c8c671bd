"""Pseudo-terminal meter: run a program at a fixed terminal size, type at it, count its bytes.

The benchmarks (``terminal.py``, ``save_latency.py``, ``ssh_wire.py``) use it to
measure what Akut writes to a terminal. The program runs in a new session on the
slave side of a pty; this process holds the master side, answers the terminal
queries a real terminal would answer (cursor position, status, device
attributes), keeps an emulated screen with ``pyte`` (so a script can wait for a
text), and counts every byte it reads, per phase of the script.

A script is a list of steps ``KIND:ARG``:

==============  ===============================================================
``keys:TEXT``   type TEXT one character at a time (the key delay after each)
``key:NAMES``   named keys separated by spaces: ``enter tab shift+tab esc f1``..
                ``f12 up down left right home end pgup pgdn insert delete
                backspace space ctrl+X alt+X`` (modifiers on arrows too)
``text:TEXT``   wait until the screen shows TEXT (``--step-timeout``); records
                ``latency_s`` (from the step) and ``since_input_s`` (from the
                last key sent)
``gone:TEXT``   wait until TEXT has left the screen
``settle:Q[,M]``  wait until the program has been quiet for Q seconds (at most M)
``wait:S``      keep reading for S seconds
``idle:S``      the same, reported as idle (``bytes_per_s``)
``phase:NAME``  start a named phase; bytes are summed per phase
``delay:S``     the key delay for the steps after this one
==============  ===============================================================

Without any ``phase:`` step, each input or idle step opens its own phase. The
first phase, ``startup``, runs from the start until ``--wait-text`` shows and the
output settles. ``zlib_bytes`` is the size of each read compressed with one zlib
stream flushed after every read: roughly what ``ssh -C`` sends.

Command line (the JSON report has ``runs``, each with ``phases`` and ``steps``)::

    python benchmarks/ptymeter.py --wait-text Brugernavn --json -s keys:bo -s key:tab \\
        --quit ctrl+q -- akut --config config.toml

Linux only (pty, process groups); needs ``pyte`` (in the ``test`` extra).
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import json
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

try:
    import pyte
except ImportError:  # reported by make_screen()
    pyte = None

Log = Callable[[str], None]

# ---------------------------------------------------------------------------
# Keys: the bytes an xterm sends

_PLAIN_KEYS = {
    "enter": b"\r",
    "return": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "backtab": b"\x1b[Z",
    "esc": b"\x1b",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "space": b" ",
}
_CURSOR = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
_TILDE = {
    "insert": 2,
    "delete": 3,
    "del": 3,
    "pgup": 5,
    "pageup": 5,
    "pgdn": 6,
    "pagedown": 6,
    "f5": 15,
    "f6": 17,
    "f7": 18,
    "f8": 19,
    "f9": 20,
    "f10": 21,
    "f11": 23,
    "f12": 24,
}
_SS3 = {"f1": "P", "f2": "Q", "f3": "R", "f4": "S"}
_MODIFIERS = ("shift", "alt", "meta", "ctrl")


def key_bytes(name: str, app_cursor: bool = False) -> bytes:
    """Return the bytes for a key name such as ``tab``, ``f2``, ``ctrl+s`` or ``shift+up``.

    ``app_cursor``: the program switched on application cursor keys (DECCKM), so
    plain arrows, Home and End are sent as ``ESC O x``. Raises ``ValueError``
    for a name no terminal key has.
    """
    key = name.strip().lower()
    if key in _PLAIN_KEYS:
        return _PLAIN_KEYS[key]
    *mods, base = key.split("+")
    if not base or any(m not in _MODIFIERS for m in mods):
        raise ValueError(f"unknown key {name!r}")
    if not mods:
        if base in _CURSOR:
            return (b"\x1bO" if app_cursor else b"\x1b[") + _CURSOR[base].encode()
        if base in _TILDE:
            return f"\x1b[{_TILDE[base]}~".encode()
        if base in _SS3:
            return f"\x1bO{_SS3[base]}".encode()
        if len(base) == 1:
            return base.encode()
        raise ValueError(f"unknown key {name!r}")
    # xterm's modifier parameter: 1 + shift + 2*alt + 4*ctrl
    code = 1 + ("shift" in mods) + 2 * ("alt" in mods or "meta" in mods) + 4 * ("ctrl" in mods)
    if base in _CURSOR:
        return f"\x1b[1;{code}{_CURSOR[base]}".encode()
    if base in _TILDE:
        return f"\x1b[{_TILDE[base]};{code}~".encode()
    if base in _SS3:
        return f"\x1b[1;{code}{_SS3[base]}".encode()
    char = {"space": " ", "enter": "\r"}.get(base, base)
    if len(char) != 1:
        raise ValueError(f"unknown key {name!r}")
    if "shift" in mods and char.isalpha():
        char = char.upper()
    out = char.encode()
    if "ctrl" in mods:
        if char in " @":
            out = b"\x00"
        elif char == "?":
            out = b"\x7f"
        elif char.isalpha() or char in "[\\]^_":
            out = bytes([ord(char.upper()) & 0x1F])
        else:
            raise ValueError(f"no control code for {name!r}")
    if "alt" in mods or "meta" in mods:
        out = b"\x1b" + out
    return out


# ---------------------------------------------------------------------------
# Script steps

INPUT_KINDS = frozenset({"keys", "key"})
KINDS = INPUT_KINDS | {"text", "gone", "settle", "wait", "idle", "phase", "delay"}


@dataclass(frozen=True)
class Step:
    """One parsed script step."""

    spec: str
    kind: str
    arg: str
    seconds: float = 0.0  # wait, idle, delay; settle: the quiet time
    limit: float | None = None  # settle: give up after this many seconds
    keys: tuple[str, ...] = ()


def parse_step(spec: str) -> Step:
    """Parse ``KIND:ARG``; raise ``ValueError`` naming the step when it is wrong."""
    kind, sep, arg = spec.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in KINDS:
        raise ValueError(f"step {spec!r}: expected KIND:ARG with KIND one of {sorted(KINDS)}")
    try:
        if kind in ("wait", "idle", "delay"):
            seconds = float(arg)
            if seconds < 0:
                raise ValueError("negative time")
            return Step(spec, kind, arg, seconds=seconds)
        if kind == "settle":
            quiet, _, limit = arg.partition(",")
            return Step(
                spec, kind, arg, seconds=float(quiet), limit=float(limit) if limit else None
            )
        if kind == "key":
            names = tuple(arg.split())
            if not names:
                raise ValueError("no key name")
            for name in names:
                key_bytes(name)
            return Step(spec, kind, arg, keys=names)
        if kind in ("text", "gone", "phase") and not arg:
            raise ValueError("empty argument")
    except ValueError as exc:
        raise ValueError(f"step {spec!r}: {exc}") from None
    return Step(spec, kind, arg)


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


# ---------------------------------------------------------------------------
# One run


def run_once(
    opts: Options, steps: list[Step], run_no: int = 1, log: Log | None = None
) -> dict[str, Any]:
    """Run the program once through the script; return the figures as a dict.

    Keys: ``errors`` (empty when every step worked), ``text_s`` (when
    ``wait_text`` showed), ``first_output_s``, ``total_bytes``, ``total_writes``,
    ``zlib_flush_bytes``, ``phases`` (name, start_s, duration_s, bytes, writes,
    zlib_bytes), ``steps`` (n, step, phase, start_s, duration_s, bytes, writes,
    ok, latency_s / since_input_s for text steps), ``screen`` (before quitting),
    ``ended_by``, ``exit_code``, ``t0_monotonic`` (when the program started, on
    this process's monotonic clock), ``chunks`` ([seconds, bytes, phase index],
    with ``opts.chunks``) and ``_raw`` (every byte read).
    """
    term = Terminal(opts, log or (lambda _m: None))
    result: dict[str, Any] = {"run": run_no, "errors": []}
    try:
        term.spawn()
    except OSError as exc:
        raise SystemExit(f"ptymeter: cannot start {opts.command[0]!r}: {exc}") from None
    errors: list[str] = result["errors"]
    records: list[dict[str, Any]] = []
    try:
        term.open_phase("startup")
        term.phases[0].start_s = 0.0
        deadline = time.monotonic() + opts.timeout
        _startup(term, opts, result)
        _script(term, opts, steps, deadline, records, errors)
        if opts.idle > 0 and not term.ended():
            term.open_phase("idle")
            before = len(term.raw)
            term.read_for(opts.idle)
            result["idle_s"] = opts.idle
            result["idle_bytes"] = len(term.raw) - before
            result["idle_bytes_per_s"] = round(result["idle_bytes"] / opts.idle, 2)
        result["screen"] = term.screen_lines()
        result["before_shutdown_bytes"] = len(term.raw)
        term.open_phase("shutdown")
    finally:
        result["ended_by"], result["exit_code"] = term.stop()
    now = term.now()
    result["t0_monotonic"] = term.t0
    result["first_output_s"] = None if term.first_output is None else round(term.first_output, 4)
    result["total_bytes"] = len(term.raw)
    result["total_writes"] = len(term.chunks)
    result["zlib_flush_bytes"] = sum(p.zlib_bytes for p in term.phases)
    result["phases"] = [
        {
            "name": p.name,
            "start_s": round(p.start_s, 4),
            "duration_s": round((p.end_s if p.end_s is not None else now) - p.start_s, 4),
            "bytes": p.bytes,
            "writes": p.writes,
            "zlib_bytes": p.zlib_bytes,
        }
        for p in term.phases
    ]
    result["startup_bytes"] = term.phases[0].bytes
    result["steps"] = records
    result["query_replies"] = term.replies
    result["pyte_errors"] = term.pyte_errors
    if opts.chunks:
        result["chunks"] = [[round(t, 4), n, i] for t, n, i in term.chunks]
    result["_raw"] = bytes(term.raw)
    return result


def _startup(term: Terminal, opts: Options, result: dict[str, Any]) -> None:
    first_wait = opts.startup_timeout if opts.wait_text else min(opts.startup_timeout, 5.0)
    if not term.read_until(lambda: term.first_output is not None, first_wait):
        if opts.wait_text:
            result["errors"].append("no output before --startup-timeout")
    if opts.wait_text:
        wanted = opts.wait_text
        shown = term.read_until(lambda: term.shows(wanted), opts.startup_timeout)
        result["text_s"] = round(term.now(), 4) if shown else None
        if not shown:
            result["errors"].append(f"startup text {wanted!r} not seen")
    if opts.settle > 0:
        term.settle(opts.settle, opts.settle_max)


def _script(
    term: Terminal,
    opts: Options,
    steps: list[Step],
    deadline: float,
    records: list[dict[str, Any]],
    errors: list[str],
) -> None:
    own_phases = any(s.kind == "phase" for s in steps)
    key_delay = opts.key_delay
    for n, step in enumerate(steps, start=1):
        if time.monotonic() > deadline:
            errors.append("--timeout reached; remaining steps skipped")
            return
        if step.kind in INPUT_KINDS and term.ended():
            errors.append(f"program exited before step {n} ({step.spec})")
            return
        if not own_phases and step.kind in INPUT_KINDS | {"idle"}:
            term.open_phase("idle" if step.kind == "idle" else step.spec)
        if step.kind == "phase":
            term.open_phase(step.arg)
        rec: dict[str, Any] = {
            "n": n,
            "step": step.spec,
            "phase": term.phases[-1].name,
            "start_s": round(term.now(), 4),
            "bytes": 0,
            "writes": 0,
            "ok": True,
        }

        def count(nbytes: int, rec: dict[str, Any] = rec) -> None:
            rec["bytes"] += nbytes
            rec["writes"] += 1

        term.on_output = count
        started = time.monotonic()
        limit = max(0.0, min(opts.step_timeout, deadline - started))
        if step.kind == "delay":
            key_delay = step.seconds
        elif step.kind in ("wait", "idle"):
            if term.ended():
                rec["note"] = "skipped: program has exited"
            else:
                term.read_for(step.seconds)
                if step.kind == "idle" and step.seconds:
                    rec["bytes_per_s"] = round(rec["bytes"] / step.seconds, 2)
        elif step.kind in INPUT_KINDS:
            keys = [c.encode() for c in step.arg] if step.kind == "keys" else None
            for data in keys or [term.key(name) for name in step.keys]:
                term.send(data)
                term.read_for(key_delay)
        elif step.kind in ("text", "gone"):

            def reached(text: str = step.arg, shown: bool = step.kind == "text") -> bool:
                return term.shows(text) == shown

            rec["ok"] = term.read_until(reached, limit)
            if rec["ok"]:
                rec["latency_s"] = round(time.monotonic() - started, 4)
                if term.last_input is not None:
                    rec["since_input_s"] = round(time.monotonic() - term.last_input, 4)
            else:
                rec["latency_s"] = None
                errors.append(f"step {n} ({step.spec}) timed out")
        elif step.kind == "settle":
            rec["ok"] = term.settle(step.seconds, min(step.limit or limit, limit))
            if not rec["ok"]:
                rec["note"] = "output never went quiet"
        rec["duration_s"] = round(time.monotonic() - started, 4)
        term.on_output = None
        records.append(rec)


# ---------------------------------------------------------------------------
# Command line


def make_parser() -> argparse.ArgumentParser:
    """The command line: terminal, script and output options, then ``-- COMMAND``."""
    p = argparse.ArgumentParser(
        prog="ptymeter.py",
        description="Run a program in a pseudo-terminal, type a script at it, count its bytes.",
        usage="%(prog)s [options] [-s STEP]... -- COMMAND [ARG]...",
    )
    p.add_argument("command", nargs=argparse.REMAINDER, help="the program (after --)")
    p.add_argument("--cols", type=int, default=80)
    p.add_argument("--rows", type=int, default=24)
    p.add_argument("--term", default="xterm-256color", help="TERM for the program")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--unset", action="append", default=[], metavar="NAME")
    p.add_argument(
        "--inherit-env",
        action="store_true",
        help="pass this whole environment (default: the few variables an ssh login has)",
    )
    p.add_argument("--no-reply", action="store_true", help="leave terminal queries unanswered")
    p.add_argument("-s", "--step", action="append", default=[], metavar="STEP")
    p.add_argument("--script", metavar="FILE", help="one step per line ('#' comments)")
    p.add_argument("--wait-text", help="startup ends when the screen shows this")
    p.add_argument("--startup-timeout", type=float, default=30.0)
    p.add_argument("--settle", type=float, default=0.3, help="quiet seconds after startup")
    p.add_argument("--settle-max", type=float, default=3.0)
    p.add_argument("--key-delay", type=float, default=0.1, help="seconds read after each key")
    p.add_argument("--step-timeout", type=float, default=15.0)
    p.add_argument("--idle", type=float, default=0.0, help="an idle phase of this many seconds")
    p.add_argument("--quit", action="append", default=[], metavar="KEY", help="keys that quit")
    p.add_argument("--quit-timeout", type=float, default=3.0)
    p.add_argument("--timeout", type=float, default=600.0, help="limit for the whole run")
    p.add_argument("--repeat", type=int, default=1, metavar="N")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--dump-screen", action="store_true", help="keep the final screen")
    p.add_argument("--chunks", action="store_true", help="every read: seconds, bytes, phase")
    p.add_argument("-q", "--quiet", action="store_true")
    return p


def options_from(args: argparse.Namespace) -> Options:
    """Options from parsed command-line arguments."""
    command = list(args.command)
    if command[:1] == ["--"]:
        command = command[1:]
    return Options(
        command=command,
        cols=args.cols,
        rows=args.rows,
        term=args.term,
        env=args.env,
        unset=args.unset,
        inherit_env=args.inherit_env,
        reply_queries=not args.no_reply,
        wait_text=args.wait_text,
        startup_timeout=args.startup_timeout,
        settle=args.settle,
        settle_max=args.settle_max,
        key_delay=args.key_delay,
        step_timeout=args.step_timeout,
        idle=args.idle,
        quit=args.quit,
        quit_timeout=args.quit_timeout,
        timeout=args.timeout,
        chunks=args.chunks,
    )


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    def stats(values: list[Any]) -> dict[str, Any] | None:
        vals = [v for v in values if v is not None]
        if not vals:
            return None
        return {"min": min(vals), "median": statistics.median(vals), "max": max(vals)}

    keys = ("text_s", "first_output_s", "total_bytes", "zlib_flush_bytes", "idle_bytes")
    summary: dict[str, Any] = {k: stats([r.get(k) for r in runs]) for k in keys}
    summary["phase_bytes"] = {
        f"{i}:{p['name']}": stats([r["phases"][i]["bytes"] for r in runs if len(r["phases"]) > i])
        for i, p in enumerate(runs[0]["phases"])
    }
    return summary


def _print_text(report: dict[str, Any]) -> None:
    for run in report["runs"]:
        print(
            f"run {run['run']}: {run['total_bytes']} B in {run['total_writes']} writes, "
            f"zlib {run['zlib_flush_bytes']} B, startup text {run.get('text_s')} s, "
            f"ended by {run['ended_by']}"
        )
        for p in run["phases"]:
            print(f"  {p['name'][:30]:<30} {p['duration_s']:>8.3f} s {p['bytes']:>9} B")
        for s in run["steps"]:
            extra = "" if s["ok"] else "  FAILED"
            if s.get("since_input_s") is not None:
                extra += f"  {s['since_input_s']:.3f} s after the last key"
            print(f"    {s['step'][:40]:<40} {s['bytes']:>9} B{extra}")
        for error in run["errors"]:
            print(f"  ERROR: {error}")
        for line in run.get("screen", []):
            print(f"  |{line}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exit status 1 if a run had errors."""
    parser = make_parser()
    args = parser.parse_args(argv)
    opts = options_from(args)
    if not opts.command:
        parser.error("no command given (put it after --)")
    specs = list(args.step)
    if args.script:
        with open(args.script, encoding="utf-8") as fh:
            lines = [line.strip() for line in fh]
        specs = [line for line in lines if line and not line.startswith("#")] + specs
    try:
        steps = [parse_step(s) for s in specs]
        for name in opts.quit:
            key_bytes(name)
    except ValueError as exc:
        parser.error(str(exc))
    log: Log = (
        (lambda _m: None) if args.quiet else (lambda m: print(f"ptymeter: {m}", file=sys.stderr))
    )
    runs = []
    for n in range(1, args.repeat + 1):
        run = run_once(opts, steps, n, log)
        run.pop("_raw")
        if not args.dump_screen:
            run.pop("screen")
        runs.append(run)
    report = {"command": opts.command, "cols": opts.cols, "rows": opts.rows, "runs": runs}
    report["summary"] = _summary(runs)
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        _print_text(report)
    return 1 if any(r["errors"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
