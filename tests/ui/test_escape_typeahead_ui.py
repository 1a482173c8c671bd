"""Pilot tests at 80x24 for issue 14 §7: Esc in a burst, and the statistics screen's keys.

Esc and a letter in one terminal read reach the app as one ``alt+<letter>`` key
(Textual's parser reads ``\\x1bu`` that way); the type-ahead gate must route an
Esc and then the letter, to where the Esc led. ``tests/e2e/test_night_pair.py``
sends the same bytes through a real terminal.
"""

from __future__ import annotations

from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from screens.bed_board import BedBoardScreen
from screens.dialogs.help import HelpScreen
from screens.dialogs.night import NightDialog
from screens.handover import HandoverScreen
from screens.outreach import OutreachScreen
from screens.statistics import StatisticsScreen
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in

SIZE = (80, 24)


def read(app: AkutApp, *keys: tuple[str, str | None]) -> None:
    """Post keys as one terminal read delivers them (all before any is handled)."""
    for key, char in keys:
        app.post_message(events.Key(key, char))


async def test_escape_and_a_letter_in_one_read_reach_where_esc_led(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, name="mette", opened="s") as (app, pilot):
        assert isinstance(app.screen, BedBoardScreen)
        read(app, ("alt+u", "u"))  # "\x1bu": Esc, then u
        await settle(app, pilot)
        assert isinstance(app.screen, OutreachScreen)


async def test_escape_h_p_from_outreach_opens_the_plan_dialog(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt, name="mette", opened="u") as (app, pilot):
        assert isinstance(app.screen, OutreachScreen)
        read(app, ("alt+h", "h"), ("p", "p"))
        await settle(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, NightDialog)
        assert isinstance(app.screen_stack[-2], HandoverScreen)
        assert app.screen.drafts.dialog.startswith("handover.hvis_saa:")


async def test_keys_after_esc_on_a_dialog_go_to_the_screen_below(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, name="mette", opened="s") as (app, pilot):
        await press(app, pilot, "t")
        assert isinstance(app.screen, NightDialog)
        read(app, ("escape", "\x1b"), ("u", "u"))
        await settle(app, pilot)
        assert isinstance(app.screen, OutreachScreen)
        assert app.key_gate.dropped == 0


async def _statistics(app: AkutApp, pilot: object, rt: Runtime) -> StatisticsScreen:
    await login(app, pilot, make_user(rt, "lis", "leder"))  # type: ignore[arg-type]
    await pilot.press("f8")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, StatisticsScreen)
    return screen


async def test_statistics_letters_never_leave_the_screen(config: Config, rt: Runtime) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _statistics(app, pilot, rt)
        field = screen.query_one("#stats-period", Input)
        field.value = ""
        await press(app, pilot, *"2026", "enter", "b")
        assert app.screen is screen and field.value == "2026b"
        await pilot.press("tab")  # the figures
        await settle(app, pilot)
        await press(app, pilot, "b", "u", "s")
        assert app.screen is screen  # not Brugere, Udkørsel or Senge
        await pilot.press("f9")  # the F-key still opens Brugere
        await settle(app, pilot)
        assert app.screen is not screen


async def test_statistics_pgdn_scrolls_from_the_period_field(config: Config, rt: Runtime) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _statistics(app, pilot, rt)
        body = screen.query_one("#stats-body", VerticalScroll)
        assert app.focused is screen.query_one("#stats-period", Input)
        assert body.max_scroll_y > 0
        await press(app, pilot, "pagedown")
        assert body.scroll_y > 0
        await press(app, pilot, "pageup")
        assert body.scroll_y == 0


async def test_statistics_help_names_scrolling_and_esc(config: Config, rt: Runtime) -> None:
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await _statistics(app, pilot, rt)
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen._keys)
        assert keys.get("PgDn") == "Rul tallene ned"
        assert keys.get("PgUp") == "Rul tallene op"
        assert keys.get("Esc") == "Tilbage til forsiden"


async def test_keys_typed_ahead_of_a_dialog_answered_otherwise_are_dropped(
    config: Config, rt: Runtime
) -> None:
    from akut_tui.services.night import stays
    from screens.dialogs.confirm import ConfirmDialog
    from tests.night_helpers import bed_ids, form

    who = make_user(rt, "mette", "medarbejder")
    stays.check_in(rt, who, form(bed_ids()[0], reserve=True, night=rt.today()))
    async with running(config, rt, who) as (app, pilot):
        await press(app, pilot, "s")
        await press(app, pilot, "c")  # cancel the reservation? (j/n)
        assert isinstance(app.screen, ConfirmDialog)
        read(app, ("n", "n"), ("u", "u"))  # "u" was typed for the question
        await settle(app, pilot)
        assert isinstance(app.screen, BedBoardScreen)
        assert app.key_gate.dropped == 1
