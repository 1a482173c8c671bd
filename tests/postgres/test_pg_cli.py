"""The operator commands on PostgreSQL: init, user, import, export, audit, purge.

Everything goes through ``akut.cli.main`` with ``--db postgresql://...`` (or a
config file naming the server), as an operator would type it. The statistics
export of the Q3 2015 fixture must be byte-identical to the SQLite golden
files, and its JSON identical to the SQLite JSON but for the generation time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config
from akut_tui.core.errors import StorageError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.audit.retention import purge
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, database
from db.models import AuditEvent, Contact, HandoverNote, Person
from tests import q3_fixture
from tests.conftest import PASSWORD, FakeClock
from tests.pg import PgServer
from tests.postgres.conftest import pg_config, write_config_file
from tests.security.test_purge import (
    CPR_CONTACT,
    CPR_GONE,
    CPR_STAY,
    NEW_HANDOVER,
    NEW_NOTE,
    OLD_HANDOVER,
    OLD_NOTE,
)
from tests.security.test_purge import _fill as fill_for_purge
from tests.unit.test_cli import FakeStdin

pytestmark = pytest.mark.postgres

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CHEAP = "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n"


def _cheap_config(tmp_path: Path) -> Path:
    path = tmp_path / "cheap.toml"
    path.write_text(CHEAP, encoding="utf-8")
    return path


def test_init_and_user_add_through_the_cli(
    pg_empty_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["--config", str(_cheap_config(tmp_path)), "--db", pg_empty_url]
    assert main([*base, "init"]) == 0
    assert "skemaversion" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", FakeStdin((PASSWORD + "\n").encode()))
    add = ["user", "add", "anna", "--role", "leder", "--name", "Anna Ø", "--password-stdin"]
    assert main([*base, *add]) == 0
    assert main([*base, "init"]) == 0  # a second init upgrades nothing and keeps the user
    assert main([*base, "user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "anna" in listing and "leder" in listing
    # The keys went to the data folder ($XDG_DATA_HOME/akut); the services log in with them.
    keys = tmp_path / "xdg" / "akut"
    assert (keys / "audit.key").is_file()
    rt = open_runtime(pg_config(keys, pg_empty_url), create=False, now=clock)
    session = auth.login(rt, "anna", PASSWORD)
    assert (session.username, session.role) == ("anna", "leder")
    assert audit.verify_chain(rt.keys.audit).ok
    database.close()


def test_unreachable_server_is_one_danish_line(
    pg_server: PgServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = pg_server.url("akut_findes_ikke")
    assert main(["--config", str(_cheap_config(tmp_path)), "--db", wrong, "user", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("akut: kan ikke forbinde til PostgreSQL-databasen 'akut_findes_ikke'")
    assert err.count("\n") == 1 and "Traceback" not in err and pg_server.password not in err
    bad_password = pg_server.url("postgres").replace(pg_server.password, "forkert")
    assert main(["--db", bad_password, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "password authentication failed" in err and "forkert" not in err


def _export(cfg: Path, tmp_path: Path, fmt: str) -> bytes:
    out = tmp_path / f"q3-{cfg.stem}.{fmt}"
    argv = ["--config", str(cfg), "export", "--period", "2015Q3", "--format", fmt]
    assert main([*argv, "--out", str(out)]) == 0
    return out.read_bytes()


def _import_q3(cfg: Path, tmp_path: Path) -> None:
    data = tmp_path / "q3.csv"
    data.write_text(q3_fixture.text(), encoding="utf-8")
    assert main(["--config", str(cfg), "import", str(data)]) == 0


def _without_time(doc: bytes) -> dict[str, object]:
    parsed = json.loads(doc)
    assert parsed.pop("generated_at")
    return dict(parsed)


def test_q3_2015_export_matches_sqlite_byte_for_byte(
    rt: Runtime, config: Config, tmp_path: Path
) -> None:
    database.close()
    pg_cfg = write_config_file(config, tmp_path / "pg.toml")
    _import_q3(pg_cfg, tmp_path)
    assert _export(pg_cfg, tmp_path, "csv") == (GOLDEN / "q3_2015.csv").read_bytes()
    assert _export(pg_cfg, tmp_path, "table") == (GOLDEN / "q3_2015_table.txt").read_bytes()
    pg_json = _export(pg_cfg, tmp_path, "json")

    sqlite_dir = tmp_path / "sqlite"
    sqlite_dir.mkdir()
    sqlite_cfg = sqlite_dir / "sqlite.toml"
    sqlite_cfg.write_text(
        f'[database]\nurl = "sqlite:///{sqlite_dir / "akut.db"}"\n{CHEAP}', encoding="utf-8"
    )
    assert main(["--config", str(sqlite_cfg), "init"]) == 0
    _import_q3(sqlite_cfg, sqlite_dir)
    assert _without_time(pg_json) == _without_time(_export(sqlite_cfg, tmp_path, "json"))

    open_runtime(config, create=False)
    with connection():
        assert Contact.select().count() == 430
        assert AuditEvent.select().where(AuditEvent.action == "stats.export").count() == 3


def test_audit_verify_cli_and_tampering(
    rt: Runtime, config: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "mette", PASSWORD)
    for level in ("let", "middel", "alvorlig"):
        contacts.save_contact(rt, session, ContactInput(crisis_level=level))
    database.close()
    cfg = write_config_file(config, tmp_path / "pg.toml")
    assert main(["--config", str(cfg), "audit", "verify"]) == 0
    assert "intakt" in capsys.readouterr().out

    with connection():
        seq = AuditEvent.select(AuditEvent.seq).order_by(AuditEvent.seq).offset(2).scalar()
        AuditEvent.update(username="mallory").where(AuditEvent.seq == seq).execute()
    database.close()
    assert main(["--config", str(cfg), "audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert f"seq={seq}" in captured.err and captured.err.count("\n") == 1


def _texts() -> str:
    with connection():
        notes = [str(c.note) for c in Contact.select(Contact.note)]
        bodies = [str(h.body) for h in HandoverNote.select(HandoverNote.body)]
        cprs = [str(p.cpr_plain) for p in Person.select(Person.cpr_plain)]
    return "\n".join(notes + bodies + cprs)


def test_purge_applies_retention(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, head = fill_for_purge(rt, clock)
    database.close()
    cfg = write_config_file(config, tmp_path / "pg.toml")
    assert main(["--config", str(cfg), "purge", "--dry-run"]) == 0
    assert "Prøvekørsel: intet er ændret" in capsys.readouterr().out
    open_runtime(config, create=False)
    before = _texts()
    assert OLD_NOTE in before and OLD_HANDOVER in before and CPR_GONE in before

    report = purge(rt)
    assert report.total > 0
    after = _texts()
    for marker in (OLD_NOTE, OLD_HANDOVER, CPR_GONE):
        assert marker not in after, marker
    for marker in (NEW_NOTE, NEW_HANDOVER, CPR_CONTACT, CPR_STAY):
        assert marker in after, marker
    chain = audit.verify_chain(rt.keys.audit, anchors={head.seq: head.mac})
    assert chain.ok and chain.first_seq > 1 and chain.anchors_checked == 1
    assert purge(rt, dry_run=True).total == 0


def test_a_writer_waiting_too_long_gets_the_danish_busy_message(
    rt: Runtime, pg_server: PgServer, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import database as db_module

    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "mette", PASSWORD)
    monkeypatch.setattr(db_module, "LOCK_TIMEOUT", "200ms")
    other = pg_server.connect(config.database.url.rsplit("/", 1)[1])
    other.autocommit = False
    try:
        with other.cursor() as cur:  # another writer holds the lock in an open transaction
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (db_module.WRITER_LOCK,))
        with pytest.raises(StorageError, match="optaget af en anden skrivning"):
            contacts.save_contact(rt, session, ContactInput(crisis_level="let"))
    finally:
        other.rollback()
        other.close()
    with connection():
        assert Contact.select().count() == 0  # nothing half written
    contacts.save_contact(rt, session, ContactInput(crisis_level="let"))  # free again
