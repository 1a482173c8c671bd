"""A citizen's access report (leader): who read or changed one person's data in a period.

The person (CPR or nickname) and the days go in three one-row fields; Enter
produces the report in a worker (audited by the service). The table lists every
read and change, then the contacts and stays recorded about the person, as
codes only. ``akut audit person`` gives the same report on the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input

from akut_tui.core.errors import ValidationError
from akut_tui.core.plural import count
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.oversight import access_report
from akut_tui.services.oversight.audit_dto import AccessReport
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.support.host import host
from screens.widgets.person_search import PersonSearchInput
from screens.widgets.text import Plain, TextInput

FIELDS = (("person", "CPR/kaldenavn", 18), ("start", "fra dd-mm-åååå", 16),
          ("end", "til dd-mm-åååå", 16))  # fmt: skip
"""(field, placeholder, width) of the request fields."""
HELP = "Enter dan rapport · Tab næste felt · ↓ listen · Esc tilbage"
ReportRow = tuple[int, tuple[str, str, str, str, str]]
"""(position, (section, time, who, what, where))."""
SECTIONS = {"adgang": "Adgang", "henvendelse": "Henv.", "ophold": "Ophold"}


class ReportRows(list[ReportRow]):
    """The report's rows, with the report itself for the head line."""

    report: AccessReport | None = None


class AccessReportScreen(ListScreen[ReportRow]):
    """The access report for one person."""

    SPEC = ListSpec(
        "report", None, "Indsigt: hvem har set eller ændret en borgers data",
        (("Del", 6), ("Tidspunkt", 16), ("Hvad", 36), ("Hvorfra", 13)),
        loading="Skriv CPR-nummer eller kaldenavn og tryk Enter.",
        empty="Ingen adgang, henvendelser eller ophold i perioden.", keys=HELP,
    )  # fmt: skip

    BINDINGS = [
        Binding("slash", "focus_fields", "Felterne", id="report.fields"),
        Binding("down", "focus_table", "Til listen", show=False, id="report.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._request: tuple[str, date, date] | None = None

    def compose_above_table(self) -> ComposeResult:
        with Horizontal(id="report-filters"):
            for name, placeholder, width in FIELDS:
                kind = PersonSearchInput if name == "person" else TextInput
                field = kind(id=f"report-{name}", placeholder=placeholder, max_length=40)
                field.styles.width = width
                yield field
        yield Plain("", id="report-head")

    def on_mount(self) -> None:
        self.query_one("#report-person", Input).focus()

    def first_load(self) -> None:
        """Nothing to load until a person is asked for."""

    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[ReportRow]]:
        request = self._request
        assert request is not None
        person, start, end = request
        tz = self.timezone

        def load() -> Sequence[ReportRow]:
            report = access_report.access_report(rt, session, person, start, end)
            rows = ReportRows(enumerate(access_report.report_rows(report, tz)))
            rows.report = report
            return rows

        return load

    def key_of(self, row: ReportRow) -> str:
        """Rows are known by their place in the report."""
        return str(row[0])

    def cells(self, row: ReportRow) -> Cells:
        section, when, _who, what, where = row[1]
        return (Text(SECTIONS.get(section, section)), Text(when), Text(what), Text(where))

    def rows_loaded(self, rows: Sequence[ReportRow]) -> None:
        report = rows.report if isinstance(rows, ReportRows) else None
        if report is None:
            return
        period = f"{report.start:%d-%m-%Y} til {report.end:%d-%m-%Y}"
        self.query_one("#report-head", Plain).set_text(
            f"{report.person}, {period}: {count(len(report.lines), 'hændelse')}, "
            f"{count(len(report.contacts), 'henvendelse')}, {count(len(report.stays), 'ophold')}"
        )
        if rows:
            self.table.focus()

    def loaded_message(self, rows: Sequence[ReportRow]) -> str | None:
        if not rows:
            return self.SPEC.empty
        return "Rapporten er dannet og registreret i revisionssporet."

    def row_chosen(self, row: ReportRow) -> None:
        """Enter on a row: the whole line in the message line."""
        _section, when, _who, what, where = row[1]
        self.message(f"{when}  {what}{f'  ({where})' if where else ''}", about_row=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        values = {name: self.query_one(f"#report-{name}", Input).value for name, _, _ in FIELDS}
        # A typed CPR is shown masked from now on (the digits stay in memory only).
        values["person"] = self.query_one("#report-person", PersonSearchInput).take()
        try:
            start, end = access_report.report_period(
                values["start"], values["end"], host(self).runtime.today()
            )
        except ValidationError as exc:
            self.message(str(exc))
            self.query_one(f"#report-{exc.field or 'start'}", Input).focus()
            return
        if not values["person"].strip():
            self.message("Skriv et CPR-nummer eller et kaldenavn.")
            return
        self._request = (values["person"], start, end)
        self.message("Danner rapporten…")
        self.reload()

    def action_focus_fields(self) -> None:
        """Move the focus to the person field."""
        self.query_one("#report-person", Input).focus()

    def action_focus_table(self) -> None:
        """Down in a field: go to the list."""
        self.table.focus()
