"""The shift's contacts, newest first; Enter opens one for editing (if allowed)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from akut_tui.core.clock import format_time
from akut_tui.services.base.dto import ContactRow
from akut_tui.services.base.value_lists import label_for as label
from akut_tui.services.contacts import records as contacts
from akut_tui.tui_kit.messages import OpenFullForm
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.support.triage import LEVEL_TEXT


def _kind(row: ContactRow) -> str:
    if row.contact_type != "krise":
        return label("contact_type", row.contact_type)
    return label("channel", row.channel)


class ContactsScreen(ListScreen[ContactRow]):
    """A table of this shift's contacts."""

    SPEC = ListSpec(
        "contacts", contacts.shift_contacts, "Vagtens henvendelser (nyeste først)",
        ("Nr.", "Tid", "Type", "Niveau", "Min", "Medarbejder"),
        loading="Enter åbn/ret · Esc tilbage",
        empty="Ingen henvendelser i denne vagt endnu. Esc tilbage",
    )  # fmt: skip

    BINDINGS = [
        Binding("enter", "choose", "Åbn/ret", id="contacts.open"),
    ]

    def cells(self, row: ContactRow) -> Cells:
        return (
            Text(str(row.id)),
            Text(format_time(row.started_at, self.timezone)),
            Text(_kind(row)),
            Text(LEVEL_TEXT.get(row.crisis_level or "", "").capitalize()),
            Text("" if row.duration_min is None else str(row.duration_min)),
            Text(row.staff),
        )

    def row_chosen(self, row: ContactRow) -> None:
        """Open the contact in the full form (own contacts of this shift, or by role)."""
        if not row.editable:
            self.message("Du kan kun rette dine egne henvendelser i vagten.")
            return
        self.act(
            lambda rt, session: contacts.load_contact(rt, session, row.id),
            lambda form: self.post_message(OpenFullForm(form, None, row.id)),
        )
