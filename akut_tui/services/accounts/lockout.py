"""Account lockout that holds across processes (docs/security.md row 17).

Every password check (login, idle unlock, re-authentication) first takes a
*ticket* in a ``BEGIN IMMEDIATE`` transaction: that transaction reads the lock,
refuses when the account is locked or when the failure budget is used up,
and otherwise counts the attempt as a failure *before* the password is
verified. So with ``lockout_failures = 5`` at most five checks can be in flight
or failed, whatever the timing of separate SSH sessions; the sixth is refused
without being verified (and without locking: the five in flight may be the
user's own sessions, and the lock follows when they turn out to be failures).
The argon2 computation itself runs outside the transaction, because holding
the database's single write lock for the length of a hash would queue every
writer (and every login of a storm) behind it.

After verification :func:`settle` runs in the caller's write transaction. A
success removes its own failure and the ones counted before it (they were
consecutive failures before a correct password) but never lifts a lock: only
time or a leader does that. A failure that brings the count to the limit sets
the lock. A process killed between the two steps leaves its attempt counted as
a failure, which errs on the safe side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from db.models import LoginAttempt, User


@dataclass(frozen=True)
class Ticket:
    """The outcome of :func:`reserve` for one password check."""

    attempt_id: int
    """The :class:`LoginAttempt` row, written (as a failure) when the attempt was counted."""
    user_id: int | None
    """The account, or ``None`` when the name is unknown."""
    username: str
    position: int
    """This attempt's place in the current run of counted failures (0: not counted)."""
    may_verify: bool
    """False for an unknown, disabled or locked account: verify a dummy hash instead."""
    password_hash: str
    reason: str
    """``""``, ``"unknown"``, ``"inactive"`` or ``"locked"``."""


def _lock(rt: Runtime, user_id: int, username: str, now: datetime) -> None:
    until = now + timedelta(minutes=rt.config.security.lockout_minutes)
    User.update(locked_until=until).where(User.id == user_id).execute()
    audit.record(
        rt,
        "login.lockout",
        user_id=user_id,
        username=username,
        object_type="user",
        object_id=user_id,
    )


def reserve(
    rt: Runtime, user_id: int | None, now: datetime, *, logged_name: str, kind: str = "login"
) -> Ticket:
    """Check the lock and count this attempt, in one IMMEDIATE transaction.

    The attempt is recorded (as failed) in the same transaction, so the ids
    of ``login_attempt`` rows are the order in which attempts were decided.
    """
    limit = rt.config.security.lockout_failures
    with write_transaction():
        user = User.get_or_none(User.id == user_id) if user_id is not None else None
        attempt = LoginAttempt.create(
            username=logged_name, user=user.id if user else None, at=now, success=False, kind=kind
        )
        if user is None:
            return Ticket(attempt.id, None, "", 0, False, "", "unknown")
        name = str(user.username)
        if not user.active:
            return Ticket(attempt.id, user.id, name, 0, False, "", "inactive")
        failed, until = int(user.failed_count), user.locked_until
        if until is not None and until <= now:
            failed, until = 0, None  # the lock has run out: a fresh budget
            User.update(failed_count=0, locked_until=None).where(User.id == user.id).execute()
        if until is not None:
            return Ticket(attempt.id, user.id, name, 0, False, "", "locked")
        if failed >= limit:
            # The budget is taken by checks still in flight (confirmed failures would
            # have locked the account in settle): refuse this one without a lock, so
            # several sessions of one user logging in at once do not lock it out.
            return Ticket(attempt.id, user.id, name, 0, False, "", "locked")
        failed += 1
        User.update(failed_count=failed).where(User.id == user.id).execute()
        return Ticket(attempt.id, user.id, name, failed, True, str(user.password_hash), "")


def settle(rt: Runtime, ticket: Ticket, ok: bool, now: datetime) -> None:
    """Record the verified outcome; call inside the caller's write transaction."""
    if ok:
        LoginAttempt.update(success=True).where(LoginAttempt.id == ticket.attempt_id).execute()
    if ticket.user_id is None or ticket.position == 0:
        return
    row = User.select(User.failed_count, User.locked_until).where(User.id == ticket.user_id).first()
    if row is None:
        return
    count = int(row.failed_count)
    if ok:
        remaining = max(0, count - ticket.position)
        User.update(failed_count=remaining).where(User.id == ticket.user_id).execute()
    elif count >= rt.config.security.lockout_failures and (
        row.locked_until is None or row.locked_until <= now
    ):
        _lock(rt, ticket.user_id, ticket.username, now)
