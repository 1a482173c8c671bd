"""The full form's fields as one table: name, Danish label, kind, values, page and help.

:data:`FIELDS` drives the full registration form (``screens/intake.py``): the
widgets are composed from it, the values are read back into a
:class:`~akut_tui.services.contacts.form.ContactInput` from it, and a field
error from the service finds its widget through it. A new field is one line
here (and its attribute on ``ContactInput``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input

from akut_tui.services.base.value_lists import ValueLists, label_for
from akut_tui.services.contacts.form import EXCLUSIVE_ACTIONS, EXCLUSIVE_AVOIDED, ContactInput
from screens.support.triage import LEVEL_HOTKEYS
from screens.widgets.fields import Choice, MultiChoice, Toggle
from screens.widgets.referral_rows import ReferralBlock
from screens.widgets.text import Plain, TextInput

Kind = Literal["text", "choice", "toggle", "multi", "flags", "referrals"]
"""``text`` a one-row input; ``choice`` one value; ``toggle`` ja/nej; ``multi`` several
values; ``flags`` several booleans of ``ContactInput`` shown as one multi-choice;
``referrals`` the referral targets, each with its consent and who made the contact."""

PAGES = ("Kontakt", "Vurdering", "Afslutning", "Videre")
"""Page titles, in order."""

LABEL_WIDTH = 20

IDENTITY_OPTIONS = (("anonym", "Anonym"), ("pseudonym", "Kaldenavn"), ("cpr", "CPR"))
YES_NO = (("ja", "Ja"), ("nej", "Nej"))
FLAG_OPTIONS = (
    ("flag_suicidal", "Selvmordstanker"),
    ("flag_self_harm", "Selvskade"),
    ("flag_influence", "Påvirket"),
    ("flag_threatening", "Truende"),
)


@dataclass(frozen=True)
class FieldDef:
    """One field of the full form."""

    name: str
    """The ``ContactInput`` attribute, and the widget's id (``flags`` for the flag group)."""
    label: str
    """The Danish label."""
    kind: Kind
    page: int
    """0 to 3 (see :data:`PAGES`)."""
    values: str = ""
    """The value list (``ValueLists`` key) a choice or multi-choice offers."""
    options: tuple[tuple[str, str], ...] = ()
    """Fixed (code, label) options instead of a value list."""
    help: str = ""
    """What the field is for (shown by the help screen on the form)."""
    max_length: int = 0
    """Longest text accepted (text fields)."""
    empty_label: str | None = None
    """A first choice meaning "not chosen" (stored as an empty code)."""
    hotkeys: Mapping[str, str] = field(default_factory=dict)
    """Single keys that pick a code straight away (the crisis levels' digits)."""
    exclusive: frozenset[str] = frozenset()
    """Codes that stand alone in a multi-choice."""
    note_id: str = ""
    """Id of a text line shown right under the field (the level's description)."""


