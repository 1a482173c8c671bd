"""Benchmark: the joint suppression's own cost on a big database (issue 16 §1).

Counts each year's grid once (12 months, 4 quarters, the year; not timed here, see
``benchmarks/export.py``), then times :func:`~akut_tui.services.statistics.
joint_suppression.decide` on those counts, including its global check
(:mod:`akut_tui.services.statistics.chains`) and its exact check
(:mod:`akut_tui.services.statistics.exact_check`), and prints per year the CPU seconds
of the decision (best of ``--repeat``), of the global and the exact check within it,
the global check's rounds, and the hidden cells. ``all`` is the sum of its years, so the
last line is what an export of everything spends on suppression. Usage::

    python benchmarks/export.py --keep /tmp/akut-bench --repeat 1   # builds the database
    python benchmarks/suppression.py --keep /tmp/akut-bench [--year 2020] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Count the grids, time the suppression, print a table."""
    from akut_tui.core.config import load_config
    from akut_tui.services.base.storage import connection
    from akut_tui.services.startup.opening import open_runtime
    from akut_tui.services.statistics import compute, grid, joint_suppression
    from akut_tui.services.statistics.tables import table_specs
    from tests.conftest import cheap_hasher

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, required=True, help="folder of benchmarks/export.py")
    parser.add_argument("--year", type=int, action="append", help="a year (default: every year)")
    parser.add_argument("--repeat", type=int, default=3, help="decisions per year (best counts)")
    args = parser.parse_args()
    rt = open_runtime(load_config(args.keep / "config.toml"), hasher=cheap_hasher())
    captured: list[tuple[Any, Any]] = []
    real_decide = grid.decide

    def capture(raw: Any, periods: Any) -> Any:
        captured.append((raw, periods))
        return real_decide(raw, periods)

    spent = {"check": 0.0, "rounds": 0, "exact": 0.0}
    real_check = getattr(joint_suppression, "more_to_hide", None)  # None: before the check
    real_exact = getattr(joint_suppression, "pinned", None)  # None: before the exact check

    def exact(*a: Any, **k: Any) -> Any:
        started = time.process_time()
        out = real_exact(*a, **k)  # type: ignore[misc]
        spent["exact"] += time.process_time() - started
        return out

    def check(*a: Any, **k: Any) -> Any:
        started = time.process_time()
        out = real_check(*a, **k)  # type: ignore[misc]
        spent["check"] += time.process_time() - started
        spent["rounds"] += 1
        return out

    grid.decide = capture  # type: ignore[assignment]
    if real_check is not None:
        joint_suppression.more_to_hide = check  # type: ignore[attr-defined]
    if real_exact is not None:
        joint_suppression.pinned = exact  # type: ignore[attr-defined]
    with connection():
        first, last = compute.q.started_range()
        years = args.year or list(range(first.year, last.year + 1))
        lab = compute._labeller(rt)
        counted = grid.Grid(compute._builder(rt, lab, whole_months=True), table_specs())
        for year in years:
            counted.year(year)
    head = f"{'year':<8}{'decide CPU s':>14}{'check CPU s':>13}{'exact CPU s':>13}"
    print(f"{head}{'rounds':>8}{'hidden':>8}")
    total = 0.0
    for (raw, periods), year in zip(captured, years, strict=True):
        best, check_s, exact_s, rounds = float("inf"), 0.0, 0.0, 0
        for _ in range(args.repeat):
            spent.update(check=0.0, rounds=0, exact=0.0)
            started = time.process_time()
            decided = real_decide(raw, periods)
            took = time.process_time() - started
            if took < best:
                best, check_s, rounds = took, spent["check"], int(spent["rounds"])
                exact_s = spent["exact"]
        hidden = sum(sum(d.rows) + d.denominator for d in decided.values())
        total += best
        print(f"{year:<8}{best:>14.3f}{check_s:>13.3f}{exact_s:>13.3f}{rounds:>8}{hidden:>8}")
    print(f"{'sum':<8}{total:>14.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
