"""Pilot tests at 80x24 for the audit log (a) and the access report (n), per role."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from akut_tui.core.config import Config
from akut_tui.core.cpr import contains_cpr
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.tui.app import AkutApp
from db.database import connection, database
from db.models import AuditEvent
from screens.access_report import AccessReportScreen
from screens.audit_log import AuditLogScreen
from screens.widgets.text import Plain
from tests.conftest import PASSWORD
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import press

CPR = "010190-1234"


def _cells(table: DataTable[object]) -> list[list[str]]:
    return [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def _text(app: AkutApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Plain).render())


def _ida(rt: Runtime) -> None:
    """Mette (coordinator) registers Ida by CPR and looks at her CPR."""
    mette = make_user(rt, "mette", "koordinator")
    saved = contacts.save_contact(
        rt, mette, ContactInput(identity="cpr", cpr_text=CPR, crisis_level="let")
    )
    assert saved.person_id is not None
    persons.reveal_cpr(rt, mette, saved.person_id, PASSWORD)


def _screen_fits(app: AkutApp) -> None:
    for widget in app.screen.query("*"):
        region = widget.region
        if region.width and region.height:
            assert region.right <= 80 and region.bottom <= 24, widget


async def _type(pilot: Pilot[int], app: AkutApp, field: str, text: str) -> None:
    app.screen.query_one(field, Input).focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_leader_opens_the_log_with_a_and_filters_by_cpr(config: Config, rt: Runtime) -> None:
    _ida(rt)
    leader = make_user(rt, "lise", "leder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, leader)
        await press(app, pilot, "a")
        assert isinstance(app.screen, AuditLogScreen)
        _screen_fits(app)
        assert "ikke kontrolleret" in _text(app, "#audit-chain")
        await _type(pilot, app, "#audit-person", CPR)
        await press(app, pilot, "enter")
        rows = _cells(app.screen.query_one("#audit-table", DataTable))
        texts = [row[1] for row in rows]
        assert texts[0] == "mette så CPR for 010190-XXXX"
        assert "mette registrerede en henvendelse om 010190-XXXX" in texts
        assert not any(contains_cpr(" ".join(row)) for row in rows)
        # The typed CPR is masked in the field once searched; Enter again searches with it.
        field = app.screen.query_one("#audit-person", Input)
        assert field.value == "010190-XXXX"
        field.focus()
        await press(app, pilot, "enter")
        assert _cells(app.screen.query_one("#audit-table", DataTable))[1:] == rows
    with connection():
        actions = [e.action for e in AuditEvent.select().where(AuditEvent.username == "lise")]
    assert actions.count("audit.view") == 1 and actions.count("audit.person_view") == 2


async def test_bad_date_keeps_the_typed_text_and_names_the_field(
    config: Config, rt: Runtime
) -> None:
    leader = make_user(rt, "lise", "leder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, leader)
        await press(app, pilot, "a")
        await _type(pilot, app, "#audit-user", "mette")
        await _type(pilot, app, "#audit-start", "31-02-2026")
        await press(app, pilot, "enter")
        assert "Ugyldig dato" in _text(app, "#audit-message")
        assert app.screen.query_one("#audit-user", Input).value == "mette"
        assert app.focused is app.screen.query_one("#audit-start", Input)


async def test_log_pages_by_key_as_the_cursor_reaches_the_bottom(
    config: Config, rt: Runtime
) -> None:
    leader = make_user(rt, "lise", "leder")
    with connection(), database.atomic():
        for n in range(130):
            audit.record(rt, "login.failed", username=f"x{n}")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, leader)
        await press(app, pilot, "a")
        table = app.screen.query_one("#audit-table", DataTable)
        assert table.row_count == 50
        table.focus()
        for _ in range(3):
            await press(app, pilot, "ctrl+end")
        assert table.row_count > 130
        seqs = [int(str(key.value)) for key in table.rows]
        assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)


async def test_chain_check_runs_in_a_worker_and_shows_its_time(config: Config, rt: Runtime) -> None:
    leader = make_user(rt, "lise", "leder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, leader)
        await press(app, pilot, "a")
        app.screen.query_one("#audit-table", DataTable).focus()
        await press(app, pilot, "v")
        assert _text(app, "#audit-chain").startswith("Kæden er intakt (")
        assert "20-11-2026 20:00" in _text(app, "#audit-chain")


async def test_leader_makes_an_access_report_with_n(config: Config, rt: Runtime) -> None:
    _ida(rt)
    leader = make_user(rt, "lise", "leder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, leader)
        await press(app, pilot, "n")
        assert isinstance(app.screen, AccessReportScreen)
        _screen_fits(app)
        await pilot.press(*CPR)
        await press(app, pilot, "enter")
        rows = _cells(app.screen.query_one("#report-table", DataTable))
        assert [row[0] for row in rows] == ["Adgang", "Adgang", "Henv."]
        assert rows[1][2] == "mette så CPR for 010190-XXXX"
        assert _text(app, "#report-head").startswith("010190-XXXX, 01-01-2000 til 20-11-2026")
        assert app.screen.query_one("#report-person", Input).value == "010190-XXXX"
        assert not any(contains_cpr(" ".join(row)) for row in rows)
    with connection():
        last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert (last.action, last.username) == ("audit.person_report", "lise")


@pytest.mark.parametrize("role", ["medarbejder", "koordinator"])
async def test_other_roles_have_no_letter_and_the_service_refuses_them(
    config: Config, rt: Runtime, role: str
) -> None:
    _ida(rt)
    other = make_user(rt, "anna", role)
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, other)
        home = app.screen
        for letter in ("a", "n"):
            await press(app, pilot, letter)
            assert app.screen is home
        # Pushed past the menu, the screens still get nothing: the service refuses.
        app.push_screen(AuditLogScreen())
        await settle(app, pilot)
        assert app.screen.query_one("#audit-table", DataTable).row_count == 0
        assert "Din rolle giver ikke adgang" in _text(app, "#audit-message")
        assert "Din rolle giver ikke adgang" in _text(app, "#audit-chain")
        app.pop_screen()
        app.push_screen(AccessReportScreen())
        await settle(app, pilot)
        await pilot.press(*CPR)
        await press(app, pilot, "enter")
        assert app.screen.query_one("#report-table", DataTable).row_count == 0
        assert "Din rolle giver ikke adgang" in _text(app, "#report-message")


@pytest.mark.parametrize(
    ("role", "line"),
    [
        ("leder", "v/g/a/n  Værdilister · Sengeindstillinger · Revisionsspor · Indsigt"),
        ("medarbejder", "s/u/h   Senge · Udkørsel · Overlevering"),
    ],
)
async def test_home_lists_the_letters_with_a_space_before_the_labels(
    config: Config, rt: Runtime, role: str, line: str
) -> None:
    session = make_user(rt, "anna", role)
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, session)
        menu = str(app.screen.query_one("#home-menu", Plain).render()).splitlines()
        assert line in menu
