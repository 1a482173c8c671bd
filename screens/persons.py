"""Person search: find by nickname or CPR, merge duplicates, reveal a CPR on demand."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label

from akut_tui import permissions
from akut_tui.clock import format_date, local
from akut_tui.services import persons
from akut_tui.services.dto import PersonRow
from screens.base import host
from screens.dialogs import ConfirmDialog
from screens.password import ReauthDialog
from screens.quick_log import QuickLogHost
from screens.quiet import QuietScreen
from screens.widgets import MessageLine, Plain, TextInput
from screens.workers import run_service

HELP = "/ søg · m markér · M læg sammen · c vis CPR · Esc tilbage"
SEARCH_HELP = "Skriv navn eller CPR · Enter søg · ↓ til listen · Esc tilbage"


def _named(row: PersonRow) -> str:
    """A person as named in messages: label and number, so two alike labels differ."""
    return f"«{row.label}» (nr. {row.id})"


class PersonsScreen(QuickLogHost, QuietScreen[None]):
    """Search field above a result table; m/M merge, c reveals the CPR."""

    DEFAULT_CSS = """
    PersonsScreen { padding: 0 1; }
    PersonsScreen #persons-title { text-style: bold; }
    PersonsScreen #persons-search { margin-bottom: 1; }
    PersonsScreen DataTable { height: 1fr; }
    PersonsScreen #persons-help { height: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="persons.back"),
        Binding("slash", "focus_search", "Søgefelt", id="persons.search"),
        Binding("m", "mark", "Markér til sammenlægning", id="persons.mark"),
        Binding("M", "merge", "Læg markeret ind i valgt", id="persons.merge"),
        Binding("shift+m", "merge", "Læg markeret ind i valgt", show=False, id="persons.merge2"),
        Binding("c", "reveal_cpr", "Vis CPR", id="persons.cpr"),
        Binding("down", "focus_table", "Til listen", show=False, id="persons.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PersonRow] = []
        self._query = ""
        self._merge_from: PersonRow | None = None
        self._showing_cpr = False

    def compose(self) -> ComposeResult:
        yield Label("Borgere", id="persons-title")
        yield TextInput(
            id="persons-search",
            placeholder="Kaldenavn eller CPR-nummer, Enter søger",
            max_length=100,
        )
        yield DataTable(id="persons-table", cursor_type="row", zebra_stripes=False)
        yield MessageLine("Henter borgere…", id="persons-message")
        yield Plain(HELP, id="persons-help")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Borger", width=26)
        table.add_column("Fødselsår", width=9)
        table.add_column("Henvendelser", width=12)
        table.add_column("Senest", width=10)
        table.add_column("Særlig opm.", width=11)
        # The list has the focus, so the keys in the help line (c, m, M) work at once;
        # "/" goes to the search field.
        table.focus()
        self.search("")

    # --- loading -------------------------------------------------------------------
    def search(self, text: str, message: str | None = None) -> None:
        """Search in a worker (an empty text lists the most recently seen persons)."""
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        self._query = text

        def shown(rows: list[PersonRow]) -> None:
            self._show(rows)
            if message is not None:
                self._message(message)
            elif not rows:
                self._message("Ingen borgere fundet.")
            elif text.strip():
                self._message(f"{len(rows)} borgere fundet.")
            else:
                self._message(f"{len(rows)} senest sete borgere.")
            if rows and text.strip():
                self.query_one(DataTable).focus()

        run_service(
            self,
            lambda: persons.search_persons(rt, session, text),
            shown,
            lambda error: self._message(f"Søgningen mislykkedes: {error}"),
            group="persons-load",
        )

    def _show(self, rows: list[PersonRow]) -> None:
        self._rows = rows
        tz = host(self).config.site.timezone
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            last = format_date(local(row.last_contact, tz).date()) if row.last_contact else ""
            table.add_row(
                Text(row.label),
                Text(str(row.birth_year) if row.birth_year else ""),
                Text(str(row.contacts)),
                Text(last),
                Text("ja" if row.special_attention else ""),
                key=str(row.id),
            )

    def _message(self, text: str) -> None:
        self._showing_cpr = False
        self.query_one("#persons-message", Plain).set_text(text)

    def _selected(self) -> PersonRow | None:
        table = self.query_one(DataTable)
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            self._message("Vælg en borger i listen.")
            return None
        return self._rows[table.cursor_row]

    # --- events and actions ------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # A revealed CPR stays on screen only while its row is selected.
        if self._showing_cpr:
            self._message("")

    def action_focus_search(self) -> None:
        """Move the focus to the search field."""
        self.query_one("#persons-search", Input).focus()

    def action_focus_table(self) -> None:
        """Down in the search field: go to the list."""
        self.query_one(DataTable).focus()

    def on_descendant_focus(self) -> None:
        searching = isinstance(self.focused, Input)
        self.query_one("#persons-help", Plain).set_text(SEARCH_HELP if searching else HELP)

    def action_mark(self) -> None:
        """Mark the selected person as the one to merge into another."""
        row = self._selected()
        if row is None:
            return
        self._merge_from = row
        self._message(f"Markeret: {row.label}. Vælg borgeren der skal beholdes, og tryk M.")

    def action_merge(self) -> None:
        """Merge the marked person into the selected one, after a confirmation.

        The role is checked before anything is asked: a confirmation the role
        cannot carry out only wastes the user's time. (The service checks again.)
        """
        session = host(self).session
        if session is None or not permissions.allowed(session.role, "person.merge"):
            self._message("Din rolle giver ikke adgang til at lægge borgere sammen.")
            return
        source = self._merge_from
        if source is None:
            self._message("Markér først med m den borger, der skal lægges ind i en anden.")
            return
        target = self._selected()
        if target is None:
            return
        if target.id == source.id:
            self._message("Vælg en anden borger end den markerede.")
            return
        text = (
            f"Læg {_named(source)} ({source.contacts} henv.) sammen med "
            f"{_named(target)} ({target.contacts} henv.)?\n"
            f"Henvendelser, opfølgninger og ophold flyttes til {_named(target)}, "
            f"og {_named(source)} forsvinder. Det kan ikke fortrydes."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._merge(source, target)
            else:
                self._message("Sammenlægningen er annulleret.")

        self.app.push_screen(ConfirmDialog(text, yes="læg sammen", no="annullér"), answered)

    def _merge(self, source: PersonRow, target: PersonRow) -> None:
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None

        def done(kept: PersonRow) -> None:
            self._merge_from = None
            self.search(
                self._query,
                f"{_named(source)} er lagt ind i {_named(kept)}.",
            )

        run_service(
            self,
            lambda: persons.merge_persons(rt, session, target.id, source.id),
            done,
            self._message,
            group="persons-action",
        )

    def action_reveal_cpr(self) -> None:
        """Show the selected person's CPR in the message line (password again; audited)."""
        row = self._selected()
        if row is None:
            return
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        if not permissions.allowed(session.role, "cpr.reveal"):
            self._message("Din rolle giver ikke adgang til dette.")
            return

        def shown(cpr: str) -> None:
            self._message(f"CPR for {row.label}: {cpr}")
            self._showing_cpr = True

        self.app.push_screen(
            ReauthDialog(
                "Vis fuldt CPR-nummer (registreres i loggen).",
                lambda password: persons.reveal_cpr(rt, session, row.id, password),
                shown,
                self._message,
            )
        )
