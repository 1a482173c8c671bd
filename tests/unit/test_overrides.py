"""One test per override in akut_tui/overrides.py: each fails if Textual's internals move.

These are the only tests allowed to read private Textual names: they check that
what the overrides lean on is still there and still behaves as measured.
"""

from __future__ import annotations

import inspect

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Input

from akut_tui.overrides import QuietApp, QuietModalScreen, QuietScreen


class _Form(QuietScreen[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")


class _App(QuietApp[None]):
    def on_mount(self) -> None:
        self.push_screen(_Form())


def test_focused_reactive_upstream_still_repaints_and_ours_does_not() -> None:
    """Override 1: Screen.focused is a repainting reactive upstream; ours is not."""
    upstream = Screen.__dict__["focused"]
    assert isinstance(upstream, Reactive)
    assert upstream._repaint is True, "Textual no longer repaints on focus: drop override 1"
    for quiet in (QuietScreen, QuietModalScreen):
        ours = quiet.__dict__["focused"]
        assert isinstance(ours, Reactive) and ours._repaint is False
    # The binding refresh that must keep running is the private watcher.
    assert callable(getattr(Screen, "_watch_focused", None))


async def test_focus_change_does_not_repaint_the_screen() -> None:
    """Override 1 in action: Tab refreshes the two inputs, not the screen."""
    app = _App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#a", Input).focus()
        await pilot.pause()
        calls: list[tuple[bool, bool]] = []
        original = screen.refresh

        def spy(*args: object, repaint: bool = True, layout: bool = False, **kw: object) -> object:
            calls.append((repaint, layout))
            return original(*args, repaint=repaint, layout=layout, **kw)  # type: ignore[arg-type]

        screen.refresh = spy  # type: ignore[method-assign]
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is screen.query_one("#b", Input)
        assert (True, False) not in calls


def test_prune_still_refreshes_the_app_layout() -> None:
    """Override 2 exists because App._prune calls parent.refresh(layout=True)."""
    source = inspect.getsource(App._prune)
    assert "parent.refresh(layout=True)" in source
    parameters = list(inspect.signature(App.refresh).parameters)
    assert parameters == ["self", "repaint", "layout", "recompose"]


async def test_layout_refresh_does_not_repaint_the_screen() -> None:
    """Override 2 in action: app.refresh(layout=True) reflows without a full repaint."""
    app = _App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen: list[tuple[bool, bool]] = []
        original = app.screen.refresh

        def spy(*args: object, repaint: bool = True, layout: bool = False, **kw: object) -> object:
            seen.append((repaint, layout))
            return original(*args, repaint=repaint, layout=layout, **kw)  # type: ignore[arg-type]

        app.screen.refresh = spy  # type: ignore[method-assign]
        app.refresh(layout=True)
        app.refresh()
        assert seen == [(False, True), (True, False)]


def test_fatal_error_internals_are_still_there() -> None:
    """Override 3 writes to _exit_renderables and closes like Textual's own _fatal_error."""
    source = inspect.getsource(App._fatal_error)
    assert "show_locals=True" in source, "Textual's crash report changed: review override 3"
    assert "_close_messages_no_wait" in source
    assert callable(getattr(App, "_close_messages_no_wait", None))
    assert "_exit_renderables" in inspect.getsource(App.__init__)
    assert "_exception" in inspect.getsource(App.__init__)


class _Crash(QuietApp[None]):
    def on_mount(self) -> None:
        secret = "0101701234 Jens Hansen"  # a local that must never reach the terminal
        raise RuntimeError(f"boom {len(secret)}")


async def test_crash_prints_an_incident_id_and_no_locals(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Override 3 in action: the exit text names an incident, never a local variable."""
    monkeypatch.setenv("AKUT_ERROR_LOG", str(tmp_path) + "/errors.log")
    app = _Crash()
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)):
            pass
    rendered = capsys.readouterr().err
    assert "Akut stoppede uventet (hændelse" in rendered
    assert "Jens" not in rendered and "0101701234" not in rendered


class _Ping(Message):
    """A message nobody handles."""


async def test_type_ahead_reads_still_exist_and_mean_idle() -> None:
    """Reads 4 and 5 (pump_idle, has_after_refresh_callbacks) lean on private fields."""
    from akut_tui.overrides import has_after_refresh_callbacks, pump_idle

    app = _App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for name in ("_message_queue", "_pending_message", "_next_callbacks"):
            assert hasattr(screen, name), name
        assert isinstance(screen._callbacks, list)
        assert pump_idle(screen)
        assert not has_after_refresh_callbacks(screen)
        screen.call_after_refresh(lambda: None)  # queued first, then held until a refresh
        assert not pump_idle(screen) or has_after_refresh_callbacks(screen)
        await pilot.pause()
        screen.post_message(_Ping())
        assert not pump_idle(screen)
        await pilot.pause()
        assert pump_idle(screen) and not has_after_refresh_callbacks(screen)
