"""Attacks of issue 15 §1, §2 and §8 (purge, restore, audit crashes): held or failed.

Runs every scenario of ``tests/record_attacks.py`` through the real ``akut``
command line (subprocesses) against real files: on SQLite in a temporary
folder, and on PostgreSQL in a new database of a throwaway server (started
the way ``tests/pg.py`` starts one, removed at the end). Prints one table::

    attack | sqlite | postgresql

``held`` means the defence worked (the attack was refused or named),
``failed`` that it did not; ``n/a`` marks attacks that cannot be made on
that backend (PostgreSQL keeps typed times and valid UTF-8 only, and is
backed up with pg_dump/pg_restore, not ``akut backup``/``akut restore``).

    python benchmarks/attacks_record.py               # both backends (about 1-2 min)
    python benchmarks/attacks_record.py --no-postgres # SQLite only
    python benchmarks/attacks_record.py --verbose     # also what each attack saw

Exit code 1 if any attack was not held.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402

from tests import record_attacks  # noqa: E402
from tests.pg import PgServer, PgUnavailable, start_server  # noqa: E402


def _run(name: str, backend: str, server: PgServer | None, counter: itertools.count[int]) -> str:
    scenario = {**record_attacks.SHARED, **record_attacks.SQLITE_ONLY}[name]
    if backend == "postgresql" and name not in record_attacks.SHARED:
        return "n/a"
    if backend == "postgresql" and server is None:
        return "skipped"
    with tempfile.TemporaryDirectory(prefix="akut-attack-") as folder:
        url = None
        if server is not None and backend == "postgresql":
            url = server.create_database(f"akut_attack_{next(counter)}")
        inst = record_attacks.make_install(Path(folder) / "site", url)
        started = time.monotonic()
        try:
            outcome = scenario(inst)
        except Exception as exc:  # a crash is a failed defence, never a held one
            outcome = record_attacks.Outcome(False, f"{type(exc).__name__}: {exc}")
        took = time.monotonic() - started
    result = "held" if outcome.held else "failed"
    if VERBOSE:
        print(f"  {backend:10} {name}: {result} in {took:.1f} s: {outcome.detail}", flush=True)
    return result


VERBOSE = False


def main() -> int:
    """Run every attack on both backends and print the table."""
    global VERBOSE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--verbose", action="store_true", help="print what each attack saw")
    args = parser.parse_args()
    VERBOSE = args.verbose
    server: PgServer | None = None
    note = ""
    if not args.no_postgres:
        try:
            server = start_server()
        except PgUnavailable as exc:
            note = f"PostgreSQL skipped: {exc}"
    counter = itertools.count(1)
    names = list(record_attacks.SHARED) + list(record_attacks.SQLITE_ONLY)
    rows = []
    started = time.monotonic()
    try:
        for name in names:
            rows.append(
                [
                    name,
                    _run(name, "sqlite", None, counter),
                    _run(name, "postgresql", server, counter),
                ]
            )
    finally:
        if server is not None:
            server.stop()
    print(tabulate(rows, headers=["attack", "sqlite", "postgresql"], tablefmt="github"))
    if note:
        print(note)
    failed = sum(row.count("failed") for row in rows)
    held = sum(row.count("held") for row in rows)
    print(f"{held} held, {failed} failed, in {time.monotonic() - started:.0f} s.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
