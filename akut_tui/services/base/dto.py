"""Frozen data objects handed from the services to the UI and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SignedInUser:
    """A logged-in user, as the UI holds it. Services re-check role and status."""

    user_id: int
    username: str
    display_name: str
    role: str
    started_at: datetime
    must_change_password: bool = False


@dataclass(frozen=True)
class UserInfo:
    """A user account as listed by the administration."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    must_change_password: bool


@dataclass(frozen=True)
class OneTimePassword:
    """A new account or a reset one, with the drawn password to show the leader once."""

    user: UserInfo
    password: str


@dataclass(frozen=True)
class AuditReport:
    """Result of verifying the audit chain."""

    ok: bool
    rows: int
    first_bad_seq: int | None
    problem: str
    last_mac: str
    last_seq: int = 0
    """Sequence number of the last row (0 for an empty chain)."""
    first_seq: int = 1
    """Where the chain legitimately starts (after a retention purge: the purged prefix + 1)."""
    anchors_checked: int = 0
    """Anchors compared with the chain (see :mod:`akut_tui.services.audit.anchors`)."""
    anchors_purged: int = 0
    """Anchors inside a purged prefix that name no recorded base: not comparable, not passed."""
    site_id: str = ""
    """The site identity the chain carries (seq 0), or ``""``."""


@dataclass(frozen=True)
class SavedContact:
    """Confirmation of a saved contact."""

    id: int
    created: bool
    contact_type: str
    crisis_level: str | None
    duration_min: int | None
    person_id: int | None
    under_18: bool
    cpr_reasons: tuple[str, ...]
    followup_due: str | None
    """Due date as dd-mm-åååå when a follow-up was created."""


@dataclass(frozen=True)
class RepeatInfo:
    """The one-line banner for a recognised person (no free text: no journal)."""

    person_id: int
    earlier_contacts: int
    last_contact: datetime | None
    last_level: str | None
    active_stay: bool
    open_followup: bool
    special_attention_until: str | None
    """dd-mm-åååå when a special-attention flag is active."""


@dataclass(frozen=True)
class ContactRow:
    """One line of the shift's contact list."""

    id: int
    started_at: datetime
    contact_type: str
    channel: str
    crisis_level: str | None
    duration_min: int | None
    staff: str
    anonymous: bool
    editable: bool


@dataclass(frozen=True)
class DraftInfo:
    """An unfinished registration."""

    id: int
    updated_at: datetime
    shift: str
    shift_date: str
    summary: str
    stale: bool
    """True when the draft is from an earlier shift."""
    contact_id: int | None
    dialog: str | None = None
    """The dialog key of a dialog draft (``beds.check_in:3``); ``None``: the intake form."""


@dataclass(frozen=True)
class FollowUpRow:
    """A 14-day follow-up."""

    id: int
    contact_id: int
    due_date: str
    overdue: bool
    has_phone: bool
    person_label: str
    done: bool
    result: str | None
    referrals: tuple[tuple[str, str], ...] = ()
    """(referral target, "kom borgeren frem?" answer or "") of the contact (issue 19 §2)."""
    has_goal: bool = False
    """The contact set a progression goal (issue 19 §3)."""
    goal: str = ""
    """The goal's kind (a ``goal_kind`` code), "" when not recorded."""
    attained: str = ""
    """The attainment recorded at the follow-up (a ``goal_attainment`` code), "" when not yet."""


@dataclass(frozen=True)
class PersonRow:
    """A person found by search (CPR masked)."""

    id: int
    label: str
    birth_year: int | None
    contacts: int
    last_contact: datetime | None
    special_attention: bool
