"""Database layer: connection pragmas, file modes, IMMEDIATE transactions, schema constraints."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

import peewee
import pytest

from akut_tui.core.config import Config
from akut_tui.core.key_files import AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.startup.opening import open_runtime
from db import database as dbmod
from db.database import (
    DatabaseUrlError,
    check_filesystem,
    connection,
    database,
    open_database,
    sqlite_path,
    write_transaction,
)
from db.models import Bed, Contact, Person, Stay, StayNight, User

EXPECTED_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "secure_delete": 1,
}
NOW = datetime(2026, 11, 20, 19, 0)


def _pragmas() -> dict[str, Any]:
    return {
        name: database.execute_sql("PRAGMA " + name).fetchone()[0]  # fixed names only
        for name in EXPECTED_PRAGMAS
    }


def _db_file(config: Config) -> Path:
    path = sqlite_path(config.database_url())
    assert path is not None
    return path


def _user(name: str = "ole") -> User:
    return User.create(
        username=name, role="medarbejder", password_hash="x", created_at=NOW, display_name=""
    )


def _contact(author: User, **fields: Any) -> Contact:
    values: dict[str, Any] = {
        "started_at": NOW,
        "shift": "aften",
        "shift_date": date(2026, 11, 20),
        "channel": "fremmoede",
        "created_by": author,
        "created_at": NOW,
    }
    values.update(fields)
    return Contact.create(**values)


# --- connection settings -------------------------------------------------------------


def test_pragmas_on_a_new_connection(rt: Runtime) -> None:
    with connection():
        assert _pragmas() == EXPECTED_PRAGMAS
    # A second, fresh connection gets them again.
    assert database.is_closed()
    with connection():
        assert _pragmas() == EXPECTED_PRAGMAS


def test_pragmas_on_a_connection_from_another_thread(rt: Runtime) -> None:
    seen: dict[str, Any] = {}
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with connection():
                seen.update(_pragmas())
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=10)
    assert not errors
    assert seen == EXPECTED_PRAGMAS


def test_connection_nests_and_closes_only_what_it_opened(rt: Runtime) -> None:
    assert database.is_closed()
    with connection():
        with connection():
            pass
        assert not database.is_closed()
    assert database.is_closed()


def test_database_and_key_files_are_private(config: Config, rt: Runtime) -> None:
    path = _db_file(config)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for name in (AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE):
        key = config.key_directory() / name
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, name
    # SQLite gives the -wal and -shm files the database's mode.
    with connection():
        _user()
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0, suffix


def test_existing_database_file_is_tightened_to_0600(config: Config) -> None:
    path = _db_file(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()
    path.chmod(0o644)
    open_database(config.database_url())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_database_is_not_created_when_create_is_false(config: Config) -> None:
    with pytest.raises(DatabaseUrlError, match="akut init"):
        open_database(config.database_url(), create=False)
    assert not _db_file(config).exists()


def test_relative_sqlite_path_is_refused() -> None:
    with pytest.raises(DatabaseUrlError, match="absolut"):
        open_database("sqlite:///relative.db")


# --- transactions --------------------------------------------------------------------


def test_write_transaction_begins_immediate(config: Config, rt: Runtime) -> None:
    """An open write transaction holds the write lock before its first statement."""
    assert database.obj._lock_type == "IMMEDIATE"
    path = _db_file(config)
    inside = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def holder() -> None:
        try:
            with write_transaction():
                inside.set()  # BEGIN issued, nothing read or written yet
                release.wait(timeout=10)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert inside.wait(timeout=10)
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # Readers are not blocked (WAL).
            assert other.execute("SELECT count(*) FROM user").fetchone() == (0,)
        finally:
            other.close()
    finally:
        release.set()
        thread.join(timeout=10)
    assert not errors
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_second_writer_waits_for_the_first(config: Config, rt: Runtime) -> None:
    """A writer in another thread queues on the busy timeout and then succeeds."""
    order: list[str] = []
    inside = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with write_transaction():
                inside.set()
                _user("first")
                order.append("first-commit")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def second() -> None:
        try:
            assert inside.wait(timeout=10)
            with write_transaction():
                order.append("second-begin")
                _user("second")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not errors
    assert order.index("first-commit") < order.index("second-begin")
    with connection():
        assert {u.username for u in User.select()} == {"first", "second"}


def test_write_transaction_rolls_back_on_error(rt: Runtime) -> None:
    with pytest.raises(RuntimeError):
        with write_transaction():
            _user("gone")
            raise RuntimeError("boom")
    with connection():
        assert not User.select().where(User.username == "gone").exists()


# --- schema constraints --------------------------------------------------------------


def test_anonymous_contact_cannot_have_a_person(rt: Runtime) -> None:
    with connection():
        author = _user()
        person = Person.create(created_at=NOW, nickname="x")
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                _contact(author, anonymous=True, person=person)


def test_anonymous_contact_must_have_cpr_status_anonym(rt: Runtime) -> None:
    with connection():
        author = _user()
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                _contact(author, anonymous=True, cpr_status="kendt")
        # The valid combinations are accepted.
        _contact(author, anonymous=True, cpr_status="anonym")
        person = Person.create(created_at=NOW, nickname="y")
        _contact(author, anonymous=False, person=person, cpr_status="kendt")
        assert Contact.select().count() == 2


def test_crisis_plan_only_on_walk_in(rt: Runtime) -> None:
    with connection():
        author = _user()
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                _contact(author, channel="telefon", crisis_plan=True)
        _contact(author, channel="fremmoede", crisis_plan=True)


def test_contact_duration_range(rt: Runtime) -> None:
    with connection():
        author = _user()
        for bad in (-1, 1441):
            with pytest.raises(peewee.IntegrityError):
                with database.atomic():
                    _contact(author, duration_min=bad)


def test_one_stay_night_per_bed_and_night(rt: Runtime) -> None:
    with connection():
        author = _user()
        bed = Bed.select().order_by(Bed.sort_order).first()
        assert bed is not None
        first = Stay.create(
            person=Person.create(created_at=NOW), bed=bed, checked_in_at=NOW, created_by=author
        )
        second = Stay.create(
            person=Person.create(created_at=NOW), bed=bed, checked_in_at=NOW, created_by=author
        )
        night = date(2026, 11, 20)
        StayNight.create(stay=first, bed=bed, night_date=night, night_number=1)
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                StayNight.create(stay=second, bed=bed, night_date=night, night_number=1)
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                StayNight.create(stay=second, bed=bed, night_date=night, night_number=0)


def test_username_is_unique(rt: Runtime) -> None:
    with connection():
        _user("ole")
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                _user("ole")


def test_unknown_role_is_refused_by_the_schema(rt: Runtime) -> None:
    with connection():
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                User.create(username="x1", role="admin", password_hash="x", created_at=NOW)


def test_foreign_keys_are_enforced(rt: Runtime) -> None:
    with connection():
        with pytest.raises(peewee.IntegrityError):
            with database.atomic():
                Stay.create(person=9999, bed=9999, checked_in_at=NOW, created_by=9999)


# --- file system check ---------------------------------------------------------------


@pytest.mark.parametrize("fstype", ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs"])
def test_network_file_systems_are_refused(
    fstype: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "filesystem_type", lambda path: fstype)
    with pytest.raises(DatabaseUrlError, match="lokal disk"):
        check_filesystem(_db_file(config))
    with pytest.raises(DatabaseUrlError):
        open_runtime(config)
    assert not _db_file(config).exists()


@pytest.mark.parametrize("fstype", ["ext4", "xfs", "tmpfs", ""])
def test_local_file_systems_are_accepted(
    fstype: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "filesystem_type", lambda path: fstype)
    check_filesystem(_db_file(config))


def test_filesystem_type_of_tmp_is_known(tmp_path: Path) -> None:
    assert dbmod.filesystem_type(tmp_path) != ""
