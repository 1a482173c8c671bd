"""Lockout holds across processes; re-authentication counts; NFKC at login (issue 11 items 5-6).

Every SSH session is its own process, so the race is tested with real
processes released together (docs/security.md row 17).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.core.errors import LoginFailed
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from db.database import connection, sqlite_path
from db.models import AuditEvent, LoginAttempt, User
from tests.cli_helpers import write_config as write_db_config
from tests.conftest import PASSWORD
from tests.security.pool import LoginPool

PROCESSES = 10
WRONG = "forkert gæt nummer "


def write_config(config: Config, tmp_path: Path) -> Path:
    """A config file for worker processes: same database, the tests' cheap argon2."""
    db_file = sqlite_path(config.database_url())
    cfg = tmp_path / "worker.toml"
    write_db_config(cfg, db_file)
    return cfg


def _attempts(user_id: int) -> list[tuple[int, bool]]:
    with connection():
        return [
            (int(a.id), bool(a.success))
            for a in LoginAttempt.select()
            .where(LoginAttempt.user == user_id)
            .order_by(LoginAttempt.id)
        ]


def _verified_failures() -> int:
    with connection():
        return (
            AuditEvent.select()
            .where(AuditEvent.action == "login.failed", AuditEvent.object_type == "")
            .count()
        )


def _assert_never_more_than_five_in_a_row(attempts: list[tuple[int, bool]]) -> None:
    """In decision order, a success never follows five consecutive failures."""
    consecutive = 0
    for attempt_id, success in attempts:
        if success:
            assert consecutive < 5, f"attempt {attempt_id} got through after {consecutive} failures"
            consecutive = 0
        else:
            consecutive += 1


@pytest.mark.slow
def test_ten_processes_get_five_guesses_and_the_sixth_is_refused(
    rt: Runtime, config: Config, tmp_path: Path
) -> None:
    user = accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    pool = LoginPool(write_config(config, tmp_path), tmp_path / "pool", "ole", PROCESSES, 4)
    try:
        # Round 0: ten wrong guesses at once. Exactly five are verified; the rest
        # are refused without a hash, and the account is locked.
        results = pool.run_round(0, [f"{WRONG}{n}" for n in range(PROCESSES)])
        assert [r for r, _ in results] == ["fail"] * PROCESSES
        assert _verified_failures() == 5
        with connection():
            assert User.get_by_id(user.id).locked_until is not None
        accounts.unlock_user(rt, None, "ole")

        # Rounds 1-2: nine wrong guesses and the right password, all at once.
        # Whatever the order, the right password never passes after five failures.
        for number, right in ((1, PROCESSES - 1), (2, 0)):
            passwords = [f"{WRONG}{n}" for n in range(PROCESSES)]
            passwords[right] = PASSWORD
            seen = len(_attempts(user.id))
            pool.run_round(number, passwords)
            _assert_never_more_than_five_in_a_row(_attempts(user.id)[seen:])
            accounts.unlock_user(rt, None, "ole")
        before = len(_attempts(user.id))

        # Round 3: the right password from every process after the account locked
        # in this same round is refused: lock first, with ten wrong guesses.
        pool.run_round(3, [f"{WRONG}{n}" for n in range(PROCESSES)])
    finally:
        pool.close()
    with pytest.raises(LoginFailed):
        auth.login(rt, "ole", PASSWORD)  # the 11th attempt: right password, still refused
    attempts = _attempts(user.id)[before:]
    assert len(attempts) == PROCESSES + 1 and not any(ok for _, ok in attempts)


def test_reauthentication_counts_toward_the_same_lockout(rt: Runtime) -> None:
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "ole", PASSWORD)
    for number in range(5):
        assert not auth.verify_session_password(rt, session, f"gæt {number}", "reauth")
    # Locked: neither the right password at a re-authentication nor at login passes.
    assert not auth.verify_session_password(rt, session, PASSWORD, "reauth")
    with pytest.raises(LoginFailed):
        auth.login(rt, "ole", PASSWORD)


def test_success_does_not_lift_a_lock(rt: Runtime) -> None:
    user = accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    for number in range(5):
        with pytest.raises(LoginFailed):
            auth.login(rt, "ole", f"gæt {number}")
    with connection():
        locked_until = User.get_by_id(user.id).locked_until
    assert locked_until is not None
    with pytest.raises(LoginFailed):
        auth.login(rt, "ole", PASSWORD)
    with connection():
        assert User.get_by_id(user.id).locked_until == locked_until


NFKC_PASSWORDS = [
    # (set as, typed as)
    ("café au lait på bænken", unicodedata.normalize("NFD", "café au lait på bænken")),
    ("ﬁnt vejr på fjorden i dag", "fint vejr på fjorden i dag"),  # ligature fi
    ("fint vejr på fjorden i dag", "ﬁnt vejr på fjorden i dag"),
    ("ＡＢＣ lange ord hele vejen", "ABC lange ord hele vejen"),  # full-width letters
    ("Ångstrøm måler meget små ting", "A\u030angstrøm måler meget små ting"),
    ("x² plus y² giver noget stort", "x2 plus y2 giver noget stort"),
]


@pytest.mark.parametrize(("stored", "typed"), NFKC_PASSWORDS)
def test_login_normalises_the_password(rt: Runtime, stored: str, typed: str) -> None:
    accounts.create_user(rt, "ole", stored, "medarbejder", actor=None)
    assert typed != stored
    assert auth.login(rt, "ole", typed).username == "ole"
    session = auth.login(rt, "ole", stored)
    assert auth.verify_session_password(rt, session, typed, "reauth")


def test_sessions_in_flight_take_the_budget_but_do_not_lock(rt: Runtime, clock: object) -> None:
    """Five checks in flight: the sixth is refused, yet five successes leave no lock."""
    from akut_tui.services.accounts import lockout
    from db.database import write_transaction

    user = accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    now = rt.now()
    tickets = [lockout.reserve(rt, user.id, now, logged_name="ole") for _ in range(5)]
    assert [t.position for t in tickets] == [1, 2, 3, 4, 5]
    sixth = lockout.reserve(rt, user.id, now, logged_name="ole")
    assert not sixth.may_verify
    with write_transaction():
        for ticket in tickets:
            lockout.settle(rt, ticket, True, now)
    with connection():
        row = User.get_by_id(user.id)
        assert row.failed_count == 0 and row.locked_until is None
    tickets = [lockout.reserve(rt, user.id, now, logged_name="ole") for _ in range(5)]
    with write_transaction():
        for ticket in tickets:
            lockout.settle(rt, ticket, False, now)
    with connection():
        assert User.get_by_id(user.id).locked_until is not None
