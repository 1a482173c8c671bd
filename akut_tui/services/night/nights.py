"""Stays after arrival: the nightly decision, check-out and cancelling a reservation.

Each night of a stay ends in a recorded decision (docs/domain.md §9.1): *forlæng*
books the next night in the same bed (refused past ``max_consecutive_nights``
unless a leader overrides with a reason, audited), *afslut* and *henvist
videre* (with where to) end the stay after this night. A decision may be
changed while the next night has not begun; a changed *forlæng* frees the
night it booked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import peewee as pw

from akut_tui.core.clock import format_datetime, local, not_ahead, shift_of
from akut_tui.core.errors import PermissionDenied, ValidationError
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import require
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.night import bed_requests
from akut_tui.services.night.beds import (
    BedTaken,
    audit_stay,
    book_night,
    guest_label,
    leader_override,
    lock_beds,
    night_of,
    open_stay,
)
from akut_tui.services.night.dto import DECISION_LABELS, StayResult
from akut_tui.services.night.rules import (
    at_minute,
    begun_nights,
    earliest_checkout,
    night_limit_text,
    nights_in_a_row_before,
)
from db.models import Bed, Contact, ContactValue, Person, Stay, StayNight

REFERRED_MAX = 120


def cancel_reservation(rt: Runtime, session: SignedInUser, stay_id: int) -> None:
    """Cancel a reservation and free its nights; audited."""
    with write_transaction():
        require(session, "beds.checkin")
        lock_beds()
        stay = open_stay(stay_id)
        if not stay.reserved:
            raise ValidationError("Kun en reservation kan annulleres; brug tjek ud.")
        StayNight.delete().where(StayNight.stay == stay.id).execute()
        Stay.update(ended_reason="annulleret").where(Stay.id == stay.id).execute()
        audit_stay(rt, session, "stay.cancel", stay.id, stay.person_id)


def decide_night(
    rt: Runtime,
    session: SignedInUser,
    stay_id: int,
    decision: str,
    *,
    referred_to: str = "",
    override_reason: str = "",
) -> StayResult:
    """Record tonight's decision: forlæng (books the next night), afslut or henvist videre."""
    if decision not in DECISION_LABELS:
        raise ValidationError("Vælg forlæng, afslut eller henvist videre.", "decision")
    where = clean_text(referred_to).strip()
    if decision == "henvist" and not where:
        raise ValidationError("Skriv hvor gæsten er henvist til.", "referred_to")
    if len(where) > REFERRED_MAX:
        raise ValidationError(f"Højst {REFERRED_MAX} tegn om henvisningen.", "referred_to")
    maximum = rt.config.beds.max_consecutive_nights
    past_maximum = False
    try:
        with write_transaction():
            role = require(session, "beds.decide_night")
            lock_beds()
            stay = open_stay(stay_id)
            if stay.reserved:
                raise ValidationError("Gæsten er ikke ankommet endnu.")
            # Tonight's night, or the last one if the stay ran out without a check-out.
            night = (
                StayNight.select()
                .where(StayNight.stay == stay.id, StayNight.night_date <= night_of(rt))
                .order_by(StayNight.night_date.desc())
                .first()
            )
            if night is None:
                raise ValidationError("Opholdet har ingen nat i nat at træffe beslutning om.")
            tonight = night.night_date
            following = StayNight.get_or_none(
                StayNight.stay == stay.id, StayNight.night_date == tonight + timedelta(days=1)
            )
            override = None
            if decision == "forlaeng" and following is None:
                # Counted across stays: checking out and in again does not reset the run.
                run = nights_in_a_row_before(stay.person_id, tonight + timedelta(days=1)) + 1
                if run > maximum:
                    past_maximum = True
                    override = leader_override(
                        session, role, override_reason, night_limit_text(run, maximum)
                    )
                book_night(
                    stay.id,
                    stay.bed_id,
                    tonight + timedelta(days=1),
                    night.night_number + 1,
                    override,
                )
            elif decision != "forlaeng" and following is not None:
                StayNight.delete().where(
                    StayNight.stay == stay.id, StayNight.night_date > tonight
                ).execute()
            StayNight.update(
                decision=decision,
                decided_by=session.user_id,
                decided_at=rt.now(),
                referred_to=where if decision == "henvist" else None,
            ).where(StayNight.id == night.id).execute()
            audit_stay(rt, session, f"stay.decision.{decision}", stay.id, stay.person_id)
            if override:
                audit_stay(rt, session, "stay.override_max", stay.id, stay.person_id)
                # Refused for staff, then granted: the request ended granted, not refused.
                bed_requests.withdraw_granted(rt, session, stay.id, "max_naetter")
            person = Person.get_by_id(stay.person_id)
            bed = Bed.get_by_id(stay.bed_id)
    except pw.IntegrityError:
        raise BedTaken("Sengen er allerede booket i morgen nat.") from None
    except PermissionDenied:
        if past_maximum:  # the night rule refused the extension: counted as unmet demand
            _log_refused_night(rt, session, stay_id)
        raise
    guest = guest_label(person.id, person.nickname)
    return StayResult(
        stay.id,
        bed.name,
        tonight,
        night.night_number,
        guest,
        stay.contact_id,
        f"{guest}: {DECISION_LABELS[decision]} er registreret for nat {night.night_number}.",
    )


