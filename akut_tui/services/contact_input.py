"""The plain data of a contact registration form: the input value of the contact pipeline.

:class:`ContactInput` is what the intake and quick-log screens fill in, what
drafts store as JSON and what the import and the check-in build;
:mod:`akut_tui.services.contact_prepare` validates and prepares it, and
:mod:`akut_tui.services.contact_columns` stores it (docs/architecture.md §7).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

from akut_tui.sanitize import clean_text

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


def clean_nickname(text: str) -> str:
    """Return the nickname as stored: cleaned, trimmed, then cut to NICKNAME_MAX."""
    return clean_text(text).strip()[:NICKNAME_MAX].rstrip()
