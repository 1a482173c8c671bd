"""Data quality (coordinator, leader): what will make the statistics wrong or the service unsafe.

One line per check with its count; Enter lists the rows behind it
(:class:`~screens.quality_rows.QualityRowsScreen`). ``p`` steps the period of
the contact checks through the export's names; the counts are the export's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Label

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight.data_quality import PERIODS, quality_report
from akut_tui.services.oversight.dto import QualityCheck, QualityReport
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.quality_rows import QualityRowsScreen

PERIOD_TEXT = {
    "last-12-months": "sidste 12 måneder",
    "last-quarter": "sidste kvartal",
    "last-month": "sidste måned",
    "all": "hele perioden",
}


def period_line(period: str, first: str, last: str) -> str:
    """The title's period: ``sidste 12 måneder (21-11-2025 – 20-11-2026)``."""
    return f"{PERIOD_TEXT.get(period, period)} ({first} – {last})"


class DataQualityScreen(ListScreen[QualityCheck]):
    """Every check with its count; the contact checks over the chosen period."""

    SPEC = ListSpec(
        "quality",
        None,
        "Datakvalitet",
        (("Kontrol", 56), ("Antal", 8)),
        loading="Tæller…",
        keys="p periode · Enter vis rækkerne · Esc tilbage · F1 alle taster",
    )

    BINDINGS = [Binding("p", "period", "Periode", id="quality.period")]

    def __init__(self) -> None:
        super().__init__()
        self._period = PERIODS[0]
        self._report: list[QualityReport] = []
        """The latest report, handed from the worker with its rows."""

    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[QualityCheck]]:
        period = self._period
        box = self._report

        def load() -> Sequence[QualityCheck]:
            report = quality_report(rt, session, period)
            box[:] = [report]
            return report.checks

        return load

    def key_of(self, row: QualityCheck) -> str:
        """A check is known by its code."""
        return row.code

    def cells(self, row: QualityCheck) -> Cells:
        return (
            Text(row.label),
            Text(str(row.count), justify="right", style="bold" if row.count else ""),
        )

    def rows_loaded(self, rows: Sequence[QualityCheck]) -> None:
        if self._report:
            report = self._report[0]
            title = f"Datakvalitet · {period_line(report.period, report.first, report.last)}"
            self.query_one("#quality-title", Label).update(Text(title))

    def loaded_message(self, rows: Sequence[QualityCheck]) -> str | None:
        wrong = sum(1 for row in rows if row.count)
        if not wrong:
            return "Intet at rette."
        return "Perioden gælder de to første linjer (som eksporten); resten er nu."

    def action_period(self) -> None:
        """Step the period: last 12 months → last quarter → last month → all."""
        self._period = PERIODS[(PERIODS.index(self._period) + 1) % len(PERIODS)]
        self.message("Tæller…")
        self.reload()

    def row_chosen(self, row: QualityCheck) -> None:
        """Enter: the rows behind the check."""
        self.app.push_screen(QualityRowsScreen(row, self._period))
