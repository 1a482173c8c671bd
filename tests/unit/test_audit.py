"""The hash-chained audit trail: contents, verification and tamper detection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config
from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import LoginFailed, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import AuditReport
from akut_tui.services.base.runtime import Runtime
from db.database import connection, open_database, sqlite_path, write_transaction
from db.models import AuditEvent, LoginAttempt
from tests.conftest import PASSWORD, FakeClock

CHAIN = 200
CPR_LIKE = "010160-1234"


def _db_file(config: Config) -> Path:
    path = sqlite_path(config.database_url())
    assert path is not None
    return path


_DUMP = {
    "audit_event": "SELECT seq, at, user_id, username, action, object_type, object_id, "
    "person_ref FROM audit_event",
    "login_attempt": "SELECT * FROM login_attempt",
}


def _rows_text(table: str, path: Path) -> str:
    """Every value of every row of ``table``, as text."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(
            "|".join("" if v is None else str(v) for v in row) for row in con.execute(_DUMP[table])
        )
    finally:
        con.close()


def _fill(rt: Runtime, clock: FakeClock, count: int = CHAIN) -> None:
    with write_transaction():
        for number in range(count):
            clock.advance(seconds=1)
            audit.record(
                rt,
                "test.event",
                user_id=number % 7,
                username=f"bruger{number % 7}",
                object_type="contact",
                object_id=number,
                person_ref=f"p{number % 13}",
            )


def _copy(config: Config, tmp_path: Path, name: str) -> Path:
    """A consistent copy through the backup API (a file copy would miss the -wal)."""
    target = tmp_path / f"{name}.db"
    src = sqlite3.connect(_db_file(config))
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


Step = tuple[str, tuple[object, ...]]


def _tamper(path: Path, *steps: Step) -> None:
    """Run raw, parameterised SQL on a copy, as an attacker with file access would."""
    con = sqlite3.connect(path)
    try:
        for sql, params in steps:
            con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def _verify(path: Path, key: bytes) -> AuditReport:
    open_database(f"sqlite:///{path}", create=False)
    return audit.verify_chain(key)


# --- what goes into the log ----------------------------------------------------------


def test_events_hold_no_cpr_and_no_password(rt: Runtime, config: Config) -> None:
    boss = auth.create_first_leader(rt, "leder", PASSWORD, "Lise Leder")
    with pytest.raises(ValidationError, match="CPR"):  # issue 15 §5: no CPR in any text column
        accounts.create_user(
            rt, "ole", PASSWORD, "medarbejder", actor=boss, display_name=CPR_LIKE, reauth=PASSWORD
        )
    accounts.create_user(
        rt, "ole", PASSWORD, "medarbejder", actor=boss, display_name="Ole", reauth=PASSWORD
    )
    auth.login(rt, "ole", PASSWORD)
    for attempt in ("forkert adgangskode 1", PASSWORD + "x", CPR_LIKE):
        with pytest.raises(LoginFailed):
            auth.login(rt, "ole", attempt)
    # Someone types a CPR number, or their password, in the username field.
    for name in (CPR_LIKE, "0101601234", PASSWORD):
        with pytest.raises(LoginFailed):
            auth.login(rt, name, PASSWORD)
    with pytest.raises(ValidationError):
        accounts.create_user(rt, "ny", "hemmelig", "medarbejder", actor=boss, reauth=PASSWORD)
    accounts.set_role(rt, boss, "ole", "koordinator", reauth=PASSWORD)
    accounts.set_active(rt, boss, "ole", False, reauth=PASSWORD)
    accounts.set_active(rt, boss, "ole", True, reauth=PASSWORD)
    accounts.unlock_user(rt, boss, "ole", reauth=PASSWORD)
    accounts.set_password(rt, boss, "ole", "blaa elefant danser tango", reauth=PASSWORD)
    auth.verify_session_password(rt, boss, "forkert igen", "unlock")
    auth.logout(rt, boss)

    path = _db_file(config)
    for table in ("audit_event", "login_attempt"):
        text = _rows_text(table, path)
        assert text
        assert not contains_cpr(text), table
        assert "0101601234" not in text, table
        for secret in (PASSWORD, "forkert adgangskode", "blaa elefant", "hemmelig", "korrekt"):
            assert secret not in text, (table, secret)
    with connection():
        actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
        assert actions.pop(0) == audit.IDENTITY_ACTION  # seq 0: the site identity
        assert LoginAttempt.select().where(LoginAttempt.kind == "login").count() == 7
    # A leader's change is preceded by the re-authentication it needed (issue 18 §1).
    assert actions[:4] == ["user.create_first", "login.ok", "reauth.ok", "user.create"]
    for expected in (
        "login.failed",
        "user.role",
        "user.disable",
        "user.enable",
        "user.unlock",
        "user.password",
        "unlock.failed",
        "session.logout",
    ):
        assert expected in actions
    # Hashes are never logged either.
    assert "$argon2" not in _rows_text("audit_event", path)


