"""Unit tests for the building blocks that need no running app: menu, table plan, drafts."""

from __future__ import annotations

import pytest

from akut_tui.tui import menu
from akut_tui.tui.app import AkutApp
from akut_tui.tui.session import DraftRegistry
from screens.blocks.list_screen import TablePlan, plan_update
from screens.support.key_markers import key_label


def test_home_menu_follows_the_role() -> None:
    staff = dict(menu.home_lines("medarbejder"))
    leader = dict(menu.home_lines("leder"))
    assert "F9/b" not in staff and leader["F9/b"] == "Brugere"
    assert staff["F2/r"] == "Hurtig registrering (telefon, anonym)"
    assert list(leader)[-4:] == ["F1/?", "Ctrl+L", "F12", "Ctrl+Q"]


def test_the_oversight_letters_share_one_line_for_coordinators_and_leaders() -> None:
    """Issue 18 §4-5: f and d for coordinators and leaders, beside the night work's line."""
    for role in ("koordinator", "leder"):
        lines = dict(menu.home_lines(role))
        assert lines["f/d"] == "Hyppige brugere · Datakvalitet"
        assert lines["s/u/h"] == "Senge · Udkørsel · Overlevering"
    staff = dict(menu.home_lines("medarbejder"))
    assert "f/d" not in staff and "s/u/h" in staff


def test_every_menu_key_is_an_app_binding() -> None:
    bound = {binding.key for binding in AkutApp.BINDINGS if hasattr(binding, "key")}
    for entry in menu.MENU:
        assert not entry.key or entry.key in bound
        assert not entry.letter or entry.letter in bound
    assert menu.find("p") is menu.find("f7")
    assert menu.find("x") is None


@pytest.mark.parametrize(
    ("shown", "wanted", "plan"),
    [
        (["1", "2", "3"], ["1", "2", "3"], TablePlan(rebuild=False)),
        (["1", "2", "3"], ["1", "3"], TablePlan(rebuild=False, remove=("2",))),
        (["1", "2"], ["1", "2", "4"], TablePlan(rebuild=False, append=("4",))),
        (["1", "2"], ["2", "1"], TablePlan(rebuild=True)),
        (["1", "3"], ["1", "2", "3"], TablePlan(rebuild=True)),
        ([], ["1"], TablePlan(rebuild=False, append=("1",))),
    ],
)
def test_plan_update_redraws_only_what_changed(
    shown: list[str], wanted: list[str], plan: TablePlan
) -> None:
    assert plan_update(shown, wanted) == plan


class _Keeper:
    def __init__(self) -> None:
        self.flushed: list[bool] = []

    def flush(self, wait: bool = False) -> None:
        self.flushed.append(wait)


def test_draft_registry_flushes_what_waits() -> None:
    registry = DraftRegistry()
    first, second = _Keeper(), _Keeper()
    registry.register(first)
    registry.register(first)
    registry.register(second)
    registry.unregister(second)
    registry.flush_all(wait=True)
    assert first.flushed == [True] and second.flushed == []
    assert registry.pending == 1


@pytest.mark.parametrize(
    ("key", "label"),
    [("ctrl+l", "Ctrl+L"), ("question_mark", "?"), ("f12", "F12"), ("escape", "Esc")],
)
def test_key_label(key: str, label: str) -> None:
    assert key_label(key) == label


def test_every_lazy_screen_resolves_to_a_screen_class() -> None:
    import importlib

    from textual.screen import Screen

    lazy = [entry.screen for entry in menu.MENU if isinstance(entry.screen, menu.LazyScreen)]
    assert len(lazy) >= 9
    for factory in lazy:
        module, _, name = factory.path.rpartition(".")
        screen_class = getattr(importlib.import_module(f"screens.{module}"), name)
        assert issubclass(screen_class, Screen)
