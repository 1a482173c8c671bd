"""Value lists (leader, letter ``v``): relabel a value, add one, retire one (issue 18 §6).

Every value of every list in one table (list, code, label, state). The code
never changes; the service decides what each list allows and says so in Danish.
After a change the app's own copy of the lists is loaded again, so the forms
of this session offer the new labels at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding

from akut_tui.core.plural import count
from akut_tui.services.admin import value_admin
from akut_tui.services.admin.value_admin import ValueEntry
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import ValueLists, load_value_lists
from screens.blocks.ask_first import confirm_then
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.night import NightDialog, text_field
from screens.support.host import host

RULE_TEXT = {"fast": "fast liste", "låst": "kun omdøbes", "åben": ""}

Changed = tuple[ValueEntry, ValueLists]
"""What a change returns: the changed value and the lists as the forms now offer them."""


class ValuesScreen(ListScreen[ValueEntry]):
    """Every value list in one table; e relabels, n adds, x retires or takes back into use."""

    SPEC = ListSpec(
        "values", value_admin.list_values, "Værdilister",
        (("Liste", 17), ("Kode", 20), ("Betegnelse", 20), ("Status", 11)),
        loading="Henter værdilister…", key_line=True,
    )  # fmt: skip

    BINDINGS = [
        Binding("e", "relabel", "Omdøb", id="values.relabel"),
        Binding("n", "add", "Ny værdi", id="values.add"),
        Binding("x", "retire", "Udgår/i brug", id="values.retire"),
    ]

    def key_of(self, row: ValueEntry) -> str:
        """A value is known by its list and code."""
        return row.key

    def cells(self, row: ValueEntry) -> Cells:
        state = "i brug" if row.active else "udgået"
        rule = RULE_TEXT[row.rule]
        return (
            Text(row.list_title),
            Text(row.code),
            Text(row.label),
            Text(f"{state}, {rule}" if rule and not row.active else rule or state),
        )

    def loaded_message(self, rows: Sequence[ValueEntry]) -> str:
        lists = len({row.list_name for row in rows})
        return f"{count(lists, 'liste')}. Koder ændres aldrig; statistik og eksport bruger koderne."

    def row_chosen(self, row: ValueEntry) -> None:
        self.action_relabel()

    def _applied(self, changed: Changed | None, text: str) -> None:
        if changed is None:
            return
        entry, lists = changed
        host(self).value_lists = lists
        self.follow(entry.key)
        self.reload(text.format(label=entry.label, code=entry.code), about_row=True)

    def action_relabel(self) -> None:
        """Give the selected value a new label."""
        row = self.selected("Vælg en værdi i listen.")
        app = host(self)
        session = app.session
        if row is None or session is None:
            return
        rt = app.runtime

        def submit(values: dict[str, str]) -> Changed:
            entry = value_admin.relabel(rt, session, row.list_name, row.code, values["label"])
            return entry, load_value_lists(rt)

        self.app.push_screen(
            NightDialog(
                f"Omdøb {row.code} i {row.list_title}",
                [text_field("label", "Ny betegnelse", row.label)],
                submit,
                dialog=f"values.relabel:{row.list_name}:{row.code}",
                note=f"Nu: {row.label}. Koden {row.code} ændres ikke.",
            ),
            lambda done: self._applied(done, "{code} hedder nu {label}."),
        )

    def action_add(self) -> None:
        """Add a value to the selected value's list (open lists only)."""
        row = self.selected("Vælg en værdi i den liste, der skal have en ny værdi.")
        app = host(self)
        session = app.session
        if row is None or session is None:
            return
        if row.rule != "åben":
            self.message(f"Listen {row.list_title} er fast; der kan ikke tilføjes værdier.")
            return
        rt = app.runtime

        def submit(values: dict[str, str]) -> Changed:
            entry = value_admin.add_value(rt, session, row.list_name, values["label"])
            return entry, load_value_lists(rt)

        self.app.push_screen(
            NightDialog(
                f"Ny værdi i {row.list_title}",
                [text_field("label", "Betegnelse")],
                submit,
                dialog=f"values.add:{row.list_name}",
                note="Koden laves af betegnelsen og ændres aldrig siden.",
            ),
            lambda done: self._applied(done, "Tilføjet: {label} (kode {code})."),
        )

    def action_retire(self) -> None:
        """Retire the selected value (no longer offered), or take it into use again."""
        row = self.selected("Vælg en værdi i listen.")
        app = host(self)
        session = app.session
        if row is None or session is None:
            return
        rt, retire = app.runtime, row.active
        question = (
            f"{row.label} udgår: den tilbydes ikke længere, men tælles stadig under "
            f"koden {row.code} i gamle perioder. Fortsæt?"
            if retire
            else f"Tag {row.label} i brug igen?"
        )

        def change(rt: Runtime = rt, session: SignedInUser = session) -> Changed:
            entry = value_admin.set_retired(rt, session, row.list_name, row.code, retire)
            return entry, load_value_lists(rt)

        confirm_then(
            self,
            question,
            change,
            lambda done: self._applied(
                done, "{label} er udgået." if retire else "{label} er i brug igen."
            ),
            lambda text: self.message(text, about_row=True),
            group="values-action",
        )
