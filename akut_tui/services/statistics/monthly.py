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

from bisect import bisect_right
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
    runs: list[tuple[int, int] | None] | None = None
    """Each month's contiguous id run, once asked (:func:`db.stats_queries.id_runs`)."""
    others: dict[tuple[int, int], list[tuple[int, str, str]]] | None = None
    """The picks of the batch's non-crisis contacts by id run, once asked."""

    def answer(self, query: Callable[..., Any], args: tuple[Any, ...], month: date) -> Any:
        """``query``'s answer for ``month``, the whole batch asked once."""
        key = (query, args)
        if key not in self.cache:
            self.cache[key] = BY_MONTH[query](self, *args)
        return self.cache[key][month]

    def forget(self) -> None:
        """Let go of the answers (asked again if a month is counted again)."""
        self.cache.clear()
        self.others = None


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


def _runs(batch: MonthBatch) -> list[tuple[int, int] | None]:
    """Each month's id run (None: not one contiguous run), asked once per batch."""
    if batch.runs is None:
        batch.runs = q.id_runs([(lo, hi) for _, lo, hi in batch.months])
    return batch.runs


def _others(batch: MonthBatch, run: tuple[int, int]) -> list[tuple[int, str, str]]:
    """The picks of non-crisis contacts in ``run`` (asked once per batch, split by run)."""
    if batch.others is None:
        # By first id: a month entered late has lower ids than the month after it.
        runs = sorted(r for r in _runs(batch) if r is not None)
        starts = [r[0] for r in runs]
        batch.others = {r: [] for r in runs}
        for pick in q.other_picks(batch.months[0][1], batch.months[-1][2]):
            at = bisect_right(starts, pick[0]) - 1
            if at >= 0 and pick[0] <= runs[at][1]:
                batch.others[runs[at]].append(pick)
    return batch.others.get(run, [])


def _inside(batch: MonthBatch) -> list[tuple[date, tuple[int, int]]]:
    runs = _runs(batch)
    return [(m[0], run) for m, run in zip(batch.months, runs, strict=True) if run is not None]


def value_months(batch: MonthBatch) -> dict[date, Counter[tuple[str, str]]]:
    """(list_name, code) -> crisis contacts' picks, per month: a month whose contacts are
    one id run (the usual case) counts each code by an index range, less the picks of its
    non-crisis contacts; another month joins."""
    inside = _inside(batch)
    found = q.run_value_counts([run for _, run in inside])
    out: dict[date, Counter[tuple[str, str]]] = {}
    for (first, run), counts in zip(inside, found, strict=True):
        picks = Counter(counts)
        for _cid, name, code in _others(batch, run):
            picks[(name, code)] -= 1
        out[first] = Counter({k: n for k, n in picks.items() if n})
    for first, lo, hi in batch.months:
        if first not in out:
            rows = q.value_counts(lo, hi, (None, None))
            out[first] = Counter({(str(a), str(b)): int(n) for a, b, n in rows})
    return out


def with_any_months(batch: MonthBatch, list_name: str) -> dict[date, int]:
    """Crisis contacts with at least one pick from ``list_name``, per month."""
    inside = _inside(batch)
    found = q.run_value_contacts([run for _, run in inside], list_name)
    out = {}
    for (first, run), n in zip(inside, found, strict=True):
        others = {cid for cid, name, _code in _others(batch, run) if name == list_name}
        out[first] = n - len(others)
    for first, lo, hi in batch.months:
        if first not in out:
            rows = q.value_contacts(lo, hi, (None, None), [list_name])
            out[first] = int(rows[0][1]) if rows else 0
    return out
