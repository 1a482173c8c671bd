"""Pilot tests at 80x24 for issue 19: referrals, consent and "har ringet før" in the full
form and the quick log, and "kom borgeren frem?" at the follow-up."""

from __future__ import annotations

from datetime import UTC, datetime

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection
from db.models import Contact, ContactValue, ReferralArrival
from screens.followups import FollowUpsScreen
from screens.home import HomeScreen
from screens.intake import PAGES, IntakeScreen
from screens.widgets.fields import Choice, MultiChoice
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in, text

SCREEN_ROWS = 24


def _contacts() -> list[Contact]:
    with connection():
        return list(Contact.select().order_by(Contact.id))


def _targets(contact_id: int) -> set[str]:
    with connection():
        return {
            v.code
            for v in ContactValue.select().where(
                ContactValue.contact == contact_id, ContactValue.list_name == "referral_target"
            )
        }


async def _to_last_page(app: object, pilot: object, screen: IntakeScreen) -> None:
    await press(app, pilot, *["pagedown"] * (len(PAGES) - 1))  # type: ignore[arg-type]
    assert screen.page == len(PAGES) - 1


async def test_full_form_records_referrals_consent_and_repeat(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await _to_last_page(app, pilot, screen)
        page = screen.query_one(f"#page-{screen.page}")
        # The whole page fits at 80x24: nothing to scroll, every field on screen.
        assert page.virtual_size.height <= page.region.height
        for field in screen._page_fields():
            assert field.region.bottom <= SCREEN_ROWS, field.id
        targets = screen.query_one("#referrals", MultiChoice)
        codes = [code for code, _ in targets.options]
        assert codes[:3] == ["myndighed_voksen", "myndighed_boern_unge", "kommune_bostoette"]
        targets.focus()
        await pilot.press("c", "q")  # bostøtte and Livslinien, by their letters
        await settle(app, pilot)
        assert targets.selected == ["kommune_bostoette", "frivillig_livslinien"]
        for name in ("referral_consent", "referral_made_by", "anonymous_repeat"):
            screen.query_one(f"#{name}", Choice).focus()
            await pilot.press("right")  # Ikke registreret -> the first code
        await settle(app, pilot)
        screen.query_one("#crisis_level", Choice).value = "let"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    [contact] = _contacts()
    assert _targets(contact.id) == {"kommune_bostoette", "frivillig_livslinien"}
    assert contact.referral_consent == "ja"
    assert contact.referral_made_by == "personale"
    assert contact.anonymous_repeat == "ja"


async def test_consent_without_a_referral_is_refused_and_nothing_is_lost(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await _to_last_page(app, pilot, screen)
        screen.query_one("#referral_consent", Choice).focus()
        await pilot.press("right", "right")  # -> nej
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        assert "henvist til" in str(screen.query_one("#intake-message").render())
        assert screen.query_one("#referral_consent", Choice).value == "nej"
    assert _contacts() == []


async def test_quick_log_records_har_ringet_foer_on_its_own_key(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        more = str(app.screen.query_one("#ql-more").render())
        assert "r Ringet før: ikke registreret" in more
        await press(app, pilot, "1", "r", "r")  # ikke registreret -> ja -> nej
        assert "Ringet før: nej" in str(app.screen.query_one("#ql-more").render())
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert contact.anonymous and contact.anonymous_repeat == "nej"


async def test_quick_log_in_three_keys_records_no_new_field(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        await press(app, pilot, "2", "a", "ctrl+s")
    [contact] = _contacts()
    assert (contact.anonymous_repeat, contact.referral_consent) == (None, None)
    assert _targets(contact.id) == set()


async def test_follow_up_asks_kom_borgeren_frem_per_referral(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "kirsten", "koordinator")
    contacts.save_contact(
        rt,
        session,
        ContactInput(
            started_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
            crisis_level="let",
            followup_wanted=True,
            referrals=["kommune_bostoette", "region_distriktspsykiatri"],
            referral_consent="ja",
        ),
    )
    async with running(config, rt, session) as (app, pilot):
        await app.push_screen(FollowUpsScreen())
        await settle(app, pilot)
        await press(app, pilot, "j")
        assert "Tryk f" in text(app, "#followups-message")
        await press(app, pilot, "f")
        assert "Kom borgeren frem til «Bostøtte»?" in text(app, "#followups-message")
        await press(app, pilot, "j")
        assert "Bostøtte – Ja" in text(app, "#followups-message")
        await press(app, pilot, "f")  # the next one not yet answered
        assert "«Distriktspsykiatri»" in text(app, "#followups-message")
        await press(app, pilot, "v")
        await settle(app, pilot)
        assert "2/2" in str(app.screen.query_one("#followups-table").get_row_at(0))
    with connection():
        answers = {(a.target, a.arrived) for a in ReferralArrival.select()}
    assert answers == {("kommune_bostoette", "ja"), ("region_distriktspsykiatri", "ved_ikke")}


async def test_quick_log_records_a_referral_on_its_own_key(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        assert "t Henvist: ingen" in str(app.screen.query_one("#ql-more").render())
        await press(app, pilot, "2", "t", "t", "t")  # none -> the directory's first three
        more = str(app.screen.query_one("#ql-more").render())
        assert "Henvist: Bostøtte" in more
        panel = app.screen.query_one("#quick-log")
        assert panel.region.bottom <= SCREEN_ROWS  # the longer line still fits at 80x24
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert _targets(contact.id) == {"kommune_bostoette"}
    assert contact.referral_consent is None  # asked in the full form
