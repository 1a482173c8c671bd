"""Queries shared by several tables, each run once per period (:meth:`Scope.shared`).

A "cube" groups the period's crisis contacts by a few low-cardinality columns that
match a covering index (:data:`db.stats_indexes.STATS_INDEXES`), so SQLite reads
the index in order and never sorts. The tables that read a cube add up its cells.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from akut_tui.core.clock import zone
from akut_tui.services.statistics.dto import RawTable
from akut_tui.services.statistics.monthly import (
    by_month,
    crisis_months,
    value_months,
    with_any_months,
)
from akut_tui.services.statistics.tables.kit import (
    Scope,
    crisis_count,
    merged_by,
    multi,
    sum_cells,
    sum_counts,
)
from db import stats_queries as q
from db.models import Contact
from db.stats_indexes import CHANNEL_COLUMNS, LEVEL_COLUMNS, METHOD_COLUMNS, PERSON_COLUMNS


def _columns(names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(Contact, c) for c in names)


CHANNEL = _columns(CHANNEL_COLUMNS)
LEVEL = _columns(LEVEL_COLUMNS)
PERSON = _columns(PERSON_COLUMNS)
METHOD = _columns(METHOD_COLUMNS)
MUNICIPALITY = (Contact.home_municipality,)


@merged_by(sum_cells)
@by_month(lambda batch: crisis_months(batch, *CHANNEL))
def channel_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(caller, channel, partner_type, count) over crisis contacts."""
    return crisis_count(scope, *CHANNEL)


@merged_by(sum_cells)
@by_month(lambda batch: crisis_months(batch, *LEVEL))
def level_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(shift, crisis_level, duration_min, count) over crisis contacts (a histogram)."""
    return crisis_count(scope, *LEVEL)


@merged_by(sum_cells)
@by_month(lambda batch: crisis_months(batch, *PERSON))
def person_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(gender, age_band, under18_notified, cpr_status, count) over crisis contacts."""
    return crisis_count(scope, *PERSON)


@merged_by(sum_cells)
@by_month(lambda batch: crisis_months(batch, *METHOD))
def method_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(stabilisation, turned_away, conversation, plan, goal, followup_wanted, count)."""
    return crisis_count(scope, *METHOD)


@merged_by(sum_cells)
@by_month(lambda batch: crisis_months(batch, *MUNICIPALITY))
def municipality_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(home_municipality, count) over crisis contacts."""
    return crisis_count(scope, *MUNICIPALITY)


def _value_scope(scope: Scope) -> q.ValueScope:
    return q.value_scope(scope.lo, scope.hi)


@merged_by(sum_counts)
@by_month(value_months)
def value_counts(scope: Scope) -> Counter[tuple[str, str]]:
    """(list_name, code) -> crisis contacts with that pick, over every value list."""
    picks = q.value_counts(scope.lo, scope.hi, scope.shared(_value_scope))
    return Counter({(str(a), str(b)): int(n) for a, b, n in picks})


@merged_by(sum)
@by_month(with_any_months)
def with_any(scope: Scope, list_name: str) -> int:
    """Crisis contacts with at least one pick from ``list_name``."""
    found = q.value_contacts(scope.lo, scope.hi, scope.shared(_value_scope), [list_name])
    return int(found[0][1]) if found else 0


def _offset_seconds(moment: datetime) -> int:
    """Seconds east of UTC of an aware local time (0 if it has no offset)."""
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _sum_buckets(
    parts: list[tuple[Counter[int], Counter[int], Counter[int]]],
) -> tuple[Counter[int], ...]:
    """Merge of :func:`local_buckets`: each of the three counters added up."""
    return tuple(sum_counts([part[i] for part in parts]) for i in range(3))


@merged_by(_sum_buckets)
def local_buckets(scope: Scope) -> tuple[Counter[int], Counter[int], Counter[int]]:
    """(hour, weekday, month key ``YYYYMM``) counters of crisis contacts, local time.

    Built from UTC hour buckets (aggregates, not rows). The zone's offset is
    looked up once per UTC day (per hour only on the two days a year when it
    changes), not once per bucket.
    """
    hours: Counter[int] = Counter()
    days: Counter[int] = Counter()
    months: Counter[int] = Counter()
    tz = zone(scope.tz)
    per_day: dict[str, tuple[date, int, int]] = {}
    for bucket, n in q.hour_buckets(scope.lo, scope.hi):
        text = str(bucket)
        day_text, hour = text[:10], int(text[11:13])
        info = per_day.get(day_text)
        if info is None:
            day = date.fromisoformat(day_text)
            start = datetime(day.year, day.month, day.day, tzinfo=UTC)
            first = _offset_seconds(start.astimezone(tz))
            last = _offset_seconds((start + timedelta(hours=23)).astimezone(tz))
            info = per_day[day_text] = (day, first, last)
        day, first, last = info
        if first == last and first % 3600 == 0:
            shifted = hour + first // 3600
            here_day = day + timedelta(days=shifted // 24)
            here_hour = shifted % 24
        else:
            moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC).astimezone(tz)
            here_day, here_hour = moment.date(), moment.hour
        hours[here_hour] += n
        days[here_day.weekday()] += n
        months[here_day.year * 100 + here_day.month] += n
    return hours, days, months


def picks_table(scope: Scope, name: str, list_name: str, title: str) -> RawTable:
    """A multi-value table of one value list: contacts per code, then contacts with none."""
    counts = scope.shared(value_counts)
    picked = Counter({c: n for (ln, c), n in counts.items() if ln == list_name})
    anything = scope.shared(with_any, list_name)
    return multi(name, title, scope.codes(list_name), picked, scope, anything)
