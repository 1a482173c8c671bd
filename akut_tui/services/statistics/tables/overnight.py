"""``overnight``: bed-nights (occupancy), stays, guests and bed requests refused."""

from __future__ import annotations

import peewee as pw

from akut_tui.services.night.out_of_service import nights_out
from akut_tui.services.statistics.dto import FIXED_DENOMINATOR, RawRow, RawTable
from akut_tui.services.statistics.tables.kit import Scope, TableSpec, figures, rows
from db.models import Bed, BedRequest, Stay, StayNight

MIN_BED_DAYS = 28
"""Shorter periods get no bed figures (a stay could be pinned to its nights)."""
REQUESTS = (
    ("ingen_ledig_seng", "Ønsket seng, ingen ledig", "ingen_ledig"),
    ("afvist_udelukket", "Afvist (rus, truende, forstyrrende)", "udelukket"),
    ("afvist_fjerde_nat", "Afvist nat ud over grænsen", "max_naetter"),
)


def bed_figures(scope: Scope) -> dict[str, int]:
    """Nights by local night date, stays and guests by check-in, requests by reason.

    Reservations not (yet) checked in are not stays and their nights are not bed-nights.
    """
    nights = (
        StayNight.select()
        .join(Stay)
        .where(StayNight.night_date.between(scope.first, scope.last), Stay.reserved == False)  # noqa: E712
        .count()
    )
    stay_row = (
        Stay.select(pw.fn.COUNT(Stay.id), pw.fn.COUNT(pw.fn.DISTINCT(Stay.person)))
        .where(
            Stay.checked_in_at >= scope.lo,
            Stay.checked_in_at < scope.hi,
            Stay.reserved == False,  # noqa: E712
        )
        .tuples()
        .first()
    )
    requests = rows(
        BedRequest.select(BedRequest.reason, pw.fn.COUNT(BedRequest.id))
        .where(BedRequest.requested_at >= scope.lo, BedRequest.requested_at < scope.hi)
        .group_by(BedRequest.reason)
    )
    result = {"nights": int(nights), "stays": 0, "guests": 0}
    if stay_row:
        result["stays"], result["guests"] = int(stay_row[0] or 0), int(stay_row[1] or 0)
    for reason, n in requests:
        result[f"request:{reason}"] = int(n)
    return result


def build(scope: Scope) -> RawTable:
    """Bed figures; the denominator is the bed-nights in service in the period."""
    found = bed_figures(scope)
    beds = Bed.select().count()
    days = (scope.last - scope.first).days + 1
    # Beds out of service count as they were then, from their history, not today's flag.
    capacity = int(beds) * days - nights_out(scope.first, scope.last, scope.tz)
    out = [
        RawRow("naetter", "Sengenætter (andel = belægning)", found["nights"]),
        RawRow("ophold", "Ophold", found["stays"]),
        RawRow("gaester", "Forskellige gæster", found["guests"]),
        *(RawRow(code, label, found.get(f"request:{r}", 0)) for code, label, r in REQUESTS),
    ]
    note = "Nævner = sengenætter i drift i perioden (ude af drift-perioder trukket fra)."
    table = figures("overnight", "Overnatning", capacity, out, note)
    table.share_codes = ("naetter",)
    table.denominator_key = FIXED_DENOMINATOR  # beds x nights: no one's figure
    table.additive_codes = tuple(r.code for r in out if r.code != "gaester")  # distinct
    if days < MIN_BED_DAYS:  # bed data monthly only
        table.withheld = True
        table.note = "Sengetal vises kun for perioder på mindst en måned."
    return table


TABLE = TableSpec("overnight", 190, build, summable=False)
