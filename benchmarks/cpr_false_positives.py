"""Benchmark: the CPR detector's false-positive rate on realistic Danish notes (issue 15 §6).

Reads ``tests/data/cpr_false_positive_notes.txt`` (1,000 crisis-service notes with
phone numbers in five spellings, dates with two- and four-digit years, clock times,
amounts in kroner; none holds a CPR number), runs :func:`akut_tui.core.cprscan.find_cpr`
on each note, and prints how many were flagged, the rate, the flagged notes, and
the time per note. Usage: ``python benchmarks/cpr_false_positives.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akut_tui.core.cprscan import find_cpr  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "cpr_false_positive_notes.txt"


def main() -> int:
    """Print the false-positive figure for the corpus; exit 0."""
    notes = [
        line.rstrip("\n")
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    started = time.perf_counter()
    flagged = [note for note in notes if find_cpr(note)]
    elapsed = time.perf_counter() - started
    rate = 100.0 * len(flagged) / len(notes)
    print(f"corpus: {CORPUS.relative_to(ROOT)} ({len(notes)} notes)")
    print(f"false positives: {len(flagged)} of {len(notes)} notes ({rate:.1f} %)")
    print(f"detector time: {1e6 * elapsed / len(notes):.0f} µs per note")
    for note in flagged:
        print(f"  flagged: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
