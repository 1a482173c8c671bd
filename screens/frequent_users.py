"""Frequent users (coordinator, leader): the persons with the most crisis contacts.

``w`` steps the window (30 days, 90 days, a year); Enter opens the person's
contacts in date order (:class:`~screens.frequent_person.PersonContactsScreen`),
which the service audits as a read of that person. The crisis level over time
is a line of plain block characters, one per contact, drawn once (no animation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from akut_tui.core.clock import format_date, local
from akut_tui.core.plural import count
from akut_tui.services.accounts import may
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.services.oversight.dto import FrequentUser
from akut_tui.services.oversight.frequent_users import WINDOWS, frequent_users, window_start
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.night import NightDialog, choice_field, text_field
from screens.frequent_person import PersonContactsScreen
from screens.support.gate import open_if_allowed
from screens.support.handover_text import parse_date
from screens.support.host import acting_user
from screens.widgets.text import Plain

LEVEL_LETTER = {"alvorlig": "A", "middel": "M", "let": "L", "ikke_krise": "I", "ikke_vurderet": "-"}
"""One letter per crisis level for the first → latest cell."""
LEVEL_BAR = {"alvorlig": "█", "middel": "▅", "let": "▃", "ikke_krise": "▁", "ikke_vurderet": "·"}
"""One plain character per level for the sparkline (higher is more severe)."""
SPARK_LENGTH = 7
"""The sparkline shows the latest this many contacts."""
WINDOW_TEXT = {30: "30 dage", 90: "90 dage", 365: "et år"}
LEGEND = "Niveau: første→seneste og forløb · A alvorlig M middel L let I ikke krise"


def level_cell(levels: Sequence[str]) -> str:
    """``L→A ▃▅█``: first and latest level as letters, then the latest levels as bars."""
    if not levels:
        return ""
    spark = "".join(LEVEL_BAR.get(level, "·") for level in levels[-SPARK_LENGTH:])
    return f"{LEVEL_LETTER.get(levels[0], '-')}→{LEVEL_LETTER.get(levels[-1], '-')} {spark}"


class FrequentUsersScreen(ListScreen[FrequentUser]):
    """Identified persons by crisis contacts in a window, with the special-attention plan."""

    SPEC = ListSpec(
        "frequent",
        None,
        "Hyppige brugere (krisehenvendelser)",
        (("Borger", 12), ("Antal", 5), ("T/F/V", 7), ("Niveau", 11), ("Nætter", 6),
         ("Seneste", 10), ("Særlig", 12)),
        loading="Henter hyppige brugere…",
        empty="Ingen identificerede borgere har henvendt sig i perioden.",
        keys="w periode · Enter henvendelser · a særlig opmærksomhed · Esc tilbage · F1",
    )  # fmt: skip

    BINDINGS = [
        Binding("w", "window", "Periode", id="frequent.window"),
        Binding("a", "attention", "Særlig opmærksomhed", id="frequent.attention"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._days = WINDOWS[0]

    def compose_above_table(self) -> ComposeResult:
        yield Label("", id="frequent-window")

    def compose_below_table(self) -> ComposeResult:
        yield Plain(LEGEND, id="frequent-legend", classes="list-help")

    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[FrequentUser]]:
        days = self._days
        self._show_window(rt, days)
        return lambda: frequent_users(rt, session, days).rows

    def _show_window(self, rt: Runtime, days: int) -> None:
        since = format_date(window_start(rt, days))
        self.query_one("#frequent-window", Label).update(
            Text(f"Sidste {WINDOW_TEXT[days]} (fra {since}) · T/F/V: telefon/fremmøde/virtuel")
        )

    def cells(self, row: FrequentUser) -> Cells:
        channels = "/".join(str(n) for _code, n in row.by_channel)
        special = (row.plan or "ja") if row.attention else ""
        return (
            Text(row.label),
            Text(str(row.contacts), justify="right"),
            Text(channels),
            Text(level_cell(row.levels)),
            Text(str(row.nights), justify="right"),
            Text(format_date(local(row.last_contact, self.timezone).date())),
            Text(special),
        )

    def loaded_message(self, rows: Sequence[FrequentUser]) -> str | None:
        if not rows:
            return self.SPEC.empty
        return f"{count(len(rows), 'person')} med flest henvendelser."

    def action_window(self) -> None:
        """Step to the next window (30 days → 90 days → a year → 30 days)."""
        self._days = WINDOWS[(WINDOWS.index(self._days) + 1) % len(WINDOWS)]
        self.reload()

    def row_chosen(self, row: FrequentUser) -> None:
        """Enter: the person's contacts in date order (audited as a read)."""
        self.app.push_screen(PersonContactsScreen(row))

    def action_attention(self) -> None:
        """Set or clear the selected person's special-attention flag and plan reference."""
        row = self.selected("Vælg en borger først.")
        if row is None:
            return
        rt, session = acting_user(self)
        dialog = attention_dialog(rt, session, row)

        def closed(result: Any) -> None:
            if result is not None:
                self.reload(str(result), about_row=True)

        def allowed() -> None:
            self.app.push_screen(dialog, closed)

        # Asked before the dialog opens: nobody types a plan the service would refuse.
        open_if_allowed(self, lambda: may.check(rt, session, "person.flag"), allowed, self.message)


def attention_dialog(rt: Runtime, session: SignedInUser, row: FrequentUser) -> NightDialog:
    """The dialog for the flag: on or off, a plan code, and an end date (empty: until further)."""

    def submit(values: dict[str, str]) -> str:
        on = values["on"] == "ja"
        until = parse_date(values["until"]) if on else None
        persons.set_special_attention(rt, session, row.id, until, on, plan=values["plan"])
        return f"Særlig opmærksomhed for {row.label}: {'ja' if on else 'nej'}."

    fields = [
        choice_field("on", "Opmærksomhed", [("ja", "Ja"), ("nej", "Nej")], "ja"),
        text_field("plan", "Plan (kode)", row.plan, placeholder="fx SP-12"),
        text_field("until", "Til og med", placeholder="dd-mm-åååå (tom: indtil videre)"),
    ]
    return NightDialog(
        f"Særlig opmærksomhed: {row.label}",
        fields,
        submit,
        dialog=f"frequent.attention:{row.id}",
        note="Kun en kort henvisning til planen, ingen journaltekst.",
    )
