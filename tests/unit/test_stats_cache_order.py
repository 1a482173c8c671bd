"""Contacts entered out of time order give the figures of a naive per-month count.

A month entered late has higher ids than the months after it; the year's batched
counting (id runs, :mod:`akut_tui.services.statistics.monthly`) once got that wrong.
For random contacts inserted in a random order, every month of the year's grid, counted
afresh and read back from the year cache (:mod:`...statistics.year_cache`), equals the
month counted by itself with plain queries. A modest number of examples by default;
``AKUT_CACHE_EXAMPLES=300`` runs the long one (slow-marked).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import stored_value_lists
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics.grid import Grid, cell_builder
from akut_tui.services.statistics.periods import Period, month_end
from akut_tui.services.statistics.tables import table_specs
from akut_tui.services.statistics.year_cache import YearCache
from db.database import connection, write_transaction
from db.models import Contact, Person
from tests.stats_helpers import add_contact, add_person

YEAR = 2025
LONG = os.environ.get("AKUT_CACHE_EXAMPLES", "")
_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

contact = st.fixed_dictionaries(
    {
        "month": st.integers(1, 12),
        "day": st.integers(1, 28),
        "hour": st.sampled_from([0, 1, 2, 12, 22, 23]),  # near the local/UTC month bounds
        "type": st.sampled_from(["krise", "krise", "krise", "stille"]),
        "level": st.sampled_from(["let", "alvorlig", None]),
        "symptoms": st.lists(st.sampled_from(["angst", "uro", "selvmordstanker"]), unique=True),
        "person": st.sampled_from([None, 0, 1, 2]),
    }
)
data = st.lists(contact, min_size=1, max_size=30).flatmap(
    lambda rows: st.tuples(st.just(rows), st.permutations(range(len(rows))))
)


def _insert(rows: list[dict[str, Any]], order: list[int]) -> None:
    with connection(), write_transaction():
        Contact.delete().execute()
        Person.delete().execute()
        people = [add_person(f"P{i}") for i in range(3)]
        for index in order:
            row = rows[index]
            add_contact(
                datetime(YEAR, row["month"], row["day"], row["hour"], 30),
                {"symptom": row["symptoms"]} if row["symptoms"] else None,
                contact_type=row["type"],
                crisis_level=row["level"],
                person=None if row["person"] is None else people[row["person"]],
            )


def _check(rt: Runtime, rows: list[dict[str, Any]], order: list[int]) -> None:
    _insert(rows, order)
    tz, specs = rt.config.site.timezone, table_specs()
    with connection():
        stored = stored_value_lists(rt)
        lab = stats._labeller(rt, stored)
        codes = {name: [c for c, _, _ in items] for name, items in stored.items()}
        naive = cell_builder(tz, lab, codes, whole_months=False)
        months = [
            Period(datetime(YEAR, m, 1).date(), month_end(YEAR, m), f"{YEAR}-{m:02d}")
            for m in range(1, 13)
        ]
        expected = {m.label: naive(m, specs) for m in months}
        grids = []
        for _ in range(2):  # counted (the cache stores it), then read back from the cache
            cache = YearCache(stats.local_today(rt), tz, rt.config.shifts, stored)
            grids.append(Grid.counting(tz, lab, codes, specs, cache=cache).year(YEAR))
    assert not isinstance(grids[1][str(YEAR)].raw, list)  # the second one was read back
    for label, tables in expected.items():
        for grid in grids:
            assert list(grid[label].raw) == tables, label
    assert list(grids[0][str(YEAR)].raw) == list(grids[1][str(YEAR)].raw)
    assert grids[0][str(YEAR)].decisions == list(grids[1][str(YEAR)].decisions)


@settings(max_examples=4, **_SETTINGS)
@given(data)
def test_contacts_out_of_time_order_count_as_a_naive_month_count(
    rt: Runtime, case: tuple[list[dict[str, Any]], list[int]]
) -> None:
    _check(rt, *case)


@pytest.mark.slow
@settings(max_examples=int(LONG) if LONG.isdigit() else 25, **_SETTINGS)
@given(data)
def test_contacts_out_of_time_order_long_run(
    rt: Runtime, case: tuple[list[dict[str, Any]], list[int]]
) -> None:
    _check(rt, *case)