def check_out(
    rt: Runtime, session: SignedInUser, stay_id: int, at: datetime | None = None
) -> StayResult:
    """Check a guest out at ``at`` (default now; not in the future); frees later nights."""
    now = rt.now()
    moment = at or now
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use an aware datetime")
    moment = not_ahead(moment, now)
    if moment > now:
        raise ValidationError("Tidspunktet for udtjekning kan ikke ligge i fremtiden.", "at")
    with write_transaction():
        require(session, "beds.checkin")
        lock_beds()
        stay = open_stay(stay_id)
        if stay.reserved:
            raise ValidationError("Gæsten er ikke ankommet; annullér reservationen i stedet.")
        tz = rt.config.site.timezone
        begun = begun_nights(stay, now, tz)
        earliest = at_minute(earliest_checkout(stay, now, tz))
        if at_minute(moment) < earliest:
            raise ValidationError(_too_early(earliest, bool(begun), tz), "at")
        last = night_of(rt, moment)
        if local(moment, tz).date() == last:
            # Left before midnight: this night was not slept here and the bed is free again.
            last -= timedelta(days=1)
        if begun:  # a night that has begun is slept: never deleted, whatever the time typed
            last = max(last, begun[-1])
        StayNight.delete().where(StayNight.stay == stay.id, StayNight.night_date > last).execute()
        Stay.update(checked_out_at=moment, ended_reason="udtjekket").where(
            Stay.id == stay.id
        ).execute()
        audit_stay(rt, session, "stay.checkout", stay.id, stay.person_id)
        person = Person.get_by_id(stay.person_id)
        bed = Bed.get_by_id(stay.bed_id)
    guest = guest_label(person.id, person.nickname)
    return StayResult(stay.id, bed.name, last, 0, guest, stay.contact_id, f"{guest} er tjekket ud.")


def _too_early(earliest: datetime, begun: bool, tz: str) -> str:
    when = format_datetime(earliest, tz)
    if begun:
        return (
            f"Udtjekning kan ikke ligge før {when}: natten er begyndt og tæller som overnattet. "
            "Brug tidspunktet gæsten gik (efter midnat)."
        )
    return f"Udtjekning kan ikke ligge før indtjekningen ({when})."


def overnight_contact(rt: Runtime, session: SignedInUser) -> int | None:
    """The newest contact of this shift marked "Overnatning" that no stay came from yet.

    The bed board offers it as the contact to check in from, so a stay starts
    from the contact that led to it.
    """

    shift, day = shift_of(rt.now(), rt.config.shifts, rt.config.site.timezone)
    with connection():
        require(session, "beds.checkin")
        marked = (
            Contact.select(Contact.id)
            .join(ContactValue)
            .where(
                Contact.shift == shift,
                Contact.shift_date == day,
                ContactValue.list_name == "action",
                ContactValue.code == "overnatning",
            )
            .order_by(Contact.started_at.desc(), Contact.id.desc())
        )
        for contact in marked:
            used = Stay.select().where(Stay.contact == contact.id).exists() or (
                Stay.select()
                .join(Contact, on=(Stay.contact == Contact.id))
                .where(Contact.linked_to == contact.id)
                .exists()
            )
            if not used:
                return int(contact.id)
    return None


def _log_refused_night(rt: Runtime, session: SignedInUser, stay_id: int) -> None:
    """Record an extension refused by ``max_consecutive_nights`` (statistics: ``overnight``).

    One row per stay, however often the extension is tried again.
    """
    with write_transaction():
        stay = Stay.get_by_id(stay_id)
        bed_requests.record_refusal(
            rt,
            session,
            "max_naetter",
            "beds.refused_max_nights",
            contact_id=stay.contact_id,
            stay_id=stay.id,
        )
