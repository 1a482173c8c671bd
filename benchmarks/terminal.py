"""Terminal-bytes benchmark: what Akut costs on the wire, next to a plain Textual app.

Each task drives a program in a pseudo-terminal (80x24, TERM=xterm-256color, an
ssh-like minimal environment) with ``ptymeter`` (``benchmarks/ptymeter.py``)
and measures the bytes the program writes: raw, and zlib-compressed per write
(what ``ssh -C`` would send).  The same tasks run on ``benchmarks/reference_app.py``
(a default-looking Textual form) so Akut's figures show as a ratio in one run.

Usage::

    python benchmarks/terminal.py                       # all tasks, both targets
    python benchmarks/terminal.py --target reference --only startup type_char --runs 2
    python benchmarks/terminal.py --idle 10 --json out.json --akut-cmd "python -m akut_tui"

The key scripts for Akut are the small ``akut_*`` functions near the top: adjust them
(and the ``AKUT_*`` texts) when the app's keys or texts change.  A task whose expected
text never shows is reported as ``n/a (timeout)``; it never stops the run.

To add a task: write one script function per target returning a :class:`Script`,
and register a :class:`Task` in ``TASKS``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ptymeter  # benchmarks/ptymeter.py (this script's folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
REFERENCE_APP = Path(__file__).resolve().parent / "reference_app.py"

# --------------------------------------------------------------------------
# Texts and keys the scripts rely on.  The app engineer adjusts these.

AKUT_USER = "bench"
AKUT_PASSWORD = "korrekt hest batteri klips"
AKUT_ROLE = "leder"  # a leader reaches every screen
AKUT_LOGIN_TEXT = "Brugernavn"  # shown on the login screen when it is ready
AKUT_HOME_TEXT = "Logget ind som"  # shown on home after login
AKUT_QUICKLOG_KEY = "f2"  # home -> quick log
AKUT_QUICKLOG_TEXT = "HURTIG REGISTRERING"  # shown on the quick-log panel
AKUT_SAVED_TEXT = "Gemt"  # confirmation after ctrl+s on quick log
AKUT_INTAKE_KEY = "f3"  # home -> intake form
AKUT_INTAKE_TEXT = "Registrering · Side"  # shown on the intake screen
AKUT_LOCK_KEY = "ctrl+l"  # lock the session now
AKUT_LOCK_TEXT = "Skærmen er låst"  # shown on the lock screen
AKUT_BACK_KEY = "escape"  # back to home from a sub-screen
AKUT_BEDS_KEY = "s"  # home -> bed board
AKUT_BEDS_TEXT = "Ledige i nat"  # shown on the bed board once loaded
AKUT_OUTREACH_KEY = "u"  # home -> outreach log
AKUT_OUTREACH_TEXT = "Udkørsel ("  # shown on the outreach screen
AKUT_HANDOVER_KEY = "h"  # home -> handover
AKUT_HANDOVER_TEXT = "Kvitteret af"  # shown on the handover screen once loaded
AKUT_FREQUENT_KEY = "f"  # home -> frequent users (coordinator, leader)
AKUT_FREQUENT_TEXT = "Ingen identificerede"  # its message once loaded (the bench database is empty)
AKUT_QUALITY_KEY = "d"  # home -> data quality (coordinator, leader)
AKUT_QUALITY_TEXT = "Intet at rette"  # its message once counted (the bench database is empty)
AKUT_VALUES_KEY = "v"  # home -> value lists (leader)
AKUT_VALUES_TEXT = "Koder ændres aldrig"  # the value lists have loaded
AKUT_BED_SETTINGS_KEY = "g"  # home -> bed settings (leader)
AKUT_BED_SETTINGS_TEXT = "Natlige regler"  # the beds have loaded
AKUT_AUDIT_KEY = "a"  # home -> audit log (leader)
AKUT_AUDIT_TEXT = "Nyeste hændelser først"  # the audit log's first page has loaded
AKUT_REPORT_KEY = "n"  # home -> access report (leader)
AKUT_REPORT_TEXT = "Skriv CPR-nummer eller kaldenavn"  # the access report is ready
REMOTE_CHANGER = Path(__file__).resolve().parent / "remote_bed_change.py"

REF_FORM_TEXT = "Reference form"
REF_TABLE_TEXT = "Reference table"
REF_SWITCH_KEY = "f5"

TYPED = "abcdefghijklmnopqrst"  # 20 single-key steps
TABS = 8
SWITCHES = 4  # there and back, twice

# Quiet time that ends a key's phase.  Textual's cursor blink (0.5 s) and header
# clock (1 s) never let the reference app go fully quiet, so keep it short.
KEY_SETTLE = "settle:0.15,2"
SCREEN_SETTLE = "settle:0.3,3"


# --------------------------------------------------------------------------
# Script model


@dataclass
class Script:
    """One ptymeter run: startup text, steps, and which phases are the measurement.

    measure: phase-name prefix; ``"startup"`` means ptymeter's own startup phase.
    per_event: the run's value is the median over the matching phases (one per
        key/switch) instead of their sum.
    timing: ``"startup"`` (time until wait_text), ``"text"`` (from the last input
        to the text step in each measured phase), ``"response"`` (phase start to
        its last write) or ``"none"``.
    """

    wait_text: str
    steps: list[str]
    measure: str
    per_event: bool = False
    timing: str = "response"


ScriptFn = Callable[[], Script]


def phases(prefix: str, n: int, body: Callable[[int], list[str]]) -> list[str]:
    """Steps for n measured events, each in its own phase ``prefix01``, ``prefix02``..."""
    out: list[str] = []
    for i in range(n):
        out.append(f"phase:{prefix}{i + 1:02d}")
        out.extend(body(i))
    return out


def key_step(key: str) -> str:
    """A ptymeter step for one key name: single printable chars are typed."""
    return f"keys:{key}" if len(key) == 1 else f"key:{key}"


# ---- Akut scripts ---------------------------------------------------------


def akut_login_steps() -> list[str]:
    """From the login screen to home (not measured)."""
    return [
        f"keys:{AKUT_USER}",
        "key:tab",
        f"keys:{AKUT_PASSWORD}",
        "key:enter",
        f"text:{AKUT_HOME_TEXT}",
        SCREEN_SETTLE,
    ]


def akut_startup() -> Script:
    return Script(AKUT_LOGIN_TEXT, [], "startup", timing="startup")


def akut_login() -> Script:
    steps = [
        "phase:login",
        f"keys:{AKUT_USER}",
        "key:tab",
        f"keys:{AKUT_PASSWORD}",
        "key:enter",
        f"text:{AKUT_HOME_TEXT}",
        SCREEN_SETTLE,
        "phase:after",
    ]
    return Script(AKUT_LOGIN_TEXT, steps, "login", timing="text")


def akut_type_char() -> Script:
    # typed into the login screen's username field (focused at start)
    steps = phases("key", len(TYPED), lambda i: [f"keys:{TYPED[i]}", KEY_SETTLE])
    return Script(AKUT_LOGIN_TEXT, steps + ["phase:after"], "key", per_event=True)


def akut_tab() -> Script:
    steps = [
        *akut_login_steps(),
        f"key:{AKUT_INTAKE_KEY}",
        f"text:{AKUT_INTAKE_TEXT}",
        SCREEN_SETTLE,
    ]
    steps += phases("tab", TABS, lambda i: ["key:tab", KEY_SETTLE])
    return Script(AKUT_LOGIN_TEXT, steps + ["phase:after"], "tab", per_event=True)


def akut_quick_log() -> Script:
    steps = [
        *akut_login_steps(),
        "phase:quick_log",
        f"key:{AKUT_QUICKLOG_KEY}",
        "keys:2",
        "keys:a",
        "key:ctrl+s",
        f"text:{AKUT_SAVED_TEXT}",
        f"text:{AKUT_HOME_TEXT}",
        SCREEN_SETTLE,
        "phase:after",
    ]
    return Script(AKUT_LOGIN_TEXT, steps, "quick_log", timing="text")


def akut_switch() -> Script:
    def there_and_back(i: int) -> list[str]:
        if i % 2 == 0:
            return [f"key:{AKUT_INTAKE_KEY}", f"text:{AKUT_INTAKE_TEXT}", SCREEN_SETTLE]
        return [f"key:{AKUT_BACK_KEY}", f"text:{AKUT_HOME_TEXT}", SCREEN_SETTLE]

    steps = [*akut_login_steps(), *phases("switch", SWITCHES, there_and_back), "phase:after"]
    return Script(AKUT_LOGIN_TEXT, steps, "switch", per_event=True, timing="text")


def akut_open(key: str, text: str) -> ScriptFn:
    """Open a screen from home and measure until it has loaded and gone quiet."""

    def build() -> Script:
        steps = [
            *akut_login_steps(),
            "phase:open",
            f"key:{key}",
            f"text:{text}",
            SCREEN_SETTLE,
            "phase:after",
        ]
        return Script(AKUT_LOGIN_TEXT, steps, "open", timing="text")

    return build


def akut_beds_remote() -> Script:
    """Another process checks a guest into the free bed; measure the board's redraw."""
    steps = [
        *akut_login_steps(),
        f"key:{AKUT_BEDS_KEY}",
        f"text:{AKUT_BEDS_TEXT}: 1",
        SCREEN_SETTLE,
        "phase:remote",
        f"text:{AKUT_BEDS_TEXT}: 0",
        SCREEN_SETTLE,
        "phase:after",
    ]
    return Script(AKUT_LOGIN_TEXT, steps, "remote", timing="none")


