"""The overnight bed board (docs/domain.md §3, §9.1, §9.11; docs/security.md rows 2 and 10).

A *bed night* of date D runs from the evening of D until ``beds.checkout_time``
on D+1, so at 02:00 "tonight" is still yesterday's date. The board shows every
bed for tonight and the next three nights. Reservations that were not taken
up by ``beds.reservation_expiry`` count as free at once, and are released for
good by the next write (:func:`release_expired`). Booking rules live in
:mod:`akut_tui.services.night.stays`; this module holds the board, the shared
helpers, the "requested, no bed free" log and the out-of-service switch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, cast

import peewee as pw

from akut_tui.core.clock import zone
from akut_tui.core.cpr import mask_cpr, redact_cpr
from akut_tui.core.errors import AkutError, NotFound, PermissionDenied, ValidationError
from akut_tui.core.permissions import LEADER
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.night import changes
from akut_tui.services.night.bed_nights import booking_night as booking_night
from akut_tui.services.night.bed_nights import checkout_moment as checkout_moment
from akut_tui.services.night.bed_nights import is_morning as is_morning
from akut_tui.services.night.bed_nights import local_moment
from akut_tui.services.night.bed_nights import night_of as night_of
from akut_tui.services.night.bed_nights import reservation_deadline as reservation_deadline
from akut_tui.services.night.dto import (
    FREE,
    OCCUPIED,
    OUT_OF_SERVICE,
    RESERVED,
    SLEPT,
    BedBoard,
    BedCell,
    BedRow,
)
from akut_tui.services.night.out_of_service import close_period, open_period
from db.models import Bed, BedRequest, Contact, Person, Stay, StayNight
from db.queries import lock_row

BOARD_NIGHTS = 4
"""Tonight and the next three nights."""
REASON_MAX = 120
OVERRIDE_MIN = 10
OVERRIDE_MAX = 200
TAKEN = "Sengen blev netop optaget af en kollega. Vælg en anden seng."


class BedTaken(AkutError):
    """The bed was booked by someone else first (the losing side of a race)."""


def guest_label(person_id: int, nickname: str | None) -> str:
    """Return a guest's pseudonym: the nickname, else "Gæst nr. N" (never the CPR).

    A nickname stored before the model layer refused CPR-like text is shown
    redacted, as the persons list shows it.
    """
    if nickname:
        return redact_cpr(clean_text(nickname, max_length=60))
    return f"Gæst nr. {person_id}"


def lock_beds(bed_id: int | None = None) -> None:
    """Serialise bed writers; call first inside the write transaction.

    SQLite already holds the write lock (BEGIN IMMEDIATE). On PostgreSQL the
    counter bump takes a row lock that queues every bed writer, and the bed row
    itself is locked with ``SELECT ... FOR UPDATE``.
    """
    changes.bump(changes.BEDS)
    if bed_id is not None:
        lock_row(Bed, bed_id)


def audit_stay(
    rt: Runtime, session: SignedInUser | None, action: str, stay_id: int, person_id: int
) -> None:
    """Audit one action on a stay (``session`` None for the system's own releases)."""
    audit.record(
        rt, action, actor=session, object_type="stay", object_id=stay_id, person_ref=person_id
    )


def _night_rows() -> Any:
    """Booked nights joined to their stay and guest, in the column order the board reads."""
    return (
        StayNight.select(
            StayNight.bed,
            StayNight.night_date,
            StayNight.night_number,
            StayNight.decision,
            Stay.id,
            Stay.reserved,
            Stay.reserved_until,
            Person.id,
            Person.nickname,
            Person.cpr_plain,
            Person.cpr_key,
        )
        .join(Stay)
        .join(Person)
    )


def release_expired(rt: Runtime) -> int:
    """Release reservations past their deadline (inside a bed write); return how many."""
    now = rt.now()
    expired = list(
        Stay.select(Stay.id, Stay.person).where(
            Stay.reserved == True,  # noqa: E712 - SQL comparison
            Stay.ended_reason.is_null(),
            Stay.reserved_until <= now,
        )
    )
    for stay in expired:
        StayNight.delete().where(StayNight.stay == stay.id).execute()
        Stay.update(ended_reason="udloebet").where(Stay.id == stay.id).execute()
        audit_stay(rt, None, "stay.reservation_expired", stay.id, stay.person_id)
    return len(expired)


def live_nights(rt: Runtime, first: date, last: date) -> Any:
    """Booked nights in [first, last] that still hold a bed (not checked out, not lapsed)."""
    now = rt.now()
    return (
        _night_rows()
        .where(
            StayNight.night_date.between(first, last),
            Stay.checked_out_at.is_null(),
            Stay.ended_reason.is_null(),
            (Stay.reserved == False) | (Stay.reserved_until > now),  # noqa: E712
        )
        .tuples()
    )


def _overdue(tonight: date) -> dict[int, tuple[Any, ...]]:
    """Bed → the last night of an open stay whose nights are all over (not checked out)."""
    current = StayNight.select(StayNight.stay).where(StayNight.night_date >= tonight)
    rows = (
        _night_rows()
        .where(
            Stay.checked_out_at.is_null(),
            Stay.ended_reason.is_null(),
            Stay.reserved == False,  # noqa: E712 - SQL comparison
            Stay.id.not_in(current),
        )
        .order_by(StayNight.night_date)
        .tuples()
    )
    # The latest night per bed wins (rows come oldest first).
    return {row[0]: row for row in cast(Iterable[tuple[Any, ...]], rows)}


def _last_nights(stay_ids: Iterable[int]) -> dict[int, date]:
    ids = list(stay_ids)
    if not ids:
        return {}
    query = (
        StayNight.select(StayNight.stay, pw.fn.MAX(StayNight.night_date))
        .where(StayNight.stay.in_(ids))
        .group_by(StayNight.stay)
        .tuples()
    )
    return dict(cast(Iterable[tuple[int, date]], query))


def board(rt: Runtime, session: SignedInUser) -> BedBoard:
    """Return every bed for tonight and the next nights; audited per guest shown."""
    tonight = night_of(rt)
    coming = booking_night(rt)
    nights = tuple(tonight + timedelta(days=i) for i in range(BOARD_NIGHTS))
    maximum = rt.config.beds.max_consecutive_nights
    tz = rt.config.site.timezone
    with connection():
        require(session, "beds.view")
        beds = list(Bed.select().order_by(Bed.sort_order, Bed.id))
        booked: dict[tuple[int, date], tuple[Any, ...]] = {}
        for row in live_nights(rt, nights[0], nights[-1]):
            night = row[1] if isinstance(row[1], date) else date.fromisoformat(str(row[1]))
            booked[(row[0], night)] = row
        for bed_id, row in _overdue(tonight).items():
            booked.setdefault((bed_id, tonight), row)  # shown tonight until checked out
        slept = _slept(nights[0], nights[-1])
        last = _last_nights({row[4] for row in booked.values()})
        persons: set[int] = set()
        rows = []
        free = missing = 0
        deadlines: list[datetime] = []
        for bed in beds:
            cells = []
            for night in nights:
                row = booked.get((bed.id, night))
                if bed.out_of_service:
                    cell = BedCell(OUT_OF_SERVICE, reason=bed.out_of_service_reason or "")
                elif row is None:
                    cell = BedCell(SLEPT if (bed.id, night) in slept else FREE)
                else:
                    (
                        _,
                        booked_night,
                        number,
                        decision,
                        stay_id,
                        reserved,
                        until,
                        pid,
                        nick,
                        plain,
                        key,
                    ) = row
                    persons.add(pid)
                    if reserved and until is not None:
                        deadlines.append(until.replace(tzinfo=zone("UTC")))
                    out = checkout_moment(rt, last.get(stay_id, night)).astimezone(zone(tz))
                    lacking = not reserved and night == tonight and decision is None
                    cell = BedCell(
                        RESERVED if reserved else OCCUPIED,
                        stay_id=stay_id,
                        guest=guest_label(pid, nick),
                        cpr_masked=mask_cpr(plain) if (plain or key) else "",
                        night_label="" if reserved else f"{number}/{maximum}",
                        checkout=f"{out.day:02d}-{out.month:02d} {out.hour:02d}:{out.minute:02d}",
                        decision=decision,
                        decision_missing=lacking,
                        overdue=_as_date(booked_night) < night,
                    )
                if night == coming:
                    free += cell.status == FREE
                if night == tonight:
                    missing += cell.decision_missing
                cells.append(cell)
            rows.append(BedRow(bed.id, bed.name, bool(bed.out_of_service), tuple(cells)))
    if persons:  # only a board that shows guests is a read of personal data
        with write_transaction():
            for pid in sorted(persons):
                audit.record_person(rt, "beds.view", session, pid)
    rollover = local_moment(tonight + timedelta(days=1), rt.config.beds.checkout, tz)
    deadlines.append(rollover.astimezone(zone("UTC")))
    morning_starts = local_moment(tonight + timedelta(days=1), rt.config.shifts.day, tz)
    if morning_starts > rt.now():
        deadlines.append(morning_starts.astimezone(zone("UTC")))
    return BedBoard(nights, tuple(rows), free, missing, min(deadlines), coming=nights.index(coming))


def _slept(first: date, last: date) -> set[tuple[int, date]]:
    """(bed, night) held by a stay already checked out: the night was slept, not bookable."""
    rows = (
        StayNight.select(StayNight.bed, StayNight.night_date)
        .join(Stay)
        .where(StayNight.night_date.between(first, last), Stay.checked_out_at.is_null(False))
        .tuples()
    )
    return {(bed, _as_date(night)) for bed, night in cast(Iterable[tuple[int, Any]], rows)}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def free_beds(rt: Runtime, night: date) -> list[int]:
    """Return the ids of bookable beds free on ``night`` (inside a transaction)."""
    taken = {row[0] for row in live_nights(rt, night, night)}
    taken |= {bed for bed, _night in _slept(night, night)}
    beds = Bed.select(Bed.id).where(Bed.out_of_service == False).order_by(Bed.sort_order)  # noqa: E712
    return [b.id for b in beds if b.id not in taken]


def log_bed_request(rt: Runtime, session: SignedInUser, contact_id: int | None = None) -> int:
    """Log "Ønsket, ingen ledig seng" (unmet demand); refused while a bed is free tonight."""
    with write_transaction():
        require(session, "beds.checkin")
        lock_beds()
        release_expired(rt)
        if free_beds(rt, booking_night(rt)):
            raise ValidationError(
                "Der er en ledig seng i nat. Tjek gæsten ind i stedet for at logge et afslag."
            )
        if contact_id is not None and Contact.get_or_none(Contact.id == contact_id) is None:
            raise NotFound("Henvendelsen findes ikke.")
        request = BedRequest.create(
            requested_at=rt.now(),
            reason="ingen_ledig",
            contact=contact_id,
            created_by=session.user_id,
        )
        audit.record(
            rt, "beds.request", actor=session, object_type="bed_request", object_id=request.id
        )
        return int(request.id)


def set_out_of_service(rt: Runtime, session: SignedInUser, bed_id: int, reason: str | None) -> None:
    """Take a bed out of service with a reason (``None`` puts it back); leader only, audited."""
    text = clean_text(reason or "").strip()
    if reason is not None and not text:
        raise ValidationError("Skriv hvorfor sengen er ude af drift.", "reason")
    if len(text) > REASON_MAX:
        raise ValidationError(f"Begrundelsen må højst være {REASON_MAX} tegn.", "reason")
    with write_transaction():
        require(session, "beds.configure")
        lock_beds(bed_id)
        bed = Bed.get_or_none(Bed.id == bed_id)
        if bed is None:
            raise NotFound("Sengen findes ikke.")
        if reason is not None and any(
            row[0] == bed_id for row in live_nights(rt, night_of(rt), date.max)
        ):
            raise ValidationError(
                "Sengen er booket; tjek gæsten ud eller flyt bookingen til en anden seng (m)."
            )
        Bed.update(out_of_service=reason is not None, out_of_service_reason=text or None).where(
            Bed.id == bed_id
        ).execute()
        if reason is not None:
            open_period(bed_id, rt.now(), text, session.user_id)
        else:
            close_period(bed_id, rt.now(), session.user_id)
        audit.record(
            rt,
            "beds.out_of_service" if reason is not None else "beds.in_service",
            actor=session,
            object_type="bed",
            object_id=bed_id,
        )


def leader_override(session: SignedInUser, role: str, text: str, what: str) -> str:
    """Return the cleaned override reason, or refuse (not a leader, too short or long)."""
    reason = clean_text(text).strip()
    if role != LEADER:
        raise PermissionDenied(f"{what} Kun en leder kan tillade en undtagelse med begrundelse.")
    if len(reason) < OVERRIDE_MIN:
        raise ValidationError(
            f"{what} Skriv en begrundelse på mindst {OVERRIDE_MIN} tegn for undtagelsen.",
            "override_reason",
        )
    if len(reason) > OVERRIDE_MAX:
        raise ValidationError(f"Begrundelsen må højst være {OVERRIDE_MAX} tegn.", "override_reason")
    return reason


def book_night(
    stay_id: int,
    bed_id: int,
    night: date,
    number: int,
    override: str | None,
    *,
    check_only: bool = False,
) -> None:
    """Book ``night`` of a stay in a bed, or raise :class:`BedTaken` (check only on request)."""
    holder = (
        StayNight.select(Stay.checked_out_at)
        .join(Stay)
        .where(StayNight.bed == bed_id, StayNight.night_date == night)
        .tuples()
        .first()
    )
    if holder is not None:
        if holder[0] is not None:
            raise BedTaken("En gæst har sovet i sengen efter midnat i nat; vælg en anden seng.")
        raise BedTaken(TAKEN)
    if check_only:
        return
    StayNight.create(
        stay=stay_id, bed=bed_id, night_date=night, night_number=number, override_reason=override
    )


def open_stay(stay_id: int) -> Stay:
    """Return a stay that is neither checked out nor ended, else raise NotFound."""
    stay = Stay.get_or_none(Stay.id == stay_id)
    if stay is None or stay.ended_reason is not None or stay.checked_out_at is not None:
        raise NotFound("Opholdet findes ikke eller er afsluttet.")
    return stay
