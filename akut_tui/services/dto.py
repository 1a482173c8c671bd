"""Frozen data objects handed from the services to the UI and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SessionInfo:
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
class AuditReport:
    """Result of verifying the audit chain."""

    ok: bool
    rows: int
    first_bad_seq: int | None
    problem: str
    last_mac: str
