"""Schema upgrades: a frozen v1 database is brought to the current schema in one go."""

from __future__ import annotations

import sqlite3
import types
from dataclasses import replace
from pathlib import Path

import pytest
from playhouse.migrate import SchemaMigrator

from akut_tui.cli.main import main
from akut_tui.core.config import Config, DatabaseConfig
from akut_tui.core.errors import StorageError
from akut_tui.services.accounts import auth
from akut_tui.services.startup.opening import open_runtime
from db import migrate as migrate_mod
from db.database import connection, sqlite_path
from db.migrate import schema_version
from db.migrations import LATEST, MIGRATIONS
from db.models import User, ValueItem
from db.value_lists import VALUE_LISTS
from tests.cli_helpers import write_config
from tests.conftest import PASSWORD, cheap_hasher

V1_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "schema_v1_sqlite.sql"


def _db_file(config: Config) -> Path:
    path = sqlite_path(config.database_url())
    assert path is not None
    return path


def _make_v1(path: Path, *, version: int = 1) -> None:
    """Create a v1 database as the first release left it, with one user."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.executescript(V1_SCHEMA.read_text(encoding="utf-8"))
        hash_ = cheap_hasher().hash(PASSWORD)
        con.execute(
            'INSERT INTO "user" (username, display_name, role, password_hash, active, '
            "failed_count, created_at) VALUES (?, ?, ?, ?, 1, 0, ?)",
            ("gammel", "Gammel Bruger", "leder", hash_, "2025-01-01 08:00:00"),
        )
        con.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
            (version, "2025-01-01 08:00:00"),
        )
        con.commit()
    finally:
        con.close()


def _shape(path: Path) -> dict[str, list[str]]:
    """Table name → column names, read with a plain sqlite3 connection."""
    con = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            table: sorted(
                row[0] for row in con.execute("SELECT name FROM pragma_table_info(?)", (table,))
            )
            for table in tables
        }
    finally:
        con.close()


def _indexes(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {
            row[0]
            for row in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"
            )
        }
    finally:
        con.close()


def _v1_columns(path: Path) -> list[str]:
    return _shape(path)["user"]


def test_latest_is_the_last_migration() -> None:
    assert LATEST == MIGRATIONS[-1].VERSION
    versions = [m.VERSION for m in MIGRATIONS]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert versions[0] == 2


def test_v1_database_upgrades_to_latest(config: Config) -> None:
    path = _db_file(config)
    _make_v1(path)
    assert "must_change_password" not in _v1_columns(path)

    rt = open_runtime(config, hasher=cheap_hasher())

    assert "must_change_password" in _v1_columns(path)
    with connection():
        assert schema_version() == LATEST
        old = User.get(User.username == "gammel")
        assert old.display_name == "Gammel Bruger"
        assert old.role == "leder"
        assert old.must_change_password is False
        seeded = {(v.list_name, v.code) for v in ValueItem.select()}
    expected = {(name, code) for name, items in VALUE_LISTS.items() for code, _ in items}
    assert seeded == expected
    # The old account still logs in, and is not asked to change its password.
    session = auth.login(rt, "gammel", PASSWORD)
    assert session.role == "leder"
    assert session.must_change_password is False


def test_a_chain_not_yet_upgraded_verifies(config: Config) -> None:
    """``akut audit verify`` on a database from before schema 7 (no ``audit_base`` yet)."""
    from akut_tui.services.audit import trail as audit
    from db.database import open_database

    path = _db_file(config)
    _make_v1(path)
    open_database(f"sqlite:///{path}", create=False)
    report = audit.verify_chain(b"k" * 32)
    assert report.ok and report.rows == 0


def test_upgraded_schema_matches_a_fresh_database(config: Config, tmp_path: Path) -> None:
    path = _db_file(config)
    _make_v1(path)
    open_runtime(config, hasher=cheap_hasher())

    fresh_dir = tmp_path / "fresh"
    fresh_dir.mkdir()
    fresh_config = replace(
        config,
        database=DatabaseConfig(url=f"sqlite:///{fresh_dir / 'akut.db'}"),
        base_dir=str(fresh_dir),
    )
    open_runtime(fresh_config, hasher=cheap_hasher())
    fresh = _db_file(fresh_config)

    assert _shape(path) == _shape(fresh)
    assert _indexes(path) == _indexes(fresh)


def test_upgrade_is_idempotent(config: Config) -> None:
    path = _db_file(config)
    _make_v1(path)
    open_runtime(config, hasher=cheap_hasher())
    before = _shape(path)
    open_runtime(config, hasher=cheap_hasher())
    assert _shape(path) == before
    with connection():
        assert schema_version() == LATEST
        assert ValueItem.select().count() == sum(len(v) for v in VALUE_LISTS.values())


def test_edited_value_labels_survive_an_upgrade(config: Config) -> None:
    open_runtime(config, hasher=cheap_hasher())
    with connection():
        ValueItem.update(label="Telefonopkald").where(
            (ValueItem.list_name == "channel") & (ValueItem.code == "telefon")
        ).execute()
    open_runtime(config, hasher=cheap_hasher())
    with connection():
        item = ValueItem.get((ValueItem.list_name == "channel") & (ValueItem.code == "telefon"))
        assert item.label == "Telefonopkald"


def test_cli_init_upgrades_v1(
    config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _db_file(config)
    _make_v1(path)
    cfg = tmp_path / "config.toml"
    write_config(cfg, path)
    assert main(["--config", str(cfg), "init"]) == 0
    assert f"skemaversion {LATEST}" in capsys.readouterr().out
    assert "must_change_password" in _v1_columns(path)


def test_failed_migration_leaves_v1_untouched(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All steps run in one transaction: a failing later step undoes the earlier ones."""
    path = _db_file(config)
    _make_v1(path)

    def failing_up(migrator: SchemaMigrator) -> None:
        raise RuntimeError("step 3 failed")

    step3 = types.SimpleNamespace(VERSION=LATEST + 1, up=failing_up)
    monkeypatch.setattr(migrate_mod, "MIGRATIONS", [*MIGRATIONS, step3])
    monkeypatch.setattr(migrate_mod, "LATEST", LATEST + 1)
    with pytest.raises(RuntimeError, match="step 3 failed"):
        open_runtime(config, hasher=cheap_hasher())

    assert "must_change_password" not in _v1_columns(path)
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM value_item").fetchone() == (0,)
    finally:
        con.close()


def test_newer_schema_is_refused(config: Config) -> None:
    path = _db_file(config)
    _make_v1(path, version=LATEST + 1)
    with pytest.raises(StorageError, match=str(LATEST + 1)):
        open_runtime(config, hasher=cheap_hasher())
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(LATEST + 1,)]
        assert con.execute("SELECT count(*) FROM value_item").fetchone() == (0,)
    finally:
        con.close()


def test_cli_init_refuses_newer_schema_with_one_line(
    config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _db_file(config)
    _make_v1(path, version=LATEST + 1)
    code = main(["--db", f"sqlite:///{path}", "init"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "skemaversion" in err and str(LATEST + 1) in err
    assert "Traceback" not in err and "hændelse" not in err
