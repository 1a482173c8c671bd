"""The steps every Pilot test repeats, written once: sign in at 80x24, press and settle, fill.

``signed_in`` starts the app on the test runtime, creates a user with a role and
logs it in (the login screen itself is tested in ``test_login_ui.py``), and can
open a screen by its menu key first. ``press`` presses keys and waits until the
app has caught up; ``fill`` sets form fields directly (typing only the keys under
test keeps a Pilot test fast, docs/architecture.md §5).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from rich.text import Text
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from screens.widgets.text import Plain
from tests.ui.helpers import login, make_user, settle

SIZE = (80, 24)
"""The terminal size every Pilot test runs at."""


@asynccontextmanager
async def signed_in(
    config: Config, rt: Runtime, role: str = "medarbejder", *, name: str = "bo", opened: str = ""
) -> AsyncIterator[tuple[AkutApp, Pilot[int]]]:
    """The app at 80x24 with a new user ``name`` of ``role`` logged in.

    ``opened``: a menu key (``"f3"``, ``"s"``) pressed first, so the test starts on
    that screen.
    """
    async with running(config, rt, make_user(rt, name, role)) as (app, pilot):
        if opened:
            await press(app, pilot, opened)
        yield app, pilot


@asynccontextmanager
async def running(
    config: Config, rt: Runtime, session: SignedInUser
) -> AsyncIterator[tuple[AkutApp, Pilot[int]]]:
    """The app at 80x24 with ``session`` (made by the test, e.g. with data) logged in."""
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=SIZE) as pilot:
        await login(app, pilot, session)
        yield app, pilot


async def press(app: AkutApp, pilot: Pilot[int], *keys: str) -> None:
    """Press ``keys`` one after another, then wait until workers and screen are done."""
    await pilot.press(*keys)
    await settle(app, pilot)


async def open_screen(app: AkutApp, pilot: Pilot[int], key: str) -> Screen[object]:
    """Open a screen by its menu key (F-key or letter) and return it once it has loaded."""
    await press(app, pilot, key)
    return app.screen


def fill(screen: Screen[object], values: Mapping[str, object]) -> None:
    """Set the value of each field, by selector (``"#note"``), as if it had been typed."""
    for selector, value in values.items():
        screen.query_one(selector).value = value  # type: ignore[attr-defined]


def text(app: AkutApp, selector: str) -> str:
    """The text of a ``Plain`` on the current screen."""
    return str(app.screen.query_one(selector, Plain).render())


def rows(app: AkutApp) -> list[list[str]]:
    """The cells of the current screen's table, as plain text."""
    table = app.screen.query_one(DataTable)
    return [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]
