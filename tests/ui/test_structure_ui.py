"""Pilot tests at 80x24 for the building blocks: workers, the list-screen base, the session.

Issue 8: a slow, older search never overwrites a newer one; a reload rewrites
only the cells that changed; long lists are added a page at a time; a failed
audit write at logout or lock is shown and logged, never swallowed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import DataTable, Input

from akut_tui.core.config import Config
from akut_tui.core.errors import StorageError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import PersonRow, SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.tui.app import AkutApp
from screens.persons import PersonsScreen
from screens.users import UsersScreen
from tests.ui.helpers import PASSWORD, login, make_user, settle
from tests.ui.pilot_helpers import press, running

SIZE = (80, 24)


def _person(number: int, label: str) -> PersonRow:
    return PersonRow(
        id=number,
        label=label,
        birth_year=None,
        contacts=1,
        last_contact=None,
        special_attention=False,
    )


def _labels(table: DataTable[Any]) -> list[str]:
    return [str(table.get_row_at(index)[0]) for index in range(table.row_count)]


async def test_slow_old_search_never_overwrites_a_newer_one(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = make_user(rt, "kim", "koordinator")
    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    def search(rt: Runtime, session: SignedInUser, text: str) -> list[PersonRow]:
        if text == "langsom":
            started.set()
            release.wait(timeout=10)  # the old search is still running...
            returned.set()
            return [_person(1, "Gammelt resultat")]
        return [_person(2, "Nyt resultat")]

    monkeypatch.setattr(persons, "search_persons", search)
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f7")
        screen = app.screen
        assert isinstance(screen, PersonsScreen)
        screen.search("langsom")
        for _ in range(100):  # the old search is really under way
            await pilot.pause()
            if started.is_set():
                break
        assert started.is_set()
        screen.search("ny")
        for _ in range(50):  # until the newer search is on screen
            await pilot.pause()
            if _labels(screen.table) == ["Nyt resultat"]:
                break
        assert _labels(screen.table) == ["Nyt resultat"]
        release.set()  # ...and finishes last
        for _ in range(100):
            await pilot.pause()
            if returned.is_set():
                break
        assert returned.is_set()
        for _ in range(5):  # time for its result to reach the screen, were it delivered
            await pilot.pause()
        await settle(app, pilot)
        assert _labels(screen.table) == ["Nyt resultat"]
        assert "1 borgere fundet." in str(screen.query_one("#persons-message").render())


async def test_reload_rewrites_only_the_changed_cells(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "lise", "leder")
    for name in ("anna", "bo", "carl"):
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None)
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f9")
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        table = screen.table
        table.focus()
        await pilot.press("down", "down")
        selected = screen.selected()
        assert selected is not None
        updates: list[tuple[object, object]] = []
        cleared: list[bool] = []
        original_update, original_clear = table.update_cell, table.clear

        def update_cell(row_key: Any, column_key: Any, value: Any, **kw: Any) -> None:
            updates.append((row_key, str(value)))
            original_update(row_key, column_key, value, **kw)

        def clear(columns: bool = False) -> Any:
            cleared.append(columns)
            return original_clear(columns)

        table.update_cell = update_cell  # type: ignore[method-assign]
        table.clear = clear  # type: ignore[method-assign]
        await press(app, pilot, "d")
        # Every change asks for the leader's own password first (issue 18 §1).
        app.screen.query_one("#reauth-password", Input).value = PASSWORD
        await press(app, pilot, "enter")
        # One cell of one row changed ("aktiv" -> "deaktiveret"); nothing was rebuilt.
        assert updates == [(selected.username, "deaktiveret")]
        assert cleared == []
        assert screen.selected() == screen.rows[table.cursor_row]
        assert f"{selected.username} er deaktiveret" in str(
            screen.query_one("#users-message").render()
        )


async def test_long_lists_are_added_a_page_at_a_time(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = make_user(rt, "kim", "koordinator")
    rows = [_person(number, f"Borger {number}") for number in range(1, 11)]

    def search(rt: Runtime, session: SignedInUser, text: str) -> Sequence[PersonRow]:
        return rows

    monkeypatch.setattr(persons, "search_persons", search)
    monkeypatch.setattr(PersonsScreen, "PAGE_SIZE", 4)
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f7")
        screen = app.screen
        assert isinstance(screen, PersonsScreen)
        assert screen.table.row_count == 4
        assert len(screen.rows) == 10
        await pilot.press("down", "down")  # the cursor nears the end: the next page follows
        await settle(app, pilot)
        assert screen.table.row_count == 8
        await press(app, pilot, "down", "down", "down", "down")
        assert screen.table.row_count == 10
        assert screen.table.cursor_row == 6


@pytest.mark.parametrize("ending", ["logout", "lock"])
async def test_a_failed_audit_write_is_shown_and_logged(
    config: Config,
    rt: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    ending: str,
) -> None:
    log = tmp_path / "errors.log"
    monkeypatch.setenv("AKUT_ERROR_LOG", str(log))
    session = make_user(rt, "bo", "medarbejder")

    def refused(*args: object) -> None:
        raise StorageError("Databasen er optaget. Prøv igen om lidt.")

    monkeypatch.setattr(auth, "logout" if ending == "logout" else "record_lock", refused)
    seen: list[Message] = []
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await login(app, pilot, session)
        await press(app, pilot, "f12" if ending == "logout" else "ctrl+l")
    shown = [m.notification.message for m in seen if isinstance(m, Notify)]
    assert len(shown) == 1
    assert shown[0].startswith("Hændelsen kunne ikke skrives i loggen: Databasen er optaget.")
    incident = shown[0].rsplit("hændelse ", 1)[1].rstrip(")")
    assert f"incident {incident}" in log.read_text(encoding="utf-8")
