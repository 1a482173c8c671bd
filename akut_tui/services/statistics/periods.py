"""Statistics periods: parsing ``2015Q3``, ``2015-07``, ``2015``, ``last-quarter``, ``all``.

A period is a pair of inclusive local dates. A contact belongs to it by the
local date on which it started; the database is asked with the UTC bounds of
the local period (:func:`utc_bounds`), which stay exact across daylight saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from akut_tui.core.clock import zone
from akut_tui.core.errors import ValidationError
from db.utctime import stored_utc

PERIOD_HELP = (
    "2015Q3, 2015-07, 2015, last-quarter, last-month, last-year, last-4-quarters eller all"
)
GRID_HELP = (
    "Med skjulning af små tal kan kun hele kalenderperioder vises: en måned (2015-07), "
    "et kvartal (2015Q3), et år (2015), last-month, last-quarter, last-year, "
    "last-4-quarters, all, eller --from den 1. i en måned og --to den sidste dag i en måned."
)


@dataclass(frozen=True)
class Period:
    """Inclusive local dates; ``label`` names it in exports (e.g. ``2015Q3``)."""

    first: date
    last: date
    label: str


def quarter_of(day: date) -> int:
    """Return the quarter (1-4) of ``day``."""
    return (day.month - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    """The last day of ``month``."""
    # Lazy: keeps the TUI start from loading dateutil before the first paint.
    from dateutil.relativedelta import relativedelta

    end: date = date(year, month, 1) + relativedelta(months=1, days=-1)
    return end


def parse_date(text: str) -> date:
    """Parse an ISO ``YYYY-MM-DD`` or Danish ``dd-mm-åååå`` date; Danish message on error."""
    text = text.strip()
    for pattern, order in (
        (r"(\d{4})-(\d{2})-(\d{2})", "ymd"),
        (r"(\d{2})-(\d{2})-(\d{4})", "dmy"),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            try:
                return date(a, b, c) if order == "ymd" else date(c, b, a)
            except ValueError:
                break
    raise ValidationError(f"Ugyldig dato {text!r}; skriv ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ.", "period")


def parse_period(text: str, today: date, all_range: tuple[date, date] | None = None) -> Period:
    """Parse a period name relative to ``today`` (local).

    ``all_range`` is the (first, last) local date holding data, used by ``all``.
    """
    # Lazy: keeps the TUI start from loading dateutil before the first paint.
    from dateutil.relativedelta import relativedelta

    spec = text.strip().lower()
    if match := re.fullmatch(r"(\d{4})q([1-4])", spec):
        year, q = int(match[1]), int(match[2])
        return Period(date(year, 3 * q - 2, 1), month_end(year, 3 * q), f"{year}Q{q}")
    if match := re.fullmatch(r"(\d{4})-(\d{2})", spec):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(date(year, month, 1), month_end(year, month), f"{year}-{month:02d}")
    if re.fullmatch(r"\d{4}", spec):
        year = int(spec)
        return Period(date(year, 1, 1), date(year, 12, 31), spec)
    if spec == "last-quarter":
        start = date(today.year, 3 * quarter_of(today) - 2, 1) - relativedelta(months=3)
        return parse_period(f"{start.year}Q{quarter_of(start)}", today)
    if spec == "last-month":
        start = today.replace(day=1) - relativedelta(months=1)
        return parse_period(f"{start.year}-{start.month:02d}", today)
    if spec == "last-4-quarters":
        end = date(today.year, 3 * quarter_of(today) - 2, 1) - timedelta(days=1)
        start = end.replace(day=1) - relativedelta(months=11)
        return Period(start, end, "last-4-quarters")
    if spec == "last-year":
        return parse_period(str(today.year - 1), today)
    if spec == "all":  # whole years: the sum of the years holding data
        first, last = all_range or (today, today)
        return Period(date(first.year, 1, 1), date(last.year, 12, 31), "all")
    raise ValidationError(f"Ukendt periode {text!r}; brug {PERIOD_HELP}.", "period")


def custom_period(first_text: str, last_text: str) -> Period:
    """A period from two inclusive dates (``--from``/``--to``)."""
    first, last = parse_date(first_text), parse_date(last_text)
    if last < first:
        raise ValidationError("Slutdatoen ligger før startdatoen.", "period")
    return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")


def on_grid(period: Period) -> bool:
    """True if the period is a run of whole calendar months."""
    return period.first.day == 1 and period.last == month_end(period.last.year, period.last.month)


def require_grid(period: Period) -> None:
    """Refuse a period that is not whole months (suppressed figures only exist on the grid)."""
    if not on_grid(period):
        raise ValidationError(
            f"Perioden {period.first:%d-%m-%Y} til {period.last:%d-%m-%Y} er ikke hele måneder. "
            + GRID_HELP,
            "period",
        )


def utc_bounds(period: Period, tz_name: str) -> tuple[datetime, datetime]:
    """Naive UTC [lo, hi) covering the local days ``first`` .. ``last``."""
    tz = zone(tz_name)
    lo = datetime.combine(period.first, time(0), tzinfo=tz)
    hi = datetime.combine(period.last + timedelta(days=1), time(0), tzinfo=tz)
    return stored_utc(lo), stored_utc(hi)  # compared as stored text in db.stats_queries


def split(period: Period, by: str) -> list[Period]:
    """Cut a period into calendar months or quarters (clipped to the period)."""
    # Lazy: keeps the TUI start from loading dateutil before the first paint.
    from dateutil.relativedelta import relativedelta

    step = 1 if by == "month" else 3
    month = period.first.month if by == "month" else 3 * quarter_of(period.first) - 2
    start = date(period.first.year, month, 1)
    parts = []
    while start <= period.last:
        end = start + relativedelta(months=step, days=-1)
        label = (
            f"{start.year}-{start.month:02d}"
            if by == "month"
            else f"{start.year}Q{quarter_of(start)}"
        )
        parts.append(Period(max(start, period.first), min(end, period.last), label))
        start = end + timedelta(days=1)
    return parts
