"""Plain data of the coordinator's oversight screens: frequent users and data quality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FrequentUser:
    """One identified person among those with the most crisis contacts in a window."""

    id: int
    """The person's id (the row's key)."""
    label: str
    """Nickname or masked CPR, never a full CPR."""
    contacts: int
    by_channel: tuple[tuple[str, int], ...]
    """(channel code, count) in the channel list's order, zeros included."""
    levels: tuple[str, ...]
    """Crisis level codes of the contacts, oldest first (``ikke_vurderet`` if none)."""
    nights: int
    """Bed-nights used in the window (reservations not checked in left out)."""
    last_contact: datetime
    attention: bool
    """The special-attention flag is set and not run out."""
    plan: str
    """The flag's short plan reference (a code), or ""."""


@dataclass(frozen=True)
class FrequentList:
    """The frequent-users list of one window."""

    days: int
    first: str
    """The window's first local date, dd-mm-åååå."""
    rows: tuple[FrequentUser, ...]


@dataclass(frozen=True)
class PersonContact:
    """One contact of a person, as codes only (no note, no free text)."""

    id: int
    started_at: datetime
    shift: str
    contact_type: str
    channel: str
    caller: str
    crisis_level: str
    municipality: str


@dataclass(frozen=True)
class PersonHistory:
    """A person's contacts in date order, oldest first; reading it is audited."""

    person_id: int
    label: str
    attention: bool
    plan: str
    contacts: tuple[PersonContact, ...]


@dataclass(frozen=True)
class QualityCheck:
    """One line of the data-quality screen: what is wrong and how often."""

    code: str
    """Stable name of the check (``no_level``, ``unknown_municipality``...)."""
    label: str
    """Danish text of the line."""
    count: int


@dataclass(frozen=True)
class QualityReport:
    """Every check over one period (the period applies to the contact checks)."""

    period: str
    """The period in the export's syntax."""
    first: str
    last: str
    """Its local dates, dd-mm-åååå."""
    checks: tuple[QualityCheck, ...]


@dataclass(frozen=True)
class QualityRow:
    """One row behind a check: when, and what (codes and masked labels only)."""

    key: str
    when: str
    """Local date (and time where it matters), dd-mm-åååå HH:MM; "" if none."""
    what: str
    detail: str
