"""A one-time password set by an administrator must be replaced before anything else."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.core.errors import PermissionDenied
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from screens.home import HomeScreen
from screens.password import ChangePasswordScreen
from tests.ui.helpers import PASSWORD, settle
from tests.ui.pilot_helpers import fill, press, running

NEW = "en helt ny og lang passfrase"


def _one_time_user(rt: Runtime) -> None:
    accounts.create_user(rt, "bo", PASSWORD, "medarbejder", actor=None, one_time=True)


def test_services_refuse_work_until_the_password_is_changed(rt: Runtime) -> None:
    _one_time_user(rt)
    session = auth.login(rt, "bo", PASSWORD)
    assert session.must_change_password
    with pytest.raises(PermissionDenied, match="ny adgangskode"):
        contacts.save_contact(rt, session, ContactInput(crisis_level="let"))
    auth.change_own_password(rt, session, PASSWORD, NEW)
    fresh = auth.login(rt, "bo", NEW)
    assert not fresh.must_change_password
    contacts.save_contact(rt, fresh, ContactInput(crisis_level="let"))


async def test_login_with_one_time_password_forces_a_change(config: Config, rt: Runtime) -> None:
    _one_time_user(rt)
    session = auth.login(rt, "bo", PASSWORD)
    async with running(config, rt, session) as (app, pilot):
        assert isinstance(app.screen, ChangePasswordScreen)
        await press(app, pilot, "f2", "f4", "escape")
        assert isinstance(app.screen, ChangePasswordScreen)
        screen = app.screen
        fill(
            screen,
            {
                "#old": PASSWORD,
                "#new": NEW,
                "#repeat": "noget andet helt",
            },
        )
        screen.query_one("#repeat", Input).focus()
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ChangePasswordScreen)
        assert "ikke ens" in str(screen.query_one("#pw-message").render())
        screen.query_one("#repeat", Input).value = NEW
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
    assert not auth.login(rt, "bo", NEW).must_change_password


async def test_disabled_account_loses_its_session(config: Config, rt: Runtime) -> None:
    from screens.login import LoginScreen
    from tests.ui.helpers import make_user

    session = make_user(rt, "bo", "medarbejder")
    async with running(config, rt, session) as (app, pilot):
        assert isinstance(app.screen, HomeScreen)
        accounts.set_active(rt, None, "bo", False)
        app.session_control.check_account()  # what the 5-second interval runs
        await settle(app, pilot)
        assert app.session is None
        assert isinstance(app.screen, LoginScreen)
        assert "deaktiveret" in str(app.screen.query_one("#login-message").render())


async def test_role_change_updates_the_menu(config: Config, rt: Runtime) -> None:
    from tests.ui.helpers import make_user

    session = make_user(rt, "kim", "leder")
    async with running(config, rt, session) as (app, pilot):
        assert "Brugere" in str(app.screen.query_one("#home-menu").render())
        # Another leader first: the last active leader cannot be demoted (issue 18 §1).
        accounts.create_user(rt, "bo", PASSWORD, "leder", actor=None)
        accounts.set_role(rt, None, "kim", "medarbejder")
        app.session_control.check_account()
        await settle(app, pilot)
        assert app.session is not None and app.session.role == "medarbejder"
        assert "Brugere" not in str(app.screen.query_one("#home-menu").render())