def test_event_carries_actor_and_object(rt: Runtime, clock: FakeClock) -> None:
    boss = auth.create_first_leader(rt, "leder", PASSWORD)
    info = accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=boss, reauth=PASSWORD)
    with connection():
        event = AuditEvent.get(AuditEvent.action == "user.create")
    assert (event.user_id, event.username) == (boss.user_id, "leder")
    assert (event.object_type, event.object_id) == ("user", str(info.id))
    assert event.at == clock()


# --- verification --------------------------------------------------------------------


def test_empty_chain_verifies(rt: Runtime) -> None:
    report = audit.verify_chain(rt.keys.audit)
    assert report.ok and report.rows == 0 and report.first_bad_seq is None
    assert report.last_mac == audit.GENESIS
    assert len(report.site_id) == 32  # only the site identity (seq 0), outside the chain


def test_intact_chain_verifies(rt: Runtime, clock: FakeClock) -> None:
    _fill(rt, clock)
    report = audit.verify_chain(rt.keys.audit, batch=7)
    assert report.ok
    assert report.rows == CHAIN
    assert report.first_bad_seq is None
    with connection():
        last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
        seqs = [e.seq for e in AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.seq)]
    assert report.last_mac == last.mac
    assert seqs == list(range(0, CHAIN + 1))  # seq 0 is the site identity


def test_rolled_back_event_leaves_no_gap(rt: Runtime, clock: FakeClock) -> None:
    _fill(rt, clock, 3)
    with pytest.raises(RuntimeError):
        with write_transaction():
            audit.record(rt, "test.lost")
            raise RuntimeError("rollback")
    _fill(rt, clock, 2)
    report = audit.verify_chain(rt.keys.audit)
    assert report.ok and report.rows == 5


K = 57


def _edit(path: Path) -> None:
    _tamper(path, ("UPDATE audit_event SET action = 'test.other' WHERE seq = ?", (K,)))


def _edit_time(path: Path) -> None:
    _tamper(path, ("UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' WHERE seq = ?", (K,)))


def _edit_person(path: Path) -> None:
    _tamper(path, ("UPDATE audit_event SET person_ref = 'p99' WHERE seq = ?", (K,)))


def _delete(path: Path) -> None:
    _tamper(path, ("DELETE FROM audit_event WHERE seq = ?", (K,)))


def _delete_first(path: Path) -> None:
    _tamper(path, ("DELETE FROM audit_event WHERE seq = 1", ()))


def _delete_and_renumber(path: Path) -> None:
    """Delete k and shift the later rows down, so the numbering has no hole."""
    _tamper(
        path,
        ("DELETE FROM audit_event WHERE seq = ?", (K,)),
        ("UPDATE audit_event SET seq = -(seq - 1) WHERE seq > ?", (K,)),
        ("UPDATE audit_event SET seq = -seq WHERE seq < 0", ()),
    )


