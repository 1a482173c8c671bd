"""Cheap change detection for live views (bed board, outreach header, handover).

Every write to a watched area bumps that area's row in ``change_counter`` in
the same transaction, so a reader sees the new value exactly when the change
is committed. :func:`change_token` reads every counter, the newest login and
the number of recent session ends in **one** query; a live view compares the
token with the last one and does nothing at all when it is unchanged.

Why a counter table and not SQLite's ``PRAGMA data_version``: the pragma moves
on *every* commit by another connection, including the audit rows a colleague's
board writes when it reloads, so two open boards would wake each other up
forever. The counter moves only on real changes and works on PostgreSQL too,
where bumping the row (an ``UPDATE``) also serialises the writers of an area.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import peewee as pw

from akut_tui.services.base.runtime import Runtime
from db.database import connection, database
from db.models import AuditEvent, ChangeCounter, LoginAttempt

BEDS = "beds"
OUTREACH = "outreach"
HANDOVER = "handover"
AREAS: tuple[str, ...] = (BEDS, OUTREACH, HANDOVER)

Token = tuple[tuple[str, int], ...]
"""An opaque, comparable snapshot of the change state."""


def bump(area: str) -> None:
    """Increment ``area``'s counter; call inside the write transaction of the change.

    On PostgreSQL the ``UPDATE`` takes the row lock, so writers of one area queue
    here until the first one commits (the same effect as SQLite's BEGIN IMMEDIATE).
    """
    updated = (
        ChangeCounter.update(value=ChangeCounter.value + 1)
        .where(ChangeCounter.name == area)
        .execute()
    )
    if not updated:
        ChangeCounter.create(name=area, value=1)


def _session_window(rt: Runtime) -> Any:
    return rt.now() - timedelta(hours=rt.config.security.absolute_session_hours)


def change_token(rt: Runtime) -> Token:
    """Return the current change token with a single SELECT (a UNION of three parts).

    Parts: every area counter; the newest login attempt (a colleague logged in);
    the number of session ends inside the session window (a colleague left).
    """
    counters = ChangeCounter.select(ChangeCounter.name, ChangeCounter.value)
    logins = LoginAttempt.select(
        pw.Value("login").alias("name"), pw.fn.COALESCE(pw.fn.MAX(LoginAttempt.id), 0)
    )
    ends = AuditEvent.select(pw.Value("session").alias("name"), pw.fn.COUNT(AuditEvent.id)).where(
        AuditEvent.at >= _session_window(rt), AuditEvent.action.startswith("session.")
    )
    query = (counters + logins + ends).tuples()  # UNION ALL: one statement, one round trip
    with connection():
        rows = [(str(name), int(value)) for name, value in query]
    return tuple(sorted(rows))


class TokenReader:
    """Reads the change token on one kept connection: exactly one query per poll.

    Use it from one thread only (Peewee connections are per thread): a live view's
    poller thread opens the connection on its first read and keeps it, so later
    polls do not pay for a new connection and its set-up pragmas. The connection
    is in autocommit mode between reads, so it holds no transaction while idle.
    """

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt

    def read(self) -> Token:
        """Return the current token (opening this thread's connection if needed)."""
        if database.is_closed():
            database.connect()
        return change_token(self._rt)

    def close(self) -> None:
        """Close this thread's kept connection."""
        if not database.is_closed():
            database.close()
