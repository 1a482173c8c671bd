"""Pilot tests for the follow-up queue and the person search at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups, persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection
from db.models import AuditEvent
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reauth import ReauthDialog
from screens.followups import FollowUpsScreen
from screens.persons import PersonsScreen
from screens.widgets.text import TextInput
from tests.conftest import PASSWORD
from tests.ui.helpers import settle
from tests.ui.pilot_helpers import press, running, text

EVIL = "[b]x[/b][@click=app.quit]"


def _session(rt: Runtime, name: str = "kirsten", role: str = "koordinator") -> SignedInUser:
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


def _contact(rt: Runtime, session: SignedInUser, nickname: str, **kwargs: object) -> int:
    saved = contacts.save_contact(
        rt,
        session,
        ContactInput(identity="pseudonym", nickname=nickname, crisis_level="let", **kwargs),  # type: ignore[arg-type]
    )
    assert saved.person_id is not None
    return saved.person_id


def _cells(table: DataTable[object]) -> list[list[str]]:
    rows = []
    for index in range(table.row_count):
        rows.append(
            [
                cell.plain if isinstance(cell, Text) else str(cell)
                for cell in table.get_row_at(index)
            ]
        )
    return rows


async def test_followup_row_shows_and_key_1_completes(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    _contact(
        rt,
        session,
        "Mette",
        started_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        followup_wanted=True,
        followup_phone="12345678",
    )
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(FollowUpsScreen())
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert _cells(table) == [["15-11-2026", "Mette", "ja", "Forfalden", "–", "–"]]

        await press(app, pilot, "t")
        assert "12345678" in text(app, "#followups-message")

        await press(app, pilot, "1")
        assert table.row_count == 0
        assert "Forbedret" in text(app, "#followups-message")
        assert "12345678" not in text(app, "#followups-message")
    done = followups.due_followups(rt, session, include_done=True)
    assert [(r.done, r.result, r.has_phone) for r in done] == [(True, "forbedret", False)]


async def test_persons_search_shows_result(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    _contact(rt, session, "Mette", birth_year="1990")
    _contact(rt, session, "Ole")
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(PersonsScreen())
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2  # the most recently seen persons on entry

        search = app.screen.query_one("#persons-search", TextInput)
        search.value = "met"
        search.focus()
        await press(app, pilot, "enter")
        assert _cells(table) == [["Mette", "1990", "1", "20-11-2026", ""]]
        assert app.focused is table

        await press(app, pilot, "c")
        dialog = app.screen
        assert isinstance(dialog, ReauthDialog)
        dialog.query_one("#reauth-password", TextInput).value = PASSWORD
        await press(app, pilot, "enter")
        assert isinstance(app.screen, PersonsScreen)
        assert "ikke registreret et CPR" in text(app, "#persons-message")


async def test_merge_with_confirmation(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    keep = _contact(rt, session, "Mette")
    _contact(rt, session, "Mette2")
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(PersonsScreen())
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.pause()
        assert _cells(table)[0][0] == "Mette2"
        await press(app, pilot, "m", "down", "M")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "j")
        assert isinstance(app.screen, PersonsScreen)
        assert [row[0] for row in _cells(table)] == ["Mette"]
        message = text(app, "#persons-message")
        assert "lagt ind i" in message
        # Both persons named distinctly, even when their labels read alike.
        assert "«Mette2» (nr." in message and "«Mette» (nr." in message
    rows = persons.search_persons(rt, session, "mette")
    assert [(r.id, r.contacts) for r in rows] == [(keep, 2)]


async def test_merge_denied_for_staff_shows_message(config: Config, rt: Runtime) -> None:
    session = _session(rt, "mette", "medarbejder")
    _contact(rt, session, "A")
    _contact(rt, session, "B")
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(PersonsScreen())
        await settle(app, pilot)
        app.screen.query_one(DataTable).focus()
        await press(app, pilot, "m", "down", "M")
        # The role is checked first: no confirmation is shown that cannot be carried out.
        assert isinstance(app.screen, PersonsScreen)
        assert "rolle" in text(app, "#persons-message")
        await press(app, pilot, "c")
        assert "rolle" in text(app, "#persons-message")
    assert len(persons.search_persons(rt, session, "")) == 2


async def test_markup_in_nickname_is_literal(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    _contact(rt, session, EVIL, followup_wanted=True)
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(PersonsScreen())
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert _cells(table)[0][0] == EVIL
        table.focus()
        await press(app, pilot, "m")
        assert EVIL in text(app, "#persons-message")
        assert EVIL in app.export_screenshot()
        await press(app, pilot, "escape")

        await app.push_screen(FollowUpsScreen())
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert _cells(table)[0][1] == EVIL
        assert EVIL in app.export_screenshot()
        assert app.is_running and app.return_code is None
    with connection():
        assert AuditEvent.select().where(AuditEvent.action == "person.search").count() >= 1
