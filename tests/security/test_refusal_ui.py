"""The intake form shows a refusal of a nickname or note and keeps the text (issue 11 item 7)."""

from __future__ import annotations

from textual.widgets import Input

from akut_tui.app import AkutApp
from akut_tui.config import Config
from akut_tui.services.runtime import Runtime
from db.database import connection
from db.models import Contact
from screens.form_widgets import Choice
from screens.intake import IntakeScreen
from tests.ui.helpers import login, make_user, settle


async def test_cpr_in_nickname_and_control_char_in_note_are_shown_and_kept(
    config: Config, rt: Runtime
) -> None:
    session = make_user(rt, "bo", "medarbejder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, session)
        await pilot.press("f3")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        screen.query_one("#identity", Choice).value = "pseudonym"
        screen.query_one("#nickname", Input).value = "Bo_010160-1235"
        screen.query_one("#note", Input).value = "ringede\x07igen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        nickname_error = str(screen.query_one("#err-nickname").render())
        note_error = str(screen.query_one("#err-note").render())
        assert "ligner et CPR-nummer" in nickname_error
        assert "kontroltegn (U+0007)" in note_error
        assert screen.query_one("#nickname", Input).value == "Bo_010160-1235"
        assert screen.query_one("#note", Input).value == "ringede\x07igen"
    with connection():
        assert Contact.select().count() == 0
