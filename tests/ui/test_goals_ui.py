"""Pilot tests at 80x24 for issue 19 §3: the goal's kind and "uden akuttilbuddet" in the
full form and the quick log (each on its own key; three keys still save a call), and the
goal's attainment at the follow-up."""

from __future__ import annotations

from datetime import UTC, datetime

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection
from db.models import AuditEvent, Contact, ContactValue
from screens.followups import FollowUpsScreen
from screens.home import HomeScreen
from screens.intake import PAGES, IntakeScreen
from screens.widgets.fields import Choice, MultiChoice
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in, text

SCREEN_ROWS = 24
SCREEN_COLUMNS = 80


def _contacts() -> list[Contact]:
    with connection():
        return list(Contact.select().order_by(Contact.id))


def _avoided(contact_id: int) -> set[str]:
    with connection():
        picks = ContactValue.select().where(
            ContactValue.contact == contact_id, ContactValue.list_name == "avoided"
        )
        return {v.code for v in picks}


async def _page_fits(screen: IntakeScreen) -> None:
    page = screen.query_one(f"#page-{screen.page}")
    assert page.virtual_size.height <= page.region.height
    for field in screen._page_fields():
        assert field.region.bottom <= SCREEN_ROWS, field.id


async def test_full_form_records_the_goal_kind_and_avoided(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await press(app, pilot, "pagedown", "pagedown")  # page 3, Afslutning
        await _page_fits(screen)
        kind = screen.query_one("#goal_kind", Choice)
        kind.focus()
        await pilot.press("right", "right")  # Ikke valgt -> Søvn -> Netværk
        await press(app, pilot, *["pagedown"] * (len(PAGES) - 3))  # the last page
        await _page_fits(screen)
        avoided = screen.query_one("#avoided", MultiChoice)
        assert [code for code, _ in avoided.options][:2] == [
            "indlaeggelse",
            "psykiatrisk_akutmodtagelse",
        ]
        avoided.focus()
        await pilot.press("b", "c")  # psyk. akutmodtagelse and vagtlæge, by their letters
        await settle(app, pilot)
        assert avoided.selected == ["psykiatrisk_akutmodtagelse", "vagtlaege"]
        await pilot.press("f")  # Intet stands alone: it clears the others
        await settle(app, pilot)
        assert avoided.selected == ["intet"]
        await pilot.press("a")
        await settle(app, pilot)
        assert avoided.selected == ["indlaeggelse"]
        screen.query_one("#crisis_level", Choice).value = "let"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    [contact] = _contacts()
    assert (contact.goal_kind, contact.progression_goal) == ("netvaerk", True)
    assert contact.goal_attainment is None
    assert _avoided(contact.id) == {"indlaeggelse"}


async def test_quick_log_records_goal_and_avoided_on_their_own_keys(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        more = app.screen.query_one("#ql-more")
        assert "p Mål: intet" in str(more.render())
        assert "u Uden akuttilbud: ikke vurderet" in str(more.render())
        await press(app, pilot, "1", "p", "p", "u", "u", "t")
        shown = str(more.render())
        assert "Mål: Netværk" in shown and "Uden akuttilbud: Psyk. akutmodtagelse" in shown
        assert "Henvist: Myndighed voksen" in shown
        lines = shown.splitlines()
        assert all(len(line) <= SCREEN_COLUMNS - 2 for line in lines), lines
        panel = app.screen.query_one("#quick-log")
        assert panel.region.bottom <= SCREEN_ROWS and panel.region.right <= SCREEN_COLUMNS
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert contact.anonymous and (contact.goal_kind, contact.progression_goal) == (
        "netvaerk",
        True,
    )
    assert _avoided(contact.id) == {"psykiatrisk_akutmodtagelse"}


async def test_quick_log_steps_back_to_none(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        await press(app, pilot, "2", *["u"] * 8)  # through all seven answers and back to none
        assert "u Uden akuttilbud: ikke vurderet" in str(app.screen.query_one("#ql-more").render())
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert _avoided(contact.id) == set()


async def test_quick_log_in_three_keys_records_no_goal_or_avoided(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        await press(app, pilot, "2", "a", "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert contact.crisis_level == "middel"
    assert (contact.goal_kind, contact.goal_attainment, contact.progression_goal) == (
        None,
        None,
        False,
    )
    assert _avoided(contact.id) == set()


async def test_follow_up_records_the_goals_attainment(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "kirsten", "koordinator")
    started = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    contacts.save_contact(
        rt,
        session,
        ContactInput(started_at=started, crisis_level="let", followup_wanted=True,
                     goal_kind="soevn"),
    )  # fmt: skip
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(FollowUpsScreen())
        await settle(app, pilot)
        legend = text(app, "#followups-goal-keys")
        assert "o opnået" in legend and "u ikke fulgt op" in legend
        table = app.screen.query_one("#followups-table")
        assert str(table.get_row_at(0)[-1]) == "?"
        await press(app, pilot, "d")
        await settle(app, pilot)
        assert "progressionsmål «Søvn» – Delvist" in text(app, "#followups-message")
        assert str(table.get_row_at(0)[-1]) == "Delvist"
        await press(app, pilot, "o")  # a changed answer replaces the first
        await settle(app, pilot)
        assert str(table.get_row_at(0)[-1]) == "Opnået"
        assert app.screen.region.right <= 80
    [contact] = _contacts()
    assert contact.goal_attainment == "opnaaet"
    with connection():
        assert AuditEvent.select().where(AuditEvent.action == "followup.goal").count() == 2


async def test_follow_up_without_a_goal_says_so(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "kirsten", "koordinator")
    started = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    contacts.save_contact(
        rt, session, ContactInput(started_at=started, crisis_level="let", followup_wanted=True)
    )
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(FollowUpsScreen())
        await settle(app, pilot)
        await press(app, pilot, "o")
        assert "ikke sat et progressionsmål" in text(app, "#followups-message")
    [contact] = _contacts()
    assert contact.goal_attainment is None