def remote_changer(command: list[str]) -> list[str]:
    """The second terminal of ``beds_remote`` (same Python, same config)."""
    config = command[command.index("--config") + 1]
    return [sys.executable, str(REMOTE_CHANGER), config, AKUT_USER, AKUT_PASSWORD]


def akut_idle(setup: list[str]) -> Callable[[float], Script]:
    def build(idle: float) -> Script:
        steps = [*setup, SCREEN_SETTLE, "phase:idle", f"idle:{idle:g}"]
        return Script(AKUT_LOGIN_TEXT, steps, "idle", timing="none")

    return build


AKUT_IDLE_SETUPS: dict[str, list[str]] = {
    "login": [],
    "home": akut_login_steps(),
    "intake": [*akut_login_steps(), f"key:{AKUT_INTAKE_KEY}", f"text:{AKUT_INTAKE_TEXT}"],
    "quicklog": [*akut_login_steps(), f"key:{AKUT_QUICKLOG_KEY}", f"text:{AKUT_QUICKLOG_TEXT}"],
    "lock": [*akut_login_steps(), f"key:{AKUT_LOCK_KEY}", f"text:{AKUT_LOCK_TEXT}"],
    "contacts": [*akut_login_steps(), "key:f4", "text:Vagtens henvendelser"],
    "drafts": [*akut_login_steps(), "key:f5", "text:Kladder ("],
    "followups": [*akut_login_steps(), "key:f6", "text:Forfalder"],
    "persons": [*akut_login_steps(), "key:f7", "text:Fødselsår"],
    "users": [*akut_login_steps(), "key:f9", "text:Låst til"],
    "help": [*akut_login_steps(), "key:f1", "text:Taster"],
    "beds": [*akut_login_steps(), f"key:{AKUT_BEDS_KEY}", f"text:{AKUT_BEDS_TEXT}"],
    "outreach": [*akut_login_steps(), f"key:{AKUT_OUTREACH_KEY}", f"text:{AKUT_OUTREACH_TEXT}"],
    "handover": [*akut_login_steps(), f"key:{AKUT_HANDOVER_KEY}", f"text:{AKUT_HANDOVER_TEXT}"],
    "frequent": [*akut_login_steps(), f"key:{AKUT_FREQUENT_KEY}", f"text:{AKUT_FREQUENT_TEXT}"],
    "quality": [*akut_login_steps(), f"key:{AKUT_QUALITY_KEY}", f"text:{AKUT_QUALITY_TEXT}"],
    "values": [*akut_login_steps(), f"key:{AKUT_VALUES_KEY}", f"text:{AKUT_VALUES_TEXT}"],
    "bed_settings": [
        *akut_login_steps(),
        f"key:{AKUT_BED_SETTINGS_KEY}",
        f"text:{AKUT_BED_SETTINGS_TEXT}",
    ],
    "audit": [*akut_login_steps(), f"key:{AKUT_AUDIT_KEY}", f"text:{AKUT_AUDIT_TEXT}"],
    "report": [*akut_login_steps(), f"key:{AKUT_REPORT_KEY}", f"text:{AKUT_REPORT_TEXT}"],
}


