"""The quick-log panel's keys, the cycles they step through and its "Øvrigt" line.

``1 2 3 0`` crisis level, ``a``-``l`` symptoms, ``A``-``K`` actions (``A``, Ingen
yderligere tiltag, stands alone), ``5``-``9`` escalation (shown for Alvorlig), ``s``
krisesamtale (ja, nej, not registered), ``m`` home municipality (the host
municipality or unknown), ``r`` "har ringet før" (ja, nej, ved ikke, not registered),
``t`` a referral target (steps through the directory), ``v`` duration, ``x y z``
silent call / wrong number / test call (saved at once).
"""

from __future__ import annotations

from rich.text import Text

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
REFERRAL_KEY = "t"
"""Steps through the referral directory (none first): one target from the quick log."""
CYCLES = {
    CONVERSATION_KEY: ("conversation", CONVERSATION_CYCLE),
    REPEAT_KEY: ("repeat", REPEAT_CYCLE),
}
"""Keys that step an answer of the panel (its attribute) through a fixed cycle."""
NEEDS_LEVEL = (
    "Ikke gemt: vælg kriseniveau (1 let, 2 middel, 3 alvorlig, 0 ikke krise), "
    "eller x stille, y fejl, z test."
)
"""Shown when Ctrl+S is pressed before a level is chosen."""


def next_in(cycle: tuple[str, ...], value: str) -> str:
    """The value after ``value`` in ``cycle`` (round again after the last)."""
    return cycle[(cycle.index(value) + 1) % len(cycle)]


def more_line(conversation: str, municipality: str, repeat: str, referral: str) -> Text:
    """The "Øvrigt" line: krisesamtale, municipality (a label, blank: unknown), "har ringet
    før" and the referral target (a label, blank: none), each after its key."""
    text = Text("Øvrigt  ", style="bold")
    for key, name, value, empty in (
        (CONVERSATION_KEY, "Krisesamtale", CONVERSATION_TEXT[conversation], conversation == ""),
        (MUNICIPALITY_KEY, "Kommune", municipality or "ukendt", True),
        (REPEAT_KEY, "Ringet før", CONVERSATION_TEXT[repeat], repeat == ""),
        (REFERRAL_KEY, "Henvist", referral or "ingen", referral == ""),
    ):
        text.append(f"{key} {name}: " if key == CONVERSATION_KEY else f"   {key} {name}: ")
        text.append(value, style="" if empty else "bold")
    return text
