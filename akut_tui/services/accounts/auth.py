"""Login, lockout, sessions, the permission check and the user's own password.

Administration of other accounts lives in :mod:`akut_tui.services.accounts.users`.

Passwords are hashed with argon2id outside any database transaction and with
at most ``max_parallel_hashes`` computations at once. Unknown user, wrong
password and locked account all give the same message and similar timing.
Every attempt and every user change is audited.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import datetime

from akut_tui.core import permissions
from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import LoginFailed, PermissionDenied, ValidationError
from akut_tui.core.passwords import PasswordPolicyError, check_password, normalise_password
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts import lockout
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.base.value_lists import known_label
from db.models import User

LOGIN_FAILED = "Forkert brugernavn eller adgangskode, eller kontoen er midlertidigt låst."
INVALID_USERNAME = "(ugyldigt brugernavn)"
"""Logged instead of an attempted name that cannot be a username."""
CPR_LIKE_USERNAME = "(brugernavn som ligner CPR)"
"""Logged instead of an attempted name that holds a CPR-like number."""
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_dummy_hashes: dict[int, str] = {}
_dummy_lock = threading.Lock()


def normalise_username(raw: str) -> str:
    """Return the canonical (NFKC, trimmed, lower-case) form of a username."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def validate_username(raw: str) -> str:
    """Return the normalised username or raise :class:`ValidationError`."""
    name = normalise_username(raw)
    if contains_cpr(name):
        raise ValidationError("Et brugernavn må ikke ligne et CPR-nummer.", "username")
    if not USERNAME_RE.match(name):
        raise ValidationError(
            "Brugernavnet skal være 2-64 tegn: små bogstaver a-z, tal, punktum, "
            "bindestreg eller understregning.",
            "username",
        )
    return name


def _hash(rt: Runtime, password: str) -> str:
    with rt.hash_slots:
        return rt.hasher.hash(password)