# ---- reference-app scripts -----------------------------------------------


def ref_startup() -> Script:
    return Script(REF_FORM_TEXT, [], "startup", timing="startup")


def ref_login() -> Script:
    # the nearest equivalent: fill two fields, then switch to the next screen
    steps = [
        "phase:login",
        f"keys:{AKUT_USER}",
        "key:tab",
        f"keys:{AKUT_PASSWORD}",
        f"key:{REF_SWITCH_KEY}",
        f"text:{REF_TABLE_TEXT}",
        SCREEN_SETTLE,
        "phase:after",
    ]
    return Script(REF_FORM_TEXT, steps, "login", timing="text")


def ref_type_char() -> Script:
    steps = phases("key", len(TYPED), lambda i: [f"keys:{TYPED[i]}", KEY_SETTLE])
    return Script(REF_FORM_TEXT, steps + ["phase:after"], "key", per_event=True)


def ref_tab() -> Script:
    steps = phases("tab", TABS, lambda i: ["key:tab", KEY_SETTLE])
    return Script(REF_FORM_TEXT, steps + ["phase:after"], "tab", per_event=True)


def ref_switch() -> Script:
    def there_and_back(i: int) -> list[str]:
        text = REF_TABLE_TEXT if i % 2 == 0 else REF_FORM_TEXT
        return [f"key:{REF_SWITCH_KEY}", f"text:{text}", SCREEN_SETTLE]

    steps = [*phases("switch", SWITCHES, there_and_back), "phase:after"]
    return Script(REF_FORM_TEXT, steps, "switch", per_event=True, timing="text")


