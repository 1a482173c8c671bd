"""The type-ahead gate across a dialog that hands over to the next one (a form, then a password).

A form's Ctrl+S checks the input in a worker, then the form closes and a second
dialog opens (the users screen: form, then the leader's password). The gate had
queued its after-refresh wait on the form; the form closed before it refreshed
again, the wait was dropped with it, and the gate held every later key back for
good: the Enter in the password dialog never arrived. A minimal app with Akut's
gate shows it without the rest of Akut.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message_pump import Callback
from textual.widgets import Input, Label

from akut_tui.tui_kit.overrides import QuietApp, QuietModalScreen, QuietScreen
from akut_tui.tui_kit.typeahead import KeyGate

SIZE = (80, 24)


class Second(QuietModalScreen[None]):
    """The dialog the form hands over to; counts the Enters it receives."""

    BINDINGS = [Binding("enter", "confirm", "OK", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.enters = 0

    def compose(self) -> ComposeResult:
        yield Input(id="second-input")

    def action_confirm(self) -> None:
        """Count an Enter."""
        self.enters += 1


class Form(QuietModalScreen[bool]):
    """A form whose Ctrl+S is answered at once; the form closes and the next dialog opens.

    Textual drops the after-refresh callbacks of a screen that is removed before
    it refreshes again; in Akut that happens when the answer from the worker comes
    between the gate's wait and the form's next frame (timing: a loaded machine,
    ``tests/ui/test_users_ui.py``). Here it is made certain: the form drops the
    wait the gate queued on it while it is answering, as its removal would.
    """

    BINDINGS = [Binding("ctrl+s", "save", "Gem", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self._saving = False
        self.dropped: list[Callback] = []
        """The after-refresh callbacks the form dropped (as a removed screen does)."""

    def compose(self) -> ComposeResult:
        yield Input(id="form-input")

    def action_save(self) -> None:
        """The check is answered right after the gate's next wait."""
        self._saving = True

    def call_after_refresh(self, callback: Callback, *args: Any, **kwargs: Any) -> bool:
        """While answering, drop ``callback`` (the form closes before it would run)."""
        if not self._saving:
            return super().call_after_refresh(callback, *args, **kwargs)
        self._saving = False
        self.dropped.append(callback)
        self.app.call_later(self.dismiss, True)
        return True


class Base(QuietScreen[None]):
    """The screen that opens the form and, once it is answered, the next dialog."""

    def compose(self) -> ComposeResult:
        yield Label("Brugere")

    def on_mount(self) -> None:
        self.app.push_screen(Form(), lambda _checked: self.app.push_screen(Second()))


class GatedApp(QuietApp[None]):
    """Keys go through Akut's :class:`KeyGate`, as in ``AkutApp.on_event``."""

    def __init__(self) -> None:
        super().__init__()
        self.key_gate = KeyGate(self, super().on_event)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_gate.key(event)
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.push_screen(Base())


async def test_a_key_after_a_form_hands_over_reaches_the_next_dialog() -> None:
    app = GatedApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, Form)
        await pilot.press("ctrl+s")
        for _ in range(5):
            await pilot.pause()
        second = app.screen
        assert isinstance(second, Second)
        assert form.dropped, "the gate's wait was never queued on the form"
        assert not app.key_gate.busy, "the gate still holds keys back after the form closed"
        await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        assert second.enters == 1
