"""docs/security.md row 7: a full disk refuses the write cleanly, with a Danish message."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.core.errors import StorageError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import DISK_FULL, connection, database
from db.models import Contact
from screens.intake import IntakeScreen
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import running


def _fill_the_disk() -> None:
    """Cap the open connection's database at its current size (like a full disk)."""
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {int(pages)}")


def test_full_disk_refuses_the_save_and_keeps_the_database_intact(rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    big_note = "x" * 400
    with connection():
        _fill_the_disk()
        with pytest.raises(StorageError, match="disken er fuld"):
            for _ in range(200):  # fill the last free pages, then fail
                contacts.save_contact(rt, session, ContactInput(note=big_note, crisis_level="let"))
        saved = Contact.select().count()
        assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    with connection():
        assert Contact.select().count() == saved  # no partial row from the failed save


async def test_full_disk_message_keeps_the_form(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form stays with everything typed and the Danish message shows."""
    session = make_user(rt, "bo", "medarbejder")

    def full(*args: object, **kwargs: object) -> object:
        raise StorageError(DISK_FULL)

    async with running(config, rt, session) as (app, pilot):
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        screen.query_one("#note", Input).value = "skal ikke gå tabt"
        monkeypatch.setattr(contacts, "save_contact", full)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "disken er fuld" in str(screen.query_one("#intake-message").render())
        assert screen.query_one("#note", Input).value == "skal ikke gå tabt"
        assert app.is_running
