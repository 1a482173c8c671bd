"""The shift's contacts, newest first; Enter opens one for editing (if allowed)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from akut_tui.clock import format_time
from akut_tui.services import contacts
from akut_tui.services.contact_input import ContactInput
from akut_tui.services.dto import ContactRow
from akut_tui.services.values import label_for as label
from screens.base import host
from screens.quick_log import QuickLogHost
from screens.quiet import QuietScreen
from screens.triage import LEVEL_TEXT
from screens.widgets import MessageLine, Plain
from screens.workers import run_service


def _kind(row: ContactRow) -> str:
    if row.contact_type != "krise":
        return label("contact_type", row.contact_type)
    return label("channel", row.channel)


class ContactsScreen(QuickLogHost, QuietScreen[None]):
    """A table of this shift's contacts."""

    DEFAULT_CSS = """
    ContactsScreen { padding: 0 1; }
    ContactsScreen #contacts-title { text-style: bold; }
    ContactsScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "open", "Åbn/ret", id="contacts.open"),
        Binding("escape", "app.go_home", "Tilbage", id="contacts.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ContactRow] = []

    def compose(self) -> ComposeResult:
        yield Label("Vagtens henvendelser (nyeste først)", id="contacts-title")
        yield DataTable(id="contacts-table", cursor_type="row")
        yield MessageLine("Enter åbn/ret · Esc tilbage", id="contacts-message")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Nr.", "Tid", "Type", "Niveau", "Min", "Medarbejder")
        app = host(self)
        rt, session = app.runtime, app.session
        if session is None:
            return
        run_service(self, lambda: contacts.shift_contacts(rt, session), self._show, self._message)

    def _show(self, rows: list[ContactRow]) -> None:
        self._rows = rows
        tz = host(self).config.site.timezone
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                Text(str(row.id)),
                Text(format_time(row.started_at, tz)),
                Text(_kind(row)),
                Text(LEVEL_TEXT.get(row.crisis_level or "", "").capitalize()),
                Text("" if row.duration_min is None else str(row.duration_min)),
                Text(row.staff),
                key=str(row.id),
            )
        if not rows:
            self._message("Ingen henvendelser i denne vagt endnu. Esc tilbage")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def _message(self, text: str) -> None:
        self.query_one("#contacts-message", Plain).set_text(text)

    def action_open(self) -> None:
        """Open the selected contact in the full form."""
        table = self.query_one(DataTable)
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            return
        row = self._rows[table.cursor_row]
        if not row.editable:
            self._message("Du kan kun rette dine egne henvendelser i vagten.")
            return
        app = host(self)
        rt, session = app.runtime, app.session
        if session is None:
            return

        def opened(form: ContactInput) -> None:
            opener = getattr(self.app, "open_full_form", None)
            if callable(opener):
                opener(form, None, row.id)

        run_service(self, lambda: contacts.load_contact(rt, session, row.id), opened, self._message)
