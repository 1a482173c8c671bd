"""Unfinished registrations (drafts): resume with Enter, discard with d."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding

from akut_tui.core.clock import format_datetime
from akut_tui.services.base.dto import DraftInfo
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import dialogs as dialog_drafts
from akut_tui.services.drafts import forms as drafts
from akut_tui.tui_kit.messages import OpenFullForm
from screens.blocks.list_screen import Cells, ListScreen, ListSpec
from screens.dialogs.confirm import ConfirmDialog


class DraftsScreen(ListScreen[DraftInfo]):
    """The user's drafts; those from an earlier shift are marked."""

    SPEC = ListSpec(
        "drafts", drafts.list_drafts, "Kladder (ufærdige registreringer)",
        ("Sidst ændret", "Vagt", "Indhold", ""),
        loading="Henter kladder…", empty="Ingen kladder.", key_line=True,
    )  # fmt: skip

    BINDINGS = [
        Binding("enter", "choose", "Genoptag", id="drafts.resume"),
        Binding("d", "discard", "Kassér", id="drafts.discard"),
    ]

    def cells(self, row: DraftInfo) -> Cells:
        return (
            Text(format_datetime(row.updated_at, self.timezone)),
            Text(f"{row.shift.capitalize()} {row.shift_date}"),
            Text(row.summary),
            Text("ældre vagt" if row.stale else ""),
        )

    def loaded_message(self, rows: Sequence[DraftInfo]) -> str:
        if not rows:
            return self.SPEC.empty
        return f"{len(rows)} kladde{'r' if len(rows) != 1 else ''}."

    def row_chosen(self, row: DraftInfo) -> None:
        """Resume the draft in the full form, or open the screen of a dialog draft."""
        if row.dialog is not None:
            # The dialog itself needs that screen's context (the bed, trip or
            # handover); opening it there again brings the kept text back.
            letter = dialog_drafts.dialog_area(row.dialog)
            if letter is not None:
                self.call_later(self.run_action, f"app.open('{letter}')")
            return

        def loaded(result: tuple[ContactInput, int | None]) -> None:
            form, contact_id = result
            self.post_message(OpenFullForm(form, row.id, contact_id))

        self.act(lambda rt, session: drafts.load_draft(rt, session, row.id), loaded)

    def action_discard(self) -> None:
        """Delete the selected draft after a confirmation."""
        draft = self.selected()
        if draft is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                self.message("Kladden er ikke kasseret.")
                return
            self.act(
                lambda rt, session: drafts.discard_draft(rt, session, draft.id),
                lambda _: self.reload("Kladden er kasseret."),
            )

        when = format_datetime(draft.updated_at, self.timezone)
        self.app.push_screen(
            ConfirmDialog(
                f"Kassér kladden fra {when}?\n{draft.summary}\nDen kan ikke hentes igen.",
                yes="kassér",
                no="behold",
            ),
            answered,
        )
