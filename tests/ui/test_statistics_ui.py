"""Pilot tests for the statistics screen at 80x24: role gate, figures, periods, worker."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Sparkline

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from db.database import connection, write_transaction
from screens.statistics import StatisticsScreen
from screens.widgets.text import Plain, TextInput
from tests.stats_helpers import add_contact
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in


def _seed() -> None:
    with connection(), write_transaction():
        for day in range(1, 29):
            for hour, level in ((9, "middel"), (17, "let"), (2, "let")):
                add_contact(datetime(2026, 3, day, hour, 10), crisis_level=level, duration_min=20)
        for day in range(1, 11):
            add_contact(datetime(2026, 9, day, 10), channel="fremmoede", crisis_level="let")


def _text(app: AkutApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Plain).render())


async def _open(app: AkutApp, pilot: Pilot[int]) -> None:
    await press(app, pilot, "t")


async def test_leader_sees_figures_and_charts(config: Config, rt: Runtime) -> None:
    _seed()
    async with signed_in(config, rt, "leder", name="lone") as (app, pilot):
        await _open(app, pilot)
        assert isinstance(app.screen, StatisticsScreen)
        assert "Krisehenvendelser: 94" in _text(app, "#stats-summary")
        channel = _text(app, "#stats-channel")
        assert "Telefon" in channel and "84" in channel and "89%" in channel
        bars = _text(app, "#stats-by-shift")
        assert bars.splitlines()[1].startswith("Dag") and "█" in bars
        assert bars.splitlines()[3].split() == ["Nat", "0", "0", "███████", "28", "0", "0"]
        assert "▇" in _text(app, "#stats-hours") or "█" in _text(app, "#stats-hours")
        months = list(app.screen.query_one("#stats-months", Sparkline).data or [])
        # last-4-quarters: 01-10-2025 to 30-09-2026 (today is in the fourth quarter of 2026).
        assert "01-10-2025 til 30-09-2026" in _text(app, "#stats-status")
        assert len(months) == 12 and months[5] == 84.0 and months[11] == 10.0 and sum(months) == 94
        assert "gns. 20 min" in _text(app, "#stats-minutes")
        # Another period with the export's syntax; small counts are hidden.
        field = app.screen.query_one("#stats-period", TextInput)
        field.value = "2026-09"
        field.focus()
        await press(app, pilot, "enter")
        assert "01-09-2026 til 30-09-2026" in _text(app, "#stats-status")
        assert "Krisehenvendelser: 10" in _text(app, "#stats-summary")
        field.value = "2026Q9"
        await press(app, pilot, "enter")
        assert "Ukendt periode" in _text(app, "#stats-status")
        # The old figures are gone, not left under the new period's name.
        assert "Krisehenvendelser: 10" not in _text(app, "#stats-summary")
        assert _text(app, "#stats-channel") == ""
        assert app.screen.query_one("#stats-period", TextInput).value == "2026Q9"


async def test_coordinator_may_open_it_staff_may_not(config: Config, rt: Runtime) -> None:
    coordinator = make_user(rt, "kim", "koordinator")
    staff = make_user(rt, "sofie", "medarbejder")
    async with running(config, rt, coordinator) as (app, pilot):
        await _open(app, pilot)
        assert isinstance(app.screen, StatisticsScreen)
        assert "Krisehenvendelser: 0" in _text(app, "#stats-summary")
    async with running(config, rt, staff) as (app, pilot):
        await _open(app, pilot)
        assert not isinstance(app.screen, StatisticsScreen)


async def test_the_service_refuses_staff_whatever_the_screen_does(
    config: Config, rt: Runtime
) -> None:
    from akut_tui.core.errors import PermissionDenied
    from akut_tui.services.statistics import compute as stats

    staff = make_user(rt, "ib", "medarbejder")
    with pytest.raises(PermissionDenied):
        stats.view_statistics(rt, staff, "2026")


async def test_keys_work_while_the_figures_are_counted(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count runs in a worker: the field takes keys and Esc leaves before it ends."""
    import threading

    from akut_tui.services.statistics import compute as stats

    started, release = threading.Event(), threading.Event()
    real = stats.view_statistics

    def slow(*args: object) -> object:
        started.set()
        release.wait(10)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stats, "view_statistics", slow)
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        await pilot.press("t")
        await pilot.pause()
        assert started.wait(5)
        assert "Tæller" in _text(app, "#stats-status")
        field = app.screen.query_one("#stats-period", TextInput)
        field.value = ""
        await pilot.press("2", "0", "1", "5")
        assert field.value == "2015"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatisticsScreen)
        release.set()
        await settle(app, pilot)
