"""User administration: create accounts, list them, enable, disable, set role and password.

Every call is the leader's (``users.manage``), checked against the database;
``actor=None`` is the trusted operator on the server (the CLI). Password
hashing runs outside any transaction, as in :mod:`akut_tui.services.auth`,
whose hashing and policy helpers this module shares. Every change is audited.
"""

from __future__ import annotations

from akut_tui import permissions
from akut_tui.errors import NotFound, ValidationError
from akut_tui.sanitize import clean_text
from akut_tui.services import audit
from akut_tui.services.auth import (
    _checked_password,
    _hash,
    _now,
    normalise_username,
    require,
    validate_username,
)
from akut_tui.services.dto import SessionInfo, UserInfo
from akut_tui.services.runtime import Runtime
from akut_tui.services.storage import connection, write_transaction
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


def create_user(
    rt: Runtime,
    username: str,
    password: str,
    role: str,
    *,
    actor: SessionInfo | None,
    display_name: str = "",
    one_time: bool = False,
) -> UserInfo:
    """Create an account. ``actor=None`` is the server operator (CLI)."""
    name = validate_username(username)
    _check_role(role)
    with connection():
        require(actor, "users.manage")
    digest = _hash(rt, _checked_password(rt, password, name))
    now = _now(rt)
    with write_transaction():
        if User.select().where(User.username == name).exists():
            raise ValidationError(f"Brugernavnet {name} findes allerede.", "username")
        user = User.create(
            username=name,
            display_name=clean_text(display_name, max_length=120),
            role=role,
            password_hash=digest,
            created_at=now,
            password_changed_at=now,
            must_change_password=one_time,
        )
        audit.record(rt, "user.create", actor=actor, object_type="user", object_id=user.id)
        return _user_info(user)


def list_users(rt: Runtime, actor: SessionInfo | None) -> list[UserInfo]:
    """Return every account, ordered by username."""
    with connection():
        require(actor, "users.manage")
        return [_user_info(u) for u in User.select().order_by(User.username)]


def _get_user(name: str) -> User:
    user = User.get_or_none(User.username == normalise_username(name))
    if user is None:
        raise NotFound(f"Brugeren {clean_text(name, max_length=64)} findes ikke.")
    return user


def set_active(rt: Runtime, actor: SessionInfo | None, username: str, active: bool) -> UserInfo:
    """Enable or disable an account; a disabled user's next action is refused."""
    with write_transaction():
        require(actor, "users.manage")
        user = _get_user(username)
        if actor is not None and user.id == actor.user_id and not active:
            raise ValidationError("Du kan ikke deaktivere din egen konto.", "username")
        User.update(active=active).where(User.id == user.id).execute()
        audit.record(
            rt,
            "user.enable" if active else "user.disable",
            actor=actor,
            object_type="user",
            object_id=user.id,
        )
        return _user_info(User.get_by_id(user.id))


def set_role(rt: Runtime, actor: SessionInfo | None, username: str, role: str) -> UserInfo:
    """Change an account's role; applies at the user's next action."""
    _check_role(role)
    with write_transaction():
        require(actor, "users.manage")
        user = _get_user(username)
        User.update(role=role).where(User.id == user.id).execute()
        audit.record(rt, "user.role", actor=actor, object_type="user", object_id=user.id)
        return _user_info(User.get_by_id(user.id))


def unlock_user(rt: Runtime, actor: SessionInfo | None, username: str) -> UserInfo:
    """Lift a lockout early."""
    with write_transaction():
        require(actor, "users.manage")
        user = _get_user(username)
        User.update(failed_count=0, locked_until=None).where(User.id == user.id).execute()
        audit.record(rt, "user.unlock", actor=actor, object_type="user", object_id=user.id)
        return _user_info(User.get_by_id(user.id))


def set_password(
    rt: Runtime, actor: SessionInfo | None, username: str, password: str, *, one_time: bool = True
) -> UserInfo:
    """Set a new password as an administrator; by default the user must change it at login."""
    with connection():
        require(actor, "users.manage")
        user = _get_user(username)
    digest = _hash(rt, _checked_password(rt, password, user.username))
    with write_transaction():
        User.update(
            password_hash=digest,
            password_changed_at=_now(rt),
            must_change_password=one_time,
            failed_count=0,
            locked_until=None,
        ).where(User.id == user.id).execute()
        audit.record(rt, "user.password", actor=actor, object_type="user", object_id=user.id)
        return _user_info(User.get_by_id(user.id))
