"""Overnight stays: check-in, reservation, nightly decision and check-out.

Rules enforced here whatever the UI does (docs/domain.md §2.2, §3, §9.1; docs/security.md
row 10):

* CPR is mandatory; *Afvist* is refused for a stay.
* The exclusion checks (intoxicated, threatening, disturbing other guests) are
  asked at arrival and recorded; a "yes" refuses the stay and is logged.
* A stay is at most ``max_consecutive_nights`` nights ("3 nights" means per
  stay: night numbers 1..N, each night a recorded decision); a new stay for
  the same person needs a night in between. A leader may override either with
  a written reason; the override is audited.
* One guest per bed and night: the schema's unique (bed, night) plus a
  serialised write (BEGIN IMMEDIATE / row lock). The loser of a race gets
  :class:`~akut_tui.services.night.beds.BedTaken`, a Danish message.
* The stay hangs on the in-person contact of the arrival (created when the
  guest came from a phone call or from the board), so overnight guests count
  as in-person contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import peewee as pw

from akut_tui.core.cpr import CprNumber, pseudonym
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts.form import ContactInput, clean_nickname
from akut_tui.services.contacts.prepare import FormErrors, PreparedContact, prepare
from akut_tui.services.night import bed_requests
from akut_tui.services.night.bed_nights import booking_night, chosen_night
from akut_tui.services.night.beds import (
    BOARD_NIGHTS,
    TAKEN,
    BedTaken,
    audit_stay,
    book_night,
    guest_label,
    leader_override,
    lock_beds,
    night_of,
    open_stay,
    release_expired,
    reservation_deadline,
)
from akut_tui.services.night.dto import StayResult
from akut_tui.services.night.rules import new_stay_check
from db.models import Bed, Contact, Person, Stay, StayNight


@dataclass(frozen=True)
class CheckInInput:
    """What the check-in (or reservation) form holds."""

    bed_id: int
    cpr_text: str
    cpr_declined: bool = False
    nickname: str = ""
    intoxicated: bool | None = None
    threatening: bool | None = None
    disturbing: bool | None = None
    contact_id: int | None = None
    override_reason: str = ""
    reserve: bool = False
    night: date | None = None
    """The night to book (the coming night when empty); a check-in may choose last
    night only in the morning (see :func:`~akut_tui.services.night.beds.booking_night`)."""
    attempt: str = ""
    """The attempt (one open dialog): a refusal is logged once per attempt."""


DECLINED_WORDS = frozenset({"afvist", "afvist cpr", "nægtet"})
"""What a user types in the CPR field for "declined" (refused for a stay, for everyone)."""


class ExcludedGuest(ValidationError):
    """An exclusion check was answered yes; the refusal itself was logged."""


def _require_cpr(form: CheckInInput) -> None:
    """Refuse a declined or missing CPR (it is parsed by the arrival's contact pipeline)."""
    if form.cpr_declined or form.cpr_text.strip().casefold() in DECLINED_WORDS:
        raise ValidationError(
            "Afvist CPR kan ikke bruges ved overnatning: CPR er påkrævet af "
            "sikkerhedshensyn, også når en leder tjekker ind.",
            "cpr_text",
        )
    if not form.cpr_text.strip():
        raise ValidationError("CPR-nummer er påkrævet ved overnatning.", "cpr_text")


def _arrival(
    rt: Runtime, contact_id: int | None, form: CheckInInput, cpr_text: str, gender: str = ""
) -> PreparedContact:
    """The in-person contact of an arrival, prepared (its CPR parsed here, once).

    It answers the home municipality as the phone contact ``contact_id`` did, else
    unknown (never the host municipality).
    """
    with connection():
        source = Contact.get_or_none(Contact.id == contact_id) if contact_id is not None else None
        typed = ContactInput(
            channel="fremmoede",
            identity="cpr" if cpr_text else "anonym",
            cpr_text=cpr_text,
            gender=gender or "ikke_registreret",
            home_municipality=source.home_municipality if source is not None else "",
            flag_influence=bool(form.intoxicated),
            flag_threatening=bool(form.threatening),
            actions=["overnatning"],
        )
        try:
            return prepare(rt, typed, lists=codes_by_list())
        except FormErrors as exc:
            raise exc.errors[0] from None


def _exclusions(form: CheckInInput) -> None:
    answers = (form.intoxicated, form.threatening, form.disturbing)
    if any(a is None for a in answers):
        raise ValidationError(
            "Besvar udelukkelseskriterierne (påvirket, truende, til gene) før indtjekning.",
            "exclusions",
        )


def _person(rt: Runtime, cpr: CprNumber, nickname: str, today: date) -> Person:
    now = rt.now()
    key = pseudonym(cpr.digits, rt.keys.pseudonym)
    expires = today + timedelta(days=rt.config.retention.plain_cpr_days)
    person = Person.get_or_none(Person.cpr_key == key)
    if person is None:
        return Person.create(
            cpr_key=key,
            cpr_plain=cpr.digits,
            cpr_plain_expires=expires,
            nickname=nickname or None,
            birth_year=cpr.birth_date.year,
            gender=cpr.gender,
            created_at=now,
            last_seen_at=now,
        )
    seen: set[int] = set()
    while person.merged_into_id is not None and person.id not in seen:
        seen.add(person.id)
        person = Person.get_by_id(person.merged_into_id)
    changes: dict[str, object] = {
        "cpr_plain": cpr.digits,
        "cpr_plain_expires": max(expires, person.cpr_plain_expires or expires),
        "last_seen_at": now,
    }
    if nickname and not person.nickname:
        changes["nickname"] = nickname
    Person.update(**changes).where(Person.id == person.id).execute()
    return Person.get_by_id(person.id)


def _arrival_contact(
    rt: Runtime,
    session: SignedInUser,
    person: Person,
    arrival: PreparedContact,
    contact_id: int | None,
) -> int:
    """Return the in-person contact of the arrival, linking or creating it (audited)."""
    source = None
    if contact_id is not None:
        source = Contact.get_or_none(Contact.id == contact_id)
        if source is None:
            raise NotFound("Henvendelsen findes ikke.")
        if source.person_id is not None and source.person_id != person.id:
            raise ValidationError(
                "Henvendelsen hører til en anden person end CPR-nummeret.", "contact"
            )
    if source is not None and source.channel == "fremmoede":
        contact_id = source.id
        if source.person_id is None:
            contact_columns.link_person(source.id, person.id)
        contact_columns.add_pick(source.id, "action", "overnatning")
        action = "contact.update"
    else:
        contact_id = contact_columns.insert(
            arrival,
            person_id=person.id,
            cpr_status="oplyst",
            created_by=session.user_id,
            created_at=rt.now(),
            linked_to=source.id if source is not None else None,
        )
        action = "contact.create"
    audit.record(
        rt,
        action,
        actor=session,
        object_type="contact",
        object_id=contact_id,
        person_ref=person.id,
    )
    return contact_id


def _active_stay(person_id: int) -> bool:
    return (
        Stay.select()
        .where(Stay.person == person_id, Stay.checked_out_at.is_null(), Stay.ended_reason.is_null())
        .exists()
    )


def check_in(rt: Runtime, session: SignedInUser, form: CheckInInput) -> StayResult:
    """Check a guest in for tonight, or reserve a bed (``form.reserve``); audited."""
    _require_cpr(form)
    nickname = clean_nickname(form.nickname)
    if not form.reserve:
        _exclusions(form)
    arrival = _arrival(rt, form.contact_id, form, form.cpr_text.strip())
    night = chosen_night(rt, form.night, reserve=form.reserve, board_nights=BOARD_NIGHTS)
    if form.reserve and reservation_deadline(rt, night) <= rt.now():
        raise ValidationError("Det er for sent at reservere til i nat; tjek gæsten ind.", "night")
    excluded = [
        label
        for answer, label in (
            (form.intoxicated, "påvirket af rusmidler/alkohol"),
            (form.threatening, "truende/udadreagerende"),
            (form.disturbing, "til gene for andre gæster"),
        )
        if answer
    ]
    try:
        with write_transaction():
            role = require(session, "beds.checkin")
            lock_beds(form.bed_id)
            if excluded:
                _log_exclusion(rt, session, form)
            else:
                return _check_in_locked(rt, session, form, arrival, nickname, night, role)
    except pw.IntegrityError:
        # Only reachable without the serialised write (e.g. a misconfigured server).
        raise BedTaken(TAKEN) from None
    raise ExcludedGuest(
        "Overnatning afvist: gæsten er " + " og ".join(excluded) + ". Afslaget er registreret.",
        "exclusions",
    )


def _log_exclusion(rt: Runtime, session: SignedInUser, form: CheckInInput) -> None:
    known = form.contact_id is not None and Contact.get_or_none(Contact.id == form.contact_id)
    bed_requests.record_refusal(
        rt,
        session,
        "udelukket",
        "beds.refused_exclusion",
        contact_id=form.contact_id if known else None,
        attempt=form.attempt,
    )


def _check_in_locked(
    rt: Runtime,
    session: SignedInUser,
    form: CheckInInput,
    arrival: PreparedContact,
    nickname: str,
    night: date,
    role: str,
) -> StayResult:
    release_expired(rt)
    bed = Bed.get_or_none(Bed.id == form.bed_id)
    if bed is None:
        raise NotFound("Sengen findes ikke.")
    if bed.out_of_service:
        raise ValidationError(f"{bed.name} er ude af drift.", "bed")
    if (
        form.contact_id is not None
        and not Contact.select().where(Contact.id == form.contact_id).exists()
    ):
        raise NotFound("Henvendelsen findes ikke.")
    assert arrival.cpr is not None  # identity "cpr": prepare parsed it or refused
    person = _person(rt, arrival.cpr, nickname, arrival.moment.date())
    if _active_stay(person.id):
        raise ValidationError("Personen har allerede en aktiv overnatning eller reservation.")
    maximum = rt.config.beds.max_consecutive_nights
    # Nights slept across all stays: a new stay does not reset the run (issue 15 §4).
    run, problem = new_stay_check(person.id, night, maximum)
    past_maximum = run > maximum
    override = leader_override(session, role, form.override_reason, problem) if problem else None
    # A taken bed is refused by book_night below; the transaction then undoes the
    # arrival contact and the stay written before it.
    now = rt.now()
    contact_id = form.contact_id
    if not form.reserve:
        contact_id = _arrival_contact(rt, session, person, arrival, form.contact_id)
    stay = Stay.create(
        person=person.id,
        bed=bed.id,
        contact=contact_id,
        checked_in_at=now,
        reserved=form.reserve,
        reserved_until=reservation_deadline(rt, night) if form.reserve else None,
        override_reason=override,
        created_by=session.user_id,
        excl_intoxicated=bool(form.intoxicated),
        excl_threatening=bool(form.threatening),
        excl_disturbing=bool(form.disturbing),
    )
    book_night(stay.id, bed.id, night, 1, override if past_maximum else None)
    kind = "stay.reserve" if form.reserve else "stay.checkin"
    audit_stay(rt, session, kind, stay.id, person.id)
    if override:
        audit_stay(rt, session, "stay.override_gap", stay.id, person.id)
    if past_maximum:
        audit_stay(rt, session, "stay.override_max", stay.id, person.id)
    guest = guest_label(person.id, person.nickname)
    what = "reserveret" if form.reserve else "tjekket ind"
    return StayResult(
        stay.id, bed.name, night, 1, guest, contact_id, f"{guest} er {what} i {bed.name}."
    )


def arrive(
    rt: Runtime,
    session: SignedInUser,
    stay_id: int,
    *,
    intoxicated: bool | None,
    threatening: bool | None,
    disturbing: bool | None,
) -> StayResult:
    """Turn a reservation into a check-in when the guest arrives (exclusion checks asked)."""
    form = CheckInInput(
        0, "", intoxicated=intoxicated, threatening=threatening, disturbing=disturbing
    )
    _exclusions(form)
    if intoxicated or threatening or disturbing:
        raise ValidationError(
            "Overnatning afvist ved ankomst; annullér reservationen og registrér afslaget.",
            "exclusions",
        )
    with write_transaction():
        require(session, "beds.checkin")
        lock_beds()
        release_expired(rt)
        stay = open_stay(stay_id)
        if not stay.reserved:
            raise ValidationError("Gæsten er allerede tjekket ind.")
        night = StayNight.get(StayNight.stay == stay.id)
        if night.night_date not in (night_of(rt), booking_night(rt)):
            raise ValidationError("Reservationen gælder en senere nat.")
        person = Person.get_by_id(stay.person_id)
        arrival = _arrival(rt, stay.contact_id, form, "", gender=person.gender)
        contact_id = _arrival_contact(rt, session, person, arrival, stay.contact_id)
        Stay.update(
            reserved=False,
            reserved_until=None,
            checked_in_at=rt.now(),
            contact=contact_id,
            excl_intoxicated=False,
            excl_threatening=False,
            excl_disturbing=False,
        ).where(Stay.id == stay.id).execute()
        audit_stay(rt, session, "stay.checkin", stay.id, person.id)
        guest = guest_label(person.id, person.nickname)
        bed = Bed.get_by_id(stay.bed_id)
        return StayResult(
            stay.id, bed.name, night.night_date, 1, guest, contact_id, f"{guest} er tjekket ind."
        )
