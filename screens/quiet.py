"""Screen base classes that do not repaint the whole terminal when focus moves.

Textual's ``Screen.focused`` is a reactive that repaints the entire screen
on every focus change: one Tab cost about 2.8 KB at 80x24 here. The focused and
blurred widgets refresh themselves anyway, so the screen-wide repaint only
costs bandwidth; with it off, one Tab costs about 0.2 KB (measured with
``shared/tools/ptymeter.py``). The watcher that refreshes key bindings still runs.
"""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class QuietScreen(Screen[ResultType]):
    """A Screen whose focus changes repaint only the widgets involved."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class QuietModalScreen(ModalScreen[ResultType]):
    """A ModalScreen whose focus changes repaint only the widgets involved."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
