"""Benchmark: the figures of issue 11 (docs/security.md rows 3, 4, 5, 8, 9, 27).

Prints one table: crash kills and losses, login-storm time, backup and
restore-check time for a database of N contacts, purge time, and (with
``--soak``) the -wal size over time. Every figure is measured on this machine
when the script runs; nothing is copied from elsewhere.

    python benchmarks/security.py                   # all sections, full size (about 6 min)
    python benchmarks/security.py --kills 20 --contacts 10000   # quick look
    python benchmarks/security.py --only storm backup
    python benchmarks/security.py --only soak --soak 10         # -wal size for 10 min
    python benchmarks/security.py --only timing                 # wrong password vs locked

Bars: 200 kills with 0 lost / 0 half / integrity and chain ok every time;
25 logins < 5 s with the configured argon2 (t=3, 64 MiB, p=4) and hash cap 4,
RSS per session < 150 MB; -wal < 64 MB; a locked account answers in about
the time of a wrong password.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402

USER, PASSWORD = "bench", "korrekt hest batteri klips"
CHEAP = "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n"
ROWS: list[list[str]] = []


def _akut(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "akut_tui", *args],
        input=stdin,
        text=True,
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=_env(),
    )


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))}
    env["AKUT_ERROR_LOG"] = os.path.join(tempfile.gettempdir(), "akut-bench-errors.log")
    return env


def _install(folder: Path, cheap: bool) -> Path:
    """``akut init`` and one user; return the config file."""
    cfg = folder / "config.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{folder / "akut.db"}"\n' + (CHEAP if cheap else ""),
        encoding="utf-8",
    )
    _akut("--config", str(cfg), "init")
    _akut(
        "--config",
        str(cfg),
        "user",
        "add",
        USER,
        "--role",
        "medarbejder",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    return cfg


def _row(figure: str, value: str, bar: str, command: str) -> None:
    ROWS.append([figure, value, bar, command])
    print(f"  {figure}: {value}", flush=True)


# --- crash -----------------------------------------------------------------------------


def crash(kills: int) -> None:
    """SIGKILL a writer of 2-row transactions ``kills`` times; check after every kill."""
    from akut_tui.core.key_files import load_keys
    from akut_tui.services.audit.trail import verify_chain
    from db.database import database, open_database

    writer_script = ROOT / "tests" / "integration" / "crash_writer.py"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _install(folder, cheap=True)
        db_file = folder / "akut.db"
        key = load_keys(folder).audit
        rng = random.Random(20261120)
        acked: set[int] = set()
        half = bad_integrity = bad_chain = 0
        started = time.monotonic()
        for _ in range(kills):
            out = folder / "writer.out"
            with open(out, "wb") as stdout:
                proc = subprocess.Popen(
                    [sys.executable, str(writer_script), str(cfg), "1"],
                    stdout=stdout,
                    stderr=subprocess.DEVNULL,
                    env=_env(),
                )
            while out.stat().st_size == 0:
                if proc.poll() is not None:
                    raise SystemExit(f"writer exited early ({proc.returncode})")
                time.sleep(0.01)
            time.sleep(rng.uniform(0.05, 0.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            acked.update(int(x) for x in out.read_text().split("\n")[:-1])
            con = sqlite3.connect(db_file)
            if con.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                bad_integrity += 1
            notes = {r[0] for r in con.execute("SELECT id FROM handover_note")}
            events = con.execute(
                "SELECT count(*) FROM audit_event WHERE action = 'handover.create'"
            ).fetchone()[0]
            con.close()
            half += int(len(notes) != events)
            open_database(f"sqlite:///{db_file}", create=False)
            bad_chain += int(not verify_chain(key).ok)
            database.close()
        lost = len(acked - notes)
        took = time.monotonic() - started
    cmd = f"python benchmarks/security.py --only crash --kills {kills}"
    _row("crash: SIGKILLs during 2-row transactions", str(kills), "200", cmd)
    _row("crash: acknowledged commits", str(len(acked)), "-", cmd)
    _row("crash: lost acknowledged commits", str(lost), "0", cmd)
    _row("crash: half transactions (checked after every kill)", str(half), "0", cmd)
    _row(
        "crash: integrity_check failures / chain failures",
        f"{bad_integrity} / {bad_chain}",
        "0 / 0",
        cmd,
    )
    _row("crash: wall time", f"{took:.0f} s", "-", cmd)


# --- login storm -----------------------------------------------------------------------


def storm(processes: int, rounds: int) -> None:
    """``processes`` logins released at once, with the configured (default) argon2."""
    from akut_tui.core.config import SecurityConfig
    from tests.security.pool import LoginPool

    sec = SecurityConfig()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _install(folder, cheap=False)
        names = [f"vagt{n:02d}" for n in range(processes)]  # a shift change
        for name in names:
            _akut(
                "--config",
                str(cfg),
                "user",
                "add",
                name,
                "--role",
                "medarbejder",
                "--password-stdin",
                stdin=PASSWORD + "\n",
            )
        pool = LoginPool(cfg, folder / "pool", names, processes, rounds, fork=False)
        times, worst, oks = [], 0.0, 0
        try:
            for number in range(rounds):
                results = pool.run_round(number, [PASSWORD] * processes)
                times.append(pool.elapsed)
                worst = max(worst, *(t for _, t in results))
                oks += sum(r == "ok" for r, _ in results)
        finally:
            pool.close()
    cmd = f"python benchmarks/security.py --only storm --storm {processes}"
    params = (
        f"t={sec.argon2_time_cost}, {sec.argon2_memory_kib // 1024} MiB, p={sec.argon2_parallelism}"
    )
    _row(
        f"storm: {processes} simultaneous logins, all done ({params}, cap "
        f"{sec.max_parallel_hashes}); best / worst of {rounds}",
        f"{min(times):.2f} s / {max(times):.2f} s",
        "< 5 s",
        cmd,
    )
    _row("storm: slowest single login", f"{worst:.2f} s", "-", cmd)
    _row("storm: logins accepted", f"{oks} of {processes * rounds}", "all", cmd)
    _row(
        "storm: peak RSS of a login process (services, no TUI)",
        f"{pool.peak_rss_mb:.0f} MB",
        "< 150 MB",
        cmd,
    )


def lockout_timing(attempts: int) -> None:
    """Median time of a wrong password vs. an attempt on a locked account (real argon2)."""
    import statistics

    from akut_tui.core.config import load_config
    from akut_tui.core.errors import LoginFailed
    from akut_tui.services.accounts import auth
    from akut_tui.services.accounts import users as accounts
    from akut_tui.services.startup.opening import open_runtime
    from db.database import database

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _install(folder, cheap=False)
        rt = open_runtime(load_config(cfg), create=False)
        wrong, locked = [], []
        for _ in range(attempts):
            for bucket in (wrong, locked):
                if bucket is wrong:
                    accounts.unlock_user(rt, None, USER)  # a fresh account: a plain wrong guess
                else:
                    for _ in range(5):  # five more failures: now it is locked
                        try:
                            auth.login(rt, USER, "forkert forkert forkert")
                        except LoginFailed:
                            pass
                t0 = time.perf_counter()
                try:
                    auth.login(rt, USER, "forkert gæt")
                except LoginFailed:
                    pass
                bucket.append(time.perf_counter() - t0)
        database.close()
    cmd = f"python benchmarks/security.py --only timing --timing {attempts}"
    _row(
        f"lockout: median time, wrong password / locked account ({attempts} each)",
        f"{statistics.median(wrong) * 1000:.0f} ms / {statistics.median(locked) * 1000:.0f} ms",
        "similar",
        cmd,
    )


# --- backup, restore, purge ------------------------------------------------------------


def backup_and_purge(contacts: int) -> None:
    """Time backup, restore check and purge on a database of ``contacts`` contacts."""
    from security_data import build

    from akut_tui.cli.commands.restore import check_copy
    from akut_tui.core.config import load_config
    from akut_tui.core.key_files import load_keys
    from akut_tui.services.audit.retention import purge
    from akut_tui.services.startup.opening import open_runtime
    from db.backup import vacuum_into
    from db.database import database

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.monotonic()
        cfg = build(folder, contacts, _install(folder, cheap=True))
        built = time.monotonic() - t0
        size = (folder / "akut.db").stat().st_size / 1e6
        t0 = time.monotonic()
        vacuum_into(folder / "akut.db", folder / "copy.db")
        backup_s = time.monotonic() - t0
        t0 = time.monotonic()
        problem = check_copy(folder / "copy.db", folder, load_keys(folder).audit)
        check_s = time.monotonic() - t0
        assert problem == "", problem
        rt = open_runtime(load_config(cfg), create=False)
        t0 = time.monotonic()
        report = purge(rt)
        purge_s = time.monotonic() - t0
        database.close()
    cmd = f"python benchmarks/security.py --only backup --contacts {contacts}"
    _row(
        f"data: {contacts:,} contacts + {contacts:,} audit events (build {built:.0f} s)",
        f"{size:.0f} MB",
        "-",
        cmd,
    )
    _row("backup (VACUUM INTO, consistent copy)", f"{backup_s:.2f} s", "-", cmd)
    _row("restore check of the copy (integrity + chain)", f"{check_s:.2f} s", "-", cmd)
    _row(
        f"purge: {report.total:,} rows (notes, CPR, audit...) + VACUUM + checkpoint",
        f"{purge_s:.2f} s",
        "-",
        cmd,
    )


# --- soak ------------------------------------------------------------------------------


def soak(minutes: float, writers: int, readers: int) -> None:
    """Writers every 2 s and idle sessions; print the -wal size every 10 s."""
    writer_script = ROOT / "benchmarks" / "soak_session.py"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _install(folder, cheap=True)
        wal = folder / "akut.db-wal"
        procs = [
            subprocess.Popen([sys.executable, str(writer_script), str(cfg), role], env=_env())
            for role in ["write"] * writers + ["idle"] * readers
        ]
        peak = 0
        try:
            end = time.monotonic() + minutes * 60
            while time.monotonic() < end:
                time.sleep(10)
                size = wal.stat().st_size if wal.exists() else 0
                peak = max(peak, size)
                print(f"  {time.strftime('%H:%M:%S')} -wal {size / 1e6:.2f} MB", flush=True)
        finally:
            for proc in procs:
                proc.kill()
                proc.wait()
    cmd = f"python benchmarks/security.py --only soak --soak {minutes:g}"
    _row(
        f"soak: peak -wal over {minutes:g} min ({writers} writers, {readers} idle sessions)",
        f"{peak / 1e6:.2f} MB",
        "< 64 MB",
        cmd,
    )


def main() -> None:
    """Run the chosen sections and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["crash", "storm", "timing", "backup", "soak"],
        default=["crash", "storm", "timing", "backup"],
    )
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--storm", type=int, default=25)
    parser.add_argument("--storm-rounds", type=int, default=3)
    parser.add_argument("--timing", type=int, default=10, help="attempts of each kind")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--soak", type=float, default=5.0, help="minutes")
    parser.add_argument("--soak-writers", type=int, default=5)
    parser.add_argument("--soak-idle", type=int, default=10)
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}"
    )
    if "crash" in args.only:
        crash(args.kills)
    if "storm" in args.only:
        storm(args.storm, args.storm_rounds)
    if "timing" in args.only:
        lockout_timing(args.timing)
    if "backup" in args.only:
        backup_and_purge(args.contacts)
    if "soak" in args.only:
        soak(args.soak, args.soak_writers, args.soak_idle)
    print()
    print(tabulate(ROWS, headers=["Figure", "Measured", "Bar", "Reproduce"]))


if __name__ == "__main__":
    main()