def _insert_forged_at_end(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT at, mac FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        con.execute(
            "INSERT INTO audit_event (seq, at, user_id, username, action, object_type, "
            "object_id, person_ref, prev_hash, mac) VALUES (?, ?, 1, 'x', 'login.ok', '', '', "
            "'', ?, ?)",
            (CHAIN + 1, row[0], row[1], "f" * 64),
        )
        con.commit()
    finally:
        con.close()


def _insert_forged_in_middle(path: Path) -> None:
    """Make room at k and insert a row that links to k-1 with a made-up MAC."""
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE audit_event SET seq = -(seq + 1) WHERE seq >= ?", (K,))
        con.execute("UPDATE audit_event SET seq = -seq WHERE seq < 0")
        prev = con.execute("SELECT at, mac FROM audit_event WHERE seq = ?", (K - 1,)).fetchone()
        con.execute(
            "INSERT INTO audit_event (seq, at, user_id, username, action, object_type, "
            "object_id, person_ref, prev_hash, mac) VALUES (?, ?, 1, 'x', 'login.ok', '', '', "
            "'', ?, ?)",
            (K, prev[0], prev[1], "0" * 64),
        )
        con.commit()
    finally:
        con.close()


def _swap_seq(a: int, b: int) -> tuple[Step, ...]:
    return (
        ("UPDATE audit_event SET seq = -1 WHERE seq = ?", (a,)),
        ("UPDATE audit_event SET seq = ? WHERE seq = ?", (a, b)),
        ("UPDATE audit_event SET seq = ? WHERE seq = -1", (b,)),
    )


def _swap(path: Path) -> None:
    _tamper(path, *_swap_seq(K, K + 20))


def _swap_neighbours(path: Path) -> None:
    _tamper(path, *_swap_seq(K, K + 1))


def _swap_contents(path: Path) -> None:
    """Swap every column but seq between rows k and k+1 (reordering by content)."""
    select = (
        "SELECT at, user_id, username, action, object_type, object_id, person_ref, "
        "prev_hash, mac FROM audit_event WHERE seq = ?"
    )
    update = (
        "UPDATE audit_event SET at = ?, user_id = ?, username = ?, action = ?, "
        "object_type = ?, object_id = ?, person_ref = ?, prev_hash = ?, mac = ? WHERE seq = ?"
    )
    con = sqlite3.connect(path)
    try:
        first = con.execute(select, (K,)).fetchone()
        second = con.execute(select, (K + 1,)).fetchone()
        con.execute(update, (*second, K))
        con.execute(update, (*first, K + 1))
        con.commit()
    finally:
        con.close()


def _recompute_without_key(path: Path) -> None:
    """An edit whose attacker also fixes the next row's prev_hash (but has no key)."""
    _tamper(
        path,
        ("UPDATE audit_event SET mac = ? WHERE seq = ?", ("a" * 64, K)),
        ("UPDATE audit_event SET prev_hash = ? WHERE seq = ?", ("a" * 64, K + 1)),
    )


@pytest.mark.parametrize(
    ("tamper", "bad_seq"),
    [
        (_edit, K),
        (_edit_time, K),
        (_edit_person, K),
        (_delete, K + 1),  # the row after the hole is the first that does not fit
        (_delete_first, 2),
        (_delete_and_renumber, K),
        (_insert_forged_at_end, CHAIN + 1),
        (_insert_forged_in_middle, K),
        (_swap, K),
        (_swap_neighbours, K),
        (_swap_contents, K),
        (_recompute_without_key, K),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else str(v),
)
def test_tampering_names_the_first_bad_seq(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    tamper: Callable[[Path], None],
    bad_seq: int,
) -> None:
    _fill(rt, clock)
    copy = _copy(config, tmp_path, "copy")
    assert _verify(copy, rt.keys.audit).ok
    tamper(copy)
    report = _verify(copy, rt.keys.audit)
    assert report.ok is False
    assert report.first_bad_seq == bad_seq
    assert report.problem


def test_wrong_key_fails_at_the_first_signed_row(rt: Runtime, clock: FakeClock) -> None:
    _fill(rt, clock, 5)
    report = audit.verify_chain(bytes(32))
    assert report.ok is False
    assert report.first_bad_seq == 0  # the site identity is the first row signed with the key


# --- the CLI -------------------------------------------------------------------------


def _write_config(tmp_path: Path, config: Config) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{_db_file(config)}"\n', encoding="utf-8")
    return cfg


def test_cli_audit_verify(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(rt, clock, 30)
    cfg = _write_config(tmp_path, config)
    assert main(["--config", str(cfg), "audit", "verify"]) == 0
    captured = capsys.readouterr()
    assert "30 hændelser" in captured.out
    assert captured.err == ""

    _tamper(_db_file(config), ("UPDATE audit_event SET username = 'mallory' WHERE seq = ?", (17,)))
    assert main(["--config", str(cfg), "audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert "seq=17" in captured.err
    assert captured.err.count("\n") == 1
    assert "intakt" not in captured.out


def test_cli_audit_verify_without_database(
    config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = _write_config(tmp_path, config)
    assert main(["--config", str(cfg), "audit", "verify"]) == 1
    assert "akut init" in capsys.readouterr().err
    assert not _db_file(config).exists()
