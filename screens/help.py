"""The ``?`` overlay: every key binding of the current screen and the app."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from screens.quiet import QuietModalScreen
from screens.widgets import Plain


class HelpScreen(QuietModalScreen[None]):
    """Lists (key, description) pairs given by the app; Escape or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help-box { width: 70; height: auto; max-height: 22; padding: 1 2;
                           background: $panel; }
    HelpScreen #help-title { text-style: bold; }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Luk", id="help.close"),
        Binding("question_mark", "dismiss", "Luk", show=False),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self._keys), default=4) + 2
        lines = "\n".join(f"{key.ljust(width)}{text}" for key, text in self._keys)
        with Vertical(id="help-box"):
            yield Label("Taster", id="help-title")
            yield Plain(lines)
            yield Label("Esc lukker.")
