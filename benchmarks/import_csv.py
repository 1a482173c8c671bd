"""Benchmark: ``akut import`` of 100,000 rows (issue 10; bar < 30 s).

Writes a 100,000-row file (every column in use, a few hundred pseudonyms and
CPR numbers), then times ``akut import`` in a fresh process on a fresh database.
Usage: ``python benchmarks/import_csv.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "started_at;channel;caller;partner_type;crisis_level;duration_min;pseudonym;birth_year;cpr;"
    "municipality;symptoms;events;actions;stabilisation;crisis_conversation;followup_wanted;note"
)


def write_file(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` valid contacts spread over 2016-2019."""
    rnd = random.Random(seed)
    lines = [HEADER]
    for i in range(rows):
        day = f"{2016 + i * 4 // rows}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        caller = rnd.choice(["borger"] * 18 + ["paaroerende", "samarbejdspartner"])
        partner = "politi" if caller == "samarbejdspartner" else ""
        who = rnd.random()
        nick = f"P{rnd.randint(1, 400)}" if who < 0.3 else ""
        born = f"{rnd.randint(1, 28):02d}{rnd.randint(1, 12):02d}{rnd.randint(50, 99)}"
        cpr = f"{born}{rnd.randint(0, 3)}{rnd.randint(100, 999)}" if who > 0.9 else ""
        lines.append(
            ";".join(
                [
                    f"{day} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}",
                    rnd.choice(["telefon"] * 8 + ["fremmoede", "virtuel"]),
                    caller,
                    partner,
                    rnd.choice(["let", "middel", "alvorlig", "ikke_krise", ""]),
                    str(rnd.randint(1, 90)),
                    nick,
                    "1980" if nick else "",
                    cpr,
                    rnd.choice(["791", "740", "ukendt"]),
                    "|".join(
                        rnd.sample(["angst", "nedtrykt", "ensomhed", "uro"], rnd.randint(0, 2))
                    ),
                    rnd.choice(["", "tab_sorg", "paaroerendeproblematik"]),
                    rnd.choice(["ingen_tiltag", "ny_samtale|opfordret_netvaerk"]),
                    rnd.choice(["", "stabiliseret", "delvist_stabiliseret"]),
                    "1",
                    rnd.choice(["0", "0", "1"]),
                    "kort note" if i % 50 == 0 else "",
                ]
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    """Time the import and print one line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="akut-import-bench-"))
    config = folder / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder / "akut.db"}"\n', encoding="utf-8")
    data = folder / "historik.csv"
    write_file(data, args.rows)
    akut = [sys.executable, "-m", "akut_tui", "--config", str(config)]
    subprocess.run([*akut, "init"], check=True, cwd=ROOT, capture_output=True)
    started = time.perf_counter()
    result = subprocess.run(
        [*akut, "import", str(data)], check=True, cwd=ROOT, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip())
    print(f"{'rows':>8}{'seconds':>9}{'rows/s':>9}{'peak MB':>9}")
    print(f"{args.rows:>8}{seconds:>9.1f}{args.rows / seconds:>9.0f}{peak:>9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
