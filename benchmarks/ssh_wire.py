"""SSH wire-bytes benchmark: what Akut tasks cost between ssh client and server.

``terminal.py`` counts the bytes Akut writes to its terminal.  This benchmark counts
what really crosses the network: the encrypted SSH stream (TCP payload), with and
without ``ssh -C``.  It starts a throw-away OpenSSH server on 127.0.0.1 whose
ForceCommand runs Akut (``tests/e2e/sshd.py``, loaded by path), and connects with
the system ``ssh`` client running inside ``ptymeter`` (80x24, TERM=xterm-256color).
The client reaches the server through a tiny relay used as ``ProxyCommand`` that
counts the bytes in each direction (and logs every chunk with a timestamp, so the
bytes can also be attributed to ptymeter's phases).

Sessions (each one a fresh ``ssh -tt``, ended with ctrl+q):

1. ``connect``   until the login screen shows
2. ``login``     connect + log in until home
3. ``quick_log`` connect + log in + F2, 2, a, ctrl+s until "Gemt"
4. ``idle``      connect + log in + ``--idle`` seconds without input

Per-task figures are differences of session medians (quick log = (3) - (2), ...),
and, as a cross-check, the wire bytes that fell into each task's ptymeter phase.

Usage::

    python benchmarks/ssh_wire.py                       # 3 runs, 60 s idle (about 8 min)
    python benchmarks/ssh_wire.py --runs 1 --idle 10    # quick check (about 1 min)
    python benchmarks/ssh_wire.py --json /tmp/wire.json --ssh-option Ciphers=aes128-ctr

Wire bytes are TCP payload (the SSH packets), without TCP/IP headers.  Needs
``/usr/sbin/sshd``, ``ssh`` and ``ssh-keygen`` (exit status 2 if missing), and root or
an existing ``/run/sshd``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import ptymeter  # benchmarks/ptymeter.py (this script's folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
SSHD_MODULE = REPO / "tests" / "e2e" / "sshd.py"

LOGIN_TEXT = "Brugernavn"  # login screen is ready
HOME_TEXT = "Logget ind som"  # home after login
QUICKLOG_KEY = "f2"
QUICKLOG_TEXT = "HURTIG REGISTRERING"
SAVED_TEXT = "Gemt"
SCREEN_SETTLE = "settle:0.3,3"

MODES = ("plain", "-C")

RELAY = r'''"""ProxyCommand relay: stdin -> 127.0.0.1:PORT -> stdout, counting bytes.

