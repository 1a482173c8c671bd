"""Quarters, years and ``all`` are merged from their months' counts (issue 16, speed).

A period made of grid cells merges the cells' shared queries instead of asking
the database again (:attr:`akut_tui.services.statistics.tables.kit.Scope.parts`).
The figures must be exactly those counted afresh, edge cases included: a person's
contacts in several months, two contacts of one person at the same moment (ties
go by id), contacts on local month bounds across daylight saving, several years.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics import grid, year_cache
from akut_tui.services.statistics.dto import StatsReport
from akut_tui.services.statistics.periods import custom_period
from db.database import connection, write_transaction
from tests.stats_helpers import add_contact, add_person


def _fill() -> None:
    """Contacts over 2024-2025 with persons spanning months, ties and month bounds."""
    with connection(), write_transaction():
        people = [add_person(f"P{i}") for i in range(6)]
        levels = ["let", "middel", "alvorlig", None]
        picks = {"symptom": ["angst", "uro"], "action": ["ny_samtale"]}
        for i in range(60):
            year, month = 2024 + i % 2, 1 + (i * 5) % 12
            person = people[i % 6] if i % 4 else None
            add_contact(
                datetime(year, month, 1 + i % 27, (i * 7) % 24, 15),
                picks if i % 3 else {"symptom": ["angst"]},
                contact_type="krise",
                person=person,
                crisis_level=levels[i % 4],
                gender=("mand", "kvinde")[i % 2],
                age_band=("25_34", "35_44", "ukendt")[i % 3],
                duration_min=10 + i % 7,
            )
        # One person's two contacts at the same moment (the latest goes by id) ...
        for level in ("let", "alvorlig"):
            add_contact(
                datetime(2025, 3, 31, 23, 30),  # local month's last half hour (summer time)
                contact_type="krise",
                person=people[0],
                crisis_level=level,
                gender="kvinde",
            )
        # ... and right after the local month bound, and the last night of a year.
        add_contact(datetime(2025, 4, 1, 0, 10), contact_type="krise", person=people[0])
        add_contact(datetime(2024, 12, 31, 23, 50), contact_type="krise", person=people[1])
        add_contact(datetime(2025, 1, 1, 0, 5), contact_type="krise", person=people[1])
        add_contact(datetime(2025, 10, 26, 2, 30), contact_type="krise", person=people[2])


@pytest.fixture
def filled(rt: Runtime) -> Iterator[Runtime]:
    """The runtime with the edge-case contacts."""
    _fill()
    yield rt


def _report(rt: Runtime, period: str, by: str | None = None, suppress: bool = True) -> StatsReport:
    if ".." in period:  # --from .. --to: a run of cells after its years were counted
        first, last = period.split("..")
        stats.compute(rt, stats.resolve_period(rt, first[:4]))
        return stats.compute(rt, custom_period(first, last), by=by, suppress=suppress)
    return stats.compute(rt, stats.resolve_period(rt, period), by=by, suppress=suppress)


@pytest.mark.parametrize(
    ("period", "by"),
    [
        ("2025", None),
        ("2025", "month"),
        ("all", None),
        ("2025-02-01..2025-05-31", "quarter"),
        ("2024-11-01..2025-10-31", None),
    ],
)
def test_merged_figures_equal_figures_counted_afresh(
    filled: Runtime, monkeypatch: pytest.MonkeyPatch, period: str, by: str | None
) -> None:
    merged = [_report(filled, period, by, suppress) for suppress in (True, False)]
    monkeypatch.setattr(grid, "parts_of", lambda _period: [])  # every period from the database
    monkeypatch.setattr(year_cache, "ENABLED", False)  # closed years too, not from the cache
    fresh = [_report(filled, period, by, suppress) for suppress in (True, False)]
    for one, other in zip(merged, fresh, strict=True):
        assert one.tables == other.tables
        assert one.monthly == other.monthly
    persons = merged[1].table("persons")
    count = persons.columns.index("count")
    distinct = [row[count] for row in persons.rows if "distinct_persons" in row]
    assert sum(distinct) >= 2  # the data reached the tables


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple):
            self.sql.append(str(record.msg[0]))


def test_a_year_asks_the_database_for_persons_once_per_month(filled: Runtime) -> None:
    """Quarters and the year merge their months' persons: 12 person queries, not 17."""
    statements = _Statements()
    logger = logging.getLogger("peewee")
    level = logger.level
    logger.addHandler(statements)
    logger.setLevel(logging.DEBUG)
    try:
        _report(filled, "2025")
    finally:
        logger.removeHandler(statements)
        logger.setLevel(level)
    person_queries = [s for s in statements.sql if '"person_id" IS NOT NULL' in s]
    assert len(person_queries) == 12, person_queries
