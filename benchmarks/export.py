"""Benchmark: a full JSON export over 1,000,000 contacts (issue 10; bar < 5 s and < 300 MB).

Builds a database with ``--contacts`` contacts spread over ten years (2016-2025),
each with one to three symptoms and one or two actions, half of them linked to
one of 20,000 persons, through the real schema (``open_runtime`` creates it with
the statistics indexes). Then it times ``akut export --format json`` for one
year and for everything, each in a fresh process, and reports wall time and the
child's peak resident memory: once cold (the year cache of closed years emptied first,
db.stats_cache) and ``--repeat`` times warm (the cache filled by the cold run). Usage::

    python benchmarks/export.py                 # 1,000,000 contacts in a temp folder
    python benchmarks/export.py --contacts 100000 --keep /tmp/akut-bench
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLUMNS = (
    "started_at, shift, shift_date, contact_type, channel, caller, partner_type, anonymous, "
    "person_id, cpr_status, home_municipality, housing, gender, age_band, crisis_level, "
    "crisis_conversation, conversation, crisis_plan, progression_goal, followup_wanted, "
    "duration_min, coordination_needed, stabilisation, under18_notified, flag_suicidal, "
    "flag_self_harm, flag_influence, flag_threatening, locked, created_by_id, created_at"
)
SYMPTOMS = ("angst", "nedtrykt", "ensomhed", "isolation", "panikanfald", "selvmordstanker", "uro")
ACTIONS = ("ingen_tiltag", "ny_samtale", "opfordret_fremmoede", "opfordret_netvaerk", "laege")


def build(folder: Path, contacts: int, seed: int = 1) -> Path:
    """Create the database under ``folder`` and fill it; return the config file path."""
    from akut_tui.core.clock import shift_of
    from akut_tui.core.config import ShiftConfig
    from akut_tui.services.startup.opening import open_runtime
    from db.database import database
    from tests.conftest import cheap_hasher, make_config

    open_runtime(make_config(folder), hasher=cheap_hasher())
    database.close()
    rnd = random.Random(seed)
    con = sqlite3.connect(folder / "akut.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "INSERT INTO user (username, display_name, role, password_hash, active, failed_count, "
        "created_at, must_change_password) VALUES ('bench', '', 'leder', '!', 0, 0, "
        "'2016-01-01 00:00:00', 0)"
    )
    user = con.execute("SELECT id FROM user WHERE username = 'bench'").fetchone()[0]
    con.executemany(
        "INSERT INTO person (nickname, gender, special_attention, created_at) "
        "VALUES (?, 'ikke_registreret', 0, '2016-01-01 00:00:00')",
        [(f"P{i}",) for i in range(20000)],
    )
    start = datetime(2016, 1, 1, tzinfo=UTC)
    step = (datetime(2026, 1, 1, tzinfo=UTC) - start) / contacts
    shifts = ShiftConfig()
    channels = ["telefon"] * 83 + ["fremmoede"] * 15 + ["virtuel"] * 2
    levels = ["let"] * 41 + ["middel"] * 20 + ["alvorlig"] * 6 + ["ikke_krise"] * 10 + [None] * 23
    frequent = list(range(1, 6))

    def rows():  # type: ignore[no-untyped-def]
        for i in range(contacts):
            at = start + step * i
            shift, day = shift_of(at, shifts, "Europe/Copenhagen")
            kind = "krise" if rnd.random() < 0.93 else "stille_opkald"
            draw = rnd.random()
            person = (
                rnd.choice(frequent)
                if draw < 0.2
                else rnd.randint(6, 20000)
                if draw < 0.5
                else None
            )
            caller = "borger" if rnd.random() < 0.97 else "paaroerende"
            yield (
                at.strftime("%Y-%m-%d %H:%M:%S"),
                shift,
                day.isoformat(),
                kind,
                rnd.choice(channels),
                caller,
                None,
                person is None,
                person,
                "anonym" if person is None else "ikke_relevant",
                "791" if rnd.random() < 0.9 else "740",
                "ukendt",
                rnd.choice(("mand", "kvinde", "ikke_registreret")),
                rnd.choice(("25_34", "35_44", "45_54", "ukendt")),
                rnd.choice(levels) if kind == "krise" else None,
                1,
                rnd.choice(("ja", "ja", "nej", "ikke_registreret")),
                0,
                0,
                rnd.random() < 0.1,
                rnd.randint(3, 60),
                0,
                rnd.choice(("stabiliseret", "delvist_stabiliseret", None)),
                0,
                0,
                0,
                0,
                0,
                0,
                user,
                at.strftime("%Y-%m-%d %H:%M:%S"),
            )

    marks = ", ".join("?" for _ in COLUMNS.split(","))
    con.executemany(f"INSERT INTO contact ({COLUMNS}) VALUES ({marks})", rows())  # noqa: S608

    def picks():  # type: ignore[no-untyped-def]
        for contact in range(1, contacts + 1):
            for code in rnd.sample(SYMPTOMS, rnd.randint(1, 3)):
                yield contact, "symptom", code
            for code in rnd.sample(ACTIONS, rnd.randint(1, 2)):
                yield contact, "action", code

    con.executemany(
        "INSERT INTO contact_value (contact_id, list_name, code) VALUES (?, ?, ?)", picks()
    )
    con.commit()
    con.close()
    config = folder / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder / "akut.db"}"\n', encoding="utf-8")
    return config


def prepare(config: Path) -> None:
    """Bring a reused database up to date as the app's start does (untimed): the upgrade
    creates any statistics index a newer Akut added (db.stats_indexes)."""
    code = (
        "import sys; from pathlib import Path; from akut_tui.core.config import load_config; "
        "from akut_tui.services.startup.opening import open_runtime; "
        "from tests.conftest import cheap_hasher; "
        "open_runtime(load_config(Path(sys.argv[1])), hasher=cheap_hasher())"
    )
    subprocess.run([sys.executable, "-c", code, str(config)], check=True, cwd=ROOT)


def forget_cache(config: Path) -> None:
    """Empty the year cache (db.stats_cache) of the benchmark database: the next count is cold."""
    url = tomllib.loads(config.read_text())["database"]["url"]
    con = sqlite3.connect(url.removeprefix("sqlite:///"))  # the database the config names
    with con:
        kept = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'stats_cache'").fetchone()
        if kept:  # a kept database from before schema 18 has no cache yet: cold anyway
            con.execute("DELETE FROM stats_cache")
    con.close()


def run_export(config: Path, period: str) -> tuple[float, float, int, float]:
    """Run one export in a fresh process; return (seconds, peak MB, bytes of JSON, CPU s).

    The CPU seconds (user + system of the child) vary far less than the wall
    time on a machine shared with other work.
    """
    out = config.parent / f"export-{period}.json"
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "akut_tui",
            "--config",
            str(config),
            "export",
            "--period",
            period,
            "--format",
            "json",
            "--out",
            str(out),
            "--force",  # the previous run's file is replaced
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    # ru_maxrss of children is the largest child so far; the runs only grow in size.
    return seconds, max(usage.ru_maxrss, before) / 1024, out.stat().st_size, cpu


def main() -> int:
    """Build (or reuse) the database, time the exports and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="folder to build in and keep (reused if present)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per period (best is reported)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="akut-export-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    if not config.exists():
        started = time.perf_counter()
        config = build(folder, args.contacts)
        print(f"built {args.contacts:,} contacts in {time.perf_counter() - started:.1f} s")
    prepare(config)
    size = (folder / "akut.db").stat().st_size / 1e6
    print(f"database: {size:.0f} MB at {folder}")
    print(f"{'export':<34}{'best s':>8}{'worst s':>9}{'CPU s':>8}{'peak MB':>9}{'JSON KB':>9}")
    for label, period in (("one year (2020)", "2020"), ("everything (2016-2025)", "all")):
        forget_cache(config)  # cold: the closed years are counted and stored
        cold = [run_export(config, period)]
        warm = [run_export(config, period) for _ in range(args.repeat)]
        for kind, runs in (("cold", cold), ("warm", warm)):
            times = [r[0] for r in runs]
            cpu = min(r[3] for r in runs)
            print(
                f"{label + ', ' + kind:<34}{min(times):>8.2f}{max(times):>9.2f}{cpu:>8.2f}"
                f"{runs[-1][1]:>9.0f}{runs[-1][2] / 1024:>9.0f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
