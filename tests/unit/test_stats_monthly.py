"""A year's months counted together (akut_tui.services.statistics.monthly) give exactly
each month's own figures, in zones east and west of UTC, across summer-time changes;
and a year asks each contact cube once, not once per month."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics import grid
from akut_tui.services.statistics.monthly import (
    batch_of,
    crisis_months,
    value_months,
    with_any_months,
)
from akut_tui.services.statistics.periods import Period, month_end, utc_bounds
from akut_tui.services.statistics.tables import cubes
from akut_tui.services.statistics.tables.kit import Scope, crisis_count
from db import stats_queries as q
from db.database import connection, write_transaction
from tests.stats_helpers import add_contact

PICKS: list[dict[str, list[str]]] = [
    {},
    {"symptom": ["angst", "uro"], "action": ["ny_samtale"]},
    {"symptom": ["angst"], "event": ["udskrivelse_psykiatri"]},
    {"action": ["ny_samtale", "laege"]},
]
"""Multi-value picks, given in turn (the silent calls get some too)."""

ZONES = ("Europe/Copenhagen", "America/New_York", "UTC", "Asia/Kolkata")
"""East and west of UTC, UTC itself, and a half-hour offset (asked month by month)."""


def _fill() -> None:
    """Contacts in the hours around every UTC month start of 2024 and 2025 (both sides
    of each zone's local month start), plus the summer-time nights."""
    with connection(), write_transaction():
        i = 0
        for year in (2024, 2025, 2026):
            for month in range(1, 13):
                start = datetime(year, month, 1, tzinfo=UTC)
                for hours in range(-7, 7):
                    i += 1
                    add_contact(
                        start + timedelta(hours=hours, minutes=(i * 13) % 60),
                        contact_type="krise" if i % 5 else "stille_opkald",
                        channel=("telefon", "chat")[i % 2],
                        crisis_level=("let", "alvorlig", None)[i % 3],
                        duration_min=5 + i % 4,
                        gender=("mand", "kvinde")[i % 2],
                        values=PICKS[i % len(PICKS)],
                    )
        # Summer-time nights, and late entries that break their month's run of ids
        # (such a month counts its picks by a join).
        for moment in ((2025, 3, 30, 1, 30), (2025, 10, 26, 0, 30), (2025, 10, 26, 1, 30)):
            add_contact(datetime(*moment, tzinfo=UTC), PICKS[1], contact_type="krise")
        add_contact(datetime(2025, 6, 15, 12, tzinfo=UTC), PICKS[2], contact_type="stille_opkald")


@pytest.fixture
def filled(rt: Runtime) -> Iterator[Runtime]:
    """The runtime with contacts on every month bound."""
    _fill()
    yield rt


def _months(year: int, tz: str) -> list[tuple[date, datetime, datetime]]:
    out = []
    for m in range(1, 13):
        period = Period(date(year, m, 1), month_end(year, m), f"{year}-{m:02d}")
        out.append((period.first, *utc_bounds(period, tz)))
    return out


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("cube", ["CHANNEL", "LEVEL", "PERSON", "METHOD", "MUNICIPALITY"])
def test_a_batch_gives_each_month_its_own_count(filled: Runtime, tz: str, cube: str) -> None:
    columns: tuple[Any, ...] = getattr(cubes, cube)
    with connection():
        for year in (2024, 2025):
            months = _months(year, tz)
            batch = batch_of(months, tz)
            if tz == "Asia/Kolkata":
                assert batch is None  # months start on a half hour: asked one by one
                continue
            assert batch is not None
            together = crisis_months(batch, *columns)
            for first, lo, hi in months:
                scope = Scope(first, first, lo, hi, tz, lambda _l, c: c)
                alone = Counter({tuple(r[:-1]): r[-1] for r in crisis_count(scope, *columns)})
                mine = Counter({tuple(r[:-1]): r[-1] for r in together[first]})
                assert mine == alone, (first, tz)
                assert sum(alone.values()) > 0  # the month holds contacts


@pytest.mark.parametrize("period", ["2025", "all"])
def test_reports_equal_the_month_by_month_count(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch, period: str
) -> None:
    batched = stats.compute(filled, stats.resolve_period(filled, period))
    monkeypatch.setattr(grid, "batch_of", lambda _months, _tz: None)
    alone = stats.compute(filled, stats.resolve_period(filled, period))
    assert batched.tables == alone.tables
    assert batched.monthly == alone.monthly


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple):
            self.sql.append(str(record.msg[0]))


