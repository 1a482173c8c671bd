"""The quick-log panel's keys and the cycles they step through (used by the panel and help)."""

from __future__ import annotations

SYMPTOM_KEYS = "abcdefghijkl"
ACTION_KEYS = "ABCDEFGHIJK"
ESCALATION_KEYS = "56789"
NON_DATA_KEYS = {"x": "stille_opkald", "y": "fejlopkald", "z": "testopkald"}
CONVERSATION_KEY = "s"
"""Cycles krisesamtale: not registered, ja, nej (an explicit choice; no default)."""
MUNICIPALITY_KEY = "m"
"""Cycles the home municipality: unknown (a blank), the host municipality."""
REPEAT_KEY = "r"
"""Cycles "har ringet før": not registered, ja, nej, ved ikke."""
CONVERSATION_CYCLE = ("", "ja", "nej")
REPEAT_CYCLE = ("", "ja", "nej", "ved_ikke")
CONVERSATION_TEXT = {"": "ikke registreret", "ja": "ja", "nej": "nej", "ved_ikke": "ved ikke"}
NEEDS_LEVEL = (
    "Ikke gemt: vælg kriseniveau (1 let, 2 middel, 3 alvorlig, 0 ikke krise), "
    "eller x stille, y fejl, z test."
)
"""Shown when Ctrl+S is pressed before a level is chosen."""


def next_in(cycle: tuple[str, ...], value: str) -> str:
    """The value after ``value`` in ``cycle`` (round again after the last)."""
    return cycle[(cycle.index(value) + 1) % len(cycle)]
