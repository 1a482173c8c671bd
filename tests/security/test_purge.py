"""``akut purge`` applies every ``[retention]`` setting (issue 11; docs/security.md row 27).

A fake clock places data before and after each cut-off; after the purge the
expired text is gone from the database file and the ``-wal`` (grepped with
another connection open), the rest is kept, and the audit chain verifies.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.config import Config, RetentionConfig
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import anchors
from akut_tui.services.audit import trail as audit
from akut_tui.services.audit.retention import purge
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import forms as drafts
from db.database import connection, sqlite_path
from db.models import AuditEvent, Bed, ContactDraft, HandoverNote, LoginAttempt, Person, Stay
from tests.conftest import PASSWORD, FakeClock

OLD_NOTE, NEW_NOTE = "GAMMEL-NOTE-AAA", "NY-NOTE-BBB"
OLD_DRAFT, NEW_DRAFT = "KLADDE-GAMMEL-CCC", "KLADDE-NY-DDD"
OLD_HANDOVER, NEW_HANDOVER = "OVERLEVERING-GAMMEL-EEE", "OVERLEVERING-NY-FFF"
CPR_GONE, CPR_CONTACT, CPR_STAY = "0101601235", "0202702346", "0303803457"


def _db(config: Config) -> Path:
    path = sqlite_path(config.database_url())
    assert path is not None
    return path


def _in_files(config: Config, text: str) -> list[str]:
    db_file = _db(config)
    files = [db_file, db_file.with_name(db_file.name + "-wal")]
    return [p.name for p in files if p.exists() and text.encode() in p.read_bytes()]


def _handover(author: int, day: datetime, body: str) -> None:
    with connection():
        HandoverNote.create(
            shift="nat",
            shift_date=day.date(),
            body=body,
            author=author,
            created_at=day.replace(tzinfo=None),
            expires_on=day.date() + timedelta(days=14),
        )


def _fill(rt: Runtime, clock: FakeClock) -> tuple[int, anchors.Anchor]:
    now = clock.current
    clock.current = now - timedelta(days=400)  # a year and more: audit events to purge
    staff = accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "mette", PASSWORD)

    def at(days: int) -> None:
        clock.current = now - timedelta(days=days)

    at(100)
    contacts.save_contact(rt, session, ContactInput(identity="cpr", cpr_text=CPR_GONE))
    contacts.save_contact(rt, session, ContactInput(identity="cpr", cpr_text=CPR_CONTACT))
    stay_person = contacts.save_contact(
        rt, session, ContactInput(identity="cpr", cpr_text=CPR_STAY)
    )
    at(40)
    contacts.save_contact(rt, session, ContactInput(note=OLD_NOTE))
    at(20)
    with connection():
        Stay.create(
            person=stay_person.person_id,
            bed=Bed.select().first(),
            checked_in_at=(now - timedelta(days=22)).replace(tzinfo=None),
            checked_out_at=(now - timedelta(days=20)).replace(tzinfo=None),
            created_by=staff.id,
        )
    _handover(staff.id, now - timedelta(days=20), OLD_HANDOVER)
    at(10)
    contacts.save_contact(rt, session, ContactInput(identity="cpr", cpr_text=CPR_CONTACT))
    drafts.save_draft(rt, session, ContactInput(note=OLD_DRAFT))
    at(5)
    contacts.save_contact(rt, session, ContactInput(note=NEW_NOTE))
    at(2)
    _handover(staff.id, now - timedelta(days=2), NEW_HANDOVER)
    at(1)
    drafts.save_draft(rt, session, ContactInput(note=NEW_DRAFT))
    clock.current = now
    return staff.id, anchors.current_head()


def _sealed_drafts() -> tuple[str, str]:
    """The stored (sealed) text of the old and the new draft: what the files hold."""
    with connection():
        old, new = [d.data for d in ContactDraft.select().order_by(ContactDraft.updated_at)]
    return old, new


def test_every_retention_setting_purges(rt: Runtime, clock: FakeClock, config: Config) -> None:
    _, head = _fill(rt, clock)
    assert _in_files(config, OLD_DRAFT) == _in_files(config, NEW_DRAFT) == []  # sealed
    old_draft, new_draft = _sealed_drafts()
    expected = {
        "free_text_days": 1,
        "handover_days": 1,
        "draft_days": 1,
        "plain_cpr_days": 1,
        "audit_days": None,  # checked below: events and login attempts
    }
    dry = purge(rt, dry_run=True)
    counts = {
        line.setting: line.count
        for line in dry.lines
        if line.setting != "audit_days" and line.what != "Kopier fra før gendannelse"
    }
    assert {k: v for k, v in expected.items() if v is not None} == {
        k: counts[k] for k in expected if expected[k] is not None
    }
    audit_lines = [line.count for line in dry.lines if line.setting == "audit_days"]
    assert all(n > 0 for n in audit_lines), dry.lines
    # Every configured setting appears in the report with something to do.
    assert {line.setting for line in dry.lines} >= {
        f.name for f in dataclasses.fields(RetentionConfig)
    }
    for marker in (OLD_NOTE, old_draft, OLD_HANDOVER, CPR_GONE):
        assert _in_files(config, marker), "the dry run changes nothing"

    other = sqlite3.connect(_db(config))  # another session stays connected
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()
        report = purge(rt)
        assert [line.count for line in report.lines] == [line.count for line in dry.lines]
        for marker in (OLD_NOTE, old_draft, OLD_HANDOVER, CPR_GONE):
            assert _in_files(config, marker) == [], marker
        for marker in (NEW_NOTE, new_draft, NEW_HANDOVER, CPR_CONTACT, CPR_STAY):
            assert _in_files(config, marker), marker
    finally:
        other.close()

    with connection():
        gone = Person.get(Person.cpr_key.is_null(False), Person.cpr_plain.is_null())
        assert gone.cpr_key  # the pseudonym stays: unique-person statistics keep working
        assert {p.cpr_plain for p in Person.select()} == {None, CPR_CONTACT, CPR_STAY}
        assert HandoverNote.select().count() == 1
        cutoff = (clock.current - timedelta(days=365)).replace(tzinfo=None)
        assert not AuditEvent.select().where(AuditEvent.at < cutoff).exists()
        assert not LoginAttempt.select().where(LoginAttempt.at < cutoff).exists()
    report_chain = audit.verify_chain(rt.keys.audit, anchors={head.seq: head.mac})
    assert report_chain.ok and report_chain.first_seq > 1 and report_chain.anchors_checked == 1

    again = purge(rt, dry_run=True)
    assert again.total == 0  # exactly the expired rows went, and only once


def test_head_cut_after_a_purge_is_still_caught(
    rt: Runtime, clock: FakeClock, config: Config
) -> None:
    _fill(rt, clock)
    purge(rt)
    report = audit.verify_chain(rt.keys.audit)
    assert report.ok
    con = sqlite3.connect(_db(config))
    con.execute("DELETE FROM audit_event WHERE seq = ?", (report.first_seq,))
    con.commit()
    con.close()
    broken = audit.verify_chain(rt.keys.audit)
    assert not broken.ok and broken.first_bad_seq == report.first_seq + 1


def test_cli_dry_run_prints_and_changes_nothing(
    rt: Runtime,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fill(rt, clock)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{_db(config)}"\n', encoding="utf-8")
    before = _db(config).read_bytes()
    # The CLI uses the real clock: data from "2026-11-20 minus N days" is older still.
    assert main(["--config", str(cfg), "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Prøvekørsel: intet er ændret" in out
    for setting in (
        "free_text_days",
        "handover_days",
        "draft_days",
        "plain_cpr_days",
        "audit_days",
    ):
        assert setting in out
    assert _db(config).read_bytes() == before
