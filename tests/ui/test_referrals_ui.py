"""Pilot tests at 80x24 for issue 19: referrals, consent and "har ringet før" in the full
form and the quick log, and "kom borgeren frem?" at the follow-up."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection
from db.models import Contact, ContactValue
from screens.followups import FollowUpsScreen
from screens.home import HomeScreen
from screens.intake import PAGES, IntakeScreen
from screens.widgets.fields import Choice, MultiChoice
from screens.widgets.referral_rows import ReferralRow
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in, text

SCREEN_ROWS = 24


def _contacts() -> list[Contact]:
    with connection():
        return list(Contact.select().order_by(Contact.id))


def _referrals(contact_id: int) -> dict[str, tuple[str | None, str | None]]:
    with connection():
        return {
            v.code: (v.consent, v.made_by)
            for v in ContactValue.select().where(
                ContactValue.contact == contact_id, ContactValue.list_name == "referral_target"
            )
        }


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


async def test_full_form_records_each_referrals_consent_and_made_by(
    config: Config, rt: Runtime
) -> None:
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
        await pilot.press("c", "q", "n")  # bostøtte, Livslinien and 112, by their letters
        await settle(app, pilot)
        assert targets.selected == ["kommune_bostoette", "frivillig_livslinien", "noed_112"]
        rows = screen.query(ReferralRow)
        assert [r.target for r in rows] == targets.selected  # one line per referral
        # Each referral its own answers: Tab from the targets reaches the first row.
        await press(app, pilot, "tab", "j", "p", "tab", "i", "tab", "b")
        assert "samtykke: Ja" in str(rows[0].render())
        screen.query_one("#anonymous_repeat", Choice).focus()
        await pilot.press("right")  # Ikke registreret -> ja
        # With three referrals the page still fits (every field on screen).
        await settle(app, pilot)
        assert page.virtual_size.height <= page.region.height
        for field in screen._page_fields():
            assert field.region.bottom <= SCREEN_ROWS, field.id
        screen.query_one("#crisis_level", Choice).value = "let"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    [contact] = _contacts()
    assert _referrals(contact.id) == {
        "kommune_bostoette": ("ja", "personale"),
        "frivillig_livslinien": ("ikke_spurgt", None),
        "noed_112": (None, "borger_raadet"),
    }
    assert contact.anonymous_repeat == "ja"


async def test_unticking_a_target_drops_its_row_and_a_refused_save_keeps_every_answer(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await _to_last_page(app, pilot, screen)
        targets = screen.query_one("#referrals", MultiChoice)
        targets.focus()
        await pilot.press("c", "n")
        await settle(app, pilot)
        await press(app, pilot, "tab", "n", "tab", "j", "shift+tab", "shift+tab")
        await press(app, pilot, "n")  # 112 off: its row goes
        assert [r.target for r in screen.query(ReferralRow)] == ["kommune_bostoette"]
        screen.query_one("#duration_min", Input).value = "abc"  # refused by the service
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        assert "Varighed" in str(screen.query_one("#intake-message").render())
        form = screen.read_form()
        assert (form.referrals, form.referral_consent) == (
            ["kommune_bostoette"],
            {"kommune_bostoette": "nej"},
        )
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
            referral_consent={"kommune_bostoette": "ja"},
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
        answers = {
            (v.code, v.consent, v.arrived)
            for v in ContactValue.select().where(ContactValue.list_name == "referral_target")
        }
    # Each answer on its referral's own row, beside the consent given at the contact.
    assert answers == {
        ("kommune_bostoette", "ja", "ja"),
        ("region_distriktspsykiatri", None, "ved_ikke"),
    }


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
    assert _referrals(contact.id) == {"kommune_bostoette": (None, None)}


async def test_quick_log_records_several_referrals_each_with_its_consent(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        # Bostøtte with consent ja; then a new referral: 112 (a target already chosen is
        # skipped), consent nej; then a third: Myndighed voksen, no consent.
        await press(app, pilot, "2", "t", "t", "t", "o")
        await press(app, pilot, "n", *["t"] * 13, "o", "o")
        await press(app, pilot, "n", "t")
        more = str(app.screen.query_one("#ql-more").render())
        assert "t Henvist: Bostøtte (ja)" in more
        assert "+ 112 (nej)" in more and "+ Myndighed voksen" in more
        assert "o samtykke" in more and "n ny" in more
        panel = app.screen.query_one("#quick-log")
        assert panel.region.bottom <= SCREEN_ROWS and panel.region.y >= 0  # fits at 80x24
        await press(app, pilot, "n", "t")  # a fourth is not taken: t steps the third
        assert "+ Myndighed børn/unge" in str(app.screen.query_one("#ql-more").render())
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
    [contact] = _contacts()
    assert _referrals(contact.id) == {
        "kommune_bostoette": ("ja", None),
        "noed_112": ("nej", None),
        "myndighed_boern_unge": (None, None),
    }


async def test_an_edit_shows_each_referrals_answers_and_keeps_the_old_referred_to(
    config: Config, rt: Runtime
) -> None:
    """The old free ``referred_to`` (the partner list) duplicates the directory: the form
    no longer asks it, but an older contact that has it keeps it through an edit."""
    staff = make_user(rt, "eva", "medarbejder")
    saved = contacts.save_contact(
        rt,
        staff,
        ContactInput(
            crisis_level="let",
            referred_to="rusmiddelcenter",
            referrals=["kommune_misbrugscenter"],
            referral_consent={"kommune_misbrugscenter": "ja"},
            referral_made_by={"kommune_misbrugscenter": "borger_raadet"},
        ),
    )
    session = make_user(rt, "kim", "koordinator")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f4")
        await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, IntakeScreen) and screen.contact_id == saved.id
        assert not screen.query("#referred_to")
        (row,) = screen.query(ReferralRow)
        assert "samtykke: Ja" in str(row.render())
        row.focus()
        await press(app, pilot, "p")  # staff made the contact after all
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    [contact] = _contacts()
    assert contact.referred_to == "rusmiddelcenter"
    assert _referrals(contact.id) == {"kommune_misbrugscenter": ("ja", "personale")}
