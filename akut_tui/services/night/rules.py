"""The rules about nights slept that hold whatever the stays (issue 15 §4).

A night of date D *begins* (counts as slept) at local midnight between D and
D+1, or at the check-in when the guest arrived after midnight. A begun night
is never deleted, a check-out cannot be dated before the start of the stay's
last begun night, and the consecutive-night limit counts the nights a person
slept across all stays, so a chain of short stays cannot hide a 4th night.
Call these inside the bed write transaction (after ``lock_beds``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import peewee as pw

from akut_tui.core.clock import zone
from akut_tui.core.plural import nights_text
from db.models import Stay, StayNight

LOOKBACK_DAYS = 62
"""How far back a run of nights is followed (above any allowed maximum)."""
NOT_SLEPT = ("annulleret", "udloebet")
"""Stay endings whose nights were never slept (cancelled or lapsed reservations)."""


def night_begins(night: date, checked_in_at: datetime, tz_name: str) -> datetime:
    """Return when ``night`` of a stay begins (aware UTC): midnight, or a later check-in."""
    midnight = datetime.combine(night + timedelta(days=1), time(0, 0), tzinfo=zone(tz_name))
    return max(midnight, checked_in_at).astimezone(zone("UTC"))


def begun_nights(stay: Stay, now: datetime, tz_name: str) -> list[date]:
    """Return the stay's nights that have begun by ``now`` (oldest first)."""
    if stay.reserved or stay.checked_in_at is None:
        return []
    dates = [
        _as_date(row.night_date)
        for row in StayNight.select(StayNight.night_date)
        .where(StayNight.stay == stay.id)
        .order_by(StayNight.night_date)
    ]
    return [d for d in dates if night_begins(d, stay.checked_in_at, tz_name) <= now]


def nights_in_a_row_before(person_id: int, night: date) -> int:
    """Return how many nights in a row the person has (slept or booked) just before ``night``.

    Every stay counts except cancelled or lapsed reservations, so checking out
    and in again does not reset the count.
    """
    first = night - timedelta(days=LOOKBACK_DAYS)
    rows = (
        StayNight.select(StayNight.night_date)
        .join(Stay)
        .where(
            Stay.person == person_id,
            StayNight.night_date.between(first, night - timedelta(days=1)),
            Stay.ended_reason.is_null() | Stay.ended_reason.not_in(NOT_SLEPT),
        )
    )
    dates = {_as_date(row.night_date) for row in rows}
    count = 0
    day = night - timedelta(days=1)
    while day in dates:
        count += 1
        day -= timedelta(days=1)
    return count


def new_stay_check(person_id: int, night: date, maximum: int) -> tuple[int, str]:
    """A new stay from ``night``: its night number in the person's run (across stays), and
    what a leader must override for it (the night limit, or no night between stays; ``""``)."""
    run = nights_in_a_row_before(person_id, night) + 1
    if run > maximum:
        return run, night_limit_text(run, maximum)
    if gap_violation(person_id, night):
        return run, "Der skal være mindst én nat mellem to ophold."
    return run, ""


def night_limit_text(run: int, maximum: int) -> str:
    """The refusal of night number ``run`` in a row (Danish, plural right)."""
    return (
        f"Det ville være nat {run} i træk for gæsten; højst {nights_text(maximum)} i træk "
        "(talt på tværs af ophold)."
    )


def gap_violation(person_id: int, night: date) -> bool:
    """True when the person's previous stay ended less than one night before ``night``."""
    last = (
        StayNight.select(pw.fn.MAX(StayNight.night_date))
        .join(Stay)
        .where(
            Stay.person == person_id,
            Stay.ended_reason.is_null() | Stay.ended_reason.not_in(["udloebet", "annulleret"]),
        )
        .scalar()
    )
    if last is None:
        return False
    last_date = last if isinstance(last, date) else date.fromisoformat(str(last))
    return last_date >= night - timedelta(days=1)


def earliest_checkout(stay: Stay, now: datetime, tz_name: str) -> datetime:
    """Return the earliest moment a check-out of ``stay`` may be dated (aware UTC)."""
    begun = begun_nights(stay, now, tz_name)
    arrived: datetime = stay.checked_in_at.replace(second=0, microsecond=0)
    if not begun:
        return arrived
    return max(arrived, night_begins(begun[-1], stay.checked_in_at, tz_name))


def at_minute(moment: datetime) -> datetime:
    """``moment`` without seconds: typed times have minutes only."""
    return moment.replace(second=0, microsecond=0)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
