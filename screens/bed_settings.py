"""Bed settings (leader, letter ``g``): the beds, their out-of-service history, add and rename.

The beds in a table; under it the out-of-service periods of the selected bed
(newest first, with reason and who), loaded in a worker when the cursor moves.
Taking a bed out of service stays on the bed board (``g`` there); the nightly
rules stay in ``config.toml`` (issue 18 §7).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from akut_tui.core.clock import format_datetime
from akut_tui.core.plural import count, fit_label
from akut_tui.services.night import bed_settings
from akut_tui.services.night.bed_settings import BedSetting, OutPeriod
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.night import NightDialog, text_field
from screens.support.host import host
from screens.support.workers import run_service
from screens.widgets.text import Plain

HISTORY_LINES = 7
"""Periods shown under the table; older ones are counted."""
LINE_WIDTH = 77
"""Characters of a history line (80 columns less the screen's margins)."""


class BedSettingsScreen(ListScreen[BedSetting]):
    """The beds in a table, the selected bed's out-of-service history under it."""

    SPEC = ListSpec(
        "bed-settings", bed_settings.list_beds, "Sengeindstillinger",
        (("Seng", 24), ("Status", 14), ("Perioder", 9), ("Kilde", 14)),
        loading="Henter senge…", key_line=True,
    )  # fmt: skip

    BINDINGS = [
        Binding("n", "add", "Ny seng", id="bed_settings.add"),
        Binding("e", "rename", "Omdøb", id="bed_settings.rename"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._history_of: int | None = None

    def cells(self, row: BedSetting) -> Cells:
        return (
            Text(row.name),
            Text("ude af drift" if row.out_of_service else "i drift"),
            Text(str(row.periods)),
            Text(row.source),
        )

    def compose_below_table(self) -> ComposeResult:
        yield Plain("", id="bed-settings-history")

    def loaded_message(self, rows: Sequence[BedSetting]) -> str:
        return f"{count(len(rows), 'seng')}. Natlige regler står i config.toml."

    def rows_loaded(self, rows: Sequence[BedSetting]) -> None:
        self._history_of = None
        self._show_history()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        super().on_data_table_row_highlighted(event)
        self._show_history()

    def _show_history(self) -> None:
        """Load the selected bed's periods (only when another bed is selected)."""
        row = self.selected()
        app = host(self)
        session = app.session
        if row is None or session is None or row.id == self._history_of:
            return
        self._history_of = row.id
        rt, bed = app.runtime, row
        run_service(
            self,
            lambda: bed_settings.out_of_service_history(rt, session, bed.id),
            lambda periods: self._history_shown(bed, periods),
            self.message,
            group="bed-settings-history",
        )

    def _period_line(self, period: OutPeriod) -> str:
        tz = self.timezone
        start = format_datetime(period.started_at, tz)
        end = format_datetime(period.ended_at, tz) if period.ended_at else "nu"
        who = period.started_by or "konfigurationen"
        if period.ended_by:
            who = f"{who}/{period.ended_by}"
        head, tail = f"  {start} – {end} · ", f" · {who}"
        # One line per period at 80 columns: a long reason gives way ("…").
        room = max(12, LINE_WIDTH - len(head) - len(tail))
        return head + fit_label(period.reason or "ingen årsag", room) + tail

    def _history_shown(self, bed: BedSetting, periods: Sequence[OutPeriod]) -> None:
        lines = [f"Ude af drift, {bed.name}: " + ("aldrig" if not periods else "")]
        lines += [self._period_line(p) for p in periods[:HISTORY_LINES]]
        if len(periods) > HISTORY_LINES:
            lines.append(f"  … og {count(len(periods) - HISTORY_LINES, 'ældre periode')}")
        self.query_one("#bed-settings-history", Plain).set_text("\n".join(lines))

    def _dialog(self, title: str, value: str, dialog: str, submit: object, done: str) -> None:
        assert callable(submit)
        self.app.push_screen(
            NightDialog(title, [text_field("name", "Navn", value)], submit, dialog=dialog),
            lambda made: self._done(made, done),
        )

    def _done(self, made: BedSetting | None, text: str) -> None:
        if made is None:
            return
        self.follow(str(made.id))
        self._history_of = None
        self.reload(text.format(made.name), about_row=True)

    def action_add(self) -> None:
        """Add a bed at the end of the board."""
        app = host(self)
        session = app.session
        if session is None:
            return
        rt = app.runtime
        self._dialog(
            "Ny seng",
            "",
            "bed_settings.add",
            lambda values: bed_settings.add_bed(rt, session, values["name"]),
            "{} er tilføjet og i drift.",
        )

    def action_rename(self) -> None:
        """Rename the selected bed (its stays and periods follow it)."""
        row = self.selected("Vælg en seng i listen.")
        app = host(self)
        session = app.session
        if row is None or session is None:
            return
        rt, bed_id = app.runtime, row.id
        self._dialog(
            f"Omdøb {row.name}",
            row.name,
            f"bed_settings.rename:{bed_id}",
            lambda values: bed_settings.rename_bed(rt, session, bed_id, values["name"]),
            "Sengen hedder nu {}.",
        )
