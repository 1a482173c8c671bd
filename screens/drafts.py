"""Unfinished registrations (drafts): resume with Enter, discard with d."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from akut_tui.clock import format_datetime
from akut_tui.services import drafts
from akut_tui.services.contact_input import ContactInput
from akut_tui.services.dto import DraftInfo
from screens.base import host
from screens.dialogs import ConfirmDialog
from screens.quick_log import QuickLogHost
from screens.quiet import QuietScreen
from screens.widgets import MessageLine, Plain, refill_table
from screens.workers import run_service


class DraftsScreen(QuickLogHost, QuietScreen[None]):
    """The user's drafts; those from an earlier shift are marked."""

    DEFAULT_CSS = """
    DraftsScreen { padding: 0 1; }
    DraftsScreen #drafts-title { text-style: bold; }
    DraftsScreen DataTable { height: 1fr; }
    DraftsScreen #drafts-help { height: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("enter", "resume", "Genoptag", id="drafts.resume"),
        Binding("d", "discard", "Kassér", id="drafts.discard"),
        Binding("escape", "app.go_home", "Tilbage", id="drafts.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._drafts: list[DraftInfo] = []

    def compose(self) -> ComposeResult:
        yield Label("Kladder (ufærdige registreringer)", id="drafts-title")
        yield DataTable(id="drafts-table", cursor_type="row")
        yield MessageLine("Henter kladder…", id="drafts-message")
        yield Plain("Enter genoptag · d kassér · Esc tilbage", id="drafts-help")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Sidst ændret", "Vagt", "Indhold", "")
        self.reload()

    def reload(self, message: str | None = None) -> None:
        """Load the drafts in a worker; show ``message`` once loaded."""
        app = host(self)
        rt, session = app.runtime, app.session
        if session is None:
            return

        def shown(drafts: list[DraftInfo]) -> None:
            self._show(drafts)
            if message is not None:
                self._message(message)
            elif not drafts:
                self._message("Ingen kladder.")
            else:
                self._message(f"{len(drafts)} kladde{'r' if len(drafts) != 1 else ''}.")

        run_service(self, lambda: drafts.list_drafts(rt, session), shown, self._message)

    def _show(self, drafts: list[DraftInfo]) -> None:
        self._drafts = drafts
        tz = host(self).config.site.timezone
        refill_table(
            self.query_one(DataTable),
            (
                (
                    (
                        Text(format_datetime(d.updated_at, tz)),
                        Text(f"{d.shift.capitalize()} {d.shift_date}"),
                        Text(d.summary),
                        Text("ældre vagt" if d.stale else ""),
                    ),
                    str(d.id),
                )
                for d in drafts
            ),
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_resume()

    def _message(self, text: str) -> None:
        self.query_one("#drafts-message", Plain).set_text(text)

    def _selected(self) -> DraftInfo | None:
        table = self.query_one(DataTable)
        if not self._drafts or not 0 <= table.cursor_row < len(self._drafts):
            return None
        return self._drafts[table.cursor_row]

    def action_resume(self) -> None:
        """Open the selected draft in the full form."""
        draft = self._selected()
        app = host(self)
        rt, session = app.runtime, app.session
        if draft is None or session is None:
            return

        def loaded(result: tuple[ContactInput, int | None]) -> None:
            form, contact_id = result
            opener = getattr(self.app, "open_full_form", None)
            if callable(opener):
                opener(form, draft.id, contact_id)

        run_service(self, lambda: drafts.load_draft(rt, session, draft.id), loaded, self._message)

    def action_discard(self) -> None:
        """Delete the selected draft after a confirmation."""
        draft = self._selected()
        app = host(self)
        rt, session = app.runtime, app.session
        if draft is None or session is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self._message("Kladden er ikke kasseret.")
                return
            run_service(
                self,
                lambda: drafts.discard_draft(rt, session, draft.id),
                lambda _: self.reload("Kladden er kasseret."),
                self._message,
            )

        when = format_datetime(draft.updated_at, host(self).config.site.timezone)
        self.app.push_screen(
            ConfirmDialog(
                f"Kassér kladden fra {when}?\n{draft.summary}\nDen kan ikke hentes igen.",
                yes="kassér",
                no="behold",
            ),
            answered,
        )
