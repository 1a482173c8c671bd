"""Out-of-service history of the beds: every change of ``Bed.out_of_service`` as a period.

``Bed.out_of_service`` is today's state (the bed board reads it); the periods
in ``bed_out_of_service`` keep the history, so occupancy for a past period
counts the beds that were in service then. Callers hold the write transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from akut_tui.core.clock import local
from db.models import BedOutOfService


def open_period(bed_id: int, at: datetime, reason: str | None, user_id: int | None) -> None:
    """Start a period for ``bed_id`` at ``at`` (naive UTC), or update an open one's reason."""
    current = BedOutOfService.get_or_none(
        BedOutOfService.bed == bed_id, BedOutOfService.ended_at.is_null()
    )
    if current is None:
        BedOutOfService.create(bed=bed_id, started_at=at, reason=reason, started_by=user_id)
    elif current.reason != reason:
        BedOutOfService.update(reason=reason).where(BedOutOfService.id == current.id).execute()


def close_period(bed_id: int, at: datetime, user_id: int | None) -> None:
    """End the open period of ``bed_id`` (if any) at ``at`` (naive UTC)."""
    BedOutOfService.update(ended_at=at, ended_by=user_id).where(
        BedOutOfService.bed == bed_id, BedOutOfService.ended_at.is_null()
    ).execute()


def nights_out(first: date, last: date, tz: str) -> int:
    """Bed-nights in [first, last] lost to out-of-service periods (local night dates).

    A bed is out of service for night D when a period began on or before local
    date D and had not ended by then (it ends on a later local date, or not yet).
    Overlapping periods of one bed count each night once.
    """
    query = BedOutOfService.select().where(
        BedOutOfService.started_at
        < datetime.combine(last + timedelta(days=2), datetime.min.time()),
        (BedOutOfService.ended_at.is_null())
        | (
            BedOutOfService.ended_at
            >= datetime.combine(first - timedelta(days=1), datetime.min.time())
        ),
    )
    out: dict[int, set[date]] = {}
    for period in query:
        start = max(first, local(period.started_at, tz).date())
        end = (
            last
            if period.ended_at is None
            else min(last, local(period.ended_at, tz).date() - timedelta(days=1))
        )
        nights = out.setdefault(int(period.bed_id), set())
        day = start
        while day <= end:
            nights.add(day)
            day += timedelta(days=1)
    return sum(len(n) for n in out.values())
