"""Benchmark: time from the save key to the confirmation, with a large database.

Builds a scratch database with N contacts (default 100,000, with symptoms and
actions like real data), starts Akut in a pseudo-terminal at 80x24 through
``benchmarks/ptymeter.py``, logs in, and repeats the quick log of an
anonymous call (F2, level, symptom, Ctrl+S) R times. For each save it reports
the time from the Ctrl+S key to the moment "Gemt" is on the emulated screen.

    python benchmarks/save_latency.py [--contacts 100000] [--repeats 10]

Bar (issue 3): under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PTYMETER = Path(__file__).resolve().parent / "ptymeter.py"
USER, PASSWORD = "bench", "korrekt hest batteri klips"
BAR_S = 0.100


def _akut() -> list[str]:
    exe = Path(sys.executable).with_name("akut")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "akut_tui"]


def build_database(folder: Path, contacts: int) -> Path:
    """Create config, database, one user and ``contacts`` synthetic contacts."""
    db_path = folder / "akut.db"
    config = folder / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{db_path}"\n'
        "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n",
        encoding="utf-8",
    )
    subprocess.run([*_akut(), "--config", str(config), "init"], check=True, capture_output=True)
    subprocess.run(
        [
            *_akut(),
            "--config",
            str(config),
            "user",
            "add",
            USER,
            "--role",
            "medarbejder",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(ROOT))
    from akut_tui.core.clock import shift_of
    from akut_tui.core.config import ShiftConfig
    from db.database import database, open_database, write_transaction
    from db.models import Contact, ContactValue

    open_database(f"sqlite:///{db_path}")
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(days=5 * 365)
    levels = ["let", "middel", "alvorlig", "ikke_krise", None]
    symptoms = ["angst", "nedtrykt", "ensomhed", "isolation", "uro"]
    batch = 500
    with write_transaction():
        first_id = (Contact.select(Contact.id).order_by(Contact.id.desc()).scalar() or 0) + 1
        for offset in range(0, contacts, batch):
            rows, picks = [], []
            for i in range(offset, min(contacts, offset + batch)):
                moment = start + timedelta(minutes=26 * i)
                shift, day = shift_of(moment, ShiftConfig(), "Europe/Copenhagen")
                rows.append(
                    {
                        "started_at": moment.replace(tzinfo=None),
                        "shift": shift,
                        "shift_date": day,
                        "channel": "telefon",
                        "crisis_level": rng.choice(levels),
                        "duration_min": rng.randint(2, 60),
                        "created_by": 1,
                        "created_at": moment.replace(tzinfo=None),
                    }
                )
                picks.append(
                    {"contact": first_id + i, "list_name": "symptom", "code": rng.choice(symptoms)}
                )
            Contact.insert_many(rows).execute()
            ContactValue.insert_many(picks).execute()
    database.close()
    return config


def measure(config: Path, repeats: int) -> list[float]:
    """Run the quick log ``repeats`` times; return seconds from Ctrl+S to "Gemt"."""
    steps = [
        f"keys:{USER}",
        "key:tab",
        f"keys:{PASSWORD}",
        "key:enter",
        "text:Logget ind som",
        "settle:0.5,5",
    ]
    for _ in range(repeats):
        steps += [
            "key:f2",
            "text:HURTIG REGISTRERING",
            "keys:2a",
            "settle:0.3,3",
            "delay:0",
            "key:ctrl+s",
            "text:Gemt: nr.",
            "delay:0.1",
            "settle:0.3,3",
        ]
    cmd = [
        sys.executable,
        str(PTYMETER),
        "-q",
        "--json",
        "--wait-text",
        "Brugernavn",
        "--quit",
        "ctrl+q",
        "--timeout",
        "300",
    ]
    for step in steps:
        cmd += ["-s", step]
    cmd += ["--", *_akut(), "--config", str(config)]
    env = {**os.environ, "TERM": "xterm-256color"}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    report = json.loads(out.stdout)
    run = report["runs"][0] if "runs" in report else report
    return [
        s["since_input_s"]
        for s in run["steps"]
        if s["step"].startswith("text:Gemt") and s.get("ok")
    ]


def main() -> int:
    """Build, measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="akut-bench-") as tmp:
        t0 = time.perf_counter()
        config = build_database(Path(tmp), args.contacts)
        built = time.perf_counter() - t0
        times = measure(config, args.repeats)
    if not times:
        print("no save confirmation seen", file=sys.stderr)
        return 1
    ms = sorted(t * 1000 for t in times)
    median = statistics.median(ms)
    print(f"database: {args.contacts:,} contacts (built in {built:.1f} s); 80x24 xterm-256color")
    print(
        f"save key -> 'Gemt' on screen, {len(ms)} saves: min {ms[0]:.1f} ms, "
        f"median {median:.1f} ms, max {ms[-1]:.1f} ms"
    )
    verdict = "PASS" if median < BAR_S * 1000 else "FAIL"
    print(f"bar: median < {BAR_S * 1000:.0f} ms -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
