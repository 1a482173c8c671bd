"""One test per override in akut_tui/tui_kit/overrides.py: each fails if Textual's internals move.

These are the only tests allowed to read private Textual names: they check that
what the overrides lean on is still there and still behaves as measured.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import io
import pkgutil
import re
import tokenize
from pathlib import Path
from types import ModuleType

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input

from akut_tui.tui_kit.overrides import QuietApp, QuietModalScreen, QuietScreen


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
    """Override 2 exists because App._prune calls parent.refresh(layout=True).

    When Textual stops doing so, the batch in QuietApp._one_paint is no longer needed.
    """
    source = inspect.getsource(App._prune)
    assert "parent.refresh(layout=True)" in source


async def _paints_after_pop(pop: str) -> list[str]:
    """What the screen below writes after the top screen is popped (full or partial)."""
    app = _App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(_Form())
        await pilot.pause()
        paints: list[str] = []
        original = app._display

        def spy(screen: Screen[object], renderable: object) -> None:
            paints.append(type(renderable).__name__)
            original(screen, renderable)  # type: ignore[arg-type]

        app._display = spy  # type: ignore[method-assign]
        await (app.pop_screen() if pop == "ours" else App.pop_screen(app))
        for _ in range(4):
            await pilot.pause(0.05)
        return paints


async def test_popping_a_screen_paints_the_one_below_once() -> None:
    """Override 2 in action: upstream paints the screen below twice, ours once."""
    assert (await _paints_after_pop("upstream")).count("LayoutUpdate") >= 2
    assert (await _paints_after_pop("ours")).count("LayoutUpdate") == 1


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


async def test_pump_idle_reads_still_exist_and_mean_idle() -> None:
    """pump_idle leans on private fields; they must still mean "nothing queued"."""
    from akut_tui.tui_kit.overrides import pump_idle

    app = _App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for name in ("_message_queue", "_pending_message"):
            assert hasattr(screen, name), name
        assert pump_idle(screen)
        screen.post_message(_Ping())
        assert not pump_idle(screen)
        await pilot.pause()
        assert pump_idle(screen)


async def test_after_refresh_callbacks_run_in_the_order_queued() -> None:
    """The gate's public means: its after-refresh callback runs after every earlier one,
    and one queued by an earlier callback runs after it (so the gate sees a busy pump)."""
    app = _App()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen, widget = app.screen, app.screen.query_one("#b", Input)
        ran: list[str] = []

        def first() -> None:
            ran.append("first")
            widget.call_after_refresh(ran.append, "queued by first")

        widget.call_after_refresh(first)
        screen.call_after_refresh(ran.append, "gate")
        await pilot.pause()
        await pilot.pause()
        assert ran == ["first", "gate", "queued by first"]


def test_private_names_are_all_there() -> None:
    """The start-up check finds every private name on the Textual Akut was verified with."""
    from akut_tui.tui_kit.overrides import missing_private_names

    assert missing_private_names(_App()) == []


def test_a_missing_private_name_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from akut_tui.tui_kit.overrides import missing_private_names

    monkeypatch.delattr(App, "_fatal_error")
    assert missing_private_names(_App()) == ["App._fatal_error"]


class _Terminal:
    """Stands in for a terminal on stdin and stdout."""

    def isatty(self) -> bool:
        return True


def test_akut_refuses_to_start_without_a_private_name(
    config: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Textual that renamed the crash hook: Danish message, exit code 3, no TUI."""
    from akut_tui.tui import run as tui

    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("sys.stdout", _Terminal())
    monkeypatch.delattr(MessagePump, "_close_messages_no_wait")
    monkeypatch.setattr(App, "run", lambda *a, **k: pytest.fail("the TUI must not start"))
    code = tui.run_tui(config)  # type: ignore[arg-type]
    assert code == tui.EXIT_TEXTUAL == 3
    err = capsys.readouterr().err
    assert "kan ikke starte" in err and "App._close_messages_no_wait" in err


def _textual_private_names() -> set[str]:
    """Private names of Textual's app, screens, widgets and pumps (class and instance)."""
    from textual.widgets import DataTable, Static

    classes = (App, Screen, ModalScreen, Widget, MessagePump, Input, DataTable, Static)
    names = {n for cls in classes for n in dir(cls)}
    for instance in (App(), Screen(), Widget(), Input(), Static(), DataTable()):
        names |= set(vars(instance))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


@functools.cache
def _private_of(base: type) -> set[str]:
    """Private names of a Textual class and of a fresh instance of it."""
    names = set(dir(base)) | set(vars(base()))
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _modules() -> list[ModuleType]:
    import akut_tui
    import screens

    found = []
    for package in (akut_tui, screens):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.endswith("__main__"):
                found.append(importlib.import_module(info.name))
    return found


def _dotted_private_reads(path: str, private: set[str]) -> list[str]:
    """``x._name`` in code (not strings or comments) where x is not self, cls or os."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(Path(path).read_text("utf-8")).readline)
        if t.type not in (tokenize.COMMENT, tokenize.STRING, tokenize.NL, tokenize.NEWLINE)
    ]
    found = []
    for before, dot, name in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if dot.string == "." and name.string in private:
            if before.string not in ("self", "cls", "os"):
                found.append(f"{path}:{name.start[0]}: {before.string}.{name.string}")
    return found


def test_no_private_textual_name_outside_overrides() -> None:
    """Only akut_tui/tui_kit/overrides.py reads, sets or overrides a private Textual name.

    A Textual subclass that defines or assigns a name Textual uses privately
    shadows it (a widget that sets ``self._name`` renames itself); code that reads
    ``something._name`` off a Textual object breaks on the next rename.
    """
    private = _textual_private_names()
    offenders: list[str] = []
    for module in _modules():
        path = module.__file__ or ""
        if module.__name__ == "akut_tui.tui_kit.overrides":
            continue
        offenders += _dotted_private_reads(path, private)
        for cls in vars(module).values():
            if not (isinstance(cls, type) and issubclass(cls, MessagePump)):
                continue
            if cls.__module__ != module.__name__:
                continue
            source = inspect.getsource(cls)
            own = set(re.findall(r"self\.(_[a-z]\w*)\s*[:=]", source))
            own |= set(re.findall(r"^    (?:async )?(?:def )?(_[a-z]\w*)\b", source, re.M))
            theirs = _private_of(next(b for b in cls.__mro__ if b.__module__.startswith("textual")))
            offenders += [f"{cls.__qualname__}.{n}" for n in sorted(own & theirs)]
    assert offenders == []
