"""Count the closed years whose stored figures are missing or out of date (issue 16 §3).

The statistics screen and ``akut export`` read closed years from the database
(:mod:`akut_tui.services.statistics.year_cache`) and count a year afresh only when
a write has touched it, a value list or a bed changed, or a new Akut is installed.
That fresh count is the slow part (about 1 s a year on a large site, more on a
small one, where the joint suppression has most to decide). The commands that
cause it in bulk (``akut init`` after an upgrade, ``akut import``, ``akut purge``)
and the nightly ``akut refresh-stats`` call :func:`refresh_closed_years`, so the
person who opens the statistics next does not pay for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from akut_tui.core.clock import local
from akut_tui.core.gc_pause import gc_paused
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection
from akut_tui.services.base.value_lists import stored_value_lists
from akut_tui.services.statistics.compute import counting_grid, local_today
from akut_tui.services.statistics.year_cache import YearCache
from db import stats_queries as q


@dataclass(frozen=True)
class RefreshResult:
    """What :func:`refresh_closed_years` did."""

    counted: tuple[int, ...]
    """The closed years counted and stored now."""
    current: tuple[int, ...]
    """The closed years whose stored figures were already current."""
    seconds: float


def refresh_closed_years(rt: Runtime, years: range | None = None) -> RefreshResult:
    """Count and store every closed year (from the first contact's, or of ``years``)
    that is not current.

    Each year is counted as the screen would count it (the same grid and joint
    suppression) and stored under the generations read before counting, so a write
    made meanwhile leaves an entry that is never used. A read-only database is
    counted and not stored (:meth:`YearCache.keep`).
    """
    started = time.monotonic()
    counted: list[int] = []
    current: list[int] = []
    with connection():
        first, _last = q.started_range()
        if first is None:
            return RefreshResult((), (), time.monotonic() - started)
        stored = stored_value_lists(rt)
        first_year = local(first, rt.config.site.timezone).year
        wanted = years if years is not None else range(first_year, local_today(rt).year)
        for year in wanted:
            grid = counting_grid(rt, stored)  # one year at a time: memory stays one year's
            cache = grid.cache
            if not isinstance(cache, YearCache) or not cache.closed(year):
                continue  # the running year (an import's rows of this year), or no cache
            if cache.current(year):
                current.append(year)
                continue
            with gc_paused():  # many long-lived cells, no cycles: akut_tui.core.gc_pause
                grid.year(year)
            counted.append(year)
    return RefreshResult(tuple(counted), tuple(current), time.monotonic() - started)
