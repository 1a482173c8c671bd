"""The role × action matrix, checked through the service layer against the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from akut_tui.core import permissions
from akut_tui.core.errors import PermissionDenied
from akut_tui.core.permissions import PERMISSIONS, ROLES
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import AuditEvent, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "blaa elefant danser tango"


@pytest.fixture
def sessions(rt: Runtime) -> dict[str, SignedInUser]:
    """One logged-in user per role (the leader created first, as on a first run)."""
    result = {permissions.LEADER: auth.create_first_leader(rt, "leder", PASSWORD)}
    for role in ROLES:
        if role != permissions.LEADER:
            accounts.create_user(rt, role, PASSWORD, role, actor=None)
            result[role] = auth.login(rt, role, PASSWORD)
    accounts.create_user(rt, "maal", PASSWORD, "medarbejder", actor=None)
    return result


def _denied(session: SignedInUser | None, action: str) -> bool:
    with connection():
        try:
            auth.require(session, action)
        except PermissionDenied:
            return True
    return False


def test_matrix_is_well_formed() -> None:
    assert ROLES == ("medarbejder", "koordinator", "leder")
    for action, roles in PERMISSIONS.items():
        assert roles, action
        assert roles <= set(ROLES), action
        # Privileges only grow with the role.
        granted = [role in roles for role in ROLES]
        assert granted == sorted(granted), action
    assert permissions.allowed("leder", "no.such.action") is False


def test_every_role_and_action_through_the_service(sessions: dict[str, SignedInUser]) -> None:
    mismatches = []
    checked = 0
    for role in ROLES:
        for action in PERMISSIONS:
            denied = _denied(sessions[role], action)
            if denied == permissions.allowed(role, action):
                mismatches.append((role, action, "denied" if denied else "allowed"))
            checked += 1
    assert mismatches == []
    assert checked == len(ROLES) * len(PERMISSIONS)


def test_require_returns_the_current_role(sessions: dict[str, SignedInUser]) -> None:
    for role in ROLES:
        with connection():
            assert auth.require(sessions[role], "handover.read") == role


@pytest.mark.parametrize("role", ROLES)
def test_unknown_actions_are_denied(sessions: dict[str, SignedInUser], role: str) -> None:
    assert _denied(sessions[role], "no.such.action")
    assert _denied(sessions[role], "")


def test_cli_operator_is_trusted(rt: Runtime) -> None:
    for action in PERMISSIONS:
        assert not _denied(None, action)


def test_session_of_a_deleted_or_unknown_user_is_denied(
    rt: Runtime, sessions: dict[str, SignedInUser]
) -> None:
    ghost = SignedInUser(
        user_id=9999, username="ghost", display_name="", role="leder", started_at=rt.now()
    )
    assert _denied(ghost, "handover.read")


def test_role_in_session_object_is_not_trusted(
    rt: Runtime, sessions: dict[str, SignedInUser]
) -> None:
    """A session claiming 'leder' for a staff user gets staff rights."""
    staff = sessions["medarbejder"]
    forged = SignedInUser(
        user_id=staff.user_id,
        username=staff.username,
        display_name="",
        role="leder",
        started_at=staff.started_at,
    )
    assert _denied(forged, "users.manage")
    assert not _denied(forged, "handover.read")


def _user_admin_calls(rt: Runtime) -> dict[str, Callable[[SignedInUser], Any]]:
    return {
        "list_users": lambda s: accounts.list_users(rt, s),
        "create_user": lambda s: accounts.create_user(
            rt, "ny", PASSWORD, "leder", actor=s, reauth=PASSWORD
        ),
        "set_active": lambda s: accounts.set_active(rt, s, "maal", False, reauth=PASSWORD),
        "set_role": lambda s: accounts.set_role(rt, s, "maal", "leder", reauth=PASSWORD),
        "unlock_user": lambda s: accounts.unlock_user(rt, s, "maal", reauth=PASSWORD),
        "set_password": lambda s: accounts.set_password(
            rt, s, "maal", NEW_PASSWORD, reauth=PASSWORD
        ),
    }


@pytest.mark.parametrize("role", ["medarbejder", "koordinator"])
@pytest.mark.parametrize(
    "call", ["list_users", "create_user", "set_active", "set_role", "unlock_user", "set_password"]
)
def test_user_admin_denied_below_leader(
    rt: Runtime, sessions: dict[str, SignedInUser], role: str, call: str
) -> None:
    with connection():
        before = [
            (u.username, u.role, u.active, u.password_hash, u.must_change_password)
            for u in User.select().order_by(User.id)
        ]
        events = AuditEvent.select().count()
    with pytest.raises(PermissionDenied):
        _user_admin_calls(rt)[call](sessions[role])
    with connection():
        after = [
            (u.username, u.role, u.active, u.password_hash, u.must_change_password)
            for u in User.select().order_by(User.id)
        ]
        assert after == before  # nothing changed
        assert AuditEvent.select().count() == events


@pytest.mark.parametrize(
    "call", ["list_users", "create_user", "set_active", "set_role", "unlock_user", "set_password"]
)
def test_user_admin_allowed_for_leader(
    rt: Runtime, sessions: dict[str, SignedInUser], call: str
) -> None:
    with connection():
        events = AuditEvent.select().count()
    result = _user_admin_calls(rt)[call](sessions["leder"])
    assert result
    with connection():
        maal = User.get(User.username == "maal")
        grew = AuditEvent.select().count() - events
    expected = {
        "list_users": lambda: isinstance(result, list) and len(result) == 4,
        "create_user": lambda: result.username == "ny" and result.role == "leder",
        "set_active": lambda: maal.active is False,
        "set_role": lambda: maal.role == "leder",
        "unlock_user": lambda: maal.locked_until is None,
        "set_password": lambda: maal.must_change_password is True,
    }[call]
    assert expected()
    # Every change is audited, after the leader's re-authentication (listing is neither).
    assert grew == (0 if call == "list_users" else 2)