def ref_idle(setup: list[str]) -> Callable[[float], Script]:
    def build(idle: float) -> Script:
        steps = [*setup, SCREEN_SETTLE, "phase:idle", f"idle:{idle:g}"]
        return Script(REF_FORM_TEXT, steps, "idle", timing="none")

    return build


# --------------------------------------------------------------------------
# Tasks and bars


@dataclass(frozen=True)
class Bar:
    """A limit on a task's median: metric is ``raw``, ``zlib`` or ``time`` (seconds)."""

    metric: str
    limit: float
    per_idle_minute: bool = False
    """The limit applies to each started minute of the idle window."""

    def label(self) -> str:
        if self.metric == "time":
            return f"≤{self.limit:g} s"
        if self.per_idle_minute:
            return f"{self.metric} ≤{self.limit:g} B per minute"
        unit = "B" if self.limit < 1024 else "KB"
        value = self.limit if unit == "B" else self.limit / 1024
        return f"{self.metric} ≤{value:g} {unit}"


@dataclass
class Task:
    """A registered benchmark task with one script builder per target (None: not run)."""

    name: str
    what: str
    akut: Callable[[float], Script] | None
    reference: Callable[[float], Script] | None
    bars: list[Bar] = field(default_factory=list)
    compare_with: str | None = None  # reference task for the ratio, default: same name
    background: Callable[[list[str]], list[str]] | None = None
    """Argv of a helper process started beside each run (given the Akut command)."""


def fixed(fn: ScriptFn) -> Callable[[float], Script]:
    """Adapt a script function that does not depend on --idle."""
    return lambda _idle: fn()


IDLE_BAR = [Bar("raw", 0)]

TASKS: dict[str, Task] = {}


def register(task: Task) -> None:
    TASKS[task.name] = task


