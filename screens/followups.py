"""The 14-day follow-up queue: due follow-ups, result keys 1-5, phone on demand."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from akut_tui.clock import local
from akut_tui.services import followups
from akut_tui.services.dto import FollowUpRow
from akut_tui.services.values import label_for as label
from screens.base import host
from screens.dialogs import ConfirmDialog
from screens.quick_log import QuickLogHost
from screens.quiet import QuietScreen
from screens.widgets import MessageLine, Plain, refill_table
from screens.workers import run_service

RESULT_CODES: tuple[str, ...] = (
    "forbedret",
    "uaendret",
    "forvaerret",
    "ikke_maalbar",
    "ikke_opnaaet",
)
"""Result codes in key order: key 1 is the first."""


def _result_label(code: str) -> str:
    return label("followup_result", code)


def _short(code: str) -> str:
    return " ".join(_result_label(code).split()[:2])


def _status(row: FollowUpRow) -> str:
    if row.done:
        return _result_label(row.result or "")
    return "Forfalden" if row.overdue else "Åben"


HELP = " ".join(f"{i} {_short(code)}" for i, code in enumerate(RESULT_CODES, 1)) + " · t tlf. · Esc"


class FollowUpsScreen(QuickLogHost, QuietScreen[None]):
    """Open follow-ups, overdue first; 1-5 records the result, t shows the phone number."""

    DEFAULT_CSS = """
    FollowUpsScreen { padding: 0 1; }
    FollowUpsScreen #followups-title { text-style: bold; }
    FollowUpsScreen DataTable { height: 1fr; }
    FollowUpsScreen #followups-help { height: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="followups.back"),
        *(
            Binding(
                str(number),
                f"complete('{code}')",
                _result_label(code),
                id=f"followups.result_{number}",
            )
            for number, code in enumerate(RESULT_CODES, 1)
        ),
        Binding("t", "phone", "Vis telefonnummer", id="followups.phone"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[FollowUpRow] = []
        self._busy = False
        self._showing_phone = False

    def compose(self) -> ComposeResult:
        yield Label("Opfølgninger", id="followups-title")
        yield DataTable(id="followups-table", cursor_type="row", zebra_stripes=False)
        yield MessageLine("Henter opfølgninger…", id="followups-message")
        yield Plain(HELP, id="followups-help")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Forfalder", width=10)
        table.add_column("Borger", width=32)
        table.add_column("Telefon", width=7)
        table.add_column("Status", width=12)
        self.reload()

    def reload(self, message: str | None = None) -> None:
        """Load the open follow-ups in a worker; show ``message`` once loaded."""
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None

        def shown(rows: list[FollowUpRow]) -> None:
            self._show(rows)
            if message is not None:
                self._message(message)
            elif not rows:
                self._message("Ingen åbne opfølgninger.")
            else:
                self._message(f"{len(rows)} åbne opfølgninger.")

        run_service(
            self,
            lambda: followups.due_followups(rt, session),
            shown,
            lambda text: self._message(f"Opfølgningerne kunne ikke hentes: {text}"),
            group="followups-load",
        )

    def _show(self, rows: list[FollowUpRow]) -> None:
        self._rows = rows
        refill_table(
            self.query_one(DataTable),
            (
                (
                    (
                        Text(row.due_date),
                        Text(row.person_label),
                        Text("ja" if row.has_phone else "nej"),
                        Text(_status(row), style="bold" if row.overdue else ""),
                    ),
                    str(row.id),
                )
                for row in rows
            ),
        )

    def _message(self, text: str) -> None:
        self._showing_phone = False
        self.query_one("#followups-message", Plain).set_text(text)

    def _selected(self) -> FollowUpRow | None:
        table = self.query_one(DataTable)
        if not self._rows or not 0 <= table.cursor_row < len(self._rows):
            self._message("Vælg en opfølgning i listen.")
            return None
        return self._rows[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # A phone number stays on screen only while its row is selected.
        if self._showing_phone:
            self._message("")

    def _not_yet_due(self, row: FollowUpRow) -> bool:
        app = host(self)
        today = local(app.runtime.now(), app.config.site.timezone).date()
        return datetime.strptime(row.due_date, "%d-%m-%Y").date() > today

    def action_complete(self, code: str) -> None:
        """Record ``code`` as the result; before the due date only after a confirmation."""
        row = self._selected()
        if row is None or self._busy:
            return
        if self._not_yet_due(row):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._complete(row, code)
                else:
                    self._message("Opfølgningen er ikke afsluttet.")

            self.app.push_screen(
                ConfirmDialog(
                    f"Opfølgningen for {row.person_label} forfalder først {row.due_date}.\n"
                    f"Afslut den nu som «{_result_label(code)}»? Telefonnummeret slettes, "
                    "og det kan ikke fortrydes.",
                    yes="afslut nu",
                    no="vent",
                ),
                answered,
            )
            return
        self._complete(row, code)

    def _complete(self, row: FollowUpRow, code: str) -> None:
        if self._busy:
            return
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        self._busy = True

        def done(result: FollowUpRow) -> None:
            self._busy = False
            self.reload(
                f"Afsluttet: {result.person_label} – {_result_label(code)}. "
                "Telefonnummeret er slettet."
            )

        def failed(text: str) -> None:
            self._busy = False
            self._message(text)

        run_service(
            self,
            lambda: followups.complete_followup(rt, session, row.id, code),
            done,
            failed,
            group="followups-action",
        )

    def action_phone(self) -> None:
        """Show the selected follow-up's phone number in the message line (audited)."""
        row = self._selected()
        if row is None:
            return
        if not row.has_phone:
            self._message("Der er ikke gemt et telefonnummer.")
            return
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None

        def shown(phone: str) -> None:
            self._message(f"Telefon ({row.person_label}): {phone}")
            self._showing_phone = True

        run_service(
            self,
            lambda: followups.reveal_followup_phone(rt, session, row.id),
            shown,
            self._message,
            group="followups-action",
        )
