"""The one way in for a contact: form or import row → a prepared, frozen contact value.

Every writer of a ``Contact`` row (the intake and quick-log form, the bed
check-in's arrival contact, the CSV import, the demo data) builds a
:class:`~akut_tui.services.contact_input.ContactInput` and calls
:func:`prepare`. It normalises (a call without data carries no assessment; a
blank home municipality is unknown), validates with every problem tied to a
field and a Danish message, and returns a :class:`PreparedContact`: the
cleaned values and what is derived from them (shift, age band, duration, note
expiry, the multi-value picks). What is validated is what is stored:
:mod:`akut_tui.services.contact_columns` maps the value to columns and cleans
nothing again (docs/architecture.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from akut_tui.clock import local, shift_of
from akut_tui.cpr import CprNumber
from akut_tui.errors import AkutError, ValidationError
from akut_tui.services.contact_input import (
    NON_DATA_TYPES,
    UNKNOWN_MUNICIPALITY,
    ContactInput,
    validate,
)
from akut_tui.services.runtime import Runtime

MULTI_LISTS = {
    "symptoms": "symptom",
    "events": "event",
    "actions": "action",
    "escalations": "escalation",
}
"""Form field → value list of the codes stored in ``ContactValue`` rows."""


class FormErrors(AkutError):
    """Several field errors at once; ``str()`` is the first message."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__(str(errors[0]) if errors else "Ugyldige felter.")
        self.errors = errors


@dataclass(frozen=True)
class PreparedContact:
    """A contact ready to be stored: normalised, validated, cleaned and derived.

    Built only by :func:`prepare`. ``answers`` is the prepared contact's own
    copy of the normalised form (for the fields stored as typed); the text
    fields below are the cleaned values that were validated.
    """

    answers: ContactInput
    moment: datetime
    """The aware local start time."""
    shift: str
    shift_date: date
    cpr: CprNumber | None
    gender: str
    age_band: str
    under_18: bool
    duration: int | None
    birth_year: int | None
    nickname: str | None
    note: str | None
    note_expires: date | None
    phone: str | None
    picks: tuple[tuple[str, str], ...]
    """(value list, code) of the multi-value fields, each code once."""


def normalised(form: ContactInput) -> ContactInput:
    """The form as it is validated and stored (a copy; ``form`` is not changed)."""
    if form.contact_type in NON_DATA_TYPES:
        # A silent call, wrong number or test call carries no assessment and no course.
        form = replace(
            form,
            identity="anonym",
            crisis_level="",
            crisis_conversation="",
            cpr_text="",
            followup_wanted=False,
            followup_phone="",
            progression_goal=False,
            crisis_plan=False,
        )
    if not form.home_municipality:
        # A blank is unknown: assuming the host municipality would bend the figure
        # on citizens from elsewhere (docs/domain.md §1).
        form = replace(form, home_municipality=UNKNOWN_MUNICIPALITY)
    # Its own lists, so that the prepared value cannot change under the caller's edits.
    own = replace(form)
    for name in MULTI_LISTS:
        setattr(own, name, list(getattr(form, name)))
    return own


def prepare(
    rt: Runtime,
    form: ContactInput,
    *,
    lists: dict[str, list[str]],
    now: datetime | None = None,
    kept_cpr: bool = False,
) -> PreparedContact:
    """Return the prepared contact, or raise :class:`FormErrors` naming every bad field.

    ``lists`` are the valid codes per value list, ``now`` the aware current time
    (the runtime's clock when not given; an import passes it once for all
    rows). ``kept_cpr``: the form shows the contact's own masked CPR, which
    stands for the person already linked (an edit), so it is not parsed.
    """
    tz = rt.config.site.timezone
    current = now or rt.now()
    answers = normalised(form)
    moment = local(answers.started_at or current, tz)
    derived, errors = validate(answers, moment=moment, now=local(current, tz), lists=lists)
    if kept_cpr:
        errors = [e for e in errors if e.field != "cpr_text"]
    if errors:
        raise FormErrors(errors)
    shift, shift_date = shift_of(moment, rt.config.shifts, tz)
    keep_note = timedelta(days=rt.config.retention.free_text_days)
    picks = tuple(
        (list_name, code)
        for name, list_name in MULTI_LISTS.items()
        for code in dict.fromkeys(getattr(answers, name))
    )
    return PreparedContact(
        answers=answers,
        moment=moment,
        shift=shift,
        shift_date=shift_date,
        cpr=derived.cpr,
        gender=derived.gender,
        age_band=derived.age_band,
        under_18=derived.under_18,
        duration=derived.duration,
        birth_year=derived.birth_year,
        nickname=derived.nickname,
        note=derived.note,
        note_expires=moment.date() + keep_note if derived.note else None,
        phone=derived.phone,
        picks=picks,
    )
