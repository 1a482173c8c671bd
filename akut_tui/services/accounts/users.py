"""User administration: create accounts, list them, enable, disable, set role and password.

Every call is the leader's (``users.manage``), checked against the database;
``actor=None`` is the trusted operator on the server (the CLI). A leader's
change also needs the leader's own password again (``reauth``, issue 18 §1):
it is checked after the role and counts toward the leader's lockout, so a
session left open cannot be used to hand out accounts. Whoever acts, the last
active leader cannot be disabled or demoted, and a leader cannot lower their
own role (:mod:`akut_tui.services.accounts.rules`). Password hashing runs
outside any transaction, as in :mod:`akut_tui.services.accounts.auth`, whose hashing and
policy helpers this module shares. Every change is audited.
"""

from __future__ import annotations

from akut_tui.core import permissions
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.core.sanitize import clean_text
from akut_tui.services.accounts.auth import (
    _checked_password,
    _hash,
    _now,
    normalise_username,
    require,
    validate_username,
)
from akut_tui.services.accounts.rules import (
    check_change,
    checked_display_name,
    new_one_time_password,
    reauthenticate,
)
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import OneTimePassword, SignedInUser, UserInfo
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from db.models import User


def _check_role(role: str) -> None:
    if role not in permissions.ROLES:
        raise ValidationError(
            f"Ukendt rolle {role!r}; vælg {', '.join(permissions.ROLES)}.", "role"
        )


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=bool(user.active),
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
        must_change_password=bool(user.must_change_password),
    )


def _refuse_taken(name: str) -> None:
    if User.select().where(User.username == name).exists():
        raise ValidationError(f"Brugernavnet {name} findes allerede.", "username")


def check_new_user(
    rt: Runtime, actor: SignedInUser | None, username: str, display_name: str, role: str
) -> str:
    """Check a new account's fields before the leader confirms; return the normalised name.

    Changes nothing; :func:`create_user` checks everything again.
    """
    name = validate_username(username)
    checked_display_name(display_name)
    _check_role(role)
    with connection():
        require(actor, "users.manage")
        _refuse_taken(name)
    return name


def create_user(
    rt: Runtime,
    username: str,
    password: str,
    role: str,
    *,
    actor: SignedInUser | None,
    display_name: str = "",
    one_time: bool = False,
    reauth: str | None = None,
) -> UserInfo:
    """Create an account. ``actor=None`` is the server operator (CLI); a leader gives ``reauth``."""
    name = validate_username(username)
    shown_name = checked_display_name(display_name)
    _check_role(role)
    with connection():
        require(actor, "users.manage")
    reauthenticate(rt, actor, reauth)
    digest = _hash(rt, _checked_password(rt, password, name))
    now = _now(rt)
    with write_transaction():
        require(actor, "users.manage")
        _refuse_taken(name)
        user = User.create(
            username=name,
            display_name=shown_name,
            role=role,
            password_hash=digest,
            created_at=now,
            password_changed_at=now,
            must_change_password=one_time,
        )
        audit.record(rt, "user.create", actor=actor, object_type="user", object_id=user.id)
        return _user_info(user)


def create_with_one_time_password(
    rt: Runtime,
    actor: SignedInUser | None,
    username: str,
    role: str,
    *,
    display_name: str = "",
    reauth: str | None = None,
) -> OneTimePassword:
    """Create an account with a drawn one-time password, to be shown to the leader once."""
    name = validate_username(username)
    password = new_one_time_password(rt.config.security.password_min_length, name)
    info = create_user(
        rt,
        name,
        password,
        role,
        actor=actor,
        display_name=display_name,
        one_time=True,
        reauth=reauth,
    )
    return OneTimePassword(user=info, password=password)


def list_users(rt: Runtime, actor: SignedInUser | None) -> list[UserInfo]:
    """Return every account, ordered by username."""
    with connection():
        require(actor, "users.manage")
        return [_user_info(u) for u in User.select().order_by(User.username)]


