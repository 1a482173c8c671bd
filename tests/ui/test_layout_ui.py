"""Pilot tests: everything fits 80x24 (form pages with every notice, message lines)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from textual.app import App
from textual.geometry import Region

from akut_tui.core.config import Config
from akut_tui.core.errors import ValidationError
from akut_tui.services.base.dto import RepeatInfo
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.tui.app import AkutApp
from screens.intake import PAGES, IntakeScreen
from screens.widgets.text import Plain
from tests.ui.helpers import settle
from tests.ui.pilot_helpers import fill, press, signed_in

SIZE = (80, 24)
SCREEN = Region(0, 0, *SIZE)


def screen_text(app: App[object]) -> str:
    """What the terminal shows, one string per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """Collapse every run of white space (line breaks of a wrapped text included)."""
    return re.sub(r"\s+", " ", text).strip()


def assert_shown_in_full(app: App[object], text: str) -> None:
    """``text`` is on the terminal word for word (wrapped lines allowed, nothing cut)."""
    for line in text.splitlines():
        assert flat(line) in flat(screen_text(app)), f"cut or missing: {line!r}\n{screen_text(app)}"


REPEAT = RepeatInfo(
    person_id=1,
    earlier_contacts=12,
    last_contact=datetime(2026, 11, 19, 21, 0, tzinfo=UTC),
    last_level="alvorlig",
    active_stay=True,
    open_followup=True,
    special_attention_until="31-12-2026",
)
"""The longest repeat banner there is (every part present)."""


async def _form_with_every_notice(app: AkutApp) -> IntakeScreen:
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    fill(
        screen,
        {
            "#identity": "pseudonym",
            "#nickname": "Kim",
            "#age_band": "under_18",
            "#followup_wanted": True,
            "#crisis_level": "alvorlig",
        },
    )
    screen.repeat = REPEAT
    screen._refresh_derived()
    return screen


async def test_every_page_with_every_notice_keeps_focus_in_view(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Leaving the nickname field looks the person up again: keep them "known".
    monkeypatch.setattr(persons, "lookup_repeat", lambda *args: REPEAT)
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = await _form_with_every_notice(app)
        # Field errors add lines under their fields too.
        screen._show_errors(
            [
                ValidationError("Vælg en værdi fra listen.", name)
                for name in ("crisis_level", "symptoms", "stabilisation", "note", "channel")
            ]
        )
        await settle(app, pilot)
        banner = str(screen.query_one("#intake-banner", Plain).render())
        assert banner.count("\n") == 3  # repeat, under 18, ask for CPR, alvorlig
        for page in range(len(PAGES)):
            screen.action_page(page - screen.page)
            await settle(app, pilot)
            assert screen.page == page
            view = screen.query_one(f"#page-{page}")
            fields = screen._page_fields()
            for index, field in enumerate(fields):
                if index:
                    await pilot.press("tab")  # waits until the scroll has followed
                assert app.focused is field, (page, index)
                region = field.region
                assert SCREEN.contains_region(region), (page, field.id, region)
                assert view.region.contains_region(region), (page, field.id, region)
                assert_shown_in_full(app, banner)
                assert_shown_in_full(app, str(screen.query_one("#intake-message").render()))
                if field.id == "crisis_level":
                    # The level's definition shows in full beside the level field.
                    assert_shown_in_full(app, str(screen.query_one("#level-help").render()))


async def test_page_2_overflow_as_reported(config: Config, rt: Runtime) -> None:
    """Under 18 and Alvorlig: the last field of page 2 and the whole checklist show."""
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        fill(
            screen,
            {
                "#age_band": "under_18",
                "#crisis_level": "alvorlig",
            },
        )
        await press(app, pilot, "pagedown")
        screen.query_one("#stabilisation").focus()
        await settle(app, pilot)
        view = screen.query_one("#page-1")
        assert view.region.contains_region(screen.query_one("#stabilisation").region)
        assert "politi, indlæggelse." in flat(screen_text(app))


async def test_pgdn_switches_pages_from_inside_a_scrolling_page(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        # With these notices page 2 is taller than its space, so it can scroll.
        fill(
            screen,
            {
                "#age_band": "under_18",
                "#crisis_level": "alvorlig",
            },
        )
        await press(app, pilot, "pagedown", "pagedown")
        assert screen.page == 2
        await press(app, pilot, "pageup")
        assert screen.page == 1
