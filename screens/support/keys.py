"""Typed markers the app checks to route keys (instead of looking attributes up by name)."""

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
