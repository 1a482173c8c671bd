"""Helpers for Pilot tests: start the app on a test runtime and log a user in."""

from __future__ import annotations

from textual.pilot import Pilot

from akut_tui.app import AkutApp
from akut_tui.services import accounts, auth
from akut_tui.services.dto import SessionInfo
from akut_tui.services.runtime import Runtime

PASSWORD = "korrekt hest batteri klips"


def make_user(rt: Runtime, name: str, role: str) -> SessionInfo:
    """Create ``name`` with ``role`` (as the CLI would) and log it in."""
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


async def settle(app: AkutApp, pilot: Pilot[int]) -> None:
    """Wait until every worker is done and the screen has caught up."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def login(app: AkutApp, pilot: Pilot[int], session: SessionInfo) -> None:
    """Enter the app as ``session`` (the login screen is tested elsewhere)."""
    await settle(app, pilot)
    app.sessions.start(session)
    await settle(app, pilot)
