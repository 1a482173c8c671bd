"""The derived half of a handover: a shift's own figures, computed at display time.

Nothing here is copied into a note: the figures are recomputed every time a
handover is shown, so a later correction of a contact shows up at once and no
per-citizen text accumulates (docs/domain.md §2.7). Bed lines name no guest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, cast

import peewee as pw

from akut_tui.core.clock import SHIFT_LABELS, format_date, zone
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import label_for
from akut_tui.services.night.beds import live_nights, night_of
from akut_tui.services.night.dto import DECISION_LABELS, DerivedFigures
from akut_tui.services.night.outreach import trips_between
from db.models import Bed, BedRequest, Contact, ContactValue, FollowUp

SHIFTS: tuple[str, ...] = ("dag", "aften", "nat")
NOT_ASSESSED = "Ikke vurderet"


def shift_label(shift: str, shift_date: date) -> str:
    """Return e.g. ``Nat 20-11-2026``."""
    return f"{SHIFT_LABELS.get(shift, shift)} {format_date(shift_date)}"


def previous_shift(shift: str, shift_date: date) -> tuple[str, date]:
    """Return the shift before (dag D → nat D-1, aften D → dag D, nat D → aften D)."""
    index = SHIFTS.index(shift)
    if index == 0:
        return "nat", shift_date - timedelta(days=1)
    return SHIFTS[index - 1], shift_date


def next_shift(shift: str, shift_date: date) -> tuple[str, date]:
    """Return the shift after."""
    index = SHIFTS.index(shift)
    if index == len(SHIFTS) - 1:
        return "dag", shift_date + timedelta(days=1)
    return SHIFTS[index + 1], shift_date


def _start(rt: Runtime, shift: str, shift_date: date) -> datetime:
    cfg = rt.config.shifts
    start = {"dag": cfg.day, "aften": cfg.evening, "nat": cfg.night}[shift]
    return datetime.combine(shift_date, start, tzinfo=zone(rt.config.site.timezone))


def shift_window(rt: Runtime, shift: str, shift_date: date) -> tuple[datetime, datetime]:
    """Return the aware [start, end) of a shift (DST-safe: local wall-clock starts)."""
    return _start(rt, shift, shift_date), _start(rt, *next_shift(shift, shift_date))


def _counted(query: Any) -> list[tuple[Any, int]]:
    return [(code, int(n)) for code, n in cast(Iterable[tuple[Any, int]], query)]


def _bed_lines(rt: Runtime, night: date) -> tuple[tuple[str, str], ...]:
    maximum = rt.config.beds.max_consecutive_nights
    booked = {row[0]: row for row in live_nights(rt, night, night)}
    lines = []
    for bed in Bed.select().order_by(Bed.sort_order, Bed.id):
        row = booked.get(bed.id)
        if bed.out_of_service:
            text = "Ude af drift" + (
                f": {bed.out_of_service_reason}" if bed.out_of_service_reason else ""
            )
        elif row is None:
            text = "Ledig"
        elif row[5]:
            text = "Reserveret"
        else:
            decision = DECISION_LABELS.get(row[3], "") if row[3] else "beslutning mangler"
            text = f"Optaget {row[2]}/{maximum} · {decision}"
        lines.append((str(bed.name), text))
    return tuple(lines)


def derived_figures(rt: Runtime, shift: str, shift_date: date) -> DerivedFigures:
    """Compute a shift's figures (needs an open connection)."""
    start, end = shift_window(rt, shift, shift_date)
    in_shift = (Contact.shift == shift) & (Contact.shift_date == shift_date)
    levels = _counted(
        Contact.select(Contact.crisis_level, pw.fn.COUNT(Contact.id))
        .where(in_shift)
        .group_by(Contact.crisis_level)
        .tuples()
    )
    by_level = dict(levels)
    ordered = [
        (label_for("crisis_level", code), by_level[code])
        for code in ("alvorlig", "middel", "let", "ikke_krise")
        if code in by_level
    ]
    unassessed = sum(n for code, n in levels if code is None)
    if unassessed:
        ordered.append((NOT_ASSESSED, unassessed))
    escalations = _counted(
        ContactValue.select(ContactValue.code, pw.fn.COUNT(ContactValue.id))
        .join(Contact)
        .where(in_shift, ContactValue.list_name == "escalation")
        .group_by(ContactValue.code)
        .order_by(ContactValue.code)
        .tuples()
    )
    turned = _counted(
        Contact.select(Contact.turned_away, pw.fn.COUNT(Contact.id))
        .where(in_shift, Contact.turned_away.is_null(False))
        .group_by(Contact.turned_away)
        .order_by(Contact.turned_away)
        .tuples()
    )
    followups = (
        FollowUp.select()
        .where(FollowUp.done_at.is_null(), FollowUp.due_date <= shift_date + timedelta(days=1))
        .count()
    )
    unmet = (
        BedRequest.select()
        .where(
            BedRequest.reason == "ingen_ledig",
            BedRequest.requested_at >= start,
            BedRequest.requested_at < end,
        )
        .count()
    )
    night = min(night_of(rt), shift_date)  # the night in progress, or the shift's own night
    return DerivedFigures(
        contacts_by_level=tuple(ordered),
        contacts_total=sum(n for _, n in levels),
        severe=by_level.get("alvorlig", 0),
        escalations=tuple((label_for("escalation", c), n) for c, n in escalations),
        beds=_bed_lines(rt, night),
        followups_due=followups,
        turned_away=tuple((label_for("turn_away", c), n) for c, n in turned),
        unmet_bed_requests=unmet,
        trips=tuple(trips_between(start, end)),
    )
