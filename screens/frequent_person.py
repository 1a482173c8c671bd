"""One person's contacts in date order, as codes only (opened from the frequent users).

Loading it is a read of the person, audited by the service
(:func:`akut_tui.services.oversight.frequent_users.person_history`); no note or other
free text is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Label

from akut_tui.core.clock import format_datetime
from akut_tui.core.plural import count
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import label_for
from akut_tui.services.oversight.dto import FrequentUser, PersonContact
from akut_tui.services.oversight.frequent_users import person_history
from screens.blocks.list_screen import Cells, ListScreen, ListSpec

TYPE_TEXT = {
    "krise": "Krise",
    "stille_opkald": "Stille",
    "fejlopkald": "Fejl",
    "testopkald": "Test",
}
LEVEL_TEXT = {
    "alvorlig": "Alvorlig",
    "middel": "Middelsvær",
    "let": "Let",
    "ikke_krise": "Ikke krise",
    "ikke_vurderet": "Ikke vurd.",
}
SHIFT_TEXT = {"dag": "Dag", "aften": "Aften", "nat": "Nat"}


class PersonContactsScreen(ListScreen[PersonContact]):
    """A person's contacts, oldest first: time, shift, type, channel, level, municipality."""

    SPEC = ListSpec(
        "person-contacts",
        None,
        "Henvendelser",
        (("Tidspunkt", 16), ("Vagt", 5), ("Type", 6), ("Kontaktform", 11), ("Niveau", 10),
         ("Kommune", 14)),
        loading="Henter henvendelser…",
        empty="Borgeren har ingen henvendelser.",
        keys="Esc tilbage · F1 alle taster",
    )  # fmt: skip

    BINDINGS = [Binding("escape", "app.pop_screen", "Tilbage", id="person-contacts.back")]

    def __init__(self, person: FrequentUser) -> None:
        super().__init__()
        self._person = person

    def on_mount(self) -> None:
        # Textual runs the list base's on_mount too (it builds the columns and loads).
        person = self._person
        plan = f" · særlig opmærksomhed: {person.plan or 'ja'}" if person.attention else ""
        title = Text(f"Henvendelser: {person.label}{plan}")
        self.query_one("#person-contacts-title", Label).update(title)

    def loader(self, rt: Runtime, session: SignedInUser) -> Callable[[], Sequence[PersonContact]]:
        person_id = self._person.id
        return lambda: person_history(rt, session, person_id).contacts

    def cells(self, row: PersonContact) -> Cells:
        return (
            Text(format_datetime(row.started_at, self.timezone)),
            Text(SHIFT_TEXT.get(row.shift, row.shift)),
            Text(TYPE_TEXT.get(row.contact_type, row.contact_type)),
            Text(label_for("channel", row.channel)),
            Text(LEVEL_TEXT.get(row.crisis_level, "")),
            Text(label_for("municipality", row.municipality)),
        )

    def loaded_message(self, rows: Sequence[PersonContact]) -> str | None:
        if not rows:
            return self.SPEC.empty
        return f"{count(len(rows), 'henvendelse')}, ældste først."
