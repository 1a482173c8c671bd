"""Which bed night a moment belongs to, the morning window and the clock-set deadlines.

A *bed night* of date D runs from the evening of D until ``beds.checkout_time``
on D+1. From the day shift's start until ``checkout_time`` last night is
ending: a check-in then books the coming night unless last night is chosen.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from akut_tui.core.clock import local, zone
from akut_tui.core.errors import ValidationError
from akut_tui.services.base.runtime import Runtime


def local_moment(day: date, at: time, tz_name: str) -> datetime:
    """The aware local moment ``at`` on ``day``."""
    return datetime.combine(day, at, tzinfo=zone(tz_name))


def _minute(moment: datetime) -> time:
    """The local time of day of ``moment`` to the minute (as the configured times are)."""
    return moment.time().replace(second=0, microsecond=0)


def night_of(rt: Runtime, moment: datetime | None = None) -> date:
    """Return the bed night a moment belongs to (before check-out time: the night before)."""
    here = local(moment or rt.now(), rt.config.site.timezone)
    if _minute(here) < rt.config.beds.checkout:
        return here.date() - timedelta(days=1)
    return here.date()


def is_morning(rt: Runtime, moment: datetime | None = None) -> bool:
    """True from the day shift's start until ``checkout_time``: last night is ending.

    Then "tonight" is ambiguous: the board names both nights, and a check-in
    books the coming night unless the user chooses last night.
    """
    here = local(moment or rt.now(), rt.config.site.timezone)
    return rt.config.shifts.day <= _minute(here) < rt.config.beds.checkout


def booking_night(rt: Runtime, moment: datetime | None = None) -> date:
    """Return the night a check-in books by default: the coming night in the morning."""
    night = night_of(rt, moment)
    return night + timedelta(days=1) if is_morning(rt, moment) else night


def checkout_moment(rt: Runtime, last_night: date) -> datetime:
    """Return the planned check-out (aware, local) after ``last_night``."""
    return local_moment(
        last_night + timedelta(days=1), rt.config.beds.checkout, rt.config.site.timezone
    )


def reservation_deadline(rt: Runtime, night: date) -> datetime:
    """Return when a reservation for ``night`` lapses (aware UTC)."""
    beds = rt.config.beds
    day = night
    if beds.expiry < beds.checkout:
        day = night + timedelta(days=1)
    deadline = local_moment(day, beds.expiry, rt.config.site.timezone)
    return deadline.astimezone(zone("UTC"))


def chosen_night(rt: Runtime, night: date | None, *, reserve: bool, board_nights: int) -> date:
    """The night a check-in or reservation books (refused outside what it may book).

    A check-in books the coming night; in the morning (before ``checkout_time``)
    last night only when chosen. A reservation books from the coming night up
    to the board's last night.
    """

    last_night = night_of(rt)
    coming = booking_night(rt)
    chosen = night or coming
    if not reserve:
        if chosen not in (last_night, coming):
            raise ValidationError("En indtjekning gælder i nat.", "night")
        return chosen
    if not coming <= chosen < last_night + timedelta(days=board_nights):
        raise ValidationError("En reservation kan kun gælde i nat og de næste tre nætter.", "night")
    return chosen
