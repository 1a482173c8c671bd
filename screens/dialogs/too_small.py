"""The notice shown instead of a broken layout while the terminal is smaller than 80x24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label

from akut_tui.tui_kit.overrides import QuietModalScreen

MIN_WIDTH, MIN_HEIGHT = 80, 24
"""The smallest terminal every screen is laid out for."""


def too_small(width: int, height: int) -> bool:
    """True when a ``width`` x ``height`` terminal cannot show Akut's screens."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(QuietModalScreen[None]):
    """Says how big the window must be; nothing behind it is lost."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self._text = (
            f"Gør vinduet mindst {MIN_WIDTH}x{MIN_HEIGHT} tegn (nu {width}x{height}). "
            "Intet er tabt."
        )

    def compose(self) -> ComposeResult:
        yield Label(self._text)
