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
GOAL_KEY = "p"
"""Steps through the progression goal's kinds (none first); a kind sets the goal."""
AVOIDED_KEY = "u"
"""Steps through "uden akuttilbuddet ville borgeren have ..." (none first): one answer."""
STEPPED = {REFERRAL_KEY: "referral_target", GOAL_KEY: "goal_kind", AVOIDED_KEY: "avoided"}
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
) -> Text:
    """The "Øvrigt" lines: krisesamtale, municipality (a label, blank: unknown), "har ringet
    før" and the stepped lists' labels (referral, goal, "uden akuttilbud"; blank: none),
    each after its key. An item never breaks across lines: the lines fit MORE_WIDTH."""
    items = (
        (CONVERSATION_KEY, "Krisesamtale", CONVERSATION_TEXT[conversation], bool(conversation)),
        (MUNICIPALITY_KEY, "Kommune", municipality or "ukendt", False),
        (REPEAT_KEY, "Ringet før", CONVERSATION_TEXT[repeat], bool(repeat)),
        *(
            (key, name, stepped.get(key) or empty, bool(stepped.get(key)))
            for key, name, empty in (
                (REFERRAL_KEY, "Henvist", "ingen"),
                (GOAL_KEY, "Mål", "intet"),
                (AVOIDED_KEY, "Uden akuttilbud", "ikke vurderet"),
            )
        ),
    )
    indent = "Øvrigt  "
    text = Text(indent, style="bold")
    used = len(indent)
    for index, (key, name, value, bold) in enumerate(items):
        width = len(f"{key} {name}: {value}")
        if index and used + 3 + width > MORE_WIDTH:
            text.append("\n" + " " * len(indent))
            used = len(indent)
        elif index:
            text.append("   ")
            used += 3
        text.append(f"{key} {name}: ")
        text.append(value, style="bold" if bold else "")
        used += width
    return text


def with_stepped(form: ContactInput, stepped: dict[str, str]) -> ContactInput:
    """``form`` with the stepped keys' answers: one referral target, the goal's kind and
    one "uden akuttilbud" answer (an unchosen one stays empty)."""
    target, avoided = stepped.get(REFERRAL_KEY, ""), stepped.get(AVOIDED_KEY, "")
    return replace(
        form,
        referrals=[target] if target else [],
        goal_kind=stepped.get(GOAL_KEY, ""),
        avoided=[avoided] if avoided else [],
    )