def test_a_year_asks_each_contact_cube_once(filled: Runtime) -> None:
    """The channel cube of a year's 12 months is one query (and one for the month
    bounds' hours), not 12."""
    statements = _Statements()
    logger = logging.getLogger("peewee")
    level = logger.level
    logger.addHandler(statements)
    logger.setLevel(logging.DEBUG)
    try:
        stats.compute(filled, stats.resolve_period(filled, "2025"))
    finally:
        logger.removeHandler(statements)
        logger.setLevel(level)
    channel = [s for s in statements.sql if "GROUP BY" in s and '"partner_type"' in s]
    assert len(channel) <= 2, channel


@pytest.mark.parametrize("tz", ["Europe/Copenhagen", "America/New_York"])
def test_a_batch_gives_each_month_its_own_picks(filled: Runtime, tz: str) -> None:
    """Picks and contacts with a pick: by id runs (less the silent calls' picks) or, for
    a month whose ids are not one run, by a join; equal to each month's own join."""
    with connection():
        months = _months(2025, tz)
        batch = batch_of(months, tz)
        assert batch is not None
        picks = value_months(batch)
        lists = {name: with_any_months(batch, name) for name in ("symptom", "event", "action")}
        runs = q.id_runs([(lo, hi) for _, lo, hi in months])
        assert None in runs and runs.count(None) < 12  # both ways are taken
        for first, lo, hi in months:
            alone = {(a, b): n for a, b, n in q.value_counts(lo, hi, (None, None))}
            assert dict(picks[first]) == alone, first
            assert sum(alone.values()) > 0
            for name, per_month in lists.items():
                found = q.value_contacts(lo, hi, (None, None), [name])
                assert per_month[first] == (int(found[0][1]) if found else 0), (first, name)


def test_picks_of_silent_calls_leave_their_month_when_ids_run_against_time(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Months whose id runs are not in month order (August entered before July): a July
    silent call's symptom is subtracted from July, so no month counts more contacts with
    a symptom than it has crisis contacts (``ikke_registreret`` was -1)."""
    with connection(), write_transaction():
        for day in (3, 4):  # August first: the lower ids
            add_contact(datetime(2015, 8, day, 12), {"symptom": ["angst"]}, contact_type="krise")
        add_contact(datetime(2015, 7, 2, 12), {"symptom": ["uro"]}, contact_type="krise")
        add_contact(datetime(2015, 7, 3, 12), None, contact_type="krise")
        add_contact(datetime(2015, 7, 4, 12), {"symptom": ["uro"]}, contact_type="stille_opkald")
    tz = "Europe/Copenhagen"
    with connection():
        months = _months(2015, tz)
        batch = batch_of(months, tz)
        assert batch is not None
        runs = q.id_runs([(lo, hi) for _, lo, hi in months])
        assert runs[6] == (3, 5) and runs[7] == (1, 2)  # both months are id runs
        picks = value_months(batch)
        with_symptom = with_any_months(batch, "symptom")
        assert picks[date(2015, 7, 1)] == Counter({("symptom", "uro"): 1})
        assert with_symptom[date(2015, 7, 1)] == 1
        assert with_symptom[date(2015, 8, 1)] == 2
    period = stats.resolve_period(rt, "2015Q3")
    batched = stats.compute(rt, period, suppress=False)
    table = batched.table("symptoms")
    code, count = table.columns.index("code"), table.columns.index("count")
    assert {row[code]: row[count] for row in table.rows}["ikke_registreret"] == 1
    monkeypatch.setattr(grid, "batch_of", lambda _months, _tz: None)
    alone = stats.compute(rt, period, suppress=False)
    assert batched.tables == alone.tables
