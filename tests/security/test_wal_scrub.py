"""Deleted personal data leaves the database file *and* the -wal file (issue 11 item 4).

Another connection stays open the whole time, as other SSH sessions do; the
files are grepped as bytes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from akut_tui.core.config import Config
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import forms as drafts
from akut_tui.services.night import handover, handover_items
from db.database import connection, scrub_pending, sqlite_path
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


# --- issue 15 §8: every deletion scrubs the -wal, whoever else is connected ---------


def _staff(rt: Runtime) -> SignedInUser:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    return auth.login(rt, "mette", PASSWORD)


def test_deleted_handover_item_is_gone_with_another_session_open(
    rt: Runtime, config: Config
) -> None:
    session = _staff(rt)
    other = sqlite3.connect(_files(config)[0])  # another SSH session's connection, idle
    try:
        other.execute("SELECT count(*) FROM handover_note").fetchone()
        marker = "HVIS-SAA-MARKOER-PLUGH ringer om natten"
        target = handover.current_shift(rt)
        item = handover_items.add_item(rt, session, target, "hvis_saa", marker)
        assert _holds(config, marker.encode()), "the test must see the text before"
        assert handover_items.delete_item(rt, session, item) == "Slettet."
        assert _holds(config, marker.encode()) == []
    finally:
        other.close()


def test_replaced_note_is_gone_with_another_session_open(rt: Runtime, config: Config) -> None:
    session = _staff(rt)
    other = sqlite3.connect(_files(config)[0])
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()
        old = "GAMMEL-NOTE-FROBOZZ skal ud"
        saved = contacts.save_contact(rt, session, ContactInput(note=old))
        other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # also in the main file
        assert _holds(config, old.encode())
        contacts.save_contact(rt, session, ContactInput(note="ny note"), contact_id=saved.id)
        assert _holds(config, old.encode()) == []
    finally:
        other.close()


def test_a_reader_holding_a_snapshot_delays_the_scrub_and_the_deletion_says_so(
    rt: Runtime, config: Config
) -> None:
    session = _staff(rt)
    target = handover.current_shift(rt)
    marker = "LAESER-MARKOER-XYZZY forsvinder senere"
    item = handover_items.add_item(rt, session, target, "hvis_saa", marker)
    reader = sqlite3.connect(_files(config)[0], isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM handover_note").fetchone()  # holds a snapshot
        message = handover_items.delete_item(rt, session, item)
        assert message.startswith("Slettet. En anden session læser databasen lige nu")
        assert scrub_pending()
        reader.execute("COMMIT")
    finally:
        reader.close()
    # The next write of any kind finishes the checkpoint.
    handover_items.add_item(rt, session, target, "hvis_saa", "Hvis nogen ringer")
    assert not scrub_pending()
    assert _holds(config, marker.encode()) == []
