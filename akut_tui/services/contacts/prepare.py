"""The one way in for a contact: form or import row → a prepared, frozen contact value.

Every writer of a ``Contact`` row (the intake and quick-log form, the bed
check-in's arrival contact, the CSV import, the demo data) builds a
:class:`~akut_tui.services.contacts.form.ContactInput` and calls
:func:`prepare`. It normalises (a call without data carries no assessment; a
blank home municipality is unknown), validates with every problem tied to a
field and a Danish message, and returns a :class:`PreparedContact`: the
cleaned values and what is derived from them (shift, age band, duration, note
expiry, the multi-value picks). What is validated is what is stored:
:mod:`akut_tui.services.contacts.columns` maps the value to columns and cleans
nothing again (docs/architecture.md §7).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from akut_tui.core.clock import placed
from akut_tui.core.cpr import CprError, CprNumber, parse_cpr
from akut_tui.core.errors import AkutError, ValidationError
from akut_tui.core.sanitize import free_text_problem
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import (
    CONVERSATION_CODES,
    EARLIEST,
    EXCLUSIVE_ACTIONS,
    EXCLUSIVE_AVOIDED,
    NICKNAME_MAX,
    NON_DATA_TYPES,
    NOTE_MAX,
    UNKNOWN_MUNICIPALITY,
    ContactInput,
    code_fields,
    pick_fields,
    referral_fields,
)

MULTI_LISTS = pick_fields()
"""Form field → value list of the codes stored in ``ContactValue`` rows."""
CODE_FIELDS = code_fields()
"""(field, value list, optional) of the single-code fields, checked against their list."""
REFERRAL_FIELDS = referral_fields()
"""Field → value list of the per-referral codes (target → code), checked against their list."""

Referral = tuple[str, str, str]
"""One referral as stored: (target, consent, made by); an unrecorded answer is ""."""


@dataclass(frozen=True)
class Derived:
    """Facts derived from valid input, and its free text exactly as validated (and stored)."""

    cpr: CprNumber | None
    age: int | None
    gender: str
    age_band: str
    under_18: bool
    duration: int | None
    birth_year: int | None
    nickname: str | None = None
    """The trimmed nickname of a pseudonym or CPR contact; ``None`` when anonymous or blank."""
    note: str | None = None
    """The trimmed note; ``None`` when blank."""
    phone: str | None = None
    """The follow-up phone as its 8 validated digits (without spaces or "+45")."""
    cpr_reasons: tuple[str, ...] = ()
    """Why CPR should be asked for, the person not known before."""
    cpr_reasons_known: tuple[str, ...] = ()
    """Why CPR should be asked for, the person known before."""


def age_band_for(age: int) -> str:
    """Return the age band code for an age in years."""
    if age < 18:
        return "under_18"
    for upper, code in ((24, "18_24"), (34, "25_34"), (44, "35_44"), (54, "45_54"), (64, "55_64")):
        if age <= upper:
            return code
    return "65_plus"


def _ascii_int(text: str) -> int:
    """Parse plain ASCII digits (no sign, "_", or other scripts' digits); else ValueError."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


def validate(
    form: ContactInput, *, moment: datetime, now: datetime, lists: dict[str, list[str]]
) -> tuple[Derived, list[ValidationError]]:
    """Check ``form``; return derived facts and every problem found.

    ``moment`` is the contact's local start time (aware), ``now`` the current
    aware time (any zone), ``lists`` the valid codes per value list.
    """
    errors: list[ValidationError] = []

    def bad(message: str, name: str) -> None:
        errors.append(ValidationError(message, name))

    def check_code(value: str, list_name: str, name: str, *, optional: bool) -> None:
        if optional and not value:
            return
        if value not in lists.get(list_name, []):
            bad("Vælg en værdi fra listen.", name)

    if moment > now + timedelta(minutes=1):
        bad("Tidspunktet ligger i fremtiden.", "started_at")
    if moment.date() < EARLIEST:
        bad("Tidspunktet ligger før tilbuddets start (01-02-2015).", "started_at")
    for name, list_name, optional in CODE_FIELDS:
        check_code(getattr(form, name), list_name, name, optional=optional)
    if form.caller == "samarbejdspartner":
        if not form.partner_type:
            bad("Vælg hvilken samarbejdspartner der henvender sig.", "partner_type")
        check_code(form.partner_type, "partner_type", "partner_type", optional=True)
    for name, list_name in MULTI_LISTS.items():
        if any(code not in lists.get(list_name, []) for code in getattr(form, name)):
            bad("Ukendt værdi i listen.", name)
    if len(form.actions) > 1 and EXCLUSIVE_ACTIONS.intersection(form.actions):
        bad("«Ingen yderligere tiltag» kan ikke vælges sammen med andre tiltag.", "actions")
    if form.crisis_conversation not in ("", *CONVERSATION_CODES):
        bad("Krisesamtale er ja, nej eller ikke registreret.", "crisis_conversation")
    if form.crisis_plan and form.channel != "fremmoede":
        bad("Kriseplan kan kun laves ved personligt fremmøde.", "crisis_plan")
    _check_referrals(form, lists, bad)
    if form.anonymous_repeat and form.identity != "anonym":
        bad("«Har ringet før» registreres kun ved anonyme henvendelser.", "anonymous_repeat")
    if form.goal_attainment and not form.progression_goal:
        bad("Målopfyldelse kræver et progressionsmål.", "progression_goal")
    if len(form.avoided) > 1 and EXCLUSIVE_AVOIDED.intersection(form.avoided):
        bad("«Intet» og «ved ikke» kan ikke vælges sammen med andet.", "avoided")

    cpr: CprNumber | None = None
    if form.identity not in ("anonym", "pseudonym", "cpr"):
        bad("Vælg anonym, kaldenavn eller CPR.", "identity")
    if form.identity == "cpr" and not form.cpr_declined:
        try:
            cpr = parse_cpr(form.cpr_text, moment.date())
        except CprError as exc:
            bad(str(exc), "cpr_text")
    nickname = form.nickname.strip()
    if form.identity == "pseudonym" and not nickname:
        bad("Skriv et kaldenavn (eller vælg anonym).", "nickname")
    elif form.identity != "anonym" and nickname:
        problem = free_text_problem(nickname, "Kaldenavnet", max_length=NICKNAME_MAX)
        if problem:
            bad(problem, "nickname")

    birth_year: int | None = None
    if form.birth_year.strip():
        try:
            birth_year = _ascii_int(form.birth_year)
            if not 1900 <= birth_year <= moment.year:
                raise ValueError
        except ValueError:
            bad(f"Fødselsår skal være et årstal mellem 1900 og {moment.year}.", "birth_year")
            birth_year = None

    duration: int | None = None
    if form.duration_min.strip():
        try:
            duration = _ascii_int(form.duration_min)
            if not 0 <= duration <= 1440:
                raise ValueError
        except ValueError:
            bad("Varighed skal være et helt antal minutter (0-1440).", "duration_min")
            duration = None

    digits = form.followup_phone.replace(" ", "").strip().removeprefix("+45")
    if digits:
        if not form.followup_wanted:
            bad("Telefonnummer gemmes kun når borgeren ønsker opfølgning.", "followup_phone")
        if not (digits.isascii() and digits.isdigit()) or len(digits) != 8:
            bad("Telefonnummeret skal have 8 cifre.", "followup_phone")
    # The note as typed is checked (a control character is refused, never dropped);
    # what is stored is that checked text without its surrounding blanks.
    note = form.note.strip()
    if len(form.note) > NOTE_MAX:
        bad(f"Noten må højst være {NOTE_MAX} tegn (ingen journal).", "note")
    else:
        problem = free_text_problem(form.note, "Noten", multiline=True)
        if problem:
            bad(problem, "note")

    gender, age_band, age = form.gender, form.age_band, None
    if cpr is not None:
        gender = cpr.gender
        age = cpr.age_on(moment.date())
        age_band = age_band_for(age)
    elif birth_year is not None and age_band == "ukendt":
        age_band = age_band_for(moment.year - birth_year)
    under_18 = age_band == "under_18"
    derived = Derived(
        cpr,
        age,
        gender,
        age_band,
        under_18,
        duration,
        birth_year,
        nickname=nickname if form.identity != "anonym" and nickname else None,
        note=note or None,
        phone=digits if form.followup_wanted and digits else None,
        cpr_reasons=tuple(cpr_prompt_reasons(form, known_person=False)),
        cpr_reasons_known=tuple(cpr_prompt_reasons(form, known_person=True)),
    )
    return derived, errors


def _check_referrals(
    form: ContactInput, lists: dict[str, list[str]], bad: Callable[[str, str], None]
) -> None:
    """Each target once; each per-referral code from its list and about a chosen target."""
    twice = sorted({code for code in form.referrals if form.referrals.count(code) > 1})
    if twice:
        bad(f"Samme henvisningssted er valgt flere gange ({', '.join(twice)}).", "referrals")
    for name, list_name in REFERRAL_FIELDS.items():
        answers: dict[str, str] = getattr(form, name)
        if any(target not in form.referrals for target in answers):
            bad("Vælg først hvor borgeren er henvist til.", name)
        elif any(code not in lists.get(list_name, []) for code in answers.values()):
            bad("Vælg en værdi fra listen.", name)


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
    referrals: tuple[Referral, ...]
    """The referrals (issue 19 §2): the ``referral_target`` picks with their answers."""
    cpr_reasons: tuple[str, ...]
    """Why CPR should be asked for (:func:`~akut_tui.services.contacts.form.cpr_prompt_reasons`)."""
    cpr_reasons_known: tuple[str, ...]
    """The same when the person has been in contact before."""


def normalised(form: ContactInput) -> ContactInput:
    """The form as it is validated and stored (a copy; ``form`` is not changed)."""
    # Its own copy and lists, so that the prepared value cannot change under the
    # caller's later edits (copy.copy: an import prepares 100,000 of them).
    own = copy.copy(form)
    for name in MULTI_LISTS:
        setattr(own, name, list(getattr(form, name)))
    for name in REFERRAL_FIELDS:  # an empty answer is no answer
        setattr(own, name, {t: code for t, code in getattr(form, name).items() if code})
    if own.contact_type in NON_DATA_TYPES:
        # A silent call, wrong number or test call carries no assessment and no course.
        own = replace(
            own,
            identity="anonym",
            crisis_level="",
            crisis_conversation="",
            cpr_text="",
            followup_wanted=False,
            followup_phone="",
            progression_goal=False,
            crisis_plan=False,
            goal_kind="",
            goal_attainment="",
            avoided=[],
        )
    if own.goal_kind:
        own.progression_goal = True  # a goal's kind means a progression goal was set
    if not own.home_municipality:
        # A blank is unknown: assuming the host municipality would bend the figure
        # on citizens from elsewhere (docs/domain.md §1).
        own.home_municipality = UNKNOWN_MUNICIPALITY
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
    current = now or rt.now()
    answers = normalised(form)
    moment, shift, shift_date = placed(
        answers.started_at or current, rt.config.shifts, rt.config.site.timezone
    )
    derived, errors = validate(answers, moment=moment, now=current, lists=lists)
    if kept_cpr:
        errors = [e for e in errors if e.field != "cpr_text"]
    if errors:
        raise FormErrors(errors)
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
        referrals=tuple(
            (
                target,
                answers.referral_consent.get(target, ""),
                answers.referral_made_by.get(target, ""),
            )
            for target in answers.referrals
        ),
        cpr_reasons=derived.cpr_reasons,
        cpr_reasons_known=derived.cpr_reasons_known,
    )


def cpr_prompt_reasons(form: ContactInput, *, known_person: bool) -> list[str]:
    """Why CPR should be asked for (docs/domain.md §9.2); asking never blocks saving."""
    if form.identity == "cpr" or form.contact_type in NON_DATA_TYPES:
        return []
    reasons = []
    if known_person:
        reasons.append("borgeren har været i kontakt før")
    if form.followup_wanted:
        reasons.append("opfølgning")
    if form.progression_goal:
        reasons.append("progressionsmål")
    if form.crisis_plan:
        reasons.append("kriseplan")
    if "overnatning" in form.actions:
        reasons.append("overnatning (CPR er påkrævet)")
    return reasons
