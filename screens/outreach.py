"""The outreach log (Udkørsel, fleksibel natstøtte): departures and returns, live.

Who went, the companion and when; no citizen details, and never a contact.
The header line shows who is on site and who is out; both update without a
key press when a colleague logs a trip, and write nothing while idle.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from akut_tui.clock import format_time
from akut_tui.services import changes, outreach
from akut_tui.services.night_dto import TripRow
from screens.dialogs.night import NightDialog, text_field
from screens.support.bed_text import parse_clock
from screens.support.host import host, run_signed_in
from screens.support.live_screen import LiveScreen
from screens.widgets.night_watch import SiteHeader
from screens.widgets.text import Plain

HELP = "a afgang · k hjemkomst (valgt tur) · Esc tilbage · F1 alle taster"


def trip_cells(row: TripRow, tz: str) -> list[str]:
    """The table cells of one trip."""
    back = format_time(row.returned_at, tz) if row.returned_at else "ude"
    minutes = ""
    if row.returned_at:
        minutes = str(int((row.returned_at - row.departed_at).total_seconds() // 60))
    return [format_time(row.departed_at, tz), back, row.user, row.companion or "–", minutes]


class OutreachScreen(LiveScreen):
    """Open trips first, then the last day's trips."""

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="outreach.back"),
        Binding("a", "depart", "Afgang (udkørsel)", id="outreach.depart"),
        Binding("k", "come_back", "Hjemkomst", id="outreach.return"),
    ]
    RELOAD_PARTS = frozenset({changes.OUTREACH})

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[TripRow] = []
        self.cells: list[list[str]] = []

    def compose(self) -> ComposeResult:
        yield Plain("Udkørsel (fleksibel natstøtte)", id="outreach-title")
        yield SiteHeader(id="outreach-site")
        yield DataTable(id="outreach-table", cursor_type="row", zebra_stripes=False)
        yield Plain(
            "Udkørsler er ikke henvendelser og tæller ikke i statistikken.", id="outreach-note"
        )
        yield Plain("", id="outreach-message")
        yield Plain(HELP, id="outreach-help")
        yield from self.compose_quick_log()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("Afgang", 6),
            ("Hjem", 6),
            ("Hvem", 22),
            ("Ledsager", 22),
            ("Min", 5),
        ):
            table.add_column(label, width=width)

    def reload(self) -> None:
        """Fetch the trips in a worker and redraw what changed."""
        run_signed_in(self, outreach.recent_trips, self._show, self._message, group="outreach-load")

    def _show(self, rows: list[TripRow]) -> None:
        tz = host(self).config.site.timezone
        cells = [trip_cells(r, tz) for r in rows]
        table = self.query_one(DataTable)
        if [r.id for r in rows] != [r.id for r in self.rows]:
            cursor = table.cursor_row
            table.clear()
            for row, texts in zip(rows, cells, strict=True):
                table.add_row(*(Text(t) for t in texts), key=str(row.id))
            if rows:
                table.move_cursor(row=max(0, min(cursor, len(rows) - 1)))
        else:
            columns = list(table.columns)
            for row, old, new in zip(rows, self.cells, cells, strict=True):
                for index, (before, after) in enumerate(zip(old, new, strict=True)):
                    if before != after:
                        table.update_cell(str(row.id), columns[index], Text(after))
        self.rows, self.cells = rows, cells
        if not rows:
            self._message("Ingen udkørsler det seneste døgn. a registrerer en afgang.")

    def _message(self, text: str) -> None:
        self.query_one("#outreach-message", Plain).set_text(text)

    def _after(self, row: Any) -> None:
        if isinstance(row, TripRow):
            tz = host(self).config.site.timezone
            if row.returned_at:
                self._message(f"{row.user} er hjemme igen {format_time(row.returned_at, tz)}.")
            else:
                self._message(
                    f"{row.user} er registreret ude fra {format_time(row.departed_at, tz)}."
                )
        self.watcher.poll()

    def action_depart(self) -> None:
        """Log your own departure (optional companion and time)."""
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        tz = rt.config.site.timezone
        now = rt.now()

        def submit(values: dict[str, str]) -> TripRow:
            moment = parse_clock(values["at"], rt.now(), tz)
            return outreach.depart(rt, session, companion=values["companion"], at=moment)

        fields = [
            text_field("companion", "Ledsager (brugernavn)"),
            text_field("at", "Afgang", format_time(now, tz)),
        ]
        dialog = NightDialog(
            "Afgang på udkørsel", fields, submit, note="Ingen borgeroplysninger her."
        )
        self.app.push_screen(dialog, lambda row: self._after(row) if row else None)

    def action_come_back(self) -> None:
        """Log the return of the selected open trip."""
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            self._message("Vælg en tur.")
            return
        trip = self.rows[table.cursor_row]
        if trip.returned_at is not None:
            self._message("Turen er allerede afsluttet.")
            return
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        tz = rt.config.site.timezone

        def submit(values: dict[str, str]) -> TripRow:
            moment = parse_clock(values["at"], rt.now(), tz)
            return outreach.return_trip(rt, session, trip.id, at=moment)

        fields = [text_field("at", "Hjemkomst", format_time(rt.now(), tz))]
        dialog = NightDialog(f"Hjemkomst: {trip.user}", fields, submit)
        self.app.push_screen(dialog, lambda row: self._after(row) if row else None)
