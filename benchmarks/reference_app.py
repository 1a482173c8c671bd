"""Plain-Textual reference form app for the terminal-bytes benchmark.

This deliberately uses Textual's defaults (tall-bordered ``Input`` widgets,
blinking cursor, a ``Header`` with a clock, animations on) so that
``benchmarks/terminal.py`` can reproduce the reference figures quoted in the
issue and show Akut's cost as a ratio against "what a naive Textual app
costs" in the same run.

Screens:
  * the form ("Reference form"): 8 ``Input`` fields in a ``VerticalScroll``;
  * F5 toggles to a second screen ("Reference table") with a ``DataTable``
    and back.

Quit with ctrl+q (Textual's default binding).

Run: ``python benchmarks/reference_app.py``
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label

FORM_TITLE = "Reference form"
TABLE_TITLE = "Reference table"

FIELDS = [
    "Name",
    "Phone",
    "Address",
    "Postcode",
    "City",
    "Reason for contact",
    "Crisis level",
    "Notes",
]

ROWS = [
    (
        f"2024-05-{day:02d} 2{day % 4}:{day * 7 % 60:02d}",
        f"Contact {day}",
        f"Level {day % 5 + 1}",
        "Phone" if day % 3 else "Walk-in",
    )
    for day in range(1, 31)
]


class TableScreen(Screen[None]):
    """Second screen: a DataTable of fake contacts."""

    BINDINGS = [Binding("f5", "app.pop_screen", "Back to form")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        yield Label(TABLE_TITLE)
        table: DataTable[str] = DataTable()
        table.add_columns("When", "Who", "Level", "Channel")
        table.add_rows(ROWS)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = TABLE_TITLE


class ReferenceApp(App[None]):
    """A form with 8 inputs, Textual defaults throughout."""

    TITLE = "Reference"
    CSS = """
    .row { height: auto; }
    .row Label { width: 20; padding: 1 1; }
    """
    BINDINGS = [Binding("f5", "show_table", "Table")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        with VerticalScroll():
            yield Label(FORM_TITLE)
            for name in FIELDS:
                with Horizontal(classes="row"):
                    yield Label(name)
                    yield Input(placeholder=name)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = FORM_TITLE
        self.query_one(Input).focus()

    def action_show_table(self) -> None:
        self.push_screen(TableScreen())


if __name__ == "__main__":
    ReferenceApp().run()
