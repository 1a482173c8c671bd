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

from akut_tui.core.clock import format_time
from akut_tui.services.night import changes, outreach
from akut_tui.services.night.dto import TripRow
from screens.blocks.bed_text import clock_field, parse_clock
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.blocks.live_screen import live_watcher
from screens.dialogs.night import NightDialog, text_field
from screens.support.host import host
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


class OutreachScreen(ListScreen[TripRow]):
    """Open trips first, then the last day's trips; kept current by the change watcher."""

    SPEC = ListSpec(
        "outreach",
        outreach.recent_trips,
        "Udkørsel (fleksibel natstøtte)",
        (("Afgang", 6), ("Hjem", 6), ("Hvem", 22), ("Ledsager", 22), ("Min", 5)),
        empty="Ingen udkørsler det seneste døgn. a registrerer en afgang.",
        keys=HELP,
    )

    BINDINGS = [
        Binding("escape", "app.go_home", "Tilbage", id="outreach.back"),
        Binding("a", "depart", "Afgang (udkørsel)", id="outreach.depart"),
        Binding("k", "come_back", "Hjemkomst", id="outreach.return"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.watcher = live_watcher(self, frozenset({changes.OUTREACH}), self.reload)

    def compose_above_table(self) -> ComposeResult:
        yield SiteHeader(id="outreach-site")

    def compose_below_table(self) -> ComposeResult:
        yield Plain(
            "Udkørsler er ikke henvendelser og tæller ikke i statistikken.", id="outreach-note"
        )

    def first_load(self) -> None:
        """The watcher's first poll loads the trips (and then every change does)."""
        self.watcher.start()

    def on_unmount(self) -> None:
        self.watcher.stop()

    def cells(self, row: TripRow) -> Cells:
        return tuple(Text(t) for t in trip_cells(row, self.timezone))

    def _message(self, text: str) -> None:
        self.message(text)

    def _after(self, row: Any) -> None:
        if isinstance(row, TripRow):
            self.follow(self.key_of(row))  # the cursor goes to the trip just logged
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

        def submit(values: dict[str, str]) -> TripRow:
            moment = parse_clock(values["at"], rt.now(), tz)
            return outreach.depart(rt, session, companion=values["companion"], at=moment)

        fields = [
            text_field("companion", "Ledsager", placeholder="brugernavn"),
            clock_field("at", "Afgang", rt),
        ]
        dialog = NightDialog(
            "Afgang på udkørsel",
            fields,
            submit,
            dialog="outreach.depart",
            note="Ingen borgeroplysninger her.",
        )
        self.app.push_screen(dialog, lambda row: self._after(row) if row else None)

    def action_come_back(self) -> None:
        """Log the return of the selected open trip."""
        trip = self.selected("Vælg en tur.")
        if trip is None:
            return
        if trip.returned_at is not None:
            self.message("Turen er allerede afsluttet.", about_row=True)
            return
        app = host(self)
        rt, session = app.runtime, app.session
        assert session is not None
        tz = rt.config.site.timezone

        def submit(values: dict[str, str]) -> TripRow:
            moment = parse_clock(values["at"], rt.now(), tz)
            return outreach.return_trip(rt, session, trip.id, at=moment)

        fields = [clock_field("at", "Hjemkomst", rt)]
        key = f"outreach.return:{trip.id}"
        dialog = NightDialog(f"Hjemkomst: {trip.user}", fields, submit, dialog=key)
        self.app.push_screen(dialog, lambda row: self._after(row) if row else None)
