"""Benchmark: the statistics screen's figures for a year and for ``all`` (issue 16 §3; bar 3 s).

Reuses (or builds) the database of ``benchmarks/export.py`` (1,000,000 contacts over
2016-2025), then, in a fresh process per run, opens the runtime and computes what
the statistics screen shows after Enter (:func:`akut_tui.services.statistics.compute.compute` on
the typed period, the call ``view_statistics`` makes after its permission check),
joint suppression over the calendar grid included. Prints wall time per run and the
child's peak memory, cold (the year cache emptied first: every closed year counted and
stored) and warm (the figures a user meets on the second and later opens; ``--repeat``
runs). The screen runs this in a thread worker, so keys keep working
meanwhile (tests/ui/test_statistics_ui.py checks that). Usage::

    python benchmarks/stats_screen.py --keep /tmp/akut-bench            # reuse export.py's
    python benchmarks/stats_screen.py --contacts 100000 --keep /tmp/small
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import sys, time
from akut_tui.core.config import load_config
from akut_tui.services.startup.opening import open_runtime
from akut_tui.services.statistics.compute import compute, resolve_period
from datetime import UTC, datetime
from pathlib import Path
config = load_config(Path(sys.argv[1]))
today = datetime.fromisoformat(sys.argv[3]).replace(hour=12, tzinfo=UTC) if sys.argv[3] else None
rt = open_runtime(config, create=False, **({"now": lambda: today} if today else {}))
started, cpu = time.perf_counter(), time.process_time()
report = compute(rt, resolve_period(rt, sys.argv[2]))
print(f"{time.perf_counter() - started:.3f} {time.process_time() - cpu:.3f} "
      f"{report.table('contacts').denominator}")
"""


REFRESH = """
import sys, time
from akut_tui.core.config import load_config
from akut_tui.services.startup.opening import open_runtime
from akut_tui.services.statistics.refresh import refresh_closed_years
from datetime import UTC, datetime
from pathlib import Path
config = load_config(Path(sys.argv[1]))
today = datetime.fromisoformat(sys.argv[2]).replace(hour=12, tzinfo=UTC) if sys.argv[2] else None
rt = open_runtime(config, create=False, **({"now": lambda: today} if today else {}))
cpu = time.process_time()
result = refresh_closed_years(rt)
print(f"{result.seconds:.3f} {time.process_time() - cpu:.3f} {len(result.counted)}")
"""
"""What ``akut refresh-stats`` does (the nightly timer's, or ``akut import``'s, ``purge``'s and
``init``'s last step), with the benchmark's date."""


def run_refresh(config: Path, today: str = "") -> tuple[float, float, int]:
    """Refresh the closed years in a fresh process: (seconds, CPU s, years counted)."""
    done = subprocess.run(
        [sys.executable, "-c", REFRESH, str(config), today],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds, cpu, counted = done.stdout.split()[:3]
    return float(seconds), float(cpu), int(counted)


def edit_one_contact(config: Path, year: int) -> None:
    """Change one contact of mid-``year`` as a correction would (its month's figures are
    out of date: the database triggers drop that year's stored figures)."""
    url = tomllib.loads(config.read_text())["database"]["url"]
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    with con:
        con.execute(
            "UPDATE contact SET crisis_level = crisis_level WHERE id = "
            "(SELECT min(id) FROM contact WHERE started_at >= ?)",
            (f"{year}-06-01",),
        )
    con.close()


def run_screen(config: Path, period: str, today: str = "") -> tuple[float, float, float, float]:
    """One count in a fresh process: (wall s incl. start-up, counting s, counting CPU s, peak MB).

    The CPU seconds of the counting vary far less than its wall time on a shared machine.
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(config), period, today],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    counting, cpu = (float(x) for x in done.stdout.split()[:2])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, counting, cpu, peak


def main() -> int:
    """Build (or reuse) the database and time the screen's counting."""
    from benchmarks.export import build, forget_cache, prepare

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="folder to build in and keep (reused if present)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per period")
    parser.add_argument(
        "--today",
        default="",
        help="the date the screen is opened (YYYY-MM-DD; default now): with 2025-12-20 "
        "the last year is still open and counted afresh, as on a live site",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="akut-screen-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "config.toml"
    if not config.exists():
        config = build(folder, args.contacts)
    prepare(config)
    head = f"{'screen period':<30}{'count best s':>13}{'count worst s':>14}{'CPU s':>7}"
    print(head + f"{'wall s':>8}{'MB':>6}")
    for label, period in (("one year (2020)", "2020"), ("all (2016-2025)", "all")):
        forget_cache(config)  # cold: the closed years are counted and stored
        cold = [run_screen(config, period, args.today)]
        warm = [run_screen(config, period, args.today) for _ in range(args.repeat)]
        for kind, runs in (("cold", cold), ("warm", warm)):
            counts = [r[1] for r in runs]
            print(
                f"{label + ', ' + kind:<30}{min(counts):>13.2f}{max(counts):>14.2f}"
                f"{min(r[2] for r in runs):>7.2f}{max(r[0] for r in runs):>8.2f}{runs[-1][3]:>6.0f}"
            )
    print()
    print(f"{'the writer refreshes (akut refresh-stats)':<44}{'s':>7}{'CPU s':>7}{'years':>6}")
    forget_cache(config)
    _row("refresh, every closed year (cache emptied)", run_refresh(config, args.today))
    _row("refresh again (nothing out of date)", run_refresh(config, args.today))
    edit_one_contact(config, 2019)
    screen = run_screen(config, "all", args.today)
    print(
        f"{'screen all, one 2019 contact edited, no refresh':<44}{screen[1]:>7.2f}{screen[2]:>7.2f}"
    )
    edit_one_contact(config, 2019)
    _row("refresh after one 2019 contact edited", run_refresh(config, args.today))
    for _ in range(args.repeat):
        screen = run_screen(config, "all", args.today)
        print(f"{'screen all, after that refresh':<44}{screen[1]:>7.2f}{screen[2]:>7.2f}")
    if args.today:  # a live site's running year, written all day
        running = int(args.today[:4])
        print()
        print(f"{f'the running year ({running}), written to':<44}{'s':>7}{'CPU s':>7}")
        for _ in range(args.repeat):
            for period in ("all", "last-4-quarters"):
                edit_one_contact(config, running)
                _screen_row(f"screen {period}, a write to it since", config, period, args.today)
                _screen_row(f"screen {period}, no write since", config, period, args.today)
    return 0


def _screen_row(label: str, config: Path, period: str, today: str) -> None:
    screen = run_screen(config, period, today)
    print(f"{label:<44}{screen[1]:>7.2f}{screen[2]:>7.2f}")


def _row(label: str, figures: tuple[float, float, int]) -> None:
    print(f"{label:<44}{figures[0]:>7.2f}{figures[1]:>7.2f}{figures[2]:>6}")


if __name__ == "__main__":
    raise SystemExit(main())
