"""Small keyboard dialogs for the night screens (check-in, decision, check-out, notes).

Each dialog holds a few one-line fields and calls its service in a thread
worker. A refusal shows the Danish message in the dialog and moves focus to
the field it names; nothing typed is lost. Ctrl+S (or F10) saves.

Every dialog keeps what was typed as a draft (issue 14), built in here so a new
dialog cannot forget it: the constructor takes the dialog key (``dialog=``, ids
only, e.g. ``beds.check_in:3``), a :class:`DialogDraftKeeper` writes the fields
a few seconds after a change and whenever the session flushes drafts (a lock,
logout, quit, hang-up, a screen change), and opening the same dialog again
brings the text back. Esc closes and keeps the text (the key line says so); F8
throws it away after a j/n question; a successful save removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from akut_tui.core.errors import AkutError
from akut_tui.core.plural import fit_label
from akut_tui.services.drafts import dialogs as dialog_drafts
from akut_tui.services.drafts.dialogs import DialogDraft
from akut_tui.tui_kit.overrides import QuietModalScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.support.dialog_drafting import DialogDraftKeeper
from screens.support.host import host
from screens.support.workers import describe_failure, run_service
from screens.widgets.fields import LABEL_WIDTH, Choice, FieldChanged
from screens.widgets.text import Plain, TextInput

YES_NO: list[tuple[str, str]] = [("", "Ikke besvaret"), ("nej", "Nej"), ("ja", "Ja")]
"""Options for a question that must be answered (no default)."""


def yes_no(value: str) -> bool | None:
    """Turn a :data:`YES_NO` code into True/False/None."""
    return {"ja": True, "nej": False}.get(value)


class Field:
    """One dialog field: a name, and a TextInput (with a label) or a Choice."""

    def __init__(
        self,
        name: str,
        label: str,
        widget: TextInput | Choice,
        ask: Callable[[str], str | None] | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.widget = widget
        self.ask = ask
        """Returns a j/n question for a value that needs confirming (e.g. another day)."""


def text_field(name: str, label: str, value: str = "", placeholder: str = "") -> Field:
    """A one-line text field."""
    return Field(
        name,
        label,
        TextInput(value=value, placeholder=placeholder, id=f"f-{name}", enter_advances=True),
    )


def choice_field(
    name: str, label: str, options: Sequence[tuple[str, str]], value: str = ""
) -> Field:
    """A pick-one field (Left/Right, Space or the first letters of a label)."""
    return Field(name, label, Choice(label, options, value, id=f"f-{name}"))


KEY_LINE = "Ctrl+S gem · Tab næste · Esc luk (teksten gemmes) · F8 kassér"
"""The dialog's key line: Esc keeps the typed text, F8 throws it away."""


