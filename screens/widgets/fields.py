"""Compact, keyboard-only form widgets: one line each where possible.

Each widget renders plain :class:`rich.text.Text` (never markup), repaints
only its own lines on a key press, and posts :class:`FieldChanged` so the
screen can save a draft. Letters and digits select values, so nothing needs
a mouse and no drop-down overlay has to be drawn over a slow link.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from akut_tui.core.plural import fit_label
from screens.support.key_markers import EnterAdvances

LABEL_WIDTH = 20
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class FieldChanged(Message):
    """A form field changed value (posted by every widget here)."""

    def __init__(self, field: Widget) -> None:
        super().__init__()
        self.field = field


def toggle_code(selected: list[str], code: str, exclusive: Collection[str] = ()) -> None:
    """Select or unselect ``code`` in ``selected`` (in place).

    A code in ``exclusive`` (such as "Ingen yderligere tiltag") stands alone:
    choosing it clears the others, and choosing another clears it.
    """
    if code in selected:
        selected.remove(code)
        return
    if code in exclusive:
        selected.clear()
    else:
        selected[:] = [c for c in selected if c not in exclusive]
    selected.append(code)


def _label(text: str, focused: bool = False) -> Text:
    # A text marker as well as colour: focus must show on NO_COLOR terminals too.
    # The marker gives up its space before the label gives up a letter, and a label
    # too long anyway is shortened at a word ("…"), never cut mid-word.
    label = fit_label(text, LABEL_WIDTH - 2)
    marker = ""
    if focused:
        marker = "▸ " if len(label) + 2 <= LABEL_WIDTH - 1 else "▸"
    return Text((marker + label).ljust(LABEL_WIDTH), style="bold")


class Choice(EnterAdvances, Widget, can_focus=True):
    """Pick one value: Left/Right or Space cycle, typing a label's first letters jumps.

    ``hotkeys`` maps single keys (e.g. digits) straight to codes.
    """

    DEFAULT_CSS = """
    Choice { height: 1; width: 1fr; }
    Choice:focus { background: ansi_blue; color: ansi_bright_white; }
    Choice.-invalid { background: ansi_red; }
    """

    value: reactive[str] = reactive("", layout=False)

    def __init__(
        self,
        label: str,
        options: Sequence[tuple[str, str]],
        value: str = "",
        *,
        empty_label: str | None = None,
        hotkeys: dict[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.options: list[tuple[str, str]] = list(options)
        if empty_label is not None:
            self.options.insert(0, ("", empty_label))
        self.hotkeys = hotkeys or {}
        self._prefix = ""
        self.set_reactive(Choice.value, value if value in self.codes() else self.options[0][0])

    def codes(self) -> list[str]:
        """The codes in display order."""
        return [code for code, _ in self.options]

    def current_label(self) -> str:
        """The label of the selected value."""
        return dict(self.options).get(self.value, "")

    def render(self) -> Text:
        text = _label(self.label, self.has_focus)
        text.append("‹ " if self.has_focus else "  ")
        text.append(self.current_label())
        text.append(" ›" if self.has_focus else "")
        if self.hotkeys and self.has_focus:
            keys = " ".join(k for k in self.hotkeys)
            text.append(f"   (taster {keys})", style="dim")
        return text

    def watch_value(self) -> None:
        self.post_message(FieldChanged(self))

    def _step(self, delta: int) -> None:
        codes = self.codes()
        self.value = codes[(codes.index(self.value) + delta) % len(codes)]

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if key in ("right", "space"):
            self._step(1)
        elif key == "left":
            self._step(-1)
        elif key in self.hotkeys:
            self.value = self.hotkeys[key]
        elif key == "backspace":
            self._prefix = ""
        elif event.character and event.is_printable:
            self._jump(event.character.lower())
        else:
            return
        event.stop()
        event.prevent_default()

    def _jump(self, char: str) -> None:
        for prefix in (self._prefix + char, char):
            for code, label in self.options:
                if label.lower().startswith(prefix):
                    self._prefix = prefix
                    self.value = code
                    return
        self._prefix = ""

    def on_blur(self) -> None:
        self._prefix = ""
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()


class Toggle(EnterAdvances, Widget, can_focus=True):
    """Yes/no: Space toggles, j sets ja, n sets nej."""

    DEFAULT_CSS = """
    Toggle { height: 1; width: 1fr; }
    Toggle:focus { background: ansi_blue; color: ansi_bright_white; }
    Toggle.-invalid { background: ansi_red; }
    """

    value: reactive[bool] = reactive(False, layout=False)

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.set_reactive(Toggle.value, value)

    def render(self) -> Text:
        text = _label(self.label, self.has_focus)
        text.append("  [x] ja" if self.value else "  [ ] nej")
        return text

    def watch_value(self) -> None:
        self.post_message(FieldChanged(self))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        if event.key == "space":
            self.value = not self.value
        elif event.key == "j":
            self.value = True
        elif event.key == "n":
            self.value = False
        else:
            return
        event.stop()
        event.prevent_default()


class MultiChoice(EnterAdvances, Widget, can_focus=True):
    """Pick several values: each option has a letter that toggles it."""

    DEFAULT_CSS = """
    MultiChoice { height: auto; width: 1fr; }
    MultiChoice:focus { background: ansi_blue; color: ansi_bright_white; }
    MultiChoice.-invalid { background: ansi_red; }
    """

    def __init__(
        self,
        label: str,
        options: Sequence[tuple[str, str]],
        selected: Sequence[str] = (),
        *,
        letters: str = LETTERS,
        exclusive: Collection[str] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.exclusive = frozenset(exclusive)
        """Codes that stand alone (choosing one clears the others, and back)."""
        self.options = list(options)
        self.letters = letters[: len(self.options)]
        self.selected: list[str] = [c for c in selected if c in dict(self.options)]

    def render(self) -> Text:
        text = _label(self.label, self.has_focus)
        indent = " " * LABEL_WIDTH
        width = max(self.size.width, LABEL_WIDTH + 20)
        column = LABEL_WIDTH
        for letter, (code, label) in zip(self.letters, self.options, strict=False):
            mark = "x" if code in self.selected else " "
            item = f"{letter}[{mark}]{label}  "
            if column + len(item) > width and column > LABEL_WIDTH:
                text.append("\n" + indent)
                column = LABEL_WIDTH
            text.append(item, style="bold" if code in self.selected else "")
            column += len(item)
        return text

    def toggle(self, code: str) -> None:
        """Select or unselect ``code`` (an exclusive code clears the others, and back)."""
        toggle_code(self.selected, code, self.exclusive)
        self.refresh(layout=True)
        self.post_message(FieldChanged(self))

    def set_selected(self, codes: Sequence[str]) -> None:
        """Replace the selection."""
        self.selected = [c for c in codes if c in dict(self.options)]
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if len(char) == 1 and char in self.letters:
            self.toggle(self.options[self.letters.index(char)][0])
            event.stop()
            event.prevent_default()
