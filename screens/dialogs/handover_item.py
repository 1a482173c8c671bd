"""One handover item in full (Enter on the handover): the whole text, wrapped at 80x24.

The table cuts a long plan to its column; this overlay shows every word, with
who wrote it, the owner and time of an action and its status. It is read-only:
Esc or Enter closes it; ↑↓ PgUp/PgDn scroll a text longer than the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll

from akut_tui.tui_kit.overrides import QuietModalScreen
from screens.widgets.text import Plain


class HandoverItemScreen(QuietModalScreen[None]):
    """Shows a heading, a few facts and the item's whole text."""

    BINDINGS = [
        Binding("escape", "close", "Luk", id="handover_item.close"),
        Binding("enter", "close", "Luk", show=False),
    ]

    def __init__(self, title: str, facts: str, text: str) -> None:
        super().__init__()
        self._title = title
        self._facts = facts
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="item-box"):
            yield Plain(self._title, id="item-title")
            yield Plain(self._facts, id="item-facts")
            with VerticalScroll(id="item-scroll"):
                yield Plain(self._text, id="item-text")
            yield Plain("Esc/Enter lukker · ↑↓ ruller", id="item-keys")

    def on_mount(self) -> None:
        self.query_one("#item-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the overlay."""
        self.dismiss(None)
