"""The rows behind one data-quality check: when, what and a short detail (codes only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Label

from akut_tui.core.plural import count
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight.data_quality import quality_rows
from akut_tui.services.oversight.dto import QualityCheck, QualityRow
from akut_tui.services.oversight.quality_checks import ROW_LIMIT
from screens.blocks.list_screen import Cells, ListScreen, ListSpec


class QualityRowsScreen(ListScreen[QualityRow]):
    """One check's rows, as the service lists them (at most ``ROW_LIMIT``)."""

    SPEC = ListSpec(
        "quality-rows",
        None,
        "Datakvalitet",
        (("Hvornår", 16), ("Hvad", 28), ("Detalje", 28)),
        loading="Henter rækkerne…",
        empty="Ingen rækker: intet at rette her.",
        keys="Esc tilbage · F1 alle taster",
    )

    BINDINGS = [Binding("escape", "app.pop_screen", "Tilbage", id="quality-rows.back")]

    def __init__(self, check: QualityCheck, period: str) -> None:
        super().__init__()
        self._check = check
        self._period = period

    def on_mount(self) -> None:
        # Textual runs the list base's on_mount too (it builds the columns and loads).
        self.query_one("#quality-rows-title", Label).update(Text(self._check.label))

    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[QualityRow]]:
        code, period = self._check.code, self._period
        return lambda: quality_rows(rt, session, code, period)

    def key_of(self, row: QualityRow) -> str:
        """Rows are keyed by the service (a contact id, a shift, a group of persons)."""
        return row.key

    def cells(self, row: QualityRow) -> Cells:
        return (Text(row.when), Text(row.what), Text(row.detail))

    def loaded_message(self, rows: Sequence[QualityRow]) -> str | None:
        if not rows:
            return self.SPEC.empty
        if len(rows) >= ROW_LIMIT:
            return f"De første {count(len(rows), 'række')} vises."
        return f"{count(len(rows), 'række')}."
