"""The year cache's triggers on PostgreSQL: cached figures equal a fresh count after
every kind of write (the SQLite suite's tests, run unchanged on a real server)."""

from __future__ import annotations

from tests.unit.test_stats_cache import (  # noqa: F401 (the fixture is collected here)
    filled,
    test_a_bed_out_of_service_today_keeps_the_stored_closed_years,
    test_a_closed_year_is_read_from_the_cache,
    test_cached_figures_equal_a_fresh_count_after_a_write,
    test_the_running_year_is_stored_until_the_next_write_to_it,
)
from tests.unit.test_stats_cache_order import (
    test_contacts_out_of_time_order_count_as_a_naive_month_count,
)

__all__ = [
    "test_a_bed_out_of_service_today_keeps_the_stored_closed_years",
    "test_a_closed_year_is_read_from_the_cache",
    "test_cached_figures_equal_a_fresh_count_after_a_write",
    "test_contacts_out_of_time_order_count_as_a_naive_month_count",
    "test_the_running_year_is_stored_until_the_next_write_to_it",
]
