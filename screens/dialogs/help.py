"""The ``?``/F1 overlay: every key of the current screen and the app, named as people read them.

The app builds the list from the screen's active bindings and the menu table
(:func:`akut_tui.tui.menu.help_lines`): keys as printed on a keyboard ("PgDn",
"Esc", "Ctrl+S"), a letter beside its F-key ("F2/r"), keys for the same action
on one line ("Ctrl+S/F10"); the quick-log keys come from the panel's own key
tables where F2 opens the quick log.
The list scrolls (↑↓, PgUp/PgDn) when it is longer than the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label

from akut_tui.tui_kit.overrides import QuietModalScreen
from screens.support.triage import LEVEL_HOTKEYS
from screens.widgets.quick_log_keys import (
    ACTION_KEYS,
    AVOIDED_KEY,
    CONVERSATION_KEY,
    ESCALATION_KEYS,
    GOAL_KEY,
    MUNICIPALITY_KEY,
    REFERRAL_KEY,
    REPEAT_KEY,
    SYMPTOM_KEYS,
)
from screens.widgets.quick_referrals import CONSENT_KEY, NEW_KEY
from screens.widgets.text import Plain

QuickKeys = list[tuple[str, str]]


def quick_log_keys() -> QuickKeys:
    """The quick-log panel's keys (F2), from the panel's own key tables."""

    def span(keys: str) -> str:
        return f"{keys[0]}-{keys[-1]}"

    return [
        (" ".join(LEVEL_HOTKEYS), "Kriseniveau: let, middelsvær, alvorlig, ikke krise"),
        (span(SYMPTOM_KEYS), "Symptomer"),
        (span(ACTION_KEYS), "Tiltag (A Ingen yderligere tiltag står alene)"),
        (span(ESCALATION_KEYS), "Eskalering (ved Alvorlig)"),
        (CONVERSATION_KEY, "Krisesamtale: ja, nej, ikke registreret (valgfri)"),
        (MUNICIPALITY_KEY, "Bopælskommune: værtskommunen eller ukendt (valgfri)"),
        (REPEAT_KEY, "Har ringet før: ja, nej, ved ikke, ikke registreret (valgfri)"),
        (REFERRAL_KEY, "Henvist til: næste sted i henvisningslisten (valgfri)"),
        (CONSENT_KEY, "Samtykke til at kontakte stedet: ja, nej, ikke spurgt (valgfri)"),
        (NEW_KEY, "Ny henvisning (op til 3; t vælger stedet)"),
        (GOAL_KEY, "Progressionsmål: næste art i listen (valgfri)"),
        (AVOIDED_KEY, "Uden akuttilbuddet ville borgeren have …: næste svar (valgfri)"),
        ("v", "Varighed i minutter"),
        ("x y z", "Stille opkald, fejlopkald, testopkald (gemmes straks)"),
        ("Ctrl+S/F10", "Gem (kræver et kriseniveau)"),
        ("F3 · Esc", "Fortsæt i fuld registrering · luk (kladden gemmes)"),
    ]


def _table(keys: list[tuple[str, str]], width: int) -> str:
    return "\n".join(f"{key.ljust(width)}{text}" for key, text in keys)


class HelpScreen(QuietModalScreen[None]):
    """Lists (key, description) pairs given by the app; Escape or ? closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Luk", id="help.close"),
        Binding("question_mark", "dismiss", "Luk", show=False),
    ]

    def __init__(self, keys: list[tuple[str, str]], quick: QuickKeys | None = None) -> None:
        super().__init__()
        self._keys = keys
        self._quick = quick or []

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self._keys + self._quick), default=4) + 2
        with Vertical(id="help-box"):
            yield Label("Taster", id="help-title")
            with VerticalScroll(id="help-list"):
                yield Plain(_table(self._keys, width), id="help-keys")
                if self._quick:
                    yield Plain("Hurtig registrering (F2)", classes="help-head")
                    yield Plain(_table(self._quick, width), id="help-quick")
            yield Plain("↑↓ PgUp/PgDn ruller · Esc lukker", id="help-close")

    def on_mount(self) -> None:
        self.query_one("#help-list", VerticalScroll).focus()
