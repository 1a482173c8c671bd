"""``duration_by_shift``: contacts with a duration per shift, mean and median minutes."""

from __future__ import annotations

from collections import Counter

from akut_tui.services.statistics.dto import CRISIS_DENOMINATOR, PARTITION, RawRow, RawTable
from akut_tui.services.statistics.tables.cubes import level_cube
from akut_tui.services.statistics.tables.kit import NOT_REGISTERED, SHIFTS, Scope, TableSpec


def median(histogram: Counter[int]) -> float | None:
    """Median of a value -> count histogram (a handful of buckets)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2
    seen, low, high = 0, None, None
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return (low + high) / 2


def build(scope: Scope) -> RawTable:
    """Per shift: contacts with a duration, their mean and median; the rest not registered."""
    minutes: dict[str, Counter[int]] = {code: Counter() for code, _ in SHIFTS}
    for shift, _level, duration, n in scope.shared(level_cube):
        if duration is not None and shift in minutes:
            minutes[shift][int(duration)] += n
    out = []
    for shift, label in SHIFTS:
        hist = minutes[shift]
        n = sum(hist.values())
        mean = sum(v * c for v, c in hist.items()) / n if n else None
        out.append(RawRow(shift, label, n, extra=(mean, median(hist))))
    d = scope.crisis_contacts
    out.append(RawRow(*NOT_REGISTERED, d - sum(r.count for r in out), extra=(None, None)))
    return RawTable(
        "duration_by_shift",
        "Samtalens varighed pr. vagt (minutter)",
        PARTITION,
        d,
        out,
        extra_columns=("mean_min", "median_min"),
        denominator_key=CRISIS_DENOMINATOR,
    )


TABLE = TableSpec("duration_by_shift", 80, build, summable=False)  # mean, median