FIELDS: tuple[FieldDef, ...] = (
    FieldDef("started_at", "Tidspunkt", "text", 0, max_length=16,
             help="Hvornår henvendelsen begyndte: dd-mm-åååå tt:mm."),
    FieldDef("contact_type", "Type", "choice", 0, "contact_type"),
    FieldDef("channel", "Kontaktform", "choice", 0, "channel"),
    FieldDef("caller", "Henvender", "choice", 0, "caller"),
    FieldDef("partner_type", "Samarbejdspartner", "choice", 0, "partner_type", empty_label="—"),
    FieldDef("identity", "Borger", "choice", 0, options=IDENTITY_OPTIONS,
             help="Anonym, kaldenavn eller CPR."),
    FieldDef("cpr_text", "CPR", "text", 0, max_length=11),
    FieldDef("cpr_declined", "CPR afvist", "toggle", 0,
             help="Borgeren vil ikke oplyse CPR-nummer."),
    FieldDef("nickname", "Kaldenavn", "text", 0, max_length=60),
    FieldDef("birth_year", "Fødselsår", "text", 0, max_length=4),
    FieldDef("gender", "Køn", "choice", 0, "gender"),
    FieldDef("age_band", "Aldersgruppe", "choice", 0, "age_band"),
    FieldDef("home_municipality", "Bopælskommune", "choice", 0, "municipality"),
    FieldDef("housing", "Boform", "choice", 0, "housing"),
    FieldDef("crisis_level", "Kriseniveau", "choice", 1, "crisis_level",
             empty_label="Ikke vurderet", hotkeys=LEVEL_HOTKEYS, note_id="level-help",
             help="1 let, 2 middelsvær, 3 alvorlig, 0 ikke kriserelateret."),
    FieldDef("flags", "Særlige forhold", "flags", 1, options=FLAG_OPTIONS),
    FieldDef("symptoms", "Symptomer", "multi", 1, "symptom"),
    FieldDef("events", "Udløsende", "multi", 1, "event"),
    FieldDef("escalations", "Eskalering", "multi", 1, "escalation",
             help="Ved alvorlig: hvem der er kontaktet."),
    FieldDef("stabilisation", "Stabilisering", "choice", 1, "stabilisation",
             empty_label="Ikke vurderet"),
    FieldDef("actions", "Tiltag", "multi", 2, "action", exclusive=frozenset(EXCLUSIVE_ACTIONS)),
    FieldDef("crisis_conversation", "Krisesamtale", "choice", 2, options=YES_NO,
             empty_label="Ikke registreret",
             help="Ja eller nej; vælges aktivt (tom = ikke registreret)."),
    FieldDef("crisis_plan", "Kriseplan", "toggle", 2),
    FieldDef("progression_goal", "Progressionsmål", "toggle", 2),
    FieldDef("goal_kind", "Målets art", "choice", 2, "goal_kind", empty_label="Ikke valgt",
             help="Hvad progressionsmålet handler om (valgfri; sætter Progressionsmål til ja)."),
    FieldDef("followup_wanted", "Opfølgning 14 dage", "toggle", 2,
             help="Ring borgeren op om 14 dage (telefonnummer med samtykke)."),
    FieldDef("followup_phone", "Telefon (samtykke)", "text", 2, max_length=20),
    FieldDef("duration_min", "Varighed (min)", "text", 2, max_length=4),
    FieldDef("coordination_needed", "Koordinering", "toggle", 2),
    FieldDef("turned_away", "Afvist ved døren", "choice", 2, "turn_away", empty_label="Nej"),
    FieldDef("under18_notified", "Underretning sendt", "toggle", 2),
    FieldDef("note", "Kort note", "text", 2, max_length=500,
             help="Kort og uden personhenførbare oplysninger."),
    FieldDef("referrals", "Henvist videre til", "referrals", 3, "referral_target",
             help="Hvor borgeren er hjulpet videre til (flere kan vælges). Under hvert sted: "
                  "samtykke til at kontakte det (j ja, n nej, i ikke spurgt) og hvem der tog "
                  "kontakten (p personalet, b borgeren rådet til det)."),
    FieldDef("anonymous_repeat", "Har ringet før", "choice", 3, "called_before",
             empty_label="Ikke registreret",
             help="Kun anonyme: har borgeren ringet før (spurgt eller genkendt)?"),
    FieldDef("avoided", "Uden akuttilbud", "multi", 3, "avoided",
             exclusive=EXCLUSIVE_AVOIDED,
             help="Personalets vurdering: uden akuttilbuddet ville borgeren have … "
                  "(flere kan vælges; intet og ved ikke står alene)."),
)  # fmt: skip
"""Every field in page and display order."""

BY_NAME: dict[str, FieldDef] = {f.name: f for f in FIELDS}


PER_REFERRAL = ("referral_consent", "referral_made_by")
"""``ContactInput``'s per-referral answers: read from, and shown on, ``referrals``."""


