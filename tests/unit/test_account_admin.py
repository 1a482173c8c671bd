"""A leader's user administration in the service layer (issue 18 §1).

Re-authentication before every change, the last active leader, one's own role,
CPR-like display names and one-time passwords drawn by the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from akut_tui.core.errors import LoginFailed, PermissionDenied, ValidationError
from akut_tui.core.passwords import check_password
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import rules as account_rules
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import AuditEvent, User
from tests.conftest import PASSWORD

WRONG = "helt forkert adgangskode her"


@pytest.fixture
def people(rt: Runtime) -> dict[str, SignedInUser]:
    """A leader (lise), a coordinator (kim) and a staff member (ole), logged in."""
    for name, role in (("lise", "leder"), ("kim", "koordinator"), ("ole", "medarbejder")):
        accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return {name: auth.login(rt, name, PASSWORD) for name in ("lise", "kim", "ole")}


def _leader_actions(rt: Runtime) -> dict[str, Callable[[SignedInUser], Any]]:
    return {
        "create": lambda s: accounts.create_with_one_time_password(
            rt, s, "ny", "medarbejder", reauth=PASSWORD
        ),
        "reset": lambda s: accounts.reset_to_one_time_password(rt, s, "ole", reauth=PASSWORD),
        "role": lambda s: accounts.set_role(rt, s, "ole", "leder", reauth=PASSWORD),
        "disable": lambda s: accounts.set_active(rt, s, "ole", False, reauth=PASSWORD),
        "enable": lambda s: accounts.set_active(rt, s, "ole", True, reauth=PASSWORD),
        "unlock": lambda s: accounts.unlock_user(rt, s, "ole", reauth=PASSWORD),
        "check_new": lambda s: accounts.check_new_user(rt, s, "ny", "", "medarbejder"),
        "check_change": lambda s: accounts.check_user_change(rt, s, "ole", role="leder"),
    }


def _state() -> tuple[list[tuple[object, ...]], list[str]]:
    with connection():
        users = [
            (u.username, u.role, u.active, u.password_hash, u.must_change_password, u.failed_count)
            for u in User.select().order_by(User.id)
        ]
        events = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    return users, events


@pytest.mark.parametrize("who", ["ole", "kim"])
@pytest.mark.parametrize(
    "action",
    ["create", "reset", "role", "disable", "enable", "unlock", "check_new", "check_change"],
)
def test_staff_and_coordinator_are_refused_in_the_service(
    rt: Runtime, people: dict[str, SignedInUser], who: str, action: str
) -> None:
    """Refused before the password is even checked: nothing changes, nothing is counted."""
    before = _state()
    with pytest.raises(PermissionDenied, match="Din rolle giver ikke adgang"):
        _leader_actions(rt)[action](people[who])
    assert _state() == before


@pytest.mark.parametrize("action", ["create", "reset", "role", "disable", "unlock"])
def test_a_leader_change_needs_the_leaders_own_password(
    rt: Runtime, people: dict[str, SignedInUser], action: str
) -> None:
    lise = people["lise"]
    calls: dict[str, Callable[[str | None], Any]] = {
        "create": lambda pw: accounts.create_with_one_time_password(
            rt, lise, "ny", "medarbejder", reauth=pw
        ),
        "reset": lambda pw: accounts.reset_to_one_time_password(rt, lise, "ole", reauth=pw),
        "role": lambda pw: accounts.set_role(rt, lise, "ole", "leder", reauth=pw),
        "disable": lambda pw: accounts.set_active(rt, lise, "ole", False, reauth=pw),
        "unlock": lambda pw: accounts.unlock_user(rt, lise, "ole", reauth=pw),
    }
    users_before, _ = _state()
    with pytest.raises(ValidationError, match="Bekræft med din egen adgangskode") as missing:
        calls[action](None)
    assert missing.value.field == "password"
    with pytest.raises(ValidationError, match="Forkert adgangskode") as wrong:
        calls[action](WRONG)
    assert wrong.value.field == "password"
    users_after, events = _state()
    # Nothing changed except the leader's failure count (the lockout counts it).
    assert [u for u in users_after if u[0] != "lise"] == [u for u in users_before if u[0] != "lise"]
    assert dict((u[0], u[5]) for u in users_after)["lise"] == 1
    assert events[-1] == "reauth.failed"
    assert calls[action](PASSWORD)
    assert _state()[1][-2] == "reauth.ok"


def test_wrong_passwords_lock_the_leader_out(rt: Runtime, people: dict[str, SignedInUser]) -> None:
    limit = rt.config.security.lockout_failures
    for _ in range(limit):
        with pytest.raises(ValidationError):
            accounts.unlock_user(rt, people["lise"], "ole", reauth=WRONG)
    # Locked: even the right password is refused now, and the login too.
    with pytest.raises(ValidationError, match="Forkert adgangskode"):
        accounts.unlock_user(rt, people["lise"], "ole", reauth=PASSWORD)
    with pytest.raises(LoginFailed):
        auth.login(rt, "lise", PASSWORD)


def test_the_last_active_leader_stays(rt: Runtime, people: dict[str, SignedInUser]) -> None:
    lise = people["lise"]
    with pytest.raises(PermissionDenied, match="mindst én aktiv leder"):
        accounts.set_role(rt, None, "lise", "medarbejder")  # not even from the server
    with pytest.raises(PermissionDenied, match="mindst én aktiv leder"):
        accounts.set_active(rt, None, "lise", False)
    with pytest.raises(PermissionDenied, match="mindst én aktiv leder"):
        accounts.check_user_change(rt, None, "lise", active=False)
    # A second leader who is disabled does not count.
    accounts.create_user(rt, "bo", PASSWORD, "leder", actor=None)
    accounts.set_active(rt, None, "bo", False)
    with pytest.raises(PermissionDenied, match="mindst én aktiv leder"):
        accounts.set_role(rt, None, "lise", "koordinator")
    accounts.set_active(rt, lise, "bo", True, reauth=PASSWORD)
    bo = auth.login(rt, "bo", PASSWORD)
    assert accounts.set_role(rt, bo, "lise", "koordinator", reauth=PASSWORD).role == "koordinator"
    with pytest.raises(PermissionDenied, match="mindst én aktiv leder"):
        accounts.set_active(rt, None, "bo", False)


def test_a_leader_cannot_lower_their_own_role(rt: Runtime, people: dict[str, SignedInUser]) -> None:
    accounts.create_user(rt, "bo", PASSWORD, "leder", actor=None)
    lise = people["lise"]
    for role in ("koordinator", "medarbejder"):
        with pytest.raises(PermissionDenied, match="Du kan ikke sænke din egen rolle"):
            accounts.set_role(rt, lise, "lise", role, reauth=PASSWORD)
        with pytest.raises(PermissionDenied, match="Du kan ikke sænke din egen rolle"):
            accounts.check_user_change(rt, lise, "lise", role=role)
    with pytest.raises(ValidationError, match="Du kan ikke deaktivere din egen konto"):
        accounts.set_active(rt, lise, "lise", False, reauth=PASSWORD)
    with connection():
        assert User.get(User.username == "lise").role == "leder"


def test_names_that_look_like_cpr_are_refused(rt: Runtime, people: dict[str, SignedInUser]) -> None:
    lise = people["lise"]
    with pytest.raises(ValidationError, match="visningsnavn") as shown:
        accounts.check_new_user(rt, lise, "ny", "Ny 010190-1234", "medarbejder")
    assert shown.value.field == "display_name"
    with pytest.raises(ValidationError, match="CPR") as name:
        accounts.create_with_one_time_password(
            rt, lise, "0101901234", "medarbejder", reauth=PASSWORD
        )
    assert name.value.field == "username"
    with pytest.raises(ValidationError, match="visningsnavn"):
        accounts.create_with_one_time_password(
            rt, lise, "ny", "medarbejder", display_name="0101901234", reauth=PASSWORD
        )
    with pytest.raises(ValidationError, match="findes allerede"):
        accounts.check_new_user(rt, lise, "OLE", "Ole", "medarbejder")


def test_one_time_password_must_be_changed_at_first_login(
    rt: Runtime, people: dict[str, SignedInUser]
) -> None:
    made = accounts.create_with_one_time_password(
        rt, people["lise"], "Ny.Bruger", "koordinator", display_name="Ny Bruger", reauth=PASSWORD
    )
    assert made.user.username == "ny.bruger" and made.user.must_change_password
    assert check_password(
        made.password, username="ny.bruger", min_length=rt.config.security.password_min_length
    )
    first = auth.login(rt, "ny.bruger", made.password)
    assert first.must_change_password
    with pytest.raises(PermissionDenied, match="ny adgangskode"):
        accounts.list_users(rt, first)
    auth.change_own_password(rt, first, made.password, "en helt ny og lang sætning")
    again = auth.login(rt, "ny.bruger", "en helt ny og lang sætning")
    assert not again.must_change_password
    reset = accounts.reset_to_one_time_password(rt, people["lise"], "ny.bruger", reauth=PASSWORD)
    assert reset.password != made.password and reset.user.must_change_password
    with pytest.raises(LoginFailed):
        auth.login(rt, "ny.bruger", "en helt ny og lang sætning")
    assert auth.login(rt, "ny.bruger", reset.password).must_change_password


def test_drawn_passwords_differ_and_follow_the_policy() -> None:
    drawn = {account_rules.new_one_time_password(15, "ole") for _ in range(50)}
    assert len(drawn) == 50
    assert all(len(p) >= 19 and set(p) <= set(account_rules.ONE_TIME_ALPHABET + "-") for p in drawn)
    assert len(account_rules.new_one_time_password(30, "ole")) >= 30
