"""Deleted personal data leaves the database file *and* the -wal file (issue 11 item 4).

Another connection stays open the whole time, as other SSH sessions do; the
files are grepped as bytes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from akut_tui.config import Config
from akut_tui.services import accounts, auth, contacts, drafts, followups
from akut_tui.services.contact_input import ContactInput
from akut_tui.services.runtime import Runtime
from db.database import connection, sqlite_path
from db.models import ContactDraft
from tests.conftest import PASSWORD

CPR = b"010160-1235"
NOTE = "MARKOER-NOTE-XYZZY kaldte fra broen"
PHONE = "87654321"


def _files(config: Config) -> tuple[Path, Path]:
    db_file = sqlite_path(config.database_url())
    assert db_file is not None
    return db_file, db_file.with_name(db_file.name + "-wal")


def _holds(config: Config, needle: bytes) -> list[str]:
    return [p.name for p in _files(config) if p.exists() and needle in p.read_bytes()]


def _sealed(draft_id: int) -> bytes:
    """The draft's text as stored (sealed): what the files hold."""
    with connection():
        return str(ContactDraft.get_by_id(draft_id).data).encode()


def test_discarded_draft_is_gone_from_db_and_wal(rt: Runtime, config: Config) -> None:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "mette", PASSWORD)
    other = sqlite3.connect(_files(config)[0])  # another session's connection, idle
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()
        form = ContactInput(identity="cpr", cpr_text=CPR.decode(), note=NOTE)
        draft = drafts.save_draft(rt, session, form)
        first = _sealed(draft)
        # Half of the drafts were checkpointed into the main file before discarding.
        other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        drafts.save_draft(rt, session, form, draft_id=draft)
        second = _sealed(draft)
        # Drafts are sealed (issue 14): the files hold the sealed text, never the note.
        assert _holds(config, NOTE.encode()) == [] and _holds(config, CPR) == []
        assert _holds(config, first) and _holds(config, second), "the test must see it before"
        drafts.discard_draft(rt, session, draft)
        assert _holds(config, first) == [] and _holds(config, second) == []
        assert other.execute("SELECT count(*) FROM contact_draft").fetchone() == (0,)
    finally:
        other.close()


def test_draft_saved_as_contact_is_gone_from_the_wal(rt: Runtime, config: Config) -> None:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "mette", PASSWORD)
    other = sqlite3.connect(_files(config)[0])
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()  # reads: really open
        marker = "UDKAST-ALENE-QWERTY"
        draft = drafts.save_draft(rt, session, ContactInput(note=marker))
        assert _holds(config, marker.encode()) == []  # sealed (issue 14)
        sealed = _sealed(draft)
        assert _holds(config, sealed) == ["akut.db-wal"]
        contacts.save_contact(rt, session, ContactInput(note="gemt note"), draft_id=draft)
        assert _holds(config, sealed) == []
    finally:
        other.close()


def test_completed_followup_phone_is_gone(rt: Runtime, config: Config) -> None:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, "mette", PASSWORD)
    other = sqlite3.connect(_files(config)[0])
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()  # reads: really open
        contacts.save_contact(
            rt,
            session,
            ContactInput(
                identity="pseudonym", nickname="Bo", followup_wanted=True, followup_phone=PHONE
            ),
        )
        assert _holds(config, PHONE.encode()) == ["akut.db-wal"]
        [row] = followups.due_followups(rt, session)
        followups.complete_followup(rt, session, row.id, "ikke_opnaaet")
        assert _holds(config, PHONE.encode()) == []
    finally:
        other.close()
