"""Time handling: local display and shift boundaries of aware datetimes.

Times are aware datetimes (stored as UTC by :mod:`db.utctime`) and shown in the
site's time zone, so daylight-saving changes never move a shift boundary. A
night shift belongs to the date on which it started.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from functools import cache

from akut_tui.core.config import ShiftConfig

SHIFT_LABELS: dict[str, str] = {"dag": "Dag", "aften": "Aften", "nat": "Nat"}


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


@cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    """Return the time zone called ``name`` (cached)."""
    return zoneinfo.ZoneInfo(name)


def local(moment: datetime, tz_name: str) -> datetime:
    """Convert an aware datetime (a naive one is UTC: a raw aggregate) to local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz_name))


def shift_of(moment: datetime, shifts: ShiftConfig, tz_name: str) -> tuple[str, date]:
    """Return (shift code, shift date) for an aware moment."""
    _here, shift, day = placed(moment, shifts, tz_name)
    return shift, day


def placed(moment: datetime, shifts: ShiftConfig, tz_name: str) -> tuple[datetime, str, date]:
    """Return the local moment, its shift code and the shift's date for an aware moment."""
    here = local(moment, tz_name)
    minute = here.time().replace(second=0, microsecond=0)
    if shifts.day <= minute < shifts.evening:
        return here, "dag", here.date()
    if shifts.evening <= minute < shifts.night:
        return here, "aften", here.date()
    if minute >= shifts.night:
        return here, "nat", here.date()
    return here, "nat", here.date() - timedelta(days=1)


def format_date(value: date) -> str:
    """Format a date the Danish way: dd-mm-åååå."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def format_datetime(moment: datetime, tz_name: str) -> str:
    """Format a moment as local ``dd-mm-åååå TT:MM``."""
    here = local(moment, tz_name)
    return f"{format_date(here.date())} {here.hour:02d}:{here.minute:02d}"


def format_time(moment: datetime, tz_name: str) -> str:
    """Format a moment as local ``TT:MM``."""
    here = local(moment, tz_name)
    return f"{here.hour:02d}:{here.minute:02d}"


def next_shift_start(moment: datetime, shifts: ShiftConfig, tz_name: str) -> datetime:
    """Return the aware moment the next shift starts after ``moment`` (DST-safe)."""
    here = local(moment, tz_name)
    starts = sorted((shifts.day, shifts.evening, shifts.night))
    for day_offset in (0, 1):
        day = here.date() + timedelta(days=day_offset)
        for start in starts:
            candidate = datetime.combine(day, start, tzinfo=zone(tz_name))
            if candidate > here:
                return candidate
    raise AssertionError("unreachable: a shift starts within a day")  # pragma: no cover


AHEAD_GRACE = timedelta(minutes=1)
"""A typed time this far ahead of the clock is "now" (the terminal's clock may run ahead)."""


def not_ahead(moment: datetime, now: datetime) -> datetime:
    """Return ``now`` for a ``moment`` at most :data:`AHEAD_GRACE` ahead, else ``moment``.

    A time typed as ``TT:MM`` for the next minute is meant as now; only a
    moment further ahead is "in the future" and refused by the services.
    """
    if now < moment <= now + AHEAD_GRACE:
        return now
    return moment
