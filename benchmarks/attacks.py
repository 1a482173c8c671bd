"""Run every attack benchmark of the security review and print their tables.

Each ``attacks_*.py`` beside this file attacks one area (the record: purge,
backup and restore; leaks: export files, CPR detector, login timing; the
night limit) through the real command line on SQLite and, where the server
binaries are installed, on a throwaway PostgreSQL server, and prints a table
``attack | sqlite | postgresql`` with held/failed. This script runs them in
turn and exits non-zero if any attack was not held.

    python benchmarks/attacks.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ("attacks_record.py", "attacks_leaks.py", "attacks_night.py")


def main() -> int:
    """Run each part; return 1 if any part failed or reported a failed attack."""
    worst = 0
    for name in PARTS:
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], check=False)
        worst = max(worst, 1 if result.returncode else 0)
        print(flush=True)
    print("alle angreb holdt" if worst == 0 else "mindst et angreb holdt ikke")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