class NightDialog(QuietModalScreen[Any]):
    """A titled box of fields; ``submit(values)`` runs in a worker and closes the dialog."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Gem", id="night_dialog.save"),
        Binding("f10", "save", "Gem", show=False),
        Binding("escape", "cancel", "Luk (teksten gemmes)", id="night_dialog.cancel"),
        Binding("f8", "discard", "Kassér teksten", id="night_dialog.discard"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        submit: Callable[[dict[str, str]], Any],
        *,
        dialog: str,
        note: str = "",
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = fields
        self._submit = submit
        self._note = note
        self._busy = False
        self._confirmed: dict[str, str] = {}
        """Field name → the value whose question was answered ja."""
        self.drafts = DialogDraftKeeper(self, dialog, title, self.values, self.show_message)
        """Keeps the typed text as a draft under the key ``dialog``."""
        self._last: dict[str, str] = {}
        """The values at the last change or restore (an event that changes nothing writes
        nothing: restoring a draft posts change events too)."""
        self.restored = False
        """True once a kept draft was put back into the fields."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Plain(self._title, id="dialog-title")
            for field in self._fields:
                if isinstance(field.widget, Choice):
                    yield field.widget
                else:
                    with Horizontal(classes="dialog-row"):
                        label = fit_label(field.label, LABEL_WIDTH - 1)
                        yield Label(label, classes="dialog-label", markup=False)
                        yield field.widget
            if self._note:
                yield Plain(self._note, id="dialog-note")
            yield Plain("", id="dialog-message")
            yield Plain(KEY_LINE, id="dialog-keys")

    def on_mount(self) -> None:
        if self._fields:
            self._fields[0].widget.focus()
        self._last = self.values()
        app = host(self)
        session, dialog = app.session, self.drafts.dialog
        if session is None or not app.runtime_ready():
            return
        rt = app.runtime
        # The key that opened the dialog waits for this worker (type-ahead), so
        # keys typed after it land in the restored fields, not under them.
        run_service(
            self,
            lambda: dialog_drafts.load(rt, session, dialog),
            self._restore,
            self.show_message,
            group="dialog-draft",
        )

    def _restore(self, draft: DialogDraft | None) -> None:
        """Put a kept draft back into the fields."""
        if draft is None:
            return
        self.drafts.stored = True
        if not draft.values:
            self.show_message("Den gemte tekst kan ikke læses (F8 kasserer den).")
            return
        for field in self._fields:
            if field.name in draft.values:
                field.widget.value = draft.values[field.name]
        self._last = self.values()
        self.restored = True
        self.show_message("Din gemte tekst er hentet igen. F8 kasserer den.")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def on_field_changed(self, event: FieldChanged) -> None:
        event.stop()
        self._changed()

    def _changed(self) -> None:
        values = self.values()
        if values != self._last:
            self._last = values
            self.drafts.changed()

    def values(self) -> dict[str, str]:
        """The current field values by name (text as typed, choices as codes)."""
        result: dict[str, str] = {}
        for field in self._fields:
            widget = field.widget
            result[field.name] = str(widget.value)
        return result

    @property
    def message(self) -> str:
        """The text of the message line."""
        return str(self.query_one("#dialog-message", Plain).render())

    def show_message(self, text: str) -> None:
        """Show ``text`` in the dialog's message line."""
        self.query_one("#dialog-message", Plain).set_text(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        """Close without saving; what was typed stays as a draft."""
        self.drafts.flush()
        self.dismiss(None)

    def action_discard(self) -> None:
        """Ask first; on ja throw the typed text (and its draft) away and close."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.drafts.discard()
                self.dismiss(None)
            else:
                self.show_message("Teksten er ikke kasseret.")

        self.app.push_screen(
            ConfirmDialog("Kassér teksten i dialogen?", yes="kassér", no="behold"), answered
        )

    def action_save(self) -> None:
        """Run the service with the field values; close on success, explain on refusal."""
        if self._busy:
            return
        values = self.values()
        if self._ask_first(values):
            return
        self._busy = True
        submit = self._submit
        self.show_message("Gemmer…")
        self.drafts.close(discard_late=True)

        def work() -> None:
            try:
                result = submit(values)
            except AkutError as exc:
                self.app.call_from_thread(self._refused, str(exc), getattr(exc, "field", ""))
                return
            except Exception as exc:  # noqa: BLE001 - reported by incident id only
                self.app.call_from_thread(self._refused, describe_failure(exc), "")
                return
            self.app.call_from_thread(self._done, result)

        self.run_worker(work, thread=True, exclusive=True, group="dialog", exit_on_error=False)

    def _ask_first(self, values: dict[str, str]) -> bool:
        """Ask a field's j/n question before saving; True while an answer is awaited."""
        for field in self._fields:
            value = values[field.name]
            question = field.ask(value) if field.ask else None
            if question is None or self._confirmed.get(field.name) == value:
                continue

            def answered(yes: bool | None, name: str = field.name, typed: str = value) -> None:
                if yes:
                    self._confirmed[name] = typed
                    self.action_save()
                else:
                    self.show_message("Ret tidspunktet, og gem igen.")
                    self._focus_field(name)

            self.app.push_screen(ConfirmDialog(question), answered)
            return True
        return False

    def _focus_field(self, name: str) -> None:
        for item in self._fields:
            if item.name == name:
                item.widget.focus()
                return

    def _done(self, result: Any) -> None:
        self._busy = False
        self.drafts.discard()  # saved: the kept text is no longer needed
        self.dismiss(result)

    def _refused(self, text: str, field: str) -> None:
        self._busy = False
        self.drafts.reopen()
        self.drafts.changed()  # the refused text is kept as a draft
        self.show_message(text)
        for item in self._fields:
            if item.name == field or (field == "exclusions" and item.name == "intoxicated"):
                item.widget.focus()
                break