def field_for_error(name: str) -> FieldDef | None:
    """The field that shows a service error about ``name`` (a flag shows on ``flags``,
    a referral's answer on ``referrals``)."""
    if name in PER_REFERRAL:
        return BY_NAME["referrals"]
    return BY_NAME.get("flags" if name.startswith("flag_") else name)


def page_fields(page: int) -> Iterator[FieldDef]:
    """The fields of ``page`` in order."""
    return (f for f in FIELDS if f.page == page)


def initial(form: ContactInput, spec: FieldDef) -> object:
    """The field's value in ``form`` (for ``flags``: the codes that are set)."""
    if spec.kind == "flags":
        return [code for code, _ in spec.options if getattr(form, code)]
    if spec.kind == "referrals":
        return (form.referrals, form.referral_consent, form.referral_made_by)
    return getattr(form, spec.name)


def kept_options(
    list_name: str, options: list[tuple[str, str]], codes: list[str]
) -> list[tuple[str, str]]:
    """``options`` plus the ``codes`` a record holds that are no longer offered.

    A retired value (issue 18 §6) is not offered for new contacts, but a contact
    that has it keeps it when edited: without this the widget would drop it and
    the save would silently change the old contact.
    """
    offered = {code for code, _ in options}
    kept = [
        (code, f"{label_for(list_name, code)} (udgået)")
        for code in codes
        if code and code not in offered
    ]
    return [*options, *kept]


def build(spec: FieldDef, value: object, lists: ValueLists) -> Widget:
    """The widget for ``spec`` showing ``value`` (a text field comes in a labelled row)."""
    options = list(spec.options) or lists.get(spec.values, [])
    if spec.kind == "referrals":
        assert isinstance(value, tuple)
        chosen: list[str] = list(value[0])
        answers = (dict(value[1]), dict(value[2]))
        targets = kept_options(spec.values, options, chosen)
        consents, by = lists.get("consent", []), lists.get("referral_by", [])
        return ReferralBlock(spec.label, targets, chosen, answers, consents, by)
    if spec.values and not spec.options:
        held = list(value) if isinstance(value, list) else [str(value or "")]
        options = kept_options(spec.values, options, [str(code) for code in held])
    if spec.kind == "text":
        row = Horizontal(classes="row")
        row.compose_add_child(Plain(spec.label.ljust(LABEL_WIDTH), classes="label"))
        row.compose_add_child(
            TextInput(str(value), id=spec.name, max_length=spec.max_length, enter_advances=True)
        )
        return row
    if spec.kind == "choice":
        return Choice(
            spec.label,
            options,
            str(value),
            empty_label=spec.empty_label,
            hotkeys=dict(spec.hotkeys) or None,
            id=spec.name,
        )
    if spec.kind == "toggle":
        return Toggle(spec.label, bool(value), id=spec.name)
    selected = list(value) if isinstance(value, list) else []
    return MultiChoice(spec.label, options, selected, exclusive=spec.exclusive, id=spec.name)


def read(screen: Widget, form: ContactInput) -> ContactInput:
    """A copy of ``form`` with every field but ``started_at`` read from the widgets."""
    result = ContactInput.from_json(form.to_json())
    for spec in FIELDS:
        if spec.name == "started_at":
            continue
        if spec.kind == "text":
            setattr(result, spec.name, screen.query_one(f"#{spec.name}", Input).value)
        elif spec.kind == "choice":
            setattr(result, spec.name, screen.query_one(f"#{spec.name}", Choice).value)
        elif spec.kind == "toggle":
            setattr(result, spec.name, screen.query_one(f"#{spec.name}", Toggle).value)
        elif spec.kind == "referrals":
            block = screen.query_one("#referrals-block", ReferralBlock)
            result.referrals, result.referral_consent, result.referral_made_by = block.values()
        else:
            chosen = list(screen.query_one(f"#{spec.name}", MultiChoice).selected)
            if spec.kind == "multi":
                setattr(result, spec.name, chosen)
            else:
                for code, _ in spec.options:
                    setattr(result, code, code in chosen)
    return result
