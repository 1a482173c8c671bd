"""Pilot tests at 80x24 for the quick log and the full registration form."""

from __future__ import annotations

from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import forms as drafts
from akut_tui.tui.app import AkutApp
from akut_tui.tui_kit.messages import OpenFullForm
from db.database import connection
from db.models import Contact, ContactValue
from screens.contacts import ContactsScreen
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.widgets.fields import Choice, MultiChoice, Toggle
from screens.widgets.quick_log import QuickLogPanel
from tests.conftest import FakeClock
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import fill, press, running, signed_in

SIZE = (80, 24)


def _contacts() -> list[Contact]:
    with connection():
        return list(Contact.select().order_by(Contact.id))


def _values(contact_id: int) -> set[tuple[str, str]]:
    with connection():
        return {
            (v.list_name, v.code)
            for v in ContactValue.select().where(ContactValue.contact == contact_id)
        }


async def test_quick_log_in_at_most_8_keys(config: Config, rt: Runtime, clock: FakeClock) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        assert app.screen.query_one(QuickLogPanel).is_open
        clock.advance(minutes=12)
        keys = ["2", "a", "ctrl+s"]
        await press(app, pilot, *keys)
        assert len(keys) <= 8
        assert not app.screen.query_one(QuickLogPanel).is_open
        assert "Gemt" in str(app.screen.query_one("#quick-done").render())
    [contact] = _contacts()
    assert contact.crisis_level == "middel"
    assert contact.channel == "telefon" and contact.anonymous
    assert contact.duration_min == 12
    assert _values(contact.id) == {("symptom", "angst")}


