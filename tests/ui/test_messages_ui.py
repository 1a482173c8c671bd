"""Pilot test: the longest real message is shown in full on every screen's message line."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widget import Widget

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from screens.blocks.list_screen import ListScreen
from screens.intake import IntakeScreen
from screens.widgets.quick_log import QuickLogPanel
from screens.widgets.text import MessageLine
from tests.ui.helpers import settle
from tests.ui.pilot_helpers import press, signed_in
from tests.ui.test_layout_ui import SCREEN, assert_shown_in_full

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "akut_tui").rglob("*.py")), *sorted((ROOT / "screens").glob("*.py"))]
SOURCES += [ROOT / "db" / "database.py"]
NOT_SHOWN_IN_THE_TUI = (
    "akut_tui.cli.main",
    "akut_tui.core.config",
    "akut_tui.__main__",
    "akut_tui.cli.commands",
)
"""Modules (and packages) whose messages go to the command line, not to a screen."""


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


MESSAGE_CALLS = {
    "AkutError",
    "ValidationError",
    "PermissionDenied",
    "NotFound",
    "LoginFailed",
    "StorageError",
    "WriteFailed",
    "CprError",
    "PasswordPolicyError",
    "message",
    "_failed",
    "show_message",
    "show_notice",
    "GoHome",
}
"""Calls whose first argument is a message a screen shows."""
PLACEHOLDER = "X" * 12
"""Stands in for a value put into an f-string (a name, a number, a date)."""


def _text_of(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else PLACEHOLDER
            for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text_of(node.left, constants), _text_of(node.right, constants)
        return left + right if left is not None and right is not None else None
    return None


def collect_messages() -> list[str]:
    """Every message the code hands to an error or a message line, longest first."""
    found: set[str] = set()
    for path in SOURCES:
        name = _module_name(path)
        if any(name == m or name.startswith(m + ".") for m in NOT_SHOWN_IN_THE_TUI):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in MESSAGE_CALLS:
                text = _text_of(node.args[0], constants)
                if text and " " in text:
                    found.add(text)
    return sorted(found, key=len, reverse=True)


def test_messages_are_collected() -> None:
    messages = collect_messages()
    assert len(messages) > 50
    assert any(m.startswith("CPR-nummeret indeholder en dato") for m in messages)
    assert any("disken" in m.lower() for m in messages)


LONGEST = "Ikke gemt: 12 felt(er) skal rettes. " + collect_messages()[0]
"""The longest message, as the full form would show it after a refused save."""


def _assert_fits(app: AkutApp, line: Widget, text: str) -> None:
    assert SCREEN.contains_region(line.region), line.region
    assert_shown_in_full(app, text)


async def test_longest_message_shown_in_full(config: Config, rt: Runtime) -> None:
    assert len(LONGEST) > 78  # needs wrapping at 80 columns
    async with signed_in(config, rt, "leder", name="lise") as (app, pilot):
        for key in ("f3", "f4", "f5", "f6", "f7", "f9"):  # every screen with a message line
            await press(app, pilot, key)
            screen = app.screen
            assert isinstance(screen, ListScreen | IntakeScreen)
            screen.message(LONGEST)
            await settle(app, pilot)
            _assert_fits(app, screen.query_one(MessageLine), LONGEST)
            await press(app, pilot, "escape")


async def test_longest_message_in_the_quick_log(config: Config, rt: Runtime) -> None:
    async with signed_in(config, rt) as (app, pilot):
        await pilot.press("f2", "3")  # Alvorlig: the escalation row shows too
        await settle(app, pilot)
        panel = app.screen.query_one(QuickLogPanel)
        panel._message(LONGEST)
        await settle(app, pilot)
        _assert_fits(app, panel.query_one("#ql-message"), LONGEST)
        assert SCREEN.contains_region(panel.region)