register(
    Task(
        "startup",
        "start until the login/first screen shows",
        fixed(akut_startup),
        fixed(ref_startup),
        [Bar("time", 0.6)],
    )
)
register(
    Task(
        "login",
        "type user, Tab, password, Enter until home shows",
        fixed(akut_login),
        fixed(ref_login),
    )
)
register(
    Task(
        "type_char",
        f"one typed character (median of {len(TYPED)})",
        fixed(akut_type_char),
        fixed(ref_type_char),
        [Bar("raw", 100)],
    )
)
register(
    Task(
        "tab",
        f"one Tab between fields (median of {TABS})",
        fixed(akut_tab),
        fixed(ref_tab),
        [Bar("raw", 500)],
    )
)
register(
    Task(
        "quick_log",
        "F2, 2, a, ctrl+s until 'Gemt', back home",
        fixed(akut_quick_log),
        None,
        [Bar("raw", 16 * 1024), Bar("zlib", 2 * 1024)],
    )
)
register(
    Task(
        "switch",
        f"one switch between two screens (median of {SWITCHES})",
        fixed(akut_switch),
        fixed(ref_switch),
    )
)
register(
    Task(
        "idle_main",
        "idle on the reference form (blinking cursor, clock)",
        None,
        ref_idle([]),
        IDLE_BAR,
    )
)
register(
    Task(
        "idle_table",
        "idle on the reference DataTable screen",
        None,
        ref_idle([f"key:{REF_SWITCH_KEY}", f"text:{REF_TABLE_TEXT}"]),
        IDLE_BAR,
    )
)
register(
    Task(
        "beds_open",
        "s from home until the bed board has loaded",
        fixed(akut_open(AKUT_BEDS_KEY, AKUT_BEDS_TEXT)),
        None,
    )
)
register(
    Task(
        "handover_open",
        "h from home until the handover has loaded",
        fixed(akut_open(AKUT_HANDOVER_KEY, AKUT_HANDOVER_TEXT)),
        None,
    )
)
register(
    Task(
        "frequent_open",
        "f from home until the frequent users have loaded",
        fixed(akut_open(AKUT_FREQUENT_KEY, AKUT_FREQUENT_TEXT)),
        None,
    )
)
register(
    Task(
        "quality_open",
        "d from home until the data-quality counts have loaded",
        fixed(akut_open(AKUT_QUALITY_KEY, AKUT_QUALITY_TEXT)),
        None,
    )
)
register(
    Task(
        "values_open",
        "v from home until the value lists have loaded",
        fixed(akut_open(AKUT_VALUES_KEY, AKUT_VALUES_TEXT)),
        None,
    )
)
register(
    Task(
        "bed_settings_open",
        "g from home until the bed settings have loaded",
        fixed(akut_open(AKUT_BED_SETTINGS_KEY, AKUT_BED_SETTINGS_TEXT)),
        None,
    )
)
register(
    Task(
        "audit_open",
        "a from home until the audit log's first page has loaded",
        fixed(akut_open(AKUT_AUDIT_KEY, AKUT_AUDIT_TEXT)),
        None,
    )
)
register(
    Task(
        "report_open",
        "n from home until the access report's fields show",
        fixed(akut_open(AKUT_REPORT_KEY, AKUT_REPORT_TEXT)),
        None,
    )
)
register(
    Task(
        "beds_remote",
        "another process books the free bed: the open board's redraw",
        fixed(akut_beds_remote),
        None,
        [Bar("raw", 1024)],
        background=remote_changer,
    )
)
# The quick log's call timer may repaint its minute counter once a minute.
TIMER_BAR = [Bar("raw", 256, per_idle_minute=True)]
for _screen, _setup in AKUT_IDLE_SETUPS.items():
    register(
        Task(
            f"idle_{_screen}",
            f"idle on Akut's {_screen} screen",
            akut_idle(_setup),
            None,
            TIMER_BAR if _screen == "quicklog" else IDLE_BAR,
            compare_with="idle_main",
        )
    )


# --------------------------------------------------------------------------
# Running


@dataclass
class RunResult:
    """Per-run figures for one task (None where not measured)."""

    raw: float | None = None
    zlib: float | None = None
    time: float | None = None
    total: float | None = None  # per-event tasks: raw bytes summed over all events
    error: str | None = None
    detail: str = ""  # ptymeter's error messages
    not_started: bool = False  # the startup text never showed (or the command failed)
    phases: list[dict[str, Any]] = field(default_factory=list)


