"""Person search: find by nickname or CPR, merge duplicates, reveal a CPR on demand."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from akut_tui.core import permissions
from akut_tui.core.clock import format_date, local
from akut_tui.services.base.dto import PersonRow, SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reauth import ReauthDialog
from screens.support.host import host
from screens.widgets.text import Plain, TextInput

HELP = "/ søg · m markér · M læg sammen · c vis CPR · Esc tilbage"
SEARCH_HELP = "Skriv navn eller CPR · Enter søg · ↓ til listen · Esc tilbage"


def _named(row: PersonRow) -> str:
    """A person as named in messages: label and number, so two alike labels differ."""
    return f"«{row.label}» (nr. {row.id})"


class PersonsScreen(ListScreen[PersonRow]):
    """Search field above a result table; m/M merge, c reveals the CPR."""

    SPEC = ListSpec(
        "persons", None, "Borgere",
        (("Borger", 26), ("Fødselsår", 9), ("Henvendelser", 12), ("Senest", 10),
         ("Særlig opm.", 11)),
        loading="Henter borgere…", empty="Ingen borgere fundet.", keys=HELP,
    )  # fmt: skip

    BINDINGS = [
        Binding("slash", "focus_search", "Søgefelt", id="persons.search"),
        Binding("m", "mark", "Markér til sammenlægning", id="persons.mark"),
        Binding("M", "merge", "Læg markeret ind i valgt", id="persons.merge"),
        Binding("shift+m", "merge", "Læg markeret ind i valgt", show=False, id="persons.merge2"),
        Binding("c", "reveal_cpr", "Vis CPR", id="persons.cpr"),
        Binding("down", "focus_table", "Til listen", show=False, id="persons.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._query = ""
        self._merge_from: PersonRow | None = None

    def compose_above_table(self) -> ComposeResult:
        yield TextInput(
            id="persons-search",
            placeholder="Kaldenavn eller CPR-nummer, Enter søger",
            max_length=100,
        )

    def on_mount(self) -> None:
        # The list has the focus, so the keys in the help line (c, m, M) work at once;
        # "/" goes to the search field. (ListScreen.on_mount loads the rows.)
        self.table.focus()

    # --- loading -------------------------------------------------------------------
    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[PersonRow]]:
        text = self._query
        return lambda: persons.search_persons(rt, session, text)

    def cells(self, row: PersonRow) -> Cells:
        tz = self.timezone
        last = format_date(local(row.last_contact, tz).date()) if row.last_contact else ""
        return (
            Text(row.label),
            Text(str(row.birth_year) if row.birth_year else ""),
            Text(str(row.contacts)),
            Text(last),
            Text("ja" if row.special_attention else ""),
        )

    def loaded_message(self, rows: Sequence[PersonRow]) -> str:
        if not rows:
            return self.SPEC.empty
        if self._query.strip():
            return f"{len(rows)} borgere fundet."
        return f"{len(rows)} senest sete borgere."

    def rows_loaded(self, rows: Sequence[PersonRow]) -> None:
        if rows and self._query.strip():
            self.table.focus()

    def load_failed(self, text: str) -> None:
        self.message(f"Søgningen mislykkedes: {text}")

    def search(self, text: str, message: str | None = None) -> None:
        """Search in a worker (an empty text lists the most recently seen persons).

        A newer search cancels an older one still running: its rows never arrive.
        """
        self._query = text
        self.reload(message)

    # --- events and actions ------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    def action_focus_search(self) -> None:
        """Move the focus to the search field."""
        self.query_one("#persons-search", Input).focus()

    def action_focus_table(self) -> None:
        """Down in the search field: go to the list."""
        self.table.focus()

    def on_descendant_focus(self) -> None:
        searching = isinstance(self.focused, Input)
        self.query_one("#persons-help", Plain).set_text(SEARCH_HELP if searching else HELP)

    def action_mark(self) -> None:
        """Mark the selected person as the one to merge into another."""
        row = self.selected("Vælg en borger i listen.")
        if row is None:
            return
        self._merge_from = row
        self.message(f"Markeret: {row.label}. Vælg borgeren der skal beholdes, og tryk M.")

    def action_merge(self) -> None:
        """Merge the marked person into the selected one, after a confirmation.

        The role is checked before anything is asked: a confirmation the role
        cannot carry out only wastes the user's time. (The service checks again.)
        """
        session = host(self).session
        if session is None or not permissions.allowed(session.role, "person.merge"):
            self.message("Din rolle giver ikke adgang til at lægge borgere sammen.")
            return
        source = self._merge_from
        if source is None:
            self.message("Markér først med m den borger, der skal lægges ind i en anden.")
            return
        target = self.selected("Vælg en borger i listen.")
        if target is None:
            return
        if target.id == source.id:
            self.message("Vælg en anden borger end den markerede.")
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
                self.message("Sammenlægningen er annulleret.")

        self.app.push_screen(ConfirmDialog(text, yes="læg sammen", no="annullér"), answered)

    def _merge(self, source: PersonRow, target: PersonRow) -> None:
        def done(kept: PersonRow) -> None:
            self._merge_from = None
            self.search(self._query, f"{_named(source)} er lagt ind i {_named(kept)}.")

        self.act(lambda rt, session: persons.merge_persons(rt, session, target.id, source.id), done)

    def action_reveal_cpr(self) -> None:
        """Show the selected person's CPR in the message line (password again; audited)."""
        row = self.selected("Vælg en borger i listen.")
        if row is None:
            return
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        if not permissions.allowed(session.role, "cpr.reveal"):
            self.message("Din rolle giver ikke adgang til dette.")
            return

        def shown(cpr: str) -> None:
            self.message(f"CPR for {row.label}: {cpr}", about_row=True)

        self.app.push_screen(
            ReauthDialog(
                "Vis fuldt CPR-nummer (registreres i loggen).",
                lambda password: persons.reveal_cpr(rt, session, row.id, password),
                shown,
                self.message,
            )
        )
