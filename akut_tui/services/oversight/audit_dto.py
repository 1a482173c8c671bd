"""Frozen data objects of the audit log and the citizen's access report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class AuditFilter:
    """What the leader narrows the audit log to; empty fields do not filter."""

    user: str = ""
    """A user name (``mette``, or ``os:root`` for a command-line run)."""
    person: str = ""
    """A CPR number or a nickname; resolved through the pseudonym, never stored."""
    kind: str = ""
    """A key of :data:`akut_tui.services.oversight.audit_text.KINDS` (``cpr``, ``login``...)."""
    start: date | None = None
    """First local day included."""
    end: date | None = None
    """Last local day included."""


@dataclass(frozen=True)
class AuditLine:
    """One audit event in Danish words (never a plain CPR)."""

    seq: int
    at: datetime
    """Aware UTC time of the event."""
    who: str
    """The user's display name (or user name; ``root (kommandolinje)`` for a command)."""
    text: str
    """The sentence: ``Mette så CPR for Ida (010190-XXXX)``."""
    action: str
    """The action code (``cpr.reveal``)."""
    place: str
    """From which screen or command (``Personer (F7)``, ``kommandolinjen``)."""


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first."""

    lines: tuple[AuditLine, ...]
    next_before: int | None
    """The seq to ask for the next page with (``before=``); ``None``: no more."""


@dataclass(frozen=True)
class ChainStatus:
    """The last check of the audit chain, as recorded in the chain itself."""

    checked_at: datetime | None
    """Aware UTC time of the last check from Akut; ``None``: never checked here."""
    ok: bool
    text: str
    """Danish: ``Kæden er intakt (1.234 hændelser)`` or where it breaks."""


@dataclass(frozen=True)
class ContactFact:
    """A contact recorded about the person: codes only, never the note."""

    started_at: datetime
    channel: str
    contact_type: str
    crisis_level: str
    municipality: str


@dataclass(frozen=True)
class StayFact:
    """A stay recorded about the person: times, bed and codes only."""

    checked_in_at: datetime
    checked_out_at: datetime | None
    bed: str
    nights: int
    ended: str


@dataclass(frozen=True)
class AccessReport:
    """Everything Akut holds on who read or changed one person's data in a period."""

    person: str
    """The person as shown: nickname and masked CPR (``Ida (010190-XXXX)``)."""
    start: date
    end: date
    lines: tuple[AuditLine, ...]
    """Every read and change of the person's data, oldest first."""
    contacts: tuple[ContactFact, ...]
    stays: tuple[StayFact, ...]