async def test_quick_log_typed_duration_and_burst(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        keys = ["3", "f", "v", "1", "5", "enter", "ctrl+s"]
        await press(app, pilot, *keys)
        assert len(keys) <= 8
    [contact] = _contacts()
    assert contact.crisis_level == "alvorlig"
    assert contact.duration_min == 15
    assert ("symptom", "selvmordstanker") in _values(contact.id)
    assert contact.flag_suicidal


async def test_quick_log_one_key_silent_call(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        await press(app, pilot, "f2", "x")
    [contact] = _contacts()
    assert contact.contact_type == "stille_opkald"
    assert contact.crisis_level is None


async def test_quick_log_escalation_keys_only_for_alvorlig(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        await press(app, pilot, "f2", "1", "5")
        panel = app.screen.query_one(QuickLogPanel)
        assert panel.escalations == []
        await press(app, pilot, "3", "5", "8", "ctrl+s")
    [contact] = _contacts()
    assert {("escalation", "112"), ("escalation", "politi")} <= _values(contact.id)


async def test_quick_log_f3_continues_in_full_form(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        await press(app, pilot, "f2", "1", "b", "f3")
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#crisis_level", Choice).value == "let"
        assert app.screen.query_one("#symptoms", MultiChoice).selected == ["nedtrykt"]


async def test_full_intake_every_field(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        fill(
            screen,
            {
                "#channel": "fremmoede",
                "#caller": "samarbejdspartner",
                "#partner_type": "politi",
                "#identity": "cpr",
                "#cpr_text": "010190-1235",
                "#home_municipality": "607",
                "#housing": "egen_bolig",
                "#stabilisation": "delvist_stabiliseret",
            },
        )
        screen.query_one("#events", MultiChoice).set_selected(["tab_sorg"])
        screen.query_one("#escalations", MultiChoice).set_selected(["vagtlaege"])
        screen.query_one("#actions", MultiChoice).set_selected(["ny_samtale"])
        screen.query_one("#flags", MultiChoice).set_selected(["flag_influence"])
        for name in ("crisis_plan", "progression_goal", "followup_wanted", "coordination_needed"):
            screen.query_one(f"#{name}", Toggle).value = True
        fill(
            screen,
            {
                "#followup_phone": "12345678",
                "#note": "Kort note",
            },
        )
        # The level and a symptom by key, as staff would.
        await press(app, pilot, "pagedown")
        assert screen.page == 1
        screen.query_one("#crisis_level", Choice).focus()
        await pilot.press("3")
        screen.query_one("#symptoms", MultiChoice).focus()
        await pilot.press("a", "f")
        screen.query_one("#duration_min", Input).value = "40"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    [contact] = _contacts()
    assert contact.channel == "fremmoede" and contact.caller == "samarbejdspartner"
    assert contact.partner_type == "politi" and contact.cpr_status == "oplyst"
    assert contact.gender == "mand" and contact.age_band == "35_44"
    assert contact.home_municipality == "607" and contact.crisis_level == "alvorlig"
    assert contact.crisis_plan and contact.followup_wanted and contact.flag_influence
    assert contact.duration_min == 40 and contact.note == "Kort note"
    assert {
        ("symptom", "angst"),
        ("symptom", "selvmordstanker"),
        ("event", "tab_sorg"),
        ("action", "ny_samtale"),
        ("escalation", "vagtlaege"),
    } <= _values(contact.id)


async def test_validation_errors_keep_everything_typed(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        fill(
            screen,
            {
                "#identity": "cpr",
                "#cpr_text": "310299-1234",
                "#note": "skal ikke gå tabt",
                "#crisis_plan": True,
                "#birth_year": "19x0",
            },
        )
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        for field in ("cpr_text", "crisis_plan", "birth_year"):
            err = screen.query_one(f"#err-{field}")
            assert err.has_class("-shown"), field
        assert "dato" in str(screen.query_one("#err-cpr_text").render())
        assert screen.query_one("#note", Input).value == "skal ikke gå tabt"
        assert screen.query_one("#cpr_text", Input).value == "310299-1234"
        assert app.focused is not None and app.focused.id == "cpr_text"
    assert _contacts() == []


async def test_future_time_refused(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        screen.query_one("#started_at", Input).value = "21-11-2026 20:00"
        await press(app, pilot, "ctrl+s")
        assert screen.query_one("#err-started_at").has_class("-shown")
        assert "fremtiden" in str(screen.query_one("#err-started_at").render())
    assert _contacts() == []


async def test_tab_moves_on_to_next_page(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        screen.query_one("#housing", Choice).focus()
        await press(app, pilot, "tab")
        assert screen.page == 1
        assert app.focused is not None and app.focused.id == "crisis_level"
        await press(app, pilot, "shift+tab")
        assert screen.page == 0 and app.focused is not None and app.focused.id == "housing"


async def test_repeat_banner_for_known_nickname(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    contacts.save_contact(
        rt,
        session,
        ContactInput(identity="pseudonym", nickname="Fugl", birth_year="1980", crisis_level="let"),
    )
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f3")
        screen = app.screen
        fill(
            screen,
            {
                "#identity": "pseudonym",
                "#nickname": "fugl",
            },
        )
        screen.query_one("#nickname", Input).focus()
        await press(app, pilot, "tab")
        banner = str(screen.query_one("#intake-banner").render())
        assert "Kendt borger: 1 tidligere henvendelse " in banner
        assert "(let)" in banner


async def test_staff_cannot_open_colleagues_contact(config: Config, rt: Runtime) -> None:
    other = make_user(rt, "eva", "medarbejder")
    session = make_user(rt, "bo", "medarbejder")
    contacts.save_contact(rt, other, ContactInput(crisis_level="let"))
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f4")
        assert isinstance(app.screen, ContactsScreen)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ContactsScreen)
        assert "egne" in str(app.screen.query_one("#contacts-message").render())


async def test_coordinator_edits_and_hostile_note_shows_literally(
    config: Config, rt: Runtime
) -> None:
    staff = make_user(rt, "eva", "medarbejder")
    hostile = "[@click=app.quit] [b]fed[/b] [/] \x1b[2J slut"
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let", note="x"))
    # The service refuses an ESC in a new note (issue 11 item 7); text stored before
    # that rule is still sanitised when shown (the second line of defence).
    with connection():
        Contact.update(note=hostile).where(Contact.id == saved.id).execute()
    session = make_user(rt, "kim", "koordinator")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f4")
        await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, IntakeScreen) and screen.contact_id == saved.id
        note = screen.query_one("#note", Input)
        assert note.value == "[@click=app.quit] [b]fed[/b] [/] [2J slut"
        note.value += " rettet"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running
    [contact] = _contacts()
    assert contact.note.endswith("rettet") and contact.updated_by_id == session.user_id


async def test_small_terminal_shows_a_message_not_a_broken_layout(
    config: Config, rt: Runtime
) -> None:
    from screens.dialogs.too_small import TooSmallScreen

    session = make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(70, 20)) as pilot:
        await login(app, pilot, session)
        assert isinstance(app.screen, TooSmallScreen)
        assert "mindst 80x24" in str(app.screen.query_one("Label").render())
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


def _drafts(rt: Runtime, session: SignedInUser) -> list[ContactInput]:
    return [drafts.load_draft(rt, session, d.id)[0] for d in drafts.list_drafts(rt, session)]


async def test_lock_writes_the_pending_draft_first(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f3")
        screen = app.screen
        note = screen.query_one("#note", Input)
        note.focus()
        await pilot.press(*"ny tekst")
        await press(app, pilot, "ctrl+l")
        assert not [s for s in app.screen_stack if isinstance(s, IntakeScreen)]
    [draft] = _drafts(rt, session)
    assert draft.note == "ny tekst"


async def test_quit_writes_the_pending_quick_log_draft(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    async with running(config, rt, session) as (app, pilot):
        await press(app, pilot, "f2", "2", "c", "ctrl+q")
    [draft] = _drafts(rt, session)
    assert draft.crisis_level == "middel" and draft.symptoms == ["ensomhed"]


async def test_discard_removes_the_draft_even_though_the_form_closes(
    config: Config, rt: Runtime
) -> None:
    session = make_user(rt, "bo", "medarbejder")
    draft_id = drafts.save_draft(rt, session, ContactInput(note="kassér mig"))
    async with running(config, rt, session) as (app, pilot):
        form, _ = drafts.load_draft(rt, session, draft_id)
        app.post_message(OpenFullForm(form, draft_id))
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#note", Input).value == "kassér mig"
        await press(app, pilot, "f8", "j")
        assert isinstance(app.screen, HomeScreen)
    assert drafts.list_drafts(rt, session) == []


async def test_saving_a_resumed_draft_removes_it(config: Config, rt: Runtime) -> None:
    session = make_user(rt, "bo", "medarbejder")
    draft_id = drafts.save_draft(rt, session, ContactInput(crisis_level="let"))
    async with running(config, rt, session) as (app, pilot):
        form, _ = drafts.load_draft(rt, session, draft_id)
        app.post_message(OpenFullForm(form, draft_id))
        await settle(app, pilot)
        app.screen.query_one("#note", Input).value = "færdig"
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, HomeScreen)
    assert drafts.list_drafts(rt, session) == []
    [contact] = _contacts()
    assert contact.note == "færdig" and contact.crisis_level == "let"


async def test_quick_log_without_a_level_is_not_saved(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        await press(app, pilot, "f2", "a", "ctrl+s")
        panel = app.screen.query_one(QuickLogPanel)
        assert panel.is_open and panel.symptoms == ["angst"]
        assert "vælg kriseniveau" in str(panel.query_one("#ql-message").render())
        assert _contacts() == []
        await press(app, pilot, "2")
        assert str(panel.query_one("#ql-message").render()) == ""
        await press(app, pilot, "ctrl+s")
    [contact] = _contacts()
    assert contact.crisis_level == "middel"


async def test_no_further_action_clears_the_others_and_back(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        # B Ny samtale, C Fremmøde, then A Ingen yderligere tiltag.
        await press(app, pilot, "f2", "1", "B", "C", "A")
        panel = app.screen.query_one(QuickLogPanel)
        assert panel.actions == ["ingen_tiltag"]
        await press(app, pilot, "B")
        assert panel.actions == ["ny_samtale"]
        # The full form's action list follows the same rule.
        await press(app, pilot, "A", "f3")
        actions = app.screen.query_one("#actions", MultiChoice)
        assert actions.selected == ["ingen_tiltag"]
        actions.focus()
        await pilot.press("b")
        assert actions.selected == ["ny_samtale"]
        await pilot.press("c", "a")
        assert actions.selected == ["ingen_tiltag"]


async def test_quick_log_leaves_krisesamtale_and_municipality_unset(
    config: Config, rt: Runtime
) -> None:
    """2 a Ctrl+S still saves in three keys; nothing is assumed that was not asked."""
    async with signed_in(config, rt, opened="f2") as (app, pilot):
        more = str(app.screen.query_one("#ql-more").render())
        assert "s Krisesamtale: ikke registreret" in more and "m Kommune: ukendt" in more
        await press(app, pilot, "2", "a", "ctrl+s")
    [contact] = _contacts()
    assert contact.crisis_level == "middel"
    assert contact.conversation == "ikke_registreret"
    assert contact.home_municipality == "ukendt"


async def test_quick_log_optional_keys_for_krisesamtale_and_municipality(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt) as (app, pilot):
        await press(app, pilot, "f2", "1", "s", "m")
        panel = app.screen.query_one(QuickLogPanel)
        more = str(app.screen.query_one("#ql-more").render())
        assert "Krisesamtale: ja" in more and "Kommune: Viborg" in more
        assert panel.region.bottom <= 24  # fits at 80x24 with its extra line
        await pilot.press("s", "ctrl+s")  # ja -> nej
        await settle(app, pilot)
    [contact] = _contacts()
    assert contact.conversation == "nej"
    assert contact.home_municipality == config.site.municipality


async def test_full_form_krisesamtale_is_an_explicit_choice(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#home_municipality", Choice).value == "ukendt"
        talk = screen.query_one("#crisis_conversation", Choice)
        assert talk.value == "" and talk.current_label() == "Ikke registreret"
        await press(app, pilot, "ctrl+s")
        await press(app, pilot, "f3")
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await press(app, pilot, "pagedown", "pagedown")
        screen.query_one("#crisis_conversation", Choice).focus()
        await pilot.press("right")  # Ikke registreret -> Ja
        await settle(app, pilot)
        assert screen.query_one("#crisis_conversation", Choice).value == "ja"
        await press(app, pilot, "ctrl+s")
    first, second = _contacts()
    assert (first.conversation, first.home_municipality) == ("ikke_registreret", "ukendt")
    assert second.conversation == "ja"