argv: PORT COUNTFILE.  Appends "t dir n" lines (monotonic seconds, u = client->server,
d = server->client) to COUNTFILE.log as it goes, writes "UP DOWN" to COUNTFILE at exit.
"""
import os, select, signal, socket, sys, time

port, countfile = int(sys.argv[1]), sys.argv[2]
os.setsid()  # not in the terminal's process group: survive ptymeter's clean-up kill
up = down = 0
log = open(countfile + ".log", "w", buffering=1)
with open(countfile + ".pid", "w") as f:
    f.write(f"{os.getpid()}\n")


def finish(*_):
    with open(countfile + ".tmp", "w") as f:
        f.write(f"{up} {down}\n")
    os.replace(countfile + ".tmp", countfile)
    os._exit(0)


for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGPIPE):
    signal.signal(sig, finish)
signal.signal(signal.SIGALRM, finish)
signal.alarm(3600)  # never outlive a run by much
sock = socket.create_connection(("127.0.0.1", port), timeout=10)
sock.settimeout(None)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
inputs = [0, sock]
try:
    while True:
        ready, _, _ = select.select(inputs, [], [])
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                inputs.remove(0)
                sock.shutdown(socket.SHUT_WR)
            else:
                sock.sendall(data)
                up += len(data)
                log.write(f"{time.monotonic():.6f} u {len(data)}\n")
        if sock in ready:
            data = sock.recv(65536)
            if not data:
                break
            view = memoryview(data)
            while view:
                view = view[os.write(1, view):]
            down += len(data)
            log.write(f"{time.monotonic():.6f} d {len(data)}\n")
except OSError:
    pass
finish()
'''


# --------------------------------------------------------------------------
# Sessions


@dataclass(frozen=True)
class Session:
    name: str
    what: str
    phase: str  # the ptymeter phase holding this session's own task ("startup": connect)


SESSIONS = [
    Session("connect", "connect until the login screen shows", "startup"),
    Session("login", "connect + log in until home", "login"),
    Session("quick_log", "connect + log in + quick log until 'Gemt'", "quick_log"),
    Session("idle", "connect + log in + idle", "idle"),
]


def steps_for(session: str, idle: float) -> list[str]:
    """ptymeter steps after the login screen has shown (the startup phase)."""
    login = [
        "phase:login",
        "keys:bo",
        "key:tab",
        "keys:PASSWORD",
        "key:enter",
        f"text:{HOME_TEXT}",
        SCREEN_SETTLE,
    ]
    if session == "connect":
        return ["phase:end"]
    if session == "login":
        return [*login, "phase:end"]
    if session == "quick_log":
        return [
            *login,
            "phase:quick_log",
            f"key:{QUICKLOG_KEY}",
            f"text:{QUICKLOG_TEXT}",
            "keys:2",
            "keys:a",
            "key:ctrl+s",
            f"text:{SAVED_TEXT}",
            SCREEN_SETTLE,
            "phase:end",
        ]
    return [*login, "phase:idle", f"idle:{idle:g}", "phase:end"]


@dataclass
class Run:
    """One ssh session: wire and terminal figures (None when it failed)."""

    session: str
    mode: str
    up: int | None = None  # client -> server wire bytes
    down: int | None = None  # server -> client wire bytes
    term: int | None = None  # bytes ptymeter saw on the terminal (decrypted)
    term_zlib: int | None = None  # ptymeter's zlib-per-write estimate of ssh -C
    seconds: float | None = None
    phases: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> figures
    error: str | None = None


# --------------------------------------------------------------------------
# Helpers


def load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def fail(message: str, code: int = 2) -> SystemExit:
    print(f"ssh_wire: {message}", file=sys.stderr)
    return SystemExit(code)


def read_wire_log(path: Path) -> list[tuple[float, str, int]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3:
            out.append((float(parts[0]), parts[1], int(parts[2])))
    return out


def wait_for_counts(countfile: Path, limit: float) -> tuple[int, int] | None:
    start = time.monotonic()
    pidfile = countfile.with_name(countfile.name + ".pid")
    while time.monotonic() < start + limit:
        if not pidfile.exists() and time.monotonic() > start + 2:
            return None  # the relay never started (ssh failed before ProxyCommand)
        if countfile.exists():
            up, down = countfile.read_text().split()
            return int(up), int(down)
        time.sleep(0.05)
    return None


def stop_relay(countfile: Path) -> None:
    """If the relay is still running (it should have ended with ssh), end it by pid."""
    pidfile = countfile.with_name(countfile.name + ".pid")
    if not pidfile.exists():
        return
    try:
        os.kill(int(pidfile.read_text()), signal.SIGTERM)
    except (ProcessLookupError, ValueError):
        pass


def measure(
    server: Any,
    tmp: Path,
    session: Session,
    mode: str,
    run_no: int,
    opts: argparse.Namespace,
) -> Run:
    res = Run(session.name, mode)
    countfile = tmp / f"wire-{session.name}-{mode.strip('-') or 'plain'}-{run_no}"
    relay = tmp / "relay.py"
    proxy = (
        f"{shlex.quote(sys.executable)} {shlex.quote(str(relay))} {server.port} "
        f"{shlex.quote(str(countfile))}"
    )
    command = ["ssh", "-tt", *server.ssh_options(), "-o", f"ProxyCommand={proxy}"]
    for extra in opts.ssh_option:
        command += ["-o", extra]
    if mode == "-C":
        command.append("-C")
    command += ["-p", str(server.port), f"{server_user()}@127.0.0.1"]
    steps = [
        s.replace("keys:PASSWORD", f"keys:{opts.password}").replace("keys:bo", f"keys:{opts.user}")
        for s in steps_for(session.name, opts.idle)
    ]
    options = ptymeter.Options(
        command=command,
        wait_text=LOGIN_TEXT,
        startup_timeout=opts.timeout * 2,
        step_timeout=opts.timeout,
        settle_max=3,
        quit=["ctrl+q"],
        quit_timeout=5,
        timeout=opts.timeout * 4 + opts.idle + 60,
    )
    parsed = [ptymeter.parse_step(s) for s in steps]
    log = (
        (lambda m: print(f"    ptymeter: {m}", file=sys.stderr))
        if opts.verbose
        else (lambda m: None)
    )
    try:
        r = ptymeter.run_once(options, parsed, run_no, log)
    except SystemExit as exc:
        res.error = str(exc)
        return res
    counts = wait_for_counts(countfile, 10)
    if counts is None:
        stop_relay(countfile)
    if r["errors"]:
        tail = " / ".join(line for line in r.get("screen", []) if line.strip())[-300:]
        res.error = "; ".join(r["errors"]) + (f" [screen: {tail}]" if tail else "")
        return res
    if counts is None:
        res.error = "the relay wrote no byte counts"
        return res
    res.up, res.down = counts
    res.term = r["total_bytes"]
    res.term_zlib = r["zlib_flush_bytes"]
    res.seconds = sum(p["duration_s"] for p in r["phases"])
    # wire bytes per ptymeter phase, by time (chunks after the last phase: shutdown)
    chunks = read_wire_log(countfile.with_name(countfile.name + ".log"))
    base = r["t0_monotonic"]
    bounds = [
        (p["name"], base + p["start_s"], base + p["start_s"] + p["duration_s"]) for p in r["phases"]
    ]
    for p in r["phases"]:
        res.phases[p["name"]] = {
            "up": 0,
            "down": 0,
            "term": p["bytes"],
            "term_zlib": p["zlib_bytes"],
        }
    for t, direction, n in chunks:
        name = next((nm for nm, lo, hi in bounds if lo <= t < hi), bounds[-1][0])
        if t < bounds[0][1]:
            name = bounds[0][0]
        res.phases[name]["up" if direction == "u" else "down"] += n
    if sum(n for _, d, n in chunks if d == "d") != res.down:
        res.error = "the relay's log and its counts disagree"
    return res


def server_user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def wait_akut_gone(server: Any, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while server.akut_pids() and time.monotonic() < deadline:
        time.sleep(0.1)


# --------------------------------------------------------------------------
# Reporting


def med(values: list[float | int | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(statistics.median(vals)) if vals else None


def fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.0f}"


def pct(a: float | None, b: float | None) -> str:
    if a is None or b is None or a < 0 or b <= 0:
        return "-"
    return f"{100 * a / b:.0f} %"


def diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def tabulate_rows(rows: list[list[str]], headers: list[str]) -> str:
    try:
        from tabulate import tabulate
    except ImportError:
        widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
        return "\n".join(
            "  ".join(str(x).rjust(w) for x, w in zip(line, widths, strict=False))
            for line in [headers, *rows]
        )
    return tabulate(
        rows,
        headers=headers,
        disable_numparse=True,
        colalign=("left",) + ("right",) * (len(headers) - 1),
    )


def summarize(runs: list[Run], opts: argparse.Namespace) -> dict[str, Any]:
    """Medians per (session, mode), per-task differences and per-phase figures."""
    ok = [r for r in runs if r.error is None]
    sessions: dict[str, dict[str, dict[str, float | None]]] = {}
    for s in SESSIONS:
        for mode in MODES:
            mine = [r for r in ok if r.session == s.name and r.mode == mode]
            sessions.setdefault(s.name, {})[mode] = {
                "runs": len(mine),
                "up": med([r.up for r in mine]),
                "down": med([r.down for r in mine]),
                "term": med([r.term for r in mine]),
                "term_zlib": med([r.term_zlib for r in mine]),
                "seconds": med([r.seconds for r in mine]),
            }
    # per task: session differences, and the bytes inside the task's own phase
    pairs = {
        "connect": ("connect", None),
        "login": ("login", "connect"),
        "quick_log": ("quick_log", "login"),
        "idle": ("idle", "login"),
    }
    tasks: dict[str, dict[str, dict[str, float | None]]] = {}
    for s in SESSIONS:
        hi, lo = pairs[s.name]
        for mode in MODES:
            a, b = sessions[hi][mode], sessions[lo][mode] if lo else None
            mine = [r for r in ok if r.session == s.name and r.mode == mode]
            phase = [r.phases.get(s.phase, {}) for r in mine]
            tasks.setdefault(s.name, {})[mode] = {
                **{
                    k: (a[k] if b is None else diff(a[k], b[k]))
                    for k in ("up", "down", "term", "term_zlib")
                },
                **{
                    f"phase_{k}": med([p.get(k) for p in phase])
                    for k in ("up", "down", "term", "term_zlib")
                },
            }
    return {"sessions": sessions, "tasks": tasks}


def report(summary: dict[str, Any], opts: argparse.Namespace) -> None:
    sessions, tasks = summary["sessions"], summary["tasks"]
    print()
    print(
        f"SSH wire bytes (TCP payload through the ProxyCommand relay), medians of "
        f"{opts.runs} run(s); 80x24 xterm-256color; idle {opts.idle:g} s."
    )
    print(
        "s→c = server to client, c→s = client to server; terminal = what ssh wrote to "
        "the pty (decrypted);\nzlib est. = ptymeter's zlib-per-write estimate of -C."
    )
    print("\nWhole sessions (connect … ctrl+q, including key exchange and teardown):")
    rows = []
    for s in SESSIONS:
        for mode in MODES:
            v = sessions[s.name][mode]
            rows.append(
                [
                    s.name if mode == "plain" else "",
                    mode,
                    f"{v['runs']}",
                    fmt(v["down"]),
                    fmt(v["up"]),
                    fmt(v["term"]),
                    fmt(v["term_zlib"]),
                    pct(v["down"], v["term"]),
                    "-" if v["seconds"] is None else f"{v['seconds']:.1f}",
                ]
            )
    print(
        tabulate_rows(
            rows,
            [
                "session",
                "ssh",
                "runs",
                "s→c wire B",
                "c→s wire B",
                "terminal B",
                "zlib est. B",
                "wire/term",
                "time s",
            ],
        )
    )

    print(
        "\nPer task: by subtraction of session medians (connect = session 1; login = 2 − 1;"
        "\nquick log = 3 − 2; idle = 4 − 2), and the wire bytes inside the task's phase:"
    )
    rows = []
    for s in SESSIONS:
        p, c = tasks[s.name]["plain"], tasks[s.name]["-C"]
        label = {"idle": f"idle {opts.idle:g} s"}.get(s.name, s.name)
        rows.append(
            [
                label,
                fmt(p["down"]),
                fmt(c["down"]),
                pct(c["down"], p["down"]),
                fmt(p["up"]),
                fmt(c["up"]),
                fmt(p["term"]),
                fmt(p["term_zlib"]),
                fmt(p["phase_down"]),
                fmt(c["phase_down"]),
                fmt(p["phase_term"]),
            ]
        )
    print(
        tabulate_rows(
            rows,
            [
                "task",
                "s→c wire",
                "s→c -C",
                "-C/plain",
                "c→s wire",
                "c→s -C",
                "terminal",
                "zlib est.",
                "phase s→c",
                "phase s→c -C",
                "phase term",
            ],
        )
    )
    print(
        "(all in bytes; 'phase' columns: only the bytes inside the task's ptymeter phase,"
        "\n for connect the startup phase until the login screen plus 0.3 s settle)"
    )


# --------------------------------------------------------------------------
# CLI


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="Measure the SSH wire bytes of Akut sessions, with and without ssh -C."
    )
    p.add_argument("--runs", type=int, default=3, help="runs per session and mode (3)")
    p.add_argument("--idle", type=float, default=60.0, help="idle seconds in session 4 (60)")
    p.add_argument(
        "--only",
        nargs="+",
        choices=[s.name for s in SESSIONS],
        metavar="SESSION",
        help="run only these sessions (connect login quick_log idle)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="seconds to wait for each expected text (20; connect: twice that)",
    )
    p.add_argument(
        "--ssh-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra ssh -o option for every session (repeatable)",
    )
    p.add_argument("--json", metavar="FILE", help="also write every run and the medians as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="show ptymeter's messages")
    return p


def main(argv: list[str] | None = None) -> int:
    opts = make_parser().parse_args(argv)
    if opts.runs < 1 or opts.idle <= 0:
        raise fail("--runs must be >= 1 and --idle > 0")
    if not SSHD_MODULE.is_file():
        raise fail(f"{SSHD_MODULE} not found")
    sshd = load_module("akut_bench_sshd", SSHD_MODULE)
    missing = sshd.missing_tools()
    if missing:
        raise fail(f"needs OpenSSH server and client; missing: {', '.join(missing)}")
    if not Path("/run/sshd").is_dir() and os.geteuid() != 0:
        raise fail("sshd needs /run/sshd, which only root can create")
    if ptymeter.pyte is None:
        raise fail("pyte is not installed: pip install pyte")
    opts.user, opts.password = sshd.STAFF_USER, sshd.PASSWORD
    chosen = [s for s in SESSIONS if not opts.only or s.name in opts.only]

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="akut-sshwire-") as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "relay.py").write_text(RELAY, encoding="utf-8")
        server = sshd.SshServer(tmp / "sshd")
        try:
            print("starting sshd ...", file=sys.stderr)
            try:
                server.prepare()
                server.start()
            except Exception as exc:  # any set-up failure ends the run
                detail = getattr(exc, "stderr", b"") or b""
                if isinstance(detail, bytes):
                    detail = detail.decode(errors="replace")
                raise fail(
                    f"cannot start the ssh server: {exc} {detail.strip()[-300:]}", 1
                ) from None
            for run_no in range(1, opts.runs + 1):
                for s in chosen:
                    for mode in MODES:  # interleaved, so drift hits both modes alike
                        t = time.monotonic()
                        res = measure(server, tmp, s, mode, run_no, opts)
                        runs.append(res)
                        wait_akut_gone(server)
                        figures = (
                            f"error: {res.error}"
                            if res.error
                            else f"s→c {res.down:,} B, c→s {res.up:,} B, terminal {res.term:,} B"
                        )
                        print(
                            f"  run {run_no}/{opts.runs} {s.name:<9} {mode:<5} {figures}"
                            f"  [{time.monotonic() - t:.1f} s]",
                            file=sys.stderr,
                        )
        finally:
            server.stop()
    if not any(r.error is None for r in runs):
        print("ssh_wire: no session succeeded", file=sys.stderr)
        return 1
    summary = summarize(runs, opts)
    report(summary, opts)
    if opts.json:
        data = {
            "runs": opts.runs,
            "idle_s": opts.idle,
            "ssh_options": opts.ssh_option,
            **summary,
            "all_runs": [r.__dict__ for r in runs],
        }
        Path(opts.json).write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0 if all(r.error is None for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
