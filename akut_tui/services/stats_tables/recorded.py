"""Shared query of the recorded-but-once-unexported fields: housing, coordination, referral.

One cube over the period's crisis contacts, grouped by (housing,
coordination_needed, referred_to); a covering index
(``stats_contact_recorded`` in :data:`db.stats_indexes.STATS_INDEXES`) serves it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from akut_tui.clock import format_date, local
from akut_tui.services.stats_tables.kit import Scope, crisis_count
from db.models import Contact, DataMark


def recorded_cube(scope: Scope) -> list[tuple[Any, ...]]:
    """(housing, coordination_needed, referred_to, count) over crisis contacts."""
    return crisis_count(scope, Contact.housing, Contact.coordination_needed, Contact.referred_to)


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
