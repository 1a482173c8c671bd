"""Small widgets shared by the screens, tuned for slow links.

* :class:`TextInput`: a one-row input with no border and no cursor blink, so a
  key press repaints one line, and idle output is zero.
* :class:`Plain`: a Static that never parses markup and strips control
  characters, for anything that may hold user text.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Input, Static

from akut_tui.core.sanitize import clean_text
from screens.support.key_markers import EnterAdvances


class TextInput(EnterAdvances, Input):
    """One-row input without border or cursor blink; ``enter_advances`` per field."""

    DEFAULT_CSS = """
    TextInput {
        border: none;
        height: 1;
        padding: 0 1;
        background: ansi_bright_black;
        color: ansi_bright_white;
    }
    TextInput:focus {
        border: none;
        background: ansi_blue;
        color: ansi_bright_white;
    }
    TextInput.-invalid {
        border: none;
        background: ansi_red;
    }
    TextInput > .input--cursor { text-style: reverse; }
    """

    def __init__(self, *args: Any, enter_advances: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        self.enter_advances = enter_advances
        """Enter moves to the next field instead of submitting."""
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.cursor_blink = False


class Plain(Static):
    """A Static for user text: never markup, never control characters."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(Text(clean_text(text, multiline=True)), **kwargs)

    def set_text(self, text: str, style: str = "") -> None:
        """Replace the content with ``text`` (sanitised, never markup)."""
        self.update(Text(clean_text(text, multiline=True), style=style))


class MessageLine(Plain):
    """A status or error line under a form or table.

    It wraps onto as many lines as the message needs (never ``height: 1``), so a
    sentence is never cut at the screen edge; the table or page above it gives
    up the lines.
    """

    DEFAULT_CSS = """
    MessageLine { height: auto; width: 1fr; }
    """
