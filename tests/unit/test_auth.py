"""Login, lockout, rehashing, password policy and user administration in the service layer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters

from akut_tui.core.errors import LoginFailed, NotFound, PermissionDenied, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import AuditEvent, LoginAttempt, User
from tests.conftest import PASSWORD, FakeClock

OTHER_PASSWORD = "blaa elefant danser tango"


def _leader(rt: Runtime, name: str = "leder") -> SignedInUser:
    return auth.create_first_leader(rt, name, PASSWORD, "Lise Leder")


def _add(rt: Runtime, name: str, role: str = "medarbejder", actor: SignedInUser | None = None):
    return accounts.create_user(rt, name, PASSWORD, role, actor=actor, reauth=PASSWORD)


def _stored_hash(name: str) -> str:
    with connection():
        return str(User.get(User.username == name).password_hash)


def _failures() -> tuple[int, int]:
    with connection():
        attempts = LoginAttempt.select().where(LoginAttempt.success == False).count()  # noqa: E712
        events = AuditEvent.select().where(AuditEvent.action == "login.failed").count()
    return attempts, events


def _fail(rt: Runtime, name: str, password: str) -> str:
    with pytest.raises(LoginFailed) as info:
        auth.login(rt, name, password)
    return str(info.value)


# --- login ---------------------------------------------------------------------------


def test_login_ok_returns_session(rt: Runtime, clock: FakeClock) -> None:
    _add(rt, "ole")
    session = auth.login(rt, "ole", PASSWORD)
    assert isinstance(session, SignedInUser)
    assert session.username == "ole"
    assert session.role == "medarbejder"
    assert session.started_at == clock()
    with connection():
        user = User.get(User.username == "ole")
        assert user.last_login_at == clock()
        assert LoginAttempt.get(LoginAttempt.user == user.id).success is True
        assert AuditEvent.select().where(AuditEvent.action == "login.ok").count() == 1


def test_username_is_normalised_at_login(rt: Runtime) -> None:
    _add(rt, "ole")
    assert auth.login(rt, "  OLE ", PASSWORD).username == "ole"


def test_every_refusal_has_the_same_message(rt: Runtime, clock: FakeClock) -> None:
    _add(rt, "ole")
    _add(rt, "deaktiv")
    accounts.set_active(rt, None, "deaktiv", False)
    _add(rt, "laast")
    for _ in range(rt.config.security.lockout_failures):
        _fail(rt, "laast", "forkert")

    messages = {
        "wrong password": _fail(rt, "ole", "forkert adgangskode her"),
        "unknown user": _fail(rt, "ingen", PASSWORD),
        "invalid name": _fail(rt, "Ø ø ø", PASSWORD),
        "disabled": _fail(rt, "deaktiv", PASSWORD),
        "locked": _fail(rt, "laast", PASSWORD),
        "empty password": _fail(rt, "ole", ""),
    }
    assert set(messages.values()) == {auth.LOGIN_FAILED}


def test_lockout_after_five_failures_for_fifteen_minutes(rt: Runtime, clock: FakeClock) -> None:
    _add(rt, "ole")
    sec = rt.config.security
    assert (sec.lockout_failures, sec.lockout_minutes) == (5, 15)
    for _ in range(4):
        _fail(rt, "ole", "forkert")
    # Four failures: not locked yet.
    assert auth.login(rt, "ole", PASSWORD).username == "ole"
    # A success resets the count, so five more are needed.
    for _ in range(5):
        _fail(rt, "ole", "forkert")
    with connection():
        user = User.get(User.username == "ole")
        assert user.locked_until == clock() + timedelta(minutes=15)
        assert AuditEvent.select().where(AuditEvent.action == "login.lockout").count() == 1
    _fail(rt, "ole", PASSWORD)  # correct password refused while locked
    clock.advance(minutes=14, seconds=59)
    _fail(rt, "ole", PASSWORD)
    clock.advance(seconds=1)
    session = auth.login(rt, "ole", PASSWORD)
    assert session.username == "ole"
    with connection():
        user = User.get(User.username == "ole")
        assert user.locked_until is None and user.failed_count == 0


def test_failures_while_locked_do_not_extend_the_lock(rt: Runtime, clock: FakeClock) -> None:
    _add(rt, "ole")
    for _ in range(5):
        _fail(rt, "ole", "forkert")
    clock.advance(minutes=10)
    for _ in range(5):
        _fail(rt, "ole", "forkert")
    clock.advance(minutes=5)
    assert auth.login(rt, "ole", PASSWORD).username == "ole"


def test_leader_can_unlock_early(rt: Runtime) -> None:
    leader = _leader(rt)
    _add(rt, "ole", actor=leader)
    for _ in range(5):
        _fail(rt, "ole", "forkert")
    _fail(rt, "ole", PASSWORD)
    info = accounts.unlock_user(rt, leader, "ole", reauth=PASSWORD)
    assert info.locked_until is None
    assert auth.login(rt, "ole", PASSWORD).username == "ole"


def test_every_failure_is_recorded_and_audited(rt: Runtime) -> None:
    _add(rt, "ole")
    _add(rt, "deaktiv")
    accounts.set_active(rt, None, "deaktiv", False)
    cases = [
        ("ole", "forkert"),
        ("ingen", PASSWORD),
        ("deaktiv", PASSWORD),
        ("ole", "forkert"),
        ("ole", "forkert"),
        ("ole", "forkert"),
        ("ole", "forkert"),  # fifth failure: locks
        ("ole", PASSWORD),  # locked
    ]
    for number, (name, password) in enumerate(cases, start=1):
        _fail(rt, name, password)
        assert _failures() == (number, number)
    with connection():
        ole = User.get(User.username == "ole")
        assert LoginAttempt.select().where(LoginAttempt.user == ole.id).count() == 6
        unknown = LoginAttempt.get(LoginAttempt.username == "ingen")
        assert unknown.user is None and unknown.success is False


# --- rehashing -----------------------------------------------------------------------


def test_login_rehashes_a_hash_with_old_parameters(rt: Runtime) -> None:
    _add(rt, "ole")
    old_hasher = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    old_hash = old_hasher.hash(PASSWORD)
    with connection():
        User.update(password_hash=old_hash).where(User.username == "ole").execute()
    assert rt.hasher.check_needs_rehash(old_hash)

    _fail(rt, "ole", "forkert")
    assert _stored_hash("ole") == old_hash  # a failed login never rewrites

    auth.login(rt, "ole", PASSWORD)
    new_hash = _stored_hash("ole")
    assert new_hash != old_hash
    params = extract_parameters(new_hash)
    current = extract_parameters(rt.hasher.hash("x"))
    assert params == current
    assert not rt.hasher.check_needs_rehash(new_hash)
    with connection():
        assert AuditEvent.select().where(AuditEvent.action == "user.rehash").count() == 1
    # The new hash works, and an up-to-date hash is left alone.
    auth.login(rt, "ole", PASSWORD)
    assert _stored_hash("ole") == new_hash


def test_failed_login_on_locked_account_never_rewrites(rt: Runtime) -> None:
    _add(rt, "ole")
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    with connection():
        User.update(password_hash=old_hash).where(User.username == "ole").execute()
    for _ in range(5):
        _fail(rt, "ole", "forkert")
    _fail(rt, "ole", PASSWORD)
    assert _stored_hash("ole") == old_hash


# --- password policy and account creation -------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["kort", "a" * 129, "akuttilbud akuttilbud", "ole ole ole ole ole", "123456789012345"],
)
def test_policy_errors_are_validation_errors(rt: Runtime, password: str) -> None:
    with pytest.raises(ValidationError) as info:
        accounts.create_user(rt, "ole", password, "medarbejder", actor=None)
    assert info.value.field == "password"
    assert str(info.value)
    with connection():
        assert not User.select().exists()


def test_policy_applies_to_first_leader_and_resets(rt: Runtime) -> None:
    with pytest.raises(ValidationError):
        auth.create_first_leader(rt, "leder", "kort")
    leader = _leader(rt)
    _add(rt, "ole", actor=leader)
    with pytest.raises(ValidationError):
        accounts.set_password(rt, leader, "ole", "kort", reauth=PASSWORD)
    with pytest.raises(ValidationError):
        auth.change_own_password(rt, leader, PASSWORD, "kort")


@pytest.mark.parametrize("name", ["", "a", "ole bole", "ole/bole", "x" * 65, "<ole>"])
def test_bad_usernames_are_refused(rt: Runtime, name: str) -> None:
    with pytest.raises(ValidationError) as info:
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None)
    assert info.value.field == "username"


def test_duplicate_username_is_a_validation_error(rt: Runtime) -> None:
    _add(rt, "ole")
    with pytest.raises(ValidationError, match="findes allerede"):
        _add(rt, "OLE")


def test_unknown_role_is_refused(rt: Runtime) -> None:
    with pytest.raises(ValidationError) as info:
        accounts.create_user(rt, "ole", PASSWORD, "admin", actor=None)
    assert info.value.field == "role"


def test_first_leader_only_when_no_user_exists(rt: Runtime) -> None:
    assert not auth.has_users()
    session = _leader(rt)
    assert session.role == "leder" and session.username == "leder"
    assert auth.has_users()
    with pytest.raises(PermissionDenied):
        auth.create_first_leader(rt, "anden", PASSWORD)
    with connection():
        assert User.select().count() == 1


def test_first_leader_refused_when_cli_made_a_user(rt: Runtime) -> None:
    _add(rt, "ole")
    with pytest.raises(PermissionDenied):
        _leader(rt)


# --- sessions follow the database ----------------------------------------------------


def test_demoted_leader_is_denied_at_the_next_action(rt: Runtime) -> None:
    boss = _leader(rt)
    accounts.create_user(rt, "anna", PASSWORD, "leder", actor=boss, reauth=PASSWORD)
    anna = auth.login(rt, "anna", PASSWORD)
    assert [u.username for u in accounts.list_users(rt, anna)] == ["anna", "leder"]
    accounts.set_role(rt, boss, "anna", "medarbejder", reauth=PASSWORD)
    assert anna.role == "leder"  # the session object is stale ...
    with pytest.raises(PermissionDenied):
        accounts.list_users(rt, anna)  # ... but the service checks the database
    with pytest.raises(PermissionDenied):
        accounts.create_user(rt, "ny", PASSWORD, "leder", actor=anna, reauth=PASSWORD)


def test_disabled_users_session_is_denied(rt: Runtime) -> None:
    boss = _leader(rt)
    accounts.create_user(rt, "anna", PASSWORD, "leder", actor=boss, reauth=PASSWORD)
    anna = auth.login(rt, "anna", PASSWORD)
    accounts.set_active(rt, boss, "anna", False, reauth=PASSWORD)
    with pytest.raises(PermissionDenied, match="deaktiveret"):
        accounts.list_users(rt, anna)
    assert auth.verify_session_password(rt, anna, PASSWORD, "unlock") is False
    _fail(rt, "anna", PASSWORD)
    accounts.set_active(rt, boss, "anna", True, reauth=PASSWORD)
    assert accounts.list_users(rt, anna)


def test_leader_cannot_disable_themself(rt: Runtime) -> None:
    boss = _leader(rt)
    with pytest.raises(ValidationError):
        accounts.set_active(rt, boss, "leder", False, reauth=PASSWORD)


def test_changes_to_unknown_users_raise_not_found(rt: Runtime) -> None:
    boss = _leader(rt)
    with pytest.raises(NotFound):
        accounts.set_active(rt, boss, "ingen", False, reauth=PASSWORD)
    with pytest.raises(NotFound):
        accounts.set_role(rt, boss, "ingen", "leder", reauth=PASSWORD)
    with pytest.raises(NotFound):
        accounts.unlock_user(rt, boss, "ingen", reauth=PASSWORD)
    with pytest.raises(NotFound):
        accounts.set_password(rt, boss, "ingen", OTHER_PASSWORD, reauth=PASSWORD)


# --- password resets -----------------------------------------------------------------


def test_admin_reset_sets_must_change_password(rt: Runtime) -> None:
    boss = _leader(rt)
    _add(rt, "ole", actor=boss)
    info = accounts.set_password(rt, boss, "ole", OTHER_PASSWORD, reauth=PASSWORD)
    assert info.must_change_password is True
    _fail(rt, "ole", PASSWORD)
    session = auth.login(rt, "ole", OTHER_PASSWORD)
    assert session.must_change_password is True
    auth.change_own_password(rt, session, OTHER_PASSWORD, "gul ubaad sejler langsomt")
    again = auth.login(rt, "ole", "gul ubaad sejler langsomt")
    assert again.must_change_password is False


def test_a_one_time_password_cannot_be_changed_to_itself(rt: Runtime) -> None:
    """Issue 15 §8: the leader who set it would still know the password."""
    boss = _leader(rt)
    _add(rt, "ole", actor=boss)
    accounts.set_password(rt, boss, "ole", OTHER_PASSWORD, reauth=PASSWORD)
    session = auth.login(rt, "ole", OTHER_PASSWORD)
    for same in (OTHER_PASSWORD, OTHER_PASSWORD.replace("a", "\uff41")):  # full-width a
        with pytest.raises(ValidationError, match="en anden end den nuværende"):
            auth.change_own_password(rt, session, OTHER_PASSWORD, same)
    assert auth.login(rt, "ole", OTHER_PASSWORD).must_change_password is True


def test_permanent_reset_and_one_time_creation(rt: Runtime) -> None:
    boss = _leader(rt)
    info = accounts.create_user(
        rt, "ole", PASSWORD, "medarbejder", actor=boss, one_time=True, reauth=PASSWORD
    )
    assert info.must_change_password is True
    info = accounts.set_password(rt, boss, "ole", OTHER_PASSWORD, one_time=False, reauth=PASSWORD)
    assert info.must_change_password is False


def test_reset_lifts_a_lockout(rt: Runtime) -> None:
    boss = _leader(rt)
    _add(rt, "ole", actor=boss)
    for _ in range(5):
        _fail(rt, "ole", "forkert")
    accounts.set_password(rt, boss, "ole", OTHER_PASSWORD, reauth=PASSWORD)
    assert auth.login(rt, "ole", OTHER_PASSWORD).username == "ole"


def test_change_own_password_needs_the_old_one(rt: Runtime) -> None:
    boss = _leader(rt)
    with pytest.raises(ValidationError) as info:
        auth.change_own_password(rt, boss, "forkert", OTHER_PASSWORD)
    assert info.value.field == "old"
    assert _stored_hash("leder") != "" and auth.login(rt, "leder", PASSWORD)


def test_unlock_password_check_is_recorded(rt: Runtime) -> None:
    boss = _leader(rt)
    assert auth.verify_session_password(rt, boss, PASSWORD, "unlock") is True
    assert auth.verify_session_password(rt, boss, "forkert", "unlock") is False
    with connection():
        kinds = [
            (a.kind, a.success)
            for a in LoginAttempt.select()
            .where(LoginAttempt.kind == "unlock")
            .order_by(LoginAttempt.id)
        ]
        actions = {e.action for e in AuditEvent.select()}
    assert kinds == [("unlock", True), ("unlock", False)]
    assert {"unlock.ok", "unlock.failed"} <= actions
