"""The intake form shows a refusal of a nickname or note and keeps the text (issue 11 item 7)."""

from __future__ import annotations

from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import Contact
from screens.intake import IntakeScreen
from tests.ui.pilot_helpers import fill, press, signed_in


async def test_cpr_in_nickname_and_control_char_in_note_are_shown_and_kept(
    config: Config, rt: Runtime
) -> None:
    async with signed_in(config, rt, opened="f3") as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        fill(
            screen,
            {
                "#identity": "pseudonym",
                "#nickname": "Bo_010160-1235",
                "#note": "ringede\x07igen",
            },
        )
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        nickname_error = str(screen.query_one("#err-nickname").render())
        note_error = str(screen.query_one("#err-note").render())
        assert "ligner et CPR-nummer" in nickname_error
        assert "kontroltegn (U+0007)" in note_error
        assert screen.query_one("#nickname", Input).value == "Bo_010160-1235"
        assert screen.query_one("#note", Input).value == "ringede\x07igen"
    with connection():
        assert Contact.select().count() == 0
