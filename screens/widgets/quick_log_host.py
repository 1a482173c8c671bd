"""Where the quick log opens: the host-screen mixin and the one-line confirmation.

A screen that mixes in :class:`QuickLogHost` composes the hidden panel and its
confirmation line; F2 (the app) calls :meth:`QuickLogHost.open_quick_log`, and
the panel's :class:`~screens.widgets.quick_log.QuickLogPanel.Saved` message is
handled here: the panel hides and the confirmation shows. The app never looks
inside the screen for either.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.widget import Widget

from akut_tui.services.base.dto import SavedContact
from akut_tui.services.base.value_lists import label_for as label
from screens.support.host import host
from screens.support.triage import LEVEL_TEXT
from screens.widgets.quick_log import QuickLogPanel
from screens.widgets.text import Plain


def confirmation_text(saved: SavedContact) -> str:
    """The one-line confirmation shown after a quick log."""

    kind = label("contact_type", saved.contact_type) if saved.contact_type != "krise" else ""
    level = LEVEL_TEXT.get(saved.crisis_level or "", "")
    parts = [f"Gemt: nr. {saved.id}", kind or f"Telefon · {level.capitalize()}"]
    if saved.duration_min is not None:
        parts.append(f"{saved.duration_min} min")
    if saved.cpr_reasons:
        parts.append("spørg om CPR næste gang")
    return " · ".join(parts) + " · F2 ny"


class QuickLogDone(Plain):
    """The one-line confirmation after a quick log (mounted hidden, like the panel)."""

    DEFAULT_CSS = """
    QuickLogDone {
        layer: overlay;
        dock: bottom;
        height: 1;
        background: ansi_green;
        color: ansi_black;
        padding: 0 1;
    }
    QuickLogDone.-closed { visibility: hidden; }
    """

    def __init__(self) -> None:
        super().__init__("", id="quick-done", classes="-closed")

    def show(self, text: str) -> None:
        """Show ``text`` until the next quick log or screen change."""
        self.set_text(text)
        self.remove_class("-closed")

    def hide(self) -> None:
        """Hide the line."""
        self.add_class("-closed")


class QuickLogHost:
    """Mixin for screens from which F2 opens the quick log.

    The panel and its confirmation line are composed hidden with the screen;
    showing them later repaints only their lines. Textual calls handlers of
    every class in the screen's MRO, so ``on_screen_suspend`` here runs besides
    the screen's own.
    """

    def open_quick_log(self, started_at: datetime) -> None:
        """F2: show the panel for a call starting at ``started_at`` (or focus an open one)."""
        assert isinstance(self, Widget)
        for done in self.query(QuickLogDone):
            done.hide()
        panel = self.query_one(QuickLogPanel)
        if panel.is_open:
            self.screen.set_focus(panel)
        else:
            panel.open(started_at)

    def on_quick_log_panel_saved(self, message: QuickLogPanel.Saved) -> None:
        """The call is saved: hide the panel, show the confirmation line."""
        assert isinstance(self, Widget)
        message.stop()
        message.panel.hide()
        for done in self.query(QuickLogDone):
            done.show(confirmation_text(message.saved))

    def compose_quick_log(self) -> ComposeResult:
        """Yield the hidden panel and confirmation line; call at the end of ``compose``.

        Composed with the screen rather than mounted later: a later mount makes
        the screen lay out and repaint everything once more.
        """
        assert isinstance(self, Widget)
        yield QuickLogDone()
        yield QuickLogPanel(host(self).value_lists)

    def on_screen_suspend(self) -> None:
        """Leaving the screen: the confirmation line has been seen."""
        if isinstance(self, Widget):
            for done in self.query(QuickLogDone):
                done.hide()
