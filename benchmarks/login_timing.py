"""Benchmark: the first login attempt of a fresh process takes the same time for any name.

Issue 15 §7: every SSH session is a fresh process, and the dummy hash that unknown,
disabled and locked accounts are checked against was computed on first use, so
their first attempt took one argon2 hash longer than an existing user's. Start-up
now computes it before a login goes through (``auth.prepare_login``).

For each round, each kind of name (existing user with a wrong password, unknown
name, disabled account, locked account) gets one fresh Python process that opens
the database, prepares as the TUI start-up does, and times its first and only
login attempt. The configured argon2 (t=3, 64 MiB, p=4) is used. Prints the median
per kind and its difference from the existing user's (bar: within 10 %), and the
same figures with the preparation skipped (how it was before).

    python benchmarks/login_timing.py               # 11 rounds
    python benchmarks/login_timing.py --rounds 25
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402

WRONG = "forkert gæt på adgangskoden"
KINDS = {"eksisterende": "bench", "ukendt": "findesikke", "deaktiveret": "sov", "låst": "laast"}


def child(cfg: str, name: str, prepare: bool) -> None:
    """Open the database as the TUI does, then time one login attempt; print seconds."""
    import time

    from akut_tui.core.config import load_config
    from akut_tui.core.errors import LoginFailed
    from akut_tui.services.accounts import auth
    from akut_tui.services.base.value_lists import load_value_lists
    from akut_tui.services.startup.opening import open_runtime

    rt = open_runtime(load_config(Path(cfg)), create=False)
    if prepare:
        auth.prepare_login(rt)  # what akut_tui.tui.startup does before a login goes through
    load_value_lists(rt)
    auth.has_users()
    started = time.perf_counter()
    try:
        auth.login(rt, name, WRONG)
    except LoginFailed:
        pass
    print(f"{time.perf_counter() - started:.6f}")


def _setup(folder: Path) -> Path:
    """A database with the four kinds of account, the configured (real) argon2."""
    from akut_tui.core.config import load_config
    from akut_tui.core.errors import LoginFailed
    from akut_tui.services.accounts import auth
    from akut_tui.services.accounts import users as accounts
    from akut_tui.services.startup.opening import open_runtime
    from db.database import database

    cfg = folder / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{folder / "akut.db"}"\n', encoding="utf-8")
    rt = open_runtime(load_config(cfg), create=True)
    for name in ("bench", "sov", "laast"):
        accounts.create_user(rt, name, "korrekt hest batteri klips", "medarbejder", actor=None)
    accounts.set_active(rt, None, "sov", False)
    for _ in range(5):
        try:
            auth.login(rt, "laast", WRONG)
        except LoginFailed:
            pass
    database.close()
    return cfg


def _unlock(cfg: Path) -> None:
    """Clear the existing user's failures so its attempts stay plain wrong guesses."""
    from akut_tui.core.config import load_config
    from akut_tui.services.accounts import users as accounts
    from akut_tui.services.startup.opening import open_runtime
    from db.database import database

    accounts.unlock_user(open_runtime(load_config(cfg), create=False), None, "bench")
    database.close()


def _run(cfg: Path, name: str, prepare: bool) -> float:
    argv = [sys.executable, __file__, "--child", str(cfg), name]
    if not prepare:
        argv.append("--cold")
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--child", nargs=2, metavar=("CFG", "NAME"), help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], prepare=not args.cold)
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = _setup(Path(tmp))
        for prepare in (True, False):
            times: dict[str, list[float]] = {kind: [] for kind in KINDS}
            for _ in range(args.rounds):
                for kind, name in KINDS.items():
                    if kind == "eksisterende":
                        _unlock(cfg)
                    times[kind].append(_run(cfg, name, prepare))
            base = statistics.median(times["eksisterende"])
            for kind, values in times.items():
                median = statistics.median(values)
                diff = 100.0 * (median - base) / base
                held = "" if kind == "eksisterende" else ("held" if abs(diff) <= 10 else "failed")
                rows.append(
                    [
                        "forberedt (nu)" if prepare else "ikke forberedt (før)",
                        kind,
                        f"{median * 1000:.0f} ms",
                        f"{min(values) * 1000:.0f}-{max(values) * 1000:.0f} ms",
                        "" if kind == "eksisterende" else f"{diff:+.1f} %",
                        held,
                    ]
                )
    print(f"First login attempt per fresh process, {args.rounds} processes per kind:")
    headers = ["start-up", "name", "median", "range", "vs existing", "within 10 %"]
    print(tabulate(rows, headers=headers))
    print(f"command: python benchmarks/login_timing.py --rounds {args.rounds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
