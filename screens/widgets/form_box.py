"""The form box: a centred panel with a title, a few lines of text, labelled fields and a message.

Login, first run, the lock screen, the forced password change and the
re-authentication dialog are all this box with other fields. The box builds the
widgets (ids are the field names, so tests and keys find them), reads and clears
values, moves focus and shows the message line; the screen around it only says
what happens on Enter. Its look (width, margins) is in the stylesheet under the
box's id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label

from screens.support.workers import run_service
from screens.widgets.text import Plain, TextInput

T = TypeVar("T")


@dataclass(frozen=True)
class BoxField:
    """One labelled one-row field."""

    id: str
    """The input's id (``username``, ``password``...)."""
    label: str
    """The Danish label above it."""
    password: bool = False
    """Hide what is typed."""
    max_length: int = 256
    """Longest value accepted."""


USERNAME = BoxField("username", "Brugernavn", max_length=64)
"""The username field, as on every box that asks for one."""


class FormBox(Vertical):
    """Title, text lines, fields, message line and an optional key line, in that order.

    The first field has the focus when the box is mounted. Enter in every field
    but the last moves on to the next one; Enter in the last one posts
    :class:`FormBox.Submitted`, which the screen handles
    (``on_form_box_submitted``).
    """

    class Submitted(Message):
        """Enter in the box's last field: the screen checks what was typed."""

        def __init__(self, box: FormBox) -> None:
            super().__init__()
            self.box = box
            """The box (read its values with :meth:`FormBox.value`)."""

    DEFAULT_CSS = """
    FormBox { height: auto; padding: 1 2; background: $panel; }
    FormBox .box-title { text-style: bold; }
    FormBox .box-message { margin-top: 1; color: $error; height: auto; }
    """

    def __init__(
        self,
        name: str,
        title: str,
        fields: Sequence[BoxField],
        *,
        lines: Sequence[str] = (),
        message: str = "",
        keys: str = "",
    ) -> None:
        """Build the box.

        Args:
            name: Prefix of the ids: the box is ``#<name>-box``, its title
                ``#<name>-title`` and its message line ``#<name>-message``.
            title: The bold first line (plain text, never markup).
            fields: The fields, top to bottom.
            lines: Text lines between the title and the fields.
            message: The message line's first text.
            keys: A last line naming the keys ("Enter bekræfter · Esc fortryder").
        """
        super().__init__(id=f"{name}-box")
        self._prefix = name
        self._title = title
        self._fields = list(fields)
        self._lines = list(lines)
        self._first_message = message
        self._keys = keys

    def compose(self) -> ComposeResult:
        if self._title:
            yield Plain(self._title, id=f"{self._prefix}-title", classes="box-title")
        for line in self._lines:
            yield Plain(line, classes="box-line")
        last = len(self._fields) - 1
        for index, field in enumerate(self._fields):
            yield Label(field.label, classes="box-label")
            yield TextInput(
                id=field.id,
                password=field.password,
                max_length=field.max_length,
                enter_advances=index < last,
            )
        yield Plain(self._first_message, id=f"{self._prefix}-message", classes="box-message")
        if self._keys:
            yield Label(self._keys, classes="box-keys")

    def on_mount(self) -> None:
        self.focus_field()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self))

    def field(self, field_id: str) -> Input:
        """The input ``field_id``."""
        return self.query_one(f"#{field_id}", Input)

    def value(self, field_id: str) -> str:
        """What is typed in ``field_id``."""
        return self.field(field_id).value

    def clear(self, field_id: str) -> None:
        """Empty ``field_id`` (a wrong password) and put the cursor there."""
        field = self.field(field_id)
        field.value = ""
        self.screen.set_focus(field)

    def focus_field(self, field_id: str | None = None) -> None:
        """Put the cursor in ``field_id`` (the first field by default)."""
        target = field_id or (self._fields[0].id if self._fields else None)
        if target is not None:
            self.screen.set_focus(self.field(target))

    def repeated(self, field_id: str, repeat_id: str, mismatch: str) -> bool:
        """True when ``repeat_id`` repeats ``field_id``; otherwise say ``mismatch`` there."""
        if self.value(field_id) == self.value(repeat_id):
            return True
        self.show_message(mismatch)
        self.focus_field(repeat_id)
        return False

    def run(self, busy: str, func: Callable[[], T], on_done: Callable[[T], object]) -> None:
        """Show ``busy``, run ``func`` in a worker, then ``on_done(result)``.

        A failure's Danish message goes to the box's message line; what was
        typed stays.
        """
        self.show_message(busy)
        run_service(self, func, on_done, self.show_message)

    def show_message(self, text: str) -> None:
        """Show ``text`` (plain text) in the message line."""
        self.query_one(f"#{self._prefix}-message", Plain).set_text(text)
