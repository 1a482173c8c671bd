"""Keys: typed markers the app checks to route them, and their names as people read them."""

from __future__ import annotations


class EnterAdvances:
    """A form field where Enter moves on to the next field instead of submitting.

    The app's priority Enter binding checks ``isinstance(focused, EnterAdvances)``
    and this flag (a login box's last field submits: its flag is off).
    """

    enter_advances: bool = True
    """Enter moves to the next field."""


class CapturesLetters:
    """A screen or widget where letters are input (form keys), never menu shortcuts.

    While the focus is inside one, the app's letter alternatives (``r``, ``i``,
    ``l``...) are off; the F-keys still work.
    """


KEY_NAMES: dict[str, str] = {
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Mellemrum",
    "backspace": "Backspace",
    "delete": "Del",
    "insert": "Ins",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "question_mark": "?",
    "slash": "/",
    "ctrl": "Ctrl",
    "shift": "Shift",
    "alt": "Alt",
}
"""Textual's key names and how a keyboard prints them."""


def key_label(key: str) -> str:
    """Name ``key`` (a Textual key such as ``ctrl+s`` or ``pagedown``) as people read it."""
    parts: list[str] = []
    for part in key.split("+"):
        if part in KEY_NAMES:
            parts.append(KEY_NAMES[part])
        elif part[:1] == "f" and part[1:].isdigit():
            parts.append(part.upper())
        elif len(part) == 1 and parts:
            parts.append(part.upper())  # Ctrl+S, Shift+M
        else:
            parts.append(part)
    return "+".join(parts)