def _get_user(name: str) -> User:
    user = User.get_or_none(User.username == normalise_username(name))
    if user is None:
        raise NotFound(f"Brugeren {clean_text(name, max_length=64)} findes ikke.")
    return user


def _confirmed(
    rt: Runtime, actor: SignedInUser | None, username: str, reauth: str | None, **change: object
) -> None:
    """Check role, target and rules (cheap, no lockout count), then the leader's password."""
    with connection():
        require(actor, "users.manage")
        check_change(actor, _get_user(username), **change)  # type: ignore[arg-type]
    reauthenticate(rt, actor, reauth)


def check_user_change(
    rt: Runtime,
    actor: SignedInUser | None,
    username: str,
    *,
    role: str | None = None,
    active: bool | None = None,
) -> None:
    """Refuse now a change the rules forbid, before the leader types a password."""
    if role is not None:
        _check_role(role)
    with connection():
        require(actor, "users.manage")
        check_change(actor, _get_user(username), role=role, active=active)


def set_active(
    rt: Runtime,
    actor: SignedInUser | None,
    username: str,
    active: bool,
    *,
    reauth: str | None = None,
) -> UserInfo:
    """Enable or disable an account; a disabled user's next action is refused."""
    _confirmed(rt, actor, username, reauth, active=active)
    with write_transaction():
        require(actor, "users.manage")
        user = _get_user(username)
        check_change(actor, user, active=active)
        User.update(active=active).where(User.id == user.id).execute()
        audit.record(
            rt,
            "user.enable" if active else "user.disable",
            actor=actor,
            object_type="user",
            object_id=user.id,
        )
        return _user_info(User.get_by_id(user.id))


def set_role(
    rt: Runtime, actor: SignedInUser | None, username: str, role: str, *, reauth: str | None = None
) -> UserInfo:
    """Change an account's role; applies at the user's next action."""
    _check_role(role)
    _confirmed(rt, actor, username, reauth, role=role)
    with write_transaction():
        require(actor, "users.manage")
        user = _get_user(username)
        check_change(actor, user, role=role)
        User.update(role=role).where(User.id == user.id).execute()
        audit.record(rt, "user.role", actor=actor, object_type="user", object_id=user.id)
        return _user_info(User.get_by_id(user.id))


def unlock_user(
    rt: Runtime, actor: SignedInUser | None, username: str, *, reauth: str | None = None
) -> UserInfo:
    """Lift a lockout early."""
    _confirmed(rt, actor, username, reauth)
    with write_transaction():
        require(actor, "users.manage")
        user = _get_user(username)
        User.update(failed_count=0, locked_until=None).where(User.id == user.id).execute()
        audit.record(rt, "user.unlock", actor=actor, object_type="user", object_id=user.id)
        return _user_info(User.get_by_id(user.id))


def set_password(
    rt: Runtime,
    actor: SignedInUser | None,
    username: str,
    password: str,
    *,
    one_time: bool = True,
    reauth: str | None = None,
) -> UserInfo:
    """Set a new password as an administrator; by default the user must change it at login."""
    _confirmed(rt, actor, username, reauth)
    with connection():
        user = _get_user(username)
    digest = _hash(rt, _checked_password(rt, password, user.username))
    with write_transaction():
        require(actor, "users.manage")
        User.update(
            password_hash=digest,
            password_changed_at=_now(rt),
            must_change_password=one_time,
            failed_count=0,
            locked_until=None,
        ).where(User.id == user.id).execute()
        audit.record(rt, "user.password", actor=actor, object_type="user", object_id=user.id)
        return _user_info(User.get_by_id(user.id))


def reset_to_one_time_password(
    rt: Runtime, actor: SignedInUser | None, username: str, *, reauth: str | None = None
) -> OneTimePassword:
    """Give an account a drawn one-time password (shown to the leader once), lifting a lockout."""
    name = normalise_username(username)
    password = new_one_time_password(rt.config.security.password_min_length, name)
    info = set_password(rt, actor, name, password, one_time=True, reauth=reauth)
    return OneTimePassword(user=info, password=password)
