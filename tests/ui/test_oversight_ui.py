"""Pilot tests at 80x24: frequent users (f) and data quality (d), per role (issue 18 §4-5)."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import AuditEvent, Person
from screens.data_quality import DataQualityScreen
from screens.dialogs.night import NightDialog
from screens.frequent_person import PersonContactsScreen
from screens.frequent_users import FrequentUsersScreen, level_cell
from screens.home import HomeScreen
from screens.quality_rows import QualityRowsScreen
from screens.widgets.text import Plain, TextInput
from tests.oversight_fixture import frequent_fixture, quality_fixture
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, running
from tests.unit.test_data_quality import EXPECTED

SIZE = (80, 24)


def _text(app: AkutApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Plain).render())


def _fits(app: AkutApp) -> None:
    """Every column shows inside 80 columns: the table never scrolls sideways."""
    for table in app.screen.query(DataTable):
        assert table.virtual_size.width <= table.size.width, (table.virtual_size, table.size)
    for widget in app.screen.query("*"):
        assert widget.region.right <= SIZE[0] and widget.region.bottom <= SIZE[1]


def _cells(app: AkutApp) -> list[list[str]]:
    table: DataTable[Any] = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _events(action: str) -> list[AuditEvent]:
    with connection():
        return list(AuditEvent.select().where(AuditEvent.action == action))


async def test_coordinator_sees_frequent_users_and_opens_one(config: Config, rt: Runtime) -> None:
    people = frequent_fixture()
    session = make_user(rt, "kirsten", "koordinator")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f")
        assert isinstance(app.screen, FrequentUsersScreen)
        _fits(app)
        first = _cells(app)[0]
        assert first == ["Ida", "3", "2/1/0", "L→A ▃▅█", "2", "19-11-2026", "SP-12"]
        assert "30 dage (fra 22-10-2026)" in str(app.screen.query_one("#frequent-window").render())
        await press(app, pilot, "w")
        assert _cells(app)[0][:2] == ["Ole", "5"]
        assert "90 dage" in str(app.screen.query_one("#frequent-window").render())
        await pilot.press("w", "w")  # a year, then 30 days again
        await settle(app, pilot)
        assert _cells(app)[0][0] == "Ida"
        app.screen.query_one(DataTable).focus()
        await press(app, pilot, "enter")
        assert isinstance(app.screen, PersonContactsScreen)
        _fits(app)
        rows = _cells(app)
        assert [r[4] for r in rows] == ["Let", "Middelsvær", "", "Alvorlig"]
        assert [r[2] for r in rows] == ["Krise", "Krise", "Stille", "Krise"]
        title = str(app.screen.query_one("#person-contacts-title").render())
        assert title == "Henvendelser: Ida · særlig opmærksomhed: SP-12"
        (opened,) = _events("frequent_users.open")
        assert opened.person_ref == str(people.ida) and opened.user_id == session.user_id
        await press(app, pilot, "escape")
        assert isinstance(app.screen, FrequentUsersScreen)


async def test_leader_sees_data_quality_and_the_rows(config: Config, rt: Runtime) -> None:
    quality_fixture()
    session = make_user(rt, "lea", "leder")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "d")
        screen = app.screen
        assert isinstance(screen, DataQualityScreen)
        _fits(app)
        assert [int(r[1]) for r in _cells(app)] == list(EXPECTED.values())
        assert "sidste 12 måneder" in str(screen.query_one("#quality-title").render())
        await press(app, pilot, "p")
        assert "sidste kvartal" in str(screen.query_one("#quality-title").render())
        table = screen.query_one(DataTable)
        table.focus()
        table.move_cursor(row=list(EXPECTED).index("duplicates"))
        await press(app, pilot, "enter")
        assert isinstance(app.screen, QualityRowsScreen)
        _fits(app)
        assert [r[1] for r in _cells(app)] == ["Ida / ida", "XXXXXX-XXXX / Bo"]
        assert _text(app, "#quality-rows-message") == "2 rækker."
        await press(app, pilot, "escape")
        assert isinstance(app.screen, DataQualityScreen)


async def test_staff_cannot_open_either_screen(config: Config, rt: Runtime) -> None:
    people = frequent_fixture()
    session = make_user(rt, "mette", "medarbejder")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f", "d")
        assert isinstance(app.screen, HomeScreen)
        assert "Hyppige brugere" not in str(app.screen.query_one("#home-menu").render())
        # Reached anyway (a stale menu, a future shortcut): the service refuses.
        for screen, prefix in (
            (FrequentUsersScreen(), "frequent"),
            (DataQualityScreen(), "quality"),
        ):
            await app.push_screen(screen)
            await settle(app, pilot)
            assert "rolle" in _text(app, f"#{prefix}-message")
            assert app.screen.query_one(DataTable).row_count == 0
            await press(app, pilot, "escape")
    assert not _events("frequent_users.list") and not _events("quality.view")
    assert people.ida


def test_level_cell_is_plain_characters() -> None:
    assert level_cell(["let", "ikke_vurderet", "alvorlig"]) == "L→A ▃·█"
    assert level_cell([]) == ""
    assert len(level_cell(["middel"] * 20)) == 11


async def test_coordinator_sets_the_plan_reference_in_a_dialog(config: Config, rt: Runtime) -> None:
    people = frequent_fixture()
    session = make_user(rt, "kirsten", "koordinator")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f")
        app.screen.query_one(DataTable).move_cursor(row=1)  # Ole: no flag yet
        await press(app, pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, NightDialog)
        _fits(app)
        dialog.query_one("#f-plan", TextInput).value = "Ring til mor"
        await press(app, pilot, "ctrl+s")
        # Refused in the service: the text stays, the message names the plan.
        assert isinstance(app.screen, NightDialog)
        assert "kort kode" in dialog.message
        assert dialog.query_one("#f-plan", TextInput).value == "Ring til mor"
        dialog.query_one("#f-plan", TextInput).value = "SP-40"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, FrequentUsersScreen)
        row = next(r for r in _cells(app) if r[0] == "Ole")
        assert row[-1] == "SP-40"
    with connection():
        assert Person.get_by_id(people.ole).special_attention_plan == "SP-40"
    assert [e.person_ref for e in _events("person.flag")] == [str(people.ole)]
