"""Helpers for Pilot tests: start the app on a test runtime and log a user in."""

from __future__ import annotations

from textual.pilot import Pilot

from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp

PASSWORD = "korrekt hest batteri klips"


def make_user(rt: Runtime, name: str, role: str) -> SignedInUser:
    """Create ``name`` with ``role`` (as the CLI would) and log it in."""
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


async def settle(app: AkutApp, pilot: Pilot[int]) -> None:
    """Wait until every worker is done and the screen has caught up."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def login(app: AkutApp, pilot: Pilot[int], session: SignedInUser) -> None:
    """Enter the app as ``session`` (the login screen is tested elsewhere)."""
    await settle(app, pilot)
    app.session_control.start(session)
    await settle(app, pilot)
