"""The plain data of a contact registration form: the input value of the contact pipeline.

:class:`ContactInput` is what the intake and quick-log screens fill in, what
drafts store as JSON and what the import and the check-in build;
:mod:`akut_tui.services.contacts.prepare` validates and prepares it, and
:mod:`akut_tui.services.contacts.columns` stores it (docs/architecture.md §7).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from akut_tui.core.sanitize import clean_text

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
EXCLUSIVE_AVOIDED = frozenset({"intet", "ved_ikke"})
"""Answers of "uden akuttilbuddet ville borgeren have ..." that stand alone."""


def coded(list_name: str, default: str = "", *, optional: bool = False) -> Any:
    """A field holding one code of the value list ``list_name``; the pipeline checks it
    (an empty value is allowed when ``optional``)."""
    return field(default=default, metadata={"values": list_name, "optional": optional})


def per_referral(list_name: str) -> Any:
    """A field holding one code of ``list_name`` per referral target (target → code);
    the pipeline checks each code and that its target is among the referrals."""
    return field(default_factory=dict, metadata={"per_referral": list_name})


def picked(list_name: str) -> Any:
    """A field holding several codes of ``list_name``; the pipeline checks them and stores
    each once as a ``ContactValue`` row."""
    return field(default_factory=list, metadata={"picks": list_name})


@dataclass
class ContactInput:
    """Everything a registration form can hold, as plain values.

    A coded field names its value list (:func:`coded`, :func:`picked`): that
    declaration is what the pipeline checks, so a new coded field needs no
    change to the validation.
    """

    started_at: datetime | None = None
    """Aware start time; ``None`` means now."""
    contact_type: str = coded("contact_type", "krise")
    channel: str = coded("channel", "telefon")
    caller: str = coded("caller", "borger")
    partner_type: str = ""
    identity: str = "anonym"
    """anonym | pseudonym | cpr"""
    cpr_text: str = ""
    cpr_declined: bool = False
    nickname: str = ""
    birth_year: str = ""
    gender: str = coded("gender", "ikke_registreret")
    age_band: str = coded("age_band", "ukendt")
    home_municipality: str = coded("municipality")
    """Blank means unknown (stored as ``ukendt``, never the host municipality)."""
    housing: str = coded("housing", "ukendt")
    crisis_level: str = coded("crisis_level", optional=True)
    flag_suicidal: bool = False
    flag_self_harm: bool = False
    flag_influence: bool = False
    flag_threatening: bool = False
    symptoms: list[str] = picked("symptom")
    events: list[str] = picked("event")
    actions: list[str] = picked("action")
    escalations: list[str] = picked("escalation")
    stabilisation: str = coded("stabilisation", optional=True)
    crisis_conversation: str = ""
    """Krisesamtale: ``ja``, ``nej`` or empty (not registered); an explicit choice, no default."""
    crisis_plan: bool = False
    progression_goal: bool = False
    followup_wanted: bool = False
    followup_phone: str = ""
    duration_min: str = ""
    coordination_needed: bool = False
    turned_away: str = coded("turn_away", optional=True)
    referred_to: str = coded("partner_type", optional=True)
    under18_notified: bool = False
    referrals: list[str] = picked("referral_target")
    """Where the citizen was sent (issue 19 §2): targets of the referral directory, each once."""
    referral_consent: dict[str, str] = per_referral("consent")
    """Per referral target: consent to contact it on the citizen's behalf (optional)."""
    referral_made_by: dict[str, str] = per_referral("referral_by")
    """Per referral target: staff made the contact themselves, or the citizen was advised
    to (optional)."""
    anonymous_repeat: str = coded("called_before", optional=True)
    """"Har ringet før" for an anonymous caller (issue 19 §4)."""
    goal_kind: str = coded("goal_kind", optional=True)
    """The progression goal's kind (issue 19 §3); a kind means a goal was set."""
    goal_attainment: str = coded("goal_attainment", optional=True)
    """The goal's attainment, recorded at the 14-day follow-up (or an imported row's);
    the forms never set it, an edit keeps it."""
    avoided: list[str] = picked("avoided")
    """Staff's assessment: without the akuttilbud the citizen would have ... (issue 19 §3)."""
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
        targets = values.get("referrals") or []
        for name in ("referral_consent", "referral_made_by"):
            old = values.get(name)
            if isinstance(old, str):  # drafts written when one code stood for every target
                values[name] = {target: old for target in targets} if old else {}
        talk = values.get("crisis_conversation")
        if isinstance(talk, bool):  # drafts written before krisesamtale was a choice
            values["crisis_conversation"] = "ja" if talk else "nej"
        return cls(**values)


def clean_nickname(text: str) -> str:
    """Return the nickname as stored: cleaned, trimmed, then cut to NICKNAME_MAX."""
    return clean_text(text).strip()[:NICKNAME_MAX].rstrip()


def code_fields() -> list[tuple[str, str, bool]]:
    """(field, value list, optional) of every single-code field, in form order."""
    return [
        (f.name, f.metadata["values"], f.metadata["optional"])
        for f in fields(ContactInput)
        if "values" in f.metadata
    ]


def referral_fields() -> dict[str, str]:
    """Field → value list of every per-referral field (:func:`per_referral`)."""
    return {
        f.name: f.metadata["per_referral"]
        for f in fields(ContactInput)
        if "per_referral" in f.metadata
    }


def pick_fields() -> dict[str, str]:
    """Field → value list of every multi-code field, in form order."""
    return {f.name: f.metadata["picks"] for f in fields(ContactInput) if "picks" in f.metadata}
