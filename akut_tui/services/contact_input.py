"""The plain data of a contact registration form, and its validation.

:class:`ContactInput` is what the intake and quick-log screens fill in and what
drafts store as JSON. :func:`validate` returns every problem at once, each
tied to a field, with a Danish message; nothing typed is ever discarded.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from akut_tui.cpr import CprError, CprNumber, parse_cpr
from akut_tui.errors import ValidationError
from akut_tui.sanitize import clean_text, free_text_problem

NON_DATA_TYPES = ("stille_opkald", "fejlopkald", "testopkald")
"""Contact types that carry no assessment (kept apart in statistics)."""

CONVERSATION_CODES = ("ja", "nej")
"""Krisesamtale answers; empty means not registered (stored as ``ikke_registreret``)."""
NOT_REGISTERED = "ikke_registreret"
UNKNOWN_MUNICIPALITY = "ukendt"
"""What a blank home municipality is stored as (never the host municipality)."""

NOTE_MAX = 500
NICKNAME_MAX = 60
PHONE_MAX = 20
EARLIEST = date(2015, 2, 1)
"""Back-entry stops at the service's start date."""
NO_FURTHER_ACTION = "ingen_tiltag"
"""The action "Ingen yderligere tiltag": it contradicts every other action."""
EXCLUSIVE_ACTIONS = frozenset({NO_FURTHER_ACTION})
"""Actions that cannot be chosen together with any other action."""


@dataclass
class ContactInput:
    """Everything a registration form can hold, as plain values."""

    started_at: datetime | None = None
    """Aware start time; ``None`` means now."""
    contact_type: str = "krise"
    channel: str = "telefon"
    caller: str = "borger"
    partner_type: str = ""
    identity: str = "anonym"
    """anonym | pseudonym | cpr"""
    cpr_text: str = ""
    cpr_declined: bool = False
    nickname: str = ""
    birth_year: str = ""
    gender: str = "ikke_registreret"
    age_band: str = "ukendt"
    home_municipality: str = ""
    housing: str = "ukendt"
    crisis_level: str = ""
    flag_suicidal: bool = False
    flag_self_harm: bool = False
    flag_influence: bool = False
    flag_threatening: bool = False
    symptoms: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    stabilisation: str = ""
    crisis_conversation: str = ""
    """Krisesamtale: ``ja``, ``nej`` or empty (not registered); an explicit choice, no default."""
    crisis_plan: bool = False
    progression_goal: bool = False
    followup_wanted: bool = False
    followup_phone: str = ""
    duration_min: str = ""
    coordination_needed: bool = False
    turned_away: str = ""
    referred_to: str = ""
    under18_notified: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-safe dict (for drafts)."""
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContactInput:
        """Rebuild from :meth:`to_json` output, ignoring unknown keys."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        started = values.get("started_at")
        values["started_at"] = datetime.fromisoformat(started) if started else None
        talk = values.get("crisis_conversation")
        if isinstance(talk, bool):  # drafts written before krisesamtale was a choice
            values["crisis_conversation"] = "ja" if talk else "nej"
        return cls(**values)


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


def age_band_for(age: int) -> str:
    """Return the age band code for an age in years."""
    if age < 18:
        return "under_18"
    for upper, code in ((24, "18_24"), (34, "25_34"), (44, "35_44"), (54, "45_54"), (64, "55_64")):
        if age <= upper:
            return code
    return "65_plus"


def clean_nickname(text: str) -> str:
    """Return the nickname as stored: cleaned, trimmed, then cut to NICKNAME_MAX."""
    return clean_text(text).strip()[:NICKNAME_MAX].rstrip()


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
    aware time, ``lists`` the valid codes per value list.
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
    check_code(form.contact_type, "contact_type", "contact_type", optional=False)
    check_code(form.channel, "channel", "channel", optional=False)
    check_code(form.caller, "caller", "caller", optional=False)
    if form.caller == "samarbejdspartner":
        if not form.partner_type:
            bad("Vælg hvilken samarbejdspartner der henvender sig.", "partner_type")
        check_code(form.partner_type, "partner_type", "partner_type", optional=True)
    check_code(form.home_municipality, "municipality", "home_municipality", optional=False)
    check_code(form.housing, "housing", "housing", optional=False)
    check_code(form.crisis_level, "crisis_level", "crisis_level", optional=True)
    check_code(form.stabilisation, "stabilisation", "stabilisation", optional=True)
    check_code(form.turned_away, "turn_away", "turned_away", optional=True)
    check_code(form.referred_to, "partner_type", "referred_to", optional=True)
    for name, list_name in (
        ("symptoms", "symptom"),
        ("events", "event"),
        ("actions", "action"),
        ("escalations", "escalation"),
    ):
        if any(code not in lists.get(list_name, []) for code in getattr(form, name)):
            bad("Ukendt værdi i listen.", name)
    if len(form.actions) > 1 and EXCLUSIVE_ACTIONS.intersection(form.actions):
        bad("«Ingen yderligere tiltag» kan ikke vælges sammen med andre tiltag.", "actions")
    if form.crisis_conversation not in ("", *CONVERSATION_CODES):
        bad("Krisesamtale er ja, nej eller ikke registreret.", "crisis_conversation")
    if form.crisis_plan and form.channel != "fremmoede":
        bad("Kriseplan kan kun laves ved personligt fremmøde.", "crisis_plan")

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

    check_code(form.gender, "gender", "gender", optional=False)
    check_code(form.age_band, "age_band", "age_band", optional=False)
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
    )
    return derived, errors


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
