"""Moving a booking (a stay or a reservation) to another bed.

The nights from tonight on move together to the new bed, which must be in
service and free on each of them; nights already over stay where they were
slept. Serialised like every bed write and audited (``stay.move``). This is
what lets a leader take a booked bed out of service.
"""

from __future__ import annotations

from datetime import date

from akut_tui.core.clock import format_date
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.night.beds import (
    BedTaken,
    audit_stay,
    book_night,
    guest_label,
    lock_beds,
    night_of,
    open_stay,
    release_expired,
)
from akut_tui.services.night.dto import StayResult
from db.models import Bed, Person, Stay, StayNight


def move_stay(rt: Runtime, session: SignedInUser, stay_id: int, bed_id: int) -> StayResult:
    """Move a stay's nights from tonight on to bed ``bed_id``; audited."""
    with write_transaction():
        require(session, "beds.checkin")
        lock_beds(bed_id)
        release_expired(rt)
        stay = open_stay(stay_id)
        target = Bed.get_or_none(Bed.id == bed_id)
        if target is None:
            raise NotFound("Sengen findes ikke.")
        if target.id == stay.bed_id:
            raise ValidationError("Vælg en anden seng end den, gæsten har.", "bed")
        if target.out_of_service:
            raise ValidationError(f"{target.name} er ude af drift.", "bed")
        first = night_of(rt)
        moving: list[date] = [
            row.night_date
            for row in StayNight.select(StayNight.night_date)
            .where(StayNight.stay == stay.id, StayNight.night_date >= first)
            .order_by(StayNight.night_date)
        ]
        if not moving:
            raise ValidationError("Opholdet har ingen nætter fra i nat at flytte.")
        for night in moving:
            try:
                book_night(0, target.id, night, 1, None, check_only=True)
            except BedTaken:
                raise ValidationError(
                    f"{target.name} er ikke ledig natten til {format_date(night)}.", "bed"
                ) from None
        StayNight.update(bed=target.id).where(
            StayNight.stay == stay.id, StayNight.night_date >= first
        ).execute()
        Stay.update(bed=target.id).where(Stay.id == stay.id).execute()
        audit_stay(rt, session, "stay.move", stay.id, stay.person_id)
        person = Person.get_by_id(stay.person_id)
    guest = guest_label(person.id, person.nickname)
    return StayResult(
        stay.id,
        target.name,
        moving[0],
        0,
        guest,
        stay.contact_id,
        f"{guest} er flyttet til {target.name}.",
    )
