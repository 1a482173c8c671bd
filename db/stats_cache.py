"""The statistics cache of closed years and the per-month generations that keep it true.

``stats_generation`` holds one counter per UTC month (``year * 12 + month - 1``; month
:data:`GLOBAL` for what changes every period: beds, value lists, data marks). The
database triggers of :mod:`db.stats_triggers` bump the counters of every month a
write touches, in the writer's own transaction, and drop the cached years that hold
that month, so no writer (a service, an import, a second process, a hand-made SQL
update) can forget it. ``stats_cache`` holds one entry per closed year: the
generations its figures were counted at and the figures themselves
(:mod:`akut_tui.services.statistics.year_cache`). An entry is used only while every
generation it names is still current.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import cast

import peewee as pw

from db.base import BaseModel
from db.database import database

GLOBAL = 0
"""The generation bumped by writes that change every month's figures."""


def month_number(day: date) -> int:
    """The generation key of the month of ``day`` (``year * 12 + month - 1``)."""
    return day.year * 12 + day.month - 1


class StatsGeneration(BaseModel):
    """A month's generation: bumped by every write that can change its figures."""

    month = pw.IntegerField(primary_key=True)
    gen = pw.BigIntegerField(default=0)


class StatsCache(BaseModel):
    """A closed year's figures as counted at the generations ``gens`` (zlib JSON)."""

    year = pw.IntegerField(primary_key=True)
    first_month = pw.IntegerField()
    """The months the entry depends on, inclusive (a trigger drops it when one changes)."""
    last_month = pw.IntegerField()
    context = pw.BigIntegerField()
    """A digest of what else the figures depend on (code, configuration, value lists)."""
    gens = pw.BlobField()
    body = pw.BlobField()


CACHE_MODELS: list[type[BaseModel]] = [StatsGeneration, StatsCache]


def generations(months: Sequence[int]) -> list[int]:
    """The current generation of each month (0 for a month never written)."""
    wanted = sorted(set(months))
    query = (
        StatsGeneration.select(StatsGeneration.month, StatsGeneration.gen)
        .where(StatsGeneration.month.in_(wanted))
        .tuples()
    )
    found = {int(m): int(g) for m, g in cast(Iterable[tuple[int, int]], query)}
    return [found.get(m, 0) for m in months]


def months_without_rows(months: Sequence[int]) -> list[int]:
    """Those of ``months`` that have no generation row yet (a read; no lock taken)."""
    query = StatsGeneration.select(StatsGeneration.month).where(
        StatsGeneration.month.in_(sorted(set(months)))
    )
    found = {int(m) for (m,) in cast(Iterable[tuple[int]], query.tuples())}
    return [m for m in months if m not in found]


def make_rows(months: Sequence[int]) -> None:
    """Give each of ``months`` a generation row (0 where it has none), so a write to a span
    of months (:func:`db.stats_triggers._span_statements`) bumps it; call inside a write
    transaction, before reading the generations a count is stored under."""
    rows = [{StatsGeneration.month: m, StatsGeneration.gen: 0} for m in sorted(set(months))]
    StatsGeneration.insert_many(rows).on_conflict_ignore().execute()


def header(year: int) -> tuple[int, bytes] | None:
    """(context, generations) of the cached ``year`` without its figures, or None."""
    row = (
        StatsCache.select(StatsCache.context, StatsCache.gens)
        .where(StatsCache.year == year)
        .tuples()
        .first()
    )
    return None if row is None else (int(row[0]), bytes(row[1]))


def load(year: int) -> tuple[int, bytes, bytes] | None:
    """(context, generations, body) of the cached ``year``, or None."""
    row = (
        StatsCache.select(StatsCache.context, StatsCache.gens, StatsCache.body)
        .where(StatsCache.year == year)
        .tuples()
        .first()
    )
    if row is None:
        return None
    return int(row[0]), bytes(row[1]), bytes(row[2])


def store(year: int, months: tuple[int, int], context: int, gens: bytes, body: bytes) -> None:
    """Replace the cached ``year`` (call inside a write transaction)."""
    fields = {
        StatsCache.first_month: months[0],
        StatsCache.last_month: months[1],
        StatsCache.context: context,
        StatsCache.gens: gens,
        StatsCache.body: body,
    }
    StatsCache.insert({StatsCache.year: year, **fields}).on_conflict(
        conflict_target=[StatsCache.year], update=fields
    ).execute()


def forget_all() -> None:
    """Drop every cached year (the benchmarks' cold start)."""
    database.execute_sql("DELETE FROM stats_cache")
