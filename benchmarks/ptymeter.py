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
import json
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from ptykeys import key_bytes
from ptyterminal import Log, Options, Terminal, pyte

__all__ = [
    "Log",
    "Options",
    "Step",
    "Terminal",
    "key_bytes",
    "main",
    "parse_step",
    "pyte",
    "run_once",
]

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
