"""A year's months counted together: one grouped query per cube instead of one per month.

The calendar grid counts every month of a year (docs/export.md). A cube registered
with :func:`by_month` is then asked once for the whole year (:class:`MonthBatch`),
grouped by UTC month over an index led by that month, so the rows stream in order
and nothing is sorted; each month's :class:`~akut_tui.services.statistics.tables.kit.Scope`
takes its own answer from the batch. A local month starts an hour or two before or
after its UTC month, so the contacts of those few hours (the slices between a local
and a UTC month start) are asked per UTC hour and moved to their local month. The
answers are exactly those of the month's own query (tests/unit/test_stats_monthly.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from akut_tui.core.clock import zone
from db import stats_queries as q

Monthly = Callable[..., dict[date, Any]]
"""(batch, *args) -> the answer of each month of the batch, by its first day."""

BY_MONTH: dict[Callable[..., Any], Monthly] = {}
"""Shared query -> how to answer it for every month of a batch at once."""


@dataclass
class MonthBatch:
    """Consecutive whole local months counted together (a year of the grid)."""

    months: tuple[tuple[date, datetime, datetime], ...]
    """(first day, naive UTC lo, naive UTC hi) of each month, in order."""
    tz: str
    cache: dict[Any, dict[date, Any]] = field(default_factory=dict)

    def answer(self, query: Callable[..., Any], args: tuple[Any, ...], month: date) -> Any:
        """``query``'s answer for ``month``, the whole batch asked once."""
        key = (query, args)
        if key not in self.cache:
            self.cache[key] = BY_MONTH[query](self, *args)
        return self.cache[key][month]


def batch_of(months: list[tuple[date, datetime, datetime]], tz: str) -> MonthBatch | None:
    """A batch of these months, or None when a local month does not start on a whole
    UTC hour (a zone with a half-hour offset: each month is then asked by itself)."""
    bounds = [lo for _, lo, _ in months] + [months[-1][2]]
    if any(b.minute or b.second or b.microsecond for b in bounds):
        return None
    return MonthBatch(tuple(months), tz)


def by_month(monthly: Monthly) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register how a shared query answers every month of a :class:`MonthBatch` at once."""

    def register(query: Callable[..., Any]) -> Callable[..., Any]:
        BY_MONTH[query] = monthly
        return query

    return register


def _utc_month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def crisis_months(batch: MonthBatch, *columns: Any) -> dict[date, list[tuple[Any, ...]]]:
    """(*columns, count) over each month's crisis contacts, as
    :func:`~akut_tui.services.statistics.tables.kit.crisis_count` gives for that month."""
    firsts = [first for first, _, _ in batch.months]
    label = {f"{d.year}-{d.month:02d}": d for d in firsts}
    starts = [(first, lo) for first, lo, _ in batch.months]
    starts.append((_next_month(firsts[-1]), batch.months[-1][2]))
    slices = [
        (min(lo, _utc_month_start(d)), max(lo, _utc_month_start(d)))
        for d, lo in starts
        if lo != _utc_month_start(d)
    ]
    main, fixes = q.crisis_by_utc_month(
        _utc_month_start(firsts[0]), _utc_month_start(starts[-1][0]), slices, columns
    )
    cells: dict[date, Counter[tuple[Any, ...]]] = {d: Counter() for d in firsts}
    for month, *key, n in main:
        cells[label[str(month)]][tuple(key)] += int(n)
    tz = zone(batch.tz)
    for hour, *key, n in fixes:
        text = str(hour)
        moment = datetime(int(text[:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]))
        here = moment.replace(tzinfo=UTC).astimezone(tz)
        utc_month, local_month = label.get(text[:7]), label.get(f"{here.year}-{here.month:02d}")
        if utc_month is not None:
            cells[utc_month][tuple(key)] -= int(n)
        if local_month is not None:
            cells[local_month][tuple(key)] += int(n)
    return {d: [(*k, n) for k, n in c.items() if n] for d, c in cells.items()}