def _verify(rt: Runtime, stored: str, password: str) -> bool:
    # Lazy: keeps the CLI and the TUI start from loading argon2 until a hash is needed.
    from argon2.exceptions import InvalidHashError, VerificationError

    with rt.hash_slots:
        try:
            return bool(rt.hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False


def _dummy_hash(rt: Runtime) -> str:
    key = id(rt.hasher)
    with _dummy_lock:  # one computation, even when start-up and a login ask at once
        if key not in _dummy_hashes:
            _dummy_hashes[key] = _hash(rt, "dummy password for timing equality")
        return _dummy_hashes[key]


def prepare_login(rt: Runtime) -> None:
    """Compute the dummy hash now, before any login is checked (issue 15 §7).

    A login for an unknown, disabled or locked account verifies this hash instead of
    the account's. Made on first use, it cost one extra argon2 hash on the first
    attempt of every fresh process (every SSH session), which told those names from
    existing ones by time. Start-up calls this in its worker before the login screen
    lets a login through.
    """
    _dummy_hash(rt)


def _context_words(rt: Runtime) -> list[str]:
    words = ["akut", "akuttilbud", rt.config.site.name]
    municipality = known_label("municipality", rt.config.site.municipality)
    if municipality is not None:
        words.append(municipality)
    return words


def _checked_password(rt: Runtime, password: str, username: str) -> str:
    try:
        return check_password(
            password,
            username=username,
            context_words=_context_words(rt),
            min_length=rt.config.security.password_min_length,
        )
    except PasswordPolicyError as exc:
        raise ValidationError(str(exc), "password") from None


def _now(rt: Runtime) -> datetime:
    return rt.now()


def _session(user: User, now: datetime) -> SignedInUser:
    return SignedInUser(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        started_at=now,
        must_change_password=bool(user.must_change_password),
    )


def require(session: SignedInUser | None, action: str) -> str:
    """Check, against the database, that the session's user may do ``action``.

    Must be called with a connection open. Returns the user's current role.
    ``None`` is the trusted operator on the server (the CLI) and is always allowed.
    """
    if session is None:
        return permissions.LEADER
    row = (
        User.select(User.role, User.active, User.must_change_password)
        .where(User.id == session.user_id)
        .first()
    )
    if row is None or not row.active:
        raise PermissionDenied("Din konto er deaktiveret. Kontakt din leder.")
    if row.must_change_password:
        raise PermissionDenied("Du skal vælge en ny adgangskode, før du kan fortsætte.")
    if not permissions.allowed(row.role, action):
        raise PermissionDenied("Din rolle giver ikke adgang til dette.")
    return str(row.role)


def account_status(session: SignedInUser) -> tuple[bool, str]:
    """Return (active, current role) of the session's account; a cheap read for polling."""
    with connection():
        row = User.select(User.active, User.role).where(User.id == session.user_id).first()
    if row is None:
        return False, session.role
    return bool(row.active), str(row.role)


def has_users() -> bool:
    """Return True when at least one user account exists."""
    with connection():
        return User.select().exists()


def create_first_leader(
    rt: Runtime, username: str, password: str, display_name: str = ""
) -> SignedInUser:
    """Create the first leader account when none exists, and log it in."""
    name = validate_username(username)
    digest = _hash(rt, _checked_password(rt, password, name))
    now = _now(rt)
    with write_transaction():
        if User.select().exists():
            raise PermissionDenied("Der findes allerede brugere. Log ind i stedet.")
        user = User.create(
            username=name,
            display_name=clean_text(display_name, max_length=120),
            role=permissions.LEADER,
            password_hash=digest,
            created_at=now,
            password_changed_at=now,
            last_login_at=now,
        )
        audit.record(
            rt,
            "user.create_first",
            user_id=user.id,
            username=name,
            object_type="user",
            object_id=user.id,
        )
        audit.record(rt, "login.ok", user_id=user.id, username=name)
        return _session(user, now)


def _loggable_name(name: str) -> str:
    """Return what may be stored of a typed login name: a CPR-like or impossible name
    (people type their CPR or password there) becomes a placeholder."""
    if contains_cpr(name):
        return CPR_LIKE_USERNAME
    return name if USERNAME_RE.match(name) else INVALID_USERNAME


def login(rt: Runtime, username: str, password: str) -> SignedInUser:
    """Check a login; raise :class:`LoginFailed` with one message for every failure.

    The lock is checked and the attempt counted before hashing, in one
    IMMEDIATE transaction (:mod:`akut_tui.services.accounts.lockout`), so parallel
    sessions cannot get more guesses than the limit.
    """
    name = normalise_username(username)
    password = normalise_password(password)
    safe_name = _loggable_name(name)
    now = _now(rt)
    with connection():
        found = User.select(User.id).where(User.username == name).first()
    user_id = found.id if found and safe_name == name else None
    ticket = lockout.reserve(rt, user_id, now, logged_name=safe_name)
    stored = ticket.password_hash if ticket.may_verify else _dummy_hash(rt)
    ok = _verify(rt, stored, password) and ticket.may_verify
    new_hash = None
    if ok and rt.hasher.check_needs_rehash(ticket.password_hash):
        new_hash = _hash(rt, password)
    with write_transaction():
        lockout.settle(rt, ticket, ok, now)
        if not ok:
            refused = "locked" if ticket.reason == "locked" else ""  # not verified at all
            audit.record(
                rt, "login.failed", username=safe_name, user_id=ticket.user_id, object_type=refused
            )
        else:
            changes: dict[str, object] = {"last_login_at": now}
            if new_hash is not None:
                changes["password_hash"] = new_hash
            User.update(**changes).where(User.id == ticket.user_id).execute()
            audit.record(rt, "login.ok", user_id=ticket.user_id, username=name)
            user = User.get_by_id(ticket.user_id)
            if new_hash is not None:
                me = _session(user, now)
                audit.record(rt, "user.rehash", actor=me, object_type="user", object_id=user.id)
    # Raised after the commit: inside the block it would roll back the failure record.
    if not ok:
        raise LoginFailed(LOGIN_FAILED)
    return _session(user, now)


def verify_session_password(
    rt: Runtime, session: SignedInUser, password: str, purpose: str
) -> bool:
    """Re-check the logged-in user's password (idle unlock or re-authentication).

    Counts toward the same lockout as the login: a locked account is refused
    without verifying, and failures here lock the account like failed logins.
    """
    now = _now(rt)
    ticket = lockout.reserve(rt, session.user_id, now, logged_name=session.username, kind="unlock")
    stored = ticket.password_hash if ticket.may_verify else _dummy_hash(rt)
    ok = _verify(rt, stored, normalise_password(password)) and ticket.may_verify
    with write_transaction():
        lockout.settle(rt, ticket, ok, now)
        audit.record(rt, f"{purpose}.{'ok' if ok else 'failed'}", actor=session)
    return ok


def logout(rt: Runtime, session: SignedInUser, reason: str = "logout") -> None:
    """Record the end of a session."""
    with write_transaction():
        audit.record(rt, f"session.{reason}", actor=session)


def record_lock(rt: Runtime, session: SignedInUser) -> None:
    """Record that the idle lock engaged."""
    with write_transaction():
        audit.record(rt, "session.idle_lock", actor=session)


def change_own_password(rt: Runtime, session: SignedInUser, old: str, new: str) -> None:
    """Let a logged-in user replace their password (also clears a one-time password)."""
    if not verify_session_password(rt, session, old, "password_check"):
        raise ValidationError("Den nuværende adgangskode er forkert.", "old")
    if normalise_password(new) == normalise_password(old):
        # A one-time password "changed" to itself would stay known to whoever set it.
        raise ValidationError("Den nye adgangskode skal være en anden end den nuværende.", "new")
    digest = _hash(rt, _checked_password(rt, new, session.username))
    with write_transaction():
        User.update(
            password_hash=digest, password_changed_at=_now(rt), must_change_password=False
        ).where(User.id == session.user_id).execute()
        audit.record(
            rt, "user.password_self", actor=session, object_type="user", object_id=session.user_id
        )
