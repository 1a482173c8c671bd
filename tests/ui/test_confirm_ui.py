"""Pilot tests at 80x24: confirmations before irreversible actions, and the users screen."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.pilot import Pilot
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import forms as drafts
from akut_tui.tui.app import AkutApp
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reauth import ReauthDialog
from screens.drafts import DraftsScreen
from screens.followups import FollowUpsScreen
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.lock import LockScreen
from screens.users import UsersScreen
from screens.widgets.text import Plain, TextInput
from tests.ui.helpers import PASSWORD, make_user, settle
from tests.ui.pilot_helpers import press, running


def _text(app: AkutApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Plain).render())


def _region_inside_screen(app: AkutApp) -> bool:
    box = app.screen.query_one("#confirm-box")
    region = box.region
    return region.x >= 0 and region.y >= 0 and region.right <= 80 and region.bottom <= 24


async def test_f8_asks_before_discarding_the_form(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f3")
        form = app.screen
        assert isinstance(form, IntakeScreen)
        form.query_one("#note", TextInput).value = "må ikke forsvinde"
        await press(app, pilot, "f8")
        assert isinstance(app.screen, ConfirmDialog)
        assert _region_inside_screen(app)
        # Letters that are app shortcuts elsewhere (b users, l contacts) do nothing here.
        await press(app, pilot, "b", "l", "escape")
        assert app.screen is form
        assert form.query_one("#note", TextInput).value == "må ikke forsvinde"
        assert "Ikke kasseret" in _text(app, "#intake-message")
        await press(app, pilot, "f8", "j")
        assert isinstance(app.screen, HomeScreen)
    assert drafts.list_drafts(rt, session) == []


async def test_d_on_a_draft_asks_first(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    drafts.save_draft(rt, session, ContactInput(note="første"))
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f5")
        assert isinstance(app.screen, DraftsScreen)
        await press(app, pilot, "d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "20-11-2026 20:00" in _text(app, "#confirm-text")
        await press(app, pilot, "n")
        assert isinstance(app.screen, DraftsScreen)
        assert len(drafts.list_drafts(rt, session)) == 1
        await press(app, pilot, "d", "enter")
        assert isinstance(app.screen, DraftsScreen)
    assert drafts.list_drafts(rt, session) == []


async def test_closing_a_followup_before_its_due_date_asks(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "kirsten", "koordinator")
    for nickname, started in (
        ("Tidlig", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),  # due 15-11: overdue
        ("Senere", datetime(2026, 11, 19, 12, 0, tzinfo=UTC)),  # due 03-12: not yet due
    ):
        contacts.save_contact(
            rt,
            session,
            ContactInput(
                identity="pseudonym",
                nickname=nickname,
                crisis_level="let",
                started_at=started,
                followup_wanted=True,
            ),
        )
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(FollowUpsScreen())
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.press("down", "1")  # the one not yet due
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "03-12-2026" in _text(app, "#confirm-text")
        await press(app, pilot, "n")
        assert isinstance(app.screen, FollowUpsScreen)
        assert not any(r.done for r in followups.due_followups(rt, session, include_done=True))
        await pilot.press("up", "1")  # overdue: no question
        await settle(app, pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        await pilot.press("1", "j")  # the remaining (early) one, confirmed
        await settle(app, pilot)
    rows = followups.due_followups(rt, session, include_done=True)
    assert [r.done for r in rows] == [True, True]


async def test_answer_key_does_not_reach_the_screen_below(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "lise", "leder")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f3")
        form = app.screen
        # "n" and Enter answer the dialog; neither may act on the form below
        # (n would set a toggle, Enter would move the focus).
        form.query_one("#cpr_declined").focus()
        await press(app, pilot, "f8", "n")
        assert app.screen is form
        assert app.focused is form.query_one("#cpr_declined")
        assert form.query_one("#cpr_declined").value is False  # type: ignore[attr-defined]
        # Locking still works while a question is open; the form is kept as a draft.
        form.query_one("#note", TextInput).value = "behold mig"
        await press(app, pilot, "f8", "ctrl+l")
        assert isinstance(app.screen, LockScreen)
    assert [d.summary for d in drafts.list_drafts(rt, session)]


async def _confirm_with_password(app: AkutApp, pilot: Pilot[int]) -> None:
    """Every change on the users screen asks for the leader's password (issue 18 §1)."""
    await settle(app, pilot)
    assert isinstance(app.screen, ReauthDialog)
    app.screen.query_one("#reauth-password", TextInput).value = PASSWORD
    await press(app, pilot, "enter")


async def test_users_cursor_stays_and_message_is_fresh(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "lise", "leder")
    for name in ("anna", "bent", "carl"):
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None)
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f9")
        assert isinstance(app.screen, UsersScreen)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.press("down", "down")
        row = table.cursor_row
        selected = app.screen.selected()
        assert selected is not None
        name = selected.username
        await press(app, pilot, "d")
        await _confirm_with_password(app, pilot)
        assert table.cursor_row == row
        assert f"{name} er deaktiveret" in _text(app, "#users-message")
        await press(app, pilot, "u")
        await _confirm_with_password(app, pilot)
        assert table.cursor_row == row
        assert "Spærringen" in _text(app, "#users-message")
        assert "deaktiveret." not in _text(app, "#users-message")
        await press(app, pilot, "up")
        # The message was about another row: it does not stay on the footer.
        assert name not in _text(app, "#users-message")
    assert not {u.username: u.active for u in accounts.list_users(rt, session)}[name]