def measure_run(
    script: Script, command: list[str], opts: argparse.Namespace, run_no: int
) -> RunResult:
    """Run one script once through ptymeter's ``run_once`` and extract the figures."""
    options = ptymeter.Options(
        command=command,
        chunks=True,
        wait_text=script.wait_text,
        startup_timeout=opts.timeout,
        step_timeout=opts.timeout,
        settle_max=2,
        quit=["ctrl+q"],
        timeout=opts.timeout + opts.idle + 120,
    )
    try:
        steps = [ptymeter.parse_step(s) for s in script.steps]
    except ValueError as exc:
        return RunResult(error=f"bad script: {exc}")
    log: Callable[[str], None] = (
        (lambda m: None)
        if not opts.verbose
        else (lambda m: print(f"  ptymeter: {m}", file=sys.stderr))
    )
    try:
        r = ptymeter.run_once(options, steps, run_no, log)
    except SystemExit as exc:  # ptymeter: cannot start the command
        print(f"  {exc}", file=sys.stderr)
        return RunResult(error="n/a (cannot start)", detail=str(exc), not_started=True)
    except (OSError, TimeoutError) as exc:
        return RunResult(error="n/a (error)", detail=str(exc), not_started=True)
    r.pop("_raw", None)
    if r["errors"]:
        first = r["errors"][0]
        kind = "timeout" if ("not seen" in first or "timed out" in first) else "error"
        not_started = any("startup text" in e or "no output" in e for e in r["errors"])
        if opts.verbose:
            print(f"  errors: {r['errors']}", file=sys.stderr)
        return RunResult(
            error=f"n/a ({kind})",
            detail="; ".join(r["errors"]),
            not_started=not_started,
            phases=r.get("phases", []),
        )

    ph = [(i, p) for i, p in enumerate(r["phases"]) if p["name"].startswith(script.measure)]
    if script.measure == "startup":
        ph = [(0, r["phases"][0])]
    if not ph:
        return RunResult(error="n/a (no phase)")
    agg: Callable[[list[float]], float] = statistics.median if script.per_event else sum
    res = RunResult(
        raw=agg([p["bytes"] for _, p in ph]),
        zlib=agg([p["zlib_bytes"] for _, p in ph]),
        phases=r["phases"],
    )
    if script.per_event:
        res.total = sum(p["bytes"] for _, p in ph)
    if script.timing == "startup":
        res.time = r.get("text_s")
    elif script.timing == "text":
        names = {p["name"] for _, p in ph}
        times: dict[str, float] = {}
        for s in r["steps"]:
            if (
                s["phase"] in names
                and s["phase"] not in times
                and s.get("since_input_s") is not None
            ):
                times[s["phase"]] = s["since_input_s"]
        res.time = statistics.median(times.values()) if times else None
    elif script.timing == "response":
        times_l = []
        for idx, p in ph:
            last = [c[0] for c in r.get("chunks", []) if c[2] == idx]
            times_l.append(max(last) - p["start_s"] if last else 0.0)
        res.time = statistics.median(times_l)
    return res


@dataclass
class Outcome:
    """All runs of one task on one target, summarised."""

    task: str
    target: str
    runs: list[RunResult]
    note: str = ""

    def ok(self) -> list[RunResult]:
        return [r for r in self.runs if r.error is None]

    def stat(self, metric: str, how: str) -> float | None:
        vals = [getattr(r, metric) for r in self.ok() if getattr(r, metric) is not None]
        if not vals:
            return None
        return float(min(vals) if how == "min" else statistics.median(vals))

    def status(self) -> str:
        if self.note:
            return self.note
        if not self.ok():
            errs = [r.error for r in self.runs if r.error]
            return errs[0] if errs else "n/a"
        return ""


IDLE_SECONDS = [60.0]
"""The idle window of this run (set from --idle), for per-minute bars."""


def bar_verdict(task: Task, out: Outcome) -> str:
    """PASS/FAIL against the task's bars ('' when it has none or no figures)."""
    idle_s = IDLE_SECONDS[0]
    if not task.bars or not out.ok():
        return ""
    verdicts = []
    for bar in task.bars:
        value = out.stat(bar.metric, "median")
        if value is None:
            continue
        limit = bar.limit * math.ceil(idle_s / 60) if bar.per_idle_minute else bar.limit
        verdicts.append(("PASS" if value <= limit else "FAIL") + f" ({bar.label()})")
    return "; ".join(verdicts)


def resolve_akut(cmd: str) -> list[str]:
    """Split --akut-cmd; find a bare program name on PATH or beside this Python.

    If the default ``akut`` script is not installed, fall back to
    ``python -m akut_tui`` run from the repository root.
    """
    argv = shlex.split(cmd)
    if argv and os.sep not in argv[0] and shutil.which(argv[0]) is None:
        sibling = Path(sys.executable).parent / argv[0]
        if sibling.exists():
            argv[0] = str(sibling)
        elif argv == ["akut"] and (REPO / "akut_tui" / "__main__.py").exists():
            print("note: 'akut' is not installed; using python -m akut_tui", file=sys.stderr)
            os.chdir(REPO)
            argv = [sys.executable, "-m", "akut_tui"]
    return argv


