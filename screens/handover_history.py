"""Handover history for coordinators and leaders: the handovers still inside retention.

``/`` focuses the search field (it searches the notes' text), Enter on a row
opens that shift's handover read-only. Every search is audited by the service.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from akut_tui.clock import format_date
from akut_tui.overrides import QuietScreen
from akut_tui.services import handover
from akut_tui.services.handover import STATES, ShiftRef
from akut_tui.services.night_dto import HandoverSummary
from screens.support.host import host
from screens.support.workers import run_service
from screens.widgets.text import Plain, TextInput


class HandoverHistoryScreen(QuietScreen[None]):
    """Handovers newest first with state, items, who signed and when they are deleted."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Tilbage", id="history.back"),
        Binding("slash", "focus_search", "Søgefelt", id="history.search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[HandoverSummary] = []

    def compose(self) -> ComposeResult:
        yield Plain("Overleveringer (slettes efter opbevaringsfristen)", id="history-title")
        yield TextInput(placeholder="Søg i teksten, Enter søger", id="history-search")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=False)
        yield Plain("", id="history-message")
        yield Plain("/ søg · Enter åbn · Esc tilbage", id="history-help")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("Vagt", 17),
            ("Tilstand", 9),
            ("Punkter", 7),
            ("Kvitteret af", 24),
            ("Slettes", 10),
        ):
            table.add_column(label, width=width)
        self.search("")

    def action_focus_search(self) -> None:
        """Move to the search field."""
        self.query_one("#history-search", TextInput).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)
        self.query_one(DataTable).focus()

    def search(self, text: str) -> None:
        """Load the history (filtered by ``text``) in a worker."""
        app = host(self)
        rt, session = app.runtime, app.session
        if session is None:
            return
        run_service(
            self,
            lambda: handover.history(rt, session, text),
            self._show,
            lambda message: self.query_one("#history-message", Plain).set_text(message),
            group="history",
        )

    def _show(self, rows: list[HandoverSummary]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                Text(row.label),
                Text(STATES.get(row.state or "", "–")),
                Text(str(row.items)),
                Text(", ".join(row.acked_by) or "ingen"),
                Text(format_date(row.expires_on)),
            )
        self.query_one("#history-message", Plain).set_text(f"{len(rows)} overleveringer.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            from screens.handover import HandoverScreen

            row = self.rows[event.cursor_row]
            self.app.push_screen(HandoverScreen(ShiftRef(row.shift, row.shift_date)))
