"""Pilot tests at 80x24: the help screen names keys as people read them."""

from __future__ import annotations

import pytest

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from screens.dialogs.help import HelpScreen
from screens.support.key_markers import key_label
from tests.ui.pilot_helpers import press, signed_in
from tests.ui.test_layout_ui import SCREEN, screen_text

RAW_NAMES = ("pagedown", "pageup", "escape", "question_mark", "ctrl+", "slash", "shift+")


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("pagedown", "PgDn"),
        ("escape", "Esc"),
        ("ctrl+s", "Ctrl+S"),
        ("f10", "F10"),
        ("question_mark", "?"),
        ("shift+tab", "Shift+Tab"),
        ("M", "M"),
        ("r", "r"),
    ],
)
def test_key_label(key: str, label: str) -> None:
    assert key_label(key) == label


def _help_text(app: AkutApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    parts = [str(screen.query_one("#help-keys").render())]
    if screen.query("#help-quick"):
        parts.append(str(screen.query_one("#help-quick").render()))
    return "\n".join(parts)


@pytest.mark.parametrize("key", [None, "f3", "f7"])
async def test_help_names_keys_as_printed(config: Config, rt: Runtime, key: str | None) -> None:
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        if key:
            await press(app, pilot, key)
        below = app.screen
        await press(app, pilot, "f1")
        text = _help_text(app)
        for raw in RAW_NAMES:
            assert raw not in text, raw
        box = app.screen.query_one("#help-box")
        assert SCREEN.contains_region(box.region)
        if key == "f3":
            # Menu letters never act in the full form (they are text there), so
            # its help names the F-key alone.
            assert "F2 " in text and "F2/r" not in text
        else:
            assert "F2/r " in text  # the letter beside its F-key
        if key == "f3":
            # "?" is text in the form's fields (Textual gives the field the key), so
            # the help names F1 alone there; the help comes from the active bindings.
            assert "F1 " in text and "F1/?" not in text
        else:
            assert "F1/? " in text
        if key == "f3":
            assert "PgDn " in text and "PgUp " in text and "Esc " in text
            assert "Ctrl+S/F10 " in text
        if key == "f7":
            assert "/ " in text and "M " in text
        # The quick-log keys wherever F2 opens the quick log (not over the full form).
        assert ("x y z" in text) is (key != "f3")
        # The whole list can be scrolled into view: the last line is reachable.
        await press(app, pilot, "end")
        last = text.splitlines()[-1].strip()
        assert last in screen_text(app)
        await press(app, pilot, "escape")
        assert app.screen is below