def prepare_akut(akut: list[str], tmp: Path, timeout: float) -> tuple[list[str], str]:
    """Write a scratch config and create the bench user; return (command, problem)."""
    db = tmp / "akut.db"
    config = tmp / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db}"\n', encoding="utf-8")
    base = [*akut, "--config", str(config)]
    subprocess.run([*base, "init"], capture_output=True, timeout=timeout, check=False)
    add = [*base, "user", "add", AKUT_USER, "--role", AKUT_ROLE, "--password-stdin"]
    try:
        proc = subprocess.run(
            add, input=AKUT_PASSWORD + "\n", capture_output=True, text=True, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return base, f"user add failed: {exc}"
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        return base, f"user add exited {proc.returncode}: {tail[0][:120]}"
    return base, ""


def run_task(task: Task, target: str, command: list[str], opts: argparse.Namespace) -> Outcome:
    build = task.akut if target == "akut" else task.reference
    assert build is not None
    script = build(opts.idle)
    runs: list[RunResult] = []
    for n in range(1, opts.runs + 1):
        t0 = time.monotonic()
        helper = None
        if task.background is not None and target == "akut":
            helper = subprocess.Popen(
                task.background(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        res = measure_run(script, command, opts, n)
        if helper is not None:
            try:
                helper.wait(timeout=opts.timeout)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait()
            if helper.returncode and res.error is None:
                err = helper.stderr.read().decode(errors="replace") if helper.stderr else ""
                res = RunResult(error="n/a (helper failed)", detail=err.strip()[-200:])
            if helper.stderr is not None:
                helper.stderr.close()
        runs.append(res)
        print(
            f"  {task.name:<14} {target:<9} run {n}/{opts.runs}: "
            + (
                f"{res.error} {res.detail}"
                if res.error
                else f"raw {res.raw:g} B, zlib {res.zlib:g} B"
            )
            + f"  [{time.monotonic() - t0:.1f} s]",
            file=sys.stderr,
        )
        if res.error:
            break  # an expected text that did not show will not show next time either
    return Outcome(task.name, target, runs)


# --------------------------------------------------------------------------
# Reporting


def fmt_bytes(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.0f}" if v < 10_000 else f"{v / 1024:,.1f} K"


def fmt_time(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def results_table(outcomes: list[Outcome]) -> list[list[str]]:
    by_key = {(o.task, o.target): o for o in outcomes}
    rows = []
    for o in outcomes:
        task = TASKS[o.task]
        ratio = ""
        if o.target == "akut":
            ref = by_key.get((task.compare_with or task.name, "reference"))
            a, b = o.stat("raw", "median"), ref.stat("raw", "median") if ref else None
            if a is not None and b:
                ratio = f"{a / b:.2f}"
        status = o.status()
        rows.append(
            [
                o.task,
                o.target,
                f"{len(o.ok())}/{len(o.runs)}",
                fmt_bytes(o.stat("raw", "min")) if not status else status,
                fmt_bytes(o.stat("raw", "median")),
                fmt_bytes(o.stat("zlib", "median")),
                fmt_bytes(o.stat("total", "median")),
                fmt_time(o.stat("time", "median")),
                ratio,
                bar_verdict(task, o),
            ]
        )
    return rows


HEADERS = [
    "task",
    "target",
    "runs",
    "raw min B",
    "raw med B",
    "zlib med B",
    "Σ events B",
    "time med s",
    "akut/ref",
    "bar (medians)",
]


def print_table(rows: list[list[str]]) -> None:
    try:
        from tabulate import tabulate
    except ImportError:  # plain fallback
        widths = [max(len(str(x)) for x in col) for col in zip(HEADERS, *rows, strict=False)]
        for line in [HEADERS, *rows]:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)))
        return
    print(
        tabulate(
            rows,
            headers=HEADERS,
            disable_numparse=True,
            colalign=(
                "left",
                "left",
                "right",
                "right",
                "right",
                "right",
                "right",
                "right",
                "right",
                "left",
            ),
        )
    )


def to_json(
    outcomes: list[Outcome], opts: argparse.Namespace, notes: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "terminal": {"cols": 80, "rows": 24, "term": "xterm-256color"},
        "runs": opts.runs,
        "idle_s": opts.idle,
        "notes": notes,
        "tasks": [],
    }
    for o in outcomes:
        task = TASKS[o.task]
        out["tasks"].append(
            {
                "task": o.task,
                "target": o.target,
                "what": task.what,
                "status": o.status() or "ok",
                "raw": {"min": o.stat("raw", "min"), "median": o.stat("raw", "median")},
                "zlib": {"min": o.stat("zlib", "min"), "median": o.stat("zlib", "median")},
                "events_total_raw": {
                    "min": o.stat("total", "min"),
                    "median": o.stat("total", "median"),
                },
                "time_s": {"min": o.stat("time", "min"), "median": o.stat("time", "median")},
                "bars": [{"metric": b.metric, "limit": b.limit} for b in task.bars],
                "verdict": bar_verdict(task, o),
                "runs": [
                    {
                        "raw": r.raw,
                        "zlib": r.zlib,
                        "events_total_raw": r.total,
                        "time_s": r.time,
                        "error": r.error,
                        "detail": r.detail,
                        "phases": r.phases,
                    }
                    for r in o.runs
                ],
            }
        )
    return out


# --------------------------------------------------------------------------
# CLI


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="Measure the terminal bytes of Akut and of a plain Textual reference app.",
        epilog="tasks: " + ", ".join(TASKS),
    )
    p.add_argument("--runs", type=int, default=5, help="runs per task (default 5)")
    p.add_argument("--idle", type=float, default=60.0, help="seconds for idle_* tasks (60)")
    p.add_argument("--only", nargs="+", metavar="TASK", help="run only these tasks")
    p.add_argument("--target", choices=["akut", "reference", "both"], default="both")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument(
        "--akut-cmd",
        default="akut",
        help="command that starts Akut ('akut'); '--config FILE' is appended",
    )
    p.add_argument(
        "--reference-cmd",
        default=f"{shlex.quote(sys.executable)} {shlex.quote(str(REFERENCE_APP))}",
        help="command for the reference app",
    )
    p.add_argument(
        "--timeout", type=float, default=15.0, help="seconds to wait for each expected text (15)"
    )
    p.add_argument(
        "--fail-on-bar", action="store_true", help="exit 1 if an Akut task fails a bar or is n/a"
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show ptymeter's messages")
    return p


def main(argv: list[str] | None = None) -> int:
    opts = make_parser().parse_args(argv)
    IDLE_SECONDS[0] = opts.idle
    if opts.runs < 1:
        raise SystemExit("--runs must be >= 1")
    names = opts.only or list(TASKS)
    unknown = [n for n in names if n not in TASKS]
    if unknown:
        raise SystemExit(f"unknown task(s) {unknown}; known: {', '.join(TASKS)}")
    targets = ["akut", "reference"] if opts.target == "both" else [opts.target]
    notes: dict[str, str] = {}
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="akut-bench-") as tmpdir:
        commands: dict[str, list[str]] = {"reference": shlex.split(opts.reference_cmd)}
        if "akut" in targets and any(TASKS[n].akut for n in names):
            commands["akut"], problem = prepare_akut(
                resolve_akut(opts.akut_cmd), Path(tmpdir), opts.timeout * 4
            )
            if problem:
                notes["akut"] = problem
                print(f"warning: Akut setup: {problem}", file=sys.stderr)
        for target in targets:
            start_failed = ""
            for name in names:
                task = TASKS[name]
                if (task.akut if target == "akut" else task.reference) is None:
                    continue
                if start_failed:
                    outcomes.append(Outcome(name, target, [], note=start_failed))
                    continue
                out = run_task(task, target, commands[target], opts)
                outcomes.append(out)
                if not out.ok() and any(r.not_started for r in out.runs):
                    start_failed = "n/a (did not start)"
    sys.stderr.flush()
    print()
    print(
        "Terminal bytes, 80x24 xterm-256color; per-key/Tab/switch rows are medians of "
        "single events; idle rows are the whole idle window "
        f"({opts.idle:g} s); time = startup: until text; per event: until last write "
        "or expected text."
    )
    for target, problem in notes.items():
        print(f"note: {target}: {problem}")
    print_table(results_table(outcomes))
    if opts.json:
        Path(opts.json).write_text(
            json.dumps(to_json(outcomes, opts, notes), indent=1), encoding="utf-8"
        )
    if opts.fail_on_bar:
        for o in outcomes:
            if o.target == "akut" and (not o.ok() or "FAIL" in bar_verdict(TASKS[o.task], o)):
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
