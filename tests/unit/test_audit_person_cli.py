"""``akut audit person``: the access report against a database with known reads."""

from __future__ import annotations

import getpass
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.cpr import contains_cpr
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.contacts import persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, database
from db.models import AuditEvent
from tests.cli_helpers import write_config
from tests.conftest import PASSWORD, FakeClock, cheap_hasher, make_config

CPR = "010190-1234"


@pytest.fixture
def cfg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``akut init``, then Mette registers Ida (CPR) on 20-11-2026 and Lise looks at her CPR."""
    data = tmp_path / "data"
    data.mkdir()
    path = tmp_path / "config.toml"
    write_config(path, data / "akut.db")
    assert main(["--config", str(path), "init"]) == 0
    clock = FakeClock(datetime(2026, 11, 20, 19, 0, tzinfo=UTC))
    rt = open_runtime(make_config(data), now=clock, hasher=cheap_hasher())
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None, display_name="Mette")
    accounts.create_user(rt, "lise", PASSWORD, "leder", actor=None, display_name="Lise")
    mette, lise = auth.login(rt, "mette", PASSWORD), auth.login(rt, "lise", PASSWORD)
    form = ContactInput(identity="cpr", cpr_text=CPR, crisis_level="let", channel="telefon")
    saved = contacts.save_contact(rt, mette, form)
    assert saved.person_id is not None
    clock.advance(minutes=30)
    persons.reveal_cpr(rt, lise, saved.person_id, PASSWORD)
    clock.advance(days=1)
    persons.reveal_cpr(rt, lise, saved.person_id, PASSWORD)  # 21-11: outside the period below
    database.close()
    capsys.readouterr()
    return path


def _report(cfg: Path, *extra: str) -> list[str]:
    argv = ["--config", str(cfg), "audit", "person", CPR, "--from", "20-11-2026"]
    return [*argv, "--to", "20-11-2026", *extra]


def test_table_lists_the_known_reads_and_the_contact(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_report(cfg)) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Indsigtsrapport for 010190-XXXX, 20-11-2026 til 20-11-2026",
        "2 hændelser, 1 henvendelse, 0 ophold",
        "",
        "adgang       20-11-2026 20:00  Mette registrerede en henvendelse om 010190-XXXX"
        "  [Registrering (F3)]",
        "adgang       20-11-2026 20:30  Lise så CPR for 010190-XXXX  [Personer (F7)]",
        "henvendelse  20-11-2026 20:00  kanal=telefon type=krise krise=let kommune=ukendt",
    ]
    assert not contains_cpr(out)


def test_producing_the_report_is_audited_under_the_os_user(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_report(cfg, "--format", "json")) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["borger"] == "010190-XXXX"
    assert [line["afsnit"] for line in body["linjer"]] == ["adgang", "adgang", "henvendelse"]
    data = cfg.parent / "data"
    open_runtime(make_config(data), hasher=cheap_hasher())
    with connection():
        last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert (last.action, last.username) == ("audit.person_report", f"os:{getpass.getuser()}")
    assert last.person_ref.isdigit()
    database.close()


def test_csv_to_a_new_file_follows_the_file_rules(
    cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "indsigt.csv"
    assert main(_report(cfg, "--format", "csv", "--out", str(target))) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "afsnit;tidspunkt;hvem;hvad;hvorfra"
    assert lines[2] == "adgang;20-11-2026 20:30;Lise;Lise så CPR for 010190-XXXX;Personer (F7)"
    assert main(_report(cfg, "--out", str(target))) == 1
    assert "findes allerede" in capsys.readouterr().err
    database_file = cfg.parent / "data" / "akut.db"
    assert main(_report(cfg, "--out", str(database_file), "--force")) == 1
    assert "Akuts egne filer" in capsys.readouterr().err


def test_unknown_or_malformed_cpr_is_refused_in_danish(
    cfg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--config", str(cfg), "audit", "person"]
    assert main([*argv, "020285-2345"]) == 1
    assert "ingen borger med det CPR-nummer" in capsys.readouterr().err
    assert main([*argv, "321390-1234"]) == 2
    err = capsys.readouterr().err
    assert "CPR" in err and "321390" not in err
