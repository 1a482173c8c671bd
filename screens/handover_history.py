"""Handover history for coordinators and leaders: the handovers still inside retention.

``/`` focuses the search field (it searches the notes' text), Enter on a row
opens that shift's handover read-only. Every search is audited by the service.
A list screen (:class:`~screens.blocks.list_screen.ListScreen`): a reload
redraws only the rows that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from akut_tui.core.clock import format_date
from akut_tui.core.plural import count
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import handover
from akut_tui.services.night.dto import HandoverSummary
from akut_tui.services.night.handover import STATES, ShiftRef
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.widgets.text import TextInput


class HandoverHistoryScreen(ListScreen[HandoverSummary]):
    """Handovers newest first with state, items, who signed and when they are deleted."""

    SPEC = ListSpec(
        "history",
        None,
        "Overleveringer (slettes efter opbevaringsfristen)",
        (("Vagt", 17), ("Tilstand", 9), ("Punkter", 7), ("Kvitteret af", 24), ("Slettes", 10)),
        keys="/ søg · Enter åbn · Esc tilbage",
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Tilbage", id="history.back"),
        Binding("slash", "focus_search", "Søgefelt", id="history.search"),
    ]

    def __init__(self, open_shift: Callable[[ShiftRef], Screen[None]]) -> None:
        """``open_shift`` builds the handover screen of a shift (given by the handover
        screen that opens this one, so neither screen module imports the other)."""
        super().__init__()
        self._query = ""
        self._open_shift = open_shift

    def compose_above_table(self) -> ComposeResult:
        yield TextInput(placeholder="Søg i teksten, Enter søger", id="history-search")

    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[HandoverSummary]]:
        text = self._query
        return lambda: handover.history(rt, session, text)

    def key_of(self, row: HandoverSummary) -> str:
        """One handover per shift: the shift and its date."""
        return f"{row.shift}:{row.shift_date.isoformat()}"

    def cells(self, row: HandoverSummary) -> Cells:
        return (
            Text(row.label),
            Text(STATES.get(row.state or "", "–")),
            Text(str(row.items)),
            Text(", ".join(row.acked_by) or "ingen"),
            Text(format_date(row.expires_on)),
        )

    def loaded_message(self, rows: Sequence[HandoverSummary]) -> str | None:
        return f"{count(len(rows), 'overlevering')}."

    def action_focus_search(self) -> None:
        """Move to the search field."""
        self.query_one("#history-search", TextInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)
        self.table.focus()

    def search(self, text: str) -> None:
        """Load the history (filtered by ``text``) in a worker."""
        self._query = text
        self.reload()

    def row_chosen(self, row: HandoverSummary) -> None:
        """Enter: open that shift's handover (read-only once the shift is over)."""
        self.app.push_screen(self._open_shift(ShiftRef(row.shift, row.shift_date)))
