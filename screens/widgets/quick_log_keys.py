"""The quick-log panel's keys, the cycles they step through and its "Øvrigt" line.

``1 2 3 0`` crisis level, ``a``-``l`` symptoms, ``A``-``K`` actions (``A``, Ingen
yderligere tiltag, stands alone), ``5``-``9`` escalation (shown for Alvorlig), ``s``
krisesamtale (ja, nej, not registered), ``m`` home municipality (the host
municipality or unknown), ``r`` "har ringet før" (ja, nej, ved ikke, not registered),
``t`` a referral target (steps through the directory), ``p`` the progression goal's
kind and ``u`` "uden akuttilbuddet ville borgeren have ..." (each steps through its
list; issue 19 §3), ``v`` duration, ``x y z`` silent call / wrong number / test call
(saved at once).
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from akut_tui.services.contacts.form import ContactInput
from screens.widgets.quick_referrals import CONSENT_KEY, NEW_KEY, TARGET_KEY

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
REFERRAL_KEY = TARGET_KEY
"""Steps the current referral's target through the directory (none first)."""
GOAL_KEY = "p"
"""Steps through the progression goal's kinds (none first); a kind sets the goal."""
AVOIDED_KEY = "u"
"""Steps through "uden akuttilbuddet ville borgeren have ..." (none first): one answer."""
STEPPED = {GOAL_KEY: "goal_kind", AVOIDED_KEY: "avoided"}
"""Keys that step through a value list (none first), and the list."""
MORE_WIDTH = 78
"""Columns of the panel's "Øvrigt" lines (80 less the panel's padding)."""
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


def more_line(
    conversation: str,
    municipality: str,
    repeat: str,
    stepped: dict[str, str],
    referrals: list[str] | None = None,
) -> Text:
    """The "Øvrigt" lines: krisesamtale, municipality (a label, blank: unknown), "har ringet
    før", the referrals (each its own item, with its consent) and the stepped lists'
    labels (goal, "uden akuttilbud"; blank: none), each after its key. An item never
    breaks across lines: the lines fit MORE_WIDTH."""
    chosen = referrals or []
    items: list[tuple[str, str, str | None, bool]] = [
        (CONVERSATION_KEY, "Krisesamtale", CONVERSATION_TEXT[conversation], bool(conversation)),
        (MUNICIPALITY_KEY, "Kommune", municipality or "ukendt", False),
        (REPEAT_KEY, "Ringet før", CONVERSATION_TEXT[repeat], bool(repeat)),
        (REFERRAL_KEY, "Henvist", chosen[0] if chosen else "ingen", bool(chosen)),
        *(("+", "", text, True) for text in chosen[1:]),
        *([(CONSENT_KEY, "samtykke", None, False), (NEW_KEY, "ny", None, False)] * bool(chosen)),
        *(
            (key, name, stepped.get(key) or empty, bool(stepped.get(key)))
            for key, name, empty in (
                (GOAL_KEY, "Mål", "intet"),
                (AVOIDED_KEY, "Uden akuttilbud", "ikke vurderet"),
            )
        ),
    ]
    indent = "Øvrigt  "
    text = Text(indent, style="bold")
    used = len(indent)
    for index, (key, name, value, bold) in enumerate(items):
        head = f"{key} {name}: " if name and value is not None else f"{key} {name}"
        width = len(head.rstrip() if value is None else head + value)
        if index and used + 3 + width > MORE_WIDTH:
            text.append("\n" + " " * len(indent))
            used = len(indent)
        elif index:
            text.append("   ")
            used += 3
        text.append(head.rstrip() if value is None else head)
        text.append(value or "", style="bold" if bold else "")
        used += width
    return text


def with_stepped(form: ContactInput, stepped: dict[str, str]) -> ContactInput:
    """``form`` with the stepped keys' answers: the goal's kind and one "uden
    akuttilbud" answer (an unchosen one stays empty)."""
    avoided = stepped.get(AVOIDED_KEY, "")
    return replace(
        form,
        goal_kind=stepped.get(GOAL_KEY, ""),
        avoided=[avoided] if avoided else [],
    )
