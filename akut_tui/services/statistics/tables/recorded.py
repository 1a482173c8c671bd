"""Helpers of the recorded-but-once-unexported fields (housing, coordination, referral).

Their counts come from the method cube (its covering index
``stats_contact_method`` ends in these columns), and :func:`reliable_since`
names the date from which a changed rule holds.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from akut_tui.core.clock import format_date, local
from akut_tui.services.statistics.tables.cubes import method_cube
from akut_tui.services.statistics.tables.kit import Scope
from db.models import DataMark


def recorded_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(housing, coordination_needed, referred_to, count) over crisis contacts.

    Added up from the method cube, whose index ends in these three columns, so
    the period's contacts are read once for all of these tables.
    """
    cells: Counter[tuple[Any, ...]] = Counter()
    for *_method, housing, coordination, referred, n in scope.shared(method_cube):
        cells[(housing, bool(coordination), referred)] += n
    return [(*key, n) for key, n in cells.items()]


def reliable_since(scope: Scope, mark: str) -> str:
    """A note naming the local date from which ``mark``'s rule holds, or "" if always.

    A database created with the rule in place has no mark: its figures hold from
    the first contact. An upgraded one records the upgrade's time.
    """
    row = DataMark.get_or_none(DataMark.name == mark)
    if row is None:
        return ""
    since = row.since if isinstance(row.since, datetime) else datetime.fromisoformat(row.since)
    day = local(since, scope.tz).date()
    if day <= scope.first:
        return ""
    return (
        f"Pålidelig for henvendelser fra {format_date(day)}; ældre henvendelser er som registreret."
    )
