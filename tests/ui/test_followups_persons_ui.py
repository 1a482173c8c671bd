"""Pilot tests for the follow-up queue and the person search at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

from akut_tui.app import AkutApp
from akut_tui.config import Config
from akut_tui.services import accounts, auth, contacts, followups, persons
from akut_tui.services.contact_input import ContactInput
from akut_tui.services.dto import SessionInfo
from akut_tui.services.runtime import Runtime
from db.database import connection
from db.models import AuditEvent
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reauth import ReauthDialog
from screens.followups import FollowUpsScreen
from screens.persons import PersonsScreen
from screens.widgets.text import Plain, TextInput
from tests.conftest import PASSWORD

EVIL = "[b]x[/b][@click=app.quit]"


def _session(rt: Runtime, name: str = "kirsten", role: str = "koordinator") -> SessionInfo:
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


def _contact(rt: Runtime, session: SessionInfo, nickname: str, **kwargs: object) -> int:
    saved = contacts.save_contact(
        rt,
        session,
        ContactInput(identity="pseudonym", nickname=nickname, crisis_level="let", **kwargs),  # type: ignore[arg-type]
    )
    assert saved.person_id is not None
    return saved.person_id


async def _settle(app: AkutApp, pilot: Pilot[int]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _login(app: AkutApp, pilot: Pilot[int], session: SessionInfo) -> None:
    await pilot.pause()
    app.sessions.start(session)
    await _settle(app, pilot)


def _message(app: AkutApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Plain).render())


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
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(app, pilot, session)
        await app.push_screen(FollowUpsScreen())
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert _cells(table) == [["15-11-2026", "Mette", "ja", "Forfalden"]]

        await pilot.press("t")
        await _settle(app, pilot)
        assert "12345678" in _message(app, "#followups-message")

        await pilot.press("1")
        await _settle(app, pilot)
        assert table.row_count == 0
        assert "Forbedret" in _message(app, "#followups-message")
        assert "12345678" not in _message(app, "#followups-message")
    done = followups.due_followups(rt, session, include_done=True)
    assert [(r.done, r.result, r.has_phone) for r in done] == [(True, "forbedret", False)]


async def test_persons_search_shows_result(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    _contact(rt, session, "Mette", birth_year="1990")
    _contact(rt, session, "Ole")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(app, pilot, session)
        await app.push_screen(PersonsScreen())
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2  # the most recently seen persons on entry

        search = app.screen.query_one("#persons-search", TextInput)
        search.value = "met"
        search.focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert _cells(table) == [["Mette", "1990", "1", "20-11-2026", ""]]
        assert app.focused is table

        await pilot.press("c")
        await _settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReauthDialog)
        dialog.query_one("#reauth-password", TextInput).value = PASSWORD
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, PersonsScreen)
        assert "ikke registreret et CPR" in _message(app, "#persons-message")


async def test_merge_with_confirmation(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    keep = _contact(rt, session, "Mette")
    _contact(rt, session, "Mette2")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(app, pilot, session)
        await app.push_screen(PersonsScreen())
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.pause()
        assert _cells(table)[0][0] == "Mette2"
        await pilot.press("m", "down", "M")
        await _settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("j")
        await _settle(app, pilot)
        assert isinstance(app.screen, PersonsScreen)
        assert [row[0] for row in _cells(table)] == ["Mette"]
        message = _message(app, "#persons-message")
        assert "lagt ind i" in message
        # Both persons named distinctly, even when their labels read alike.
        assert "«Mette2» (nr." in message and "«Mette» (nr." in message
    rows = persons.search_persons(rt, session, "mette")
    assert [(r.id, r.contacts) for r in rows] == [(keep, 2)]


async def test_merge_denied_for_staff_shows_message(config: Config, rt: Runtime) -> None:
    session = _session(rt, "mette", "medarbejder")
    _contact(rt, session, "A")
    _contact(rt, session, "B")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(app, pilot, session)
        await app.push_screen(PersonsScreen())
        await _settle(app, pilot)
        app.screen.query_one(DataTable).focus()
        await pilot.press("m", "down", "M")
        await _settle(app, pilot)
        # The role is checked first: no confirmation is shown that cannot be carried out.
        assert isinstance(app.screen, PersonsScreen)
        assert "rolle" in _message(app, "#persons-message")
        await pilot.press("c")
        await _settle(app, pilot)
        assert "rolle" in _message(app, "#persons-message")
    assert len(persons.search_persons(rt, session, "")) == 2


async def test_markup_in_nickname_is_literal(config: Config, rt: Runtime) -> None:
    session = _session(rt)
    _contact(rt, session, EVIL, followup_wanted=True)
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await _login(app, pilot, session)
        await app.push_screen(PersonsScreen())
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert _cells(table)[0][0] == EVIL
        table.focus()
        await pilot.press("m")
        await _settle(app, pilot)
        assert EVIL in _message(app, "#persons-message")
        assert EVIL in app.export_screenshot()
        await pilot.press("escape")
        await _settle(app, pilot)

        await app.push_screen(FollowUpsScreen())
        await _settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert _cells(table)[0][1] == EVIL
        assert EVIL in app.export_screenshot()
        assert app.is_running and app.return_code is None
    with connection():
        assert AuditEvent.select().where(AuditEvent.action == "person.search").count() >= 1
