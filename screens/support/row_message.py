"""A message about one row that goes when the cursor leaves the row or the row changes.

"Seng 1 er ikke ledig i nat." must not stay while the cursor is on Seng 2,
and "Resi er reserveret i Seng 1." must not stay after the reservation
lapsed. The owner calls :meth:`RowMessage.about` when it shows a message and
:meth:`RowMessage.stale` after each reload and cursor move.
"""

from __future__ import annotations

from collections.abc import Hashable


class RowMessage:
    """Which row the current message is about, and that row's state when it was shown."""

    def __init__(self) -> None:
        self._row: Hashable | None = None
        self._state: Hashable | None = None
        self._pending = False

    def about(self, row: Hashable | None, state: Hashable, *, after_reload: bool = False) -> None:
        """The message now shown is about ``row`` in ``state`` (``None``: about no row).

        ``after_reload``: the action's own change is still to come; the row's
        state at the next :meth:`stale` is taken as the message's.
        """
        self._row = row
        self._state = state
        self._pending = after_reload

    def stale(self, selected: Hashable | None, state: Hashable) -> bool:
        """True (and forget the row) when ``selected`` is another row or the state moved.

        ``state`` is the current state of the row the message is about.
        """
        if self._row is None:
            return False
        if self._pending:
            self._pending = False
            self._state = state
        if selected != self._row or state != self._state:
            self._row = None
            return True
        return False

    @property
    def row(self) -> Hashable | None:
        """The row the message is about, if any."""
        return self._row
