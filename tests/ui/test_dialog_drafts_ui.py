"""Pilot tests at 80x24 for issue 14 §1-2: every night dialog keeps what was typed.

:data:`DIALOGS` enumerates every dialog the night screens open; each one is typed
into, left, and opened again: the text is back. The ways of leaving (Esc, an
F-key, Ctrl+L, F12, Ctrl+Q, the idle lock, a disabled account, the 12-hour
limit) are run against the check-in dialog (a CPR) and the handover dialog.
Lock, logout and help are app keys that no dialog swallows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.night import handover, handover_items, outreach, stays
from akut_tui.tui.app import AkutApp
from db.database import connection
from db.models import ContactDraft
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.help import HelpScreen
from screens.dialogs.night import NightDialog
from screens.lock import LockScreen
from screens.login import LoginScreen
from tests.conftest import PASSWORD
from tests.night_helpers import bed_ids, form
from tests.oversight_fixture import frequent_fixture
from tests.ui.helpers import login, make_user, settle
from tests.ui.pilot_helpers import press, running, signed_in

SIZE = (80, 24)
TYPED_CPR = "0101901234"


@dataclass(frozen=True)
class Case:
    """One dialog: how to get there and which field to type into."""

    screen: str
    """The menu letter of the screen that opens it."""
    key: str
    """The key that opens it there."""
    field: str
    """A field to type into (a text field; for a choice-only dialog, a choice)."""
    dialog: str
    """The start of its draft key."""
    role: str = "medarbejder"
    setup: Callable[[Runtime, SignedInUser], None] | None = None
    letter: str = "j"
    """For a choice field: the letter that picks another value ("Ja")."""


def _occupied(rt: Runtime, who: SignedInUser) -> None:
    stays.check_in(rt, who, form(bed_ids()[0]))


def _reserved(rt: Runtime, who: SignedInUser) -> None:
    stays.check_in(rt, who, form(bed_ids()[0], reserve=True, night=rt.today()))


def _trip(rt: Runtime, who: SignedInUser) -> None:
    outreach.depart(rt, who)


def _item(rt: Runtime, who: SignedInUser) -> None:
    handover_items.add_item(rt, who, handover.current_shift(rt), "hvis_saa", "Hvis uro: ring")


def _frequent(rt: Runtime, who: SignedInUser) -> None:
    frequent_fixture()


DIALOGS = {
    "check_in": Case("s", "t", "cpr_text", "beds.check_in:"),
    "reserve": Case("s", "e", "cpr_text", "beds.reserve:"),
    "decide": Case("s", "d", "referred_to", "beds.decide:", setup=_occupied),
    "check_out": Case("s", "x", "at", "beds.check_out:", setup=_occupied),
    "arrive": Case("s", "a", "intoxicated", "beds.arrive:", setup=_reserved),
    "out_of_service": Case("s", "g", "reason", "beds.out_of_service:", role="leder"),
    "depart": Case("u", "a", "companion", "outreach.depart"),
    "return": Case("u", "k", "at", "outreach.return:", setup=_trip),
    "handover_summary": Case("h", "t", "situation", "handover.summary:"),
    "handover_action": Case("h", "a", "body", "handover.handling:"),
    "handover_plan": Case("h", "p", "body", "handover.hvis_saa:"),
    "handover_pin": Case("h", "f", "until", "handover.pin:", setup=_item),
    "attention": Case("f", "a", "plan", "frequent.attention:", "koordinator", _frequent),
    "user_new": Case("b", "n", "username", "users.new", role="leder"),
    "user_role": Case("b", "r", "role", "users.role:", role="leder", letter="k"),
    "value_relabel": Case("v", "e", "label", "values.relabel:", role="leder"),
    "value_add": Case("v", "n", "label", "values.add:", role="leder"),
    "bed_add": Case("g", "n", "name", "bed_settings.add", role="leder"),
    "bed_rename": Case("g", "e", "name", "bed_settings.rename:", role="leder"),
}
"""Every dialog the night screens open (a new one belongs here)."""


def _drafts() -> list[ContactDraft]:
    with connection():
        return list(ContactDraft.select().where(ContactDraft.dialog.is_null(False)))


async def _open(app: AkutApp, pilot: Pilot[int], case: Case) -> NightDialog:
    await press(app, pilot, case.screen)
    await press(app, pilot, case.key)
    dialog = app.screen
    assert isinstance(dialog, NightDialog), app.screen_stack
    assert dialog.drafts.dialog.startswith(case.dialog), (dialog.drafts.dialog, app.screen_stack)
    return dialog


async def _type(app: AkutApp, pilot: Pilot[int], dialog: NightDialog, case: Case) -> str:
    """Type into the case's field; return the value the field then holds."""
    widget = dialog.query_one(f"#f-{case.field}")
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        await pilot.press("ctrl+u", *(TYPED_CPR if case.field == "cpr_text" else "2x3"))
    else:
        await pilot.press(case.letter)  # a choice: "Ja" (or the case's letter)
    await pilot.pause()
    value = str(widget.value)  # type: ignore[attr-defined]
    assert value not in ("", "Ikke besvaret")
    return value


def _value(dialog: NightDialog, case: Case) -> str:
    """The value of the case's field as mounted in ``dialog`` (not a cached widget)."""
    return str(dialog.query_one(f"#f-{case.field}").value)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_dialog_keeps_its_text_over_esc(config: Config, rt: Runtime, name: str) -> None:
    case = DIALOGS[name]
    who = make_user(rt, "mette", case.role)
    if case.setup is not None:
        case.setup(rt, who)
    async with running(config, rt, who) as (app, pilot):
        dialog = await _open(app, pilot, case)
        assert "Esc luk (teksten gemmes)" in str(dialog.query_one("#dialog-keys").render())
        typed = await _type(app, pilot, dialog, case)
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, NightDialog)
        kept = _drafts()
        assert [d.dialog[: len(case.dialog)] for d in kept] == [case.dialog]
        await press(app, pilot, case.key)
        again = app.screen
        assert isinstance(again, NightDialog)
        assert _value(again, case) == typed
        assert again.message == "Din gemte tekst er hentet igen. F8 kasserer den."


def _unlock(app: AkutApp) -> None:
    assert isinstance(app.screen, LockScreen)
    app.screen.query_one("#password", Input).value = PASSWORD


EVERY_DIALOG_LEAVES = ["ctrl+l", "f12", "hangup"]
"""Ways of leaving tried on every dialog (Esc: above)."""
MORE_LEAVES = ["ctrl+q", "idle", "disabled", "expired"]
"""Further ways of leaving, tried on the check-in and handover dialogs."""
LEAVE_CASES = [(name, leave) for name in DIALOGS for leave in EVERY_DIALOG_LEAVES] + [
    (name, leave) for name in ("check_in", "handover_summary") for leave in MORE_LEAVES
]


@pytest.mark.parametrize(("name", "leave"), LEAVE_CASES)
async def test_every_way_of_leaving_keeps_the_text(
    config: Config, rt: Runtime, name: str, leave: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from akut_tui.tui import hangup

    # SIGHUP/SIGTERM run app.hang_up; only its last step (ending the process after
    # a grace period) is left out here.
    monkeypatch.setattr(hangup, "exit_soon", lambda code: None)
    case = DIALOGS[name]
    who = make_user(rt, "mette", case.role)
    if case.setup is not None:
        case.setup(rt, who)
    async with running(config, rt, who) as (app, pilot):
        dialog = await _open(app, pilot, case)
        typed = await _type(app, pilot, dialog, case)
        if leave == "idle":
            app.session_control.lock()  # what the idle timer calls
        elif leave == "disabled":
            accounts.set_active(rt, None, "mette", False)
            app.session_control.check_account()  # what the 5 s timer calls
        elif leave == "expired":
            app.session_control.end("expired")  # what the 12-hour timer calls
        elif leave == "hangup":
            app.hang_up(1)  # what the SIGHUP handler calls
        else:
            await pilot.press(leave)
        await settle(app, pilot)
        await settle(app, pilot)
        if leave in ("ctrl+l", "idle"):
            assert isinstance(app.screen, LockScreen)
        elif leave in ("f12", "disabled", "expired"):
            assert isinstance(app.screen, LoginScreen)
    assert len(_drafts()) == 1
    if leave == "disabled":
        accounts.set_active(rt, None, "mette", True)
    from akut_tui.services.accounts import auth

    again_app = AkutApp(config, runtime=rt)
    async with again_app.run_test(size=SIZE) as pilot:
        await login(again_app, pilot, auth.login(rt, "mette", PASSWORD))
        again = await _open(again_app, pilot, case)
        assert _value(again, case) == typed


async def test_f8_asks_and_then_throws_the_text_away(config: Config, rt: Runtime) -> None:
    case = DIALOGS["check_in"]
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, case)
        await _type(app, pilot, dialog, case)
        await press(app, pilot, "f8")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "n")
        assert app.screen is dialog and dialog.message == "Teksten er ikke kasseret."
        await press(app, pilot, "f8")
        await press(app, pilot, "j")
        assert not isinstance(app.screen, NightDialog)
        assert _drafts() == []
        await press(app, pilot, case.key)
        assert isinstance(app.screen, NightDialog)
        assert _value(app.screen, case) == ""


async def test_a_saved_dialog_leaves_no_draft(config: Config, rt: Runtime) -> None:
    case = DIALOGS["handover_plan"]
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, case)
        await _type(app, pilot, dialog, case)
        await press(app, pilot, "escape")
        dialog = await _open(app, pilot, DIALOGS["handover_plan"])
        await press(app, pilot, "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NightDialog)
        assert _drafts() == []


async def test_a_refused_save_keeps_the_text_as_a_draft(config: Config, rt: Runtime) -> None:
    case = DIALOGS["check_in"]
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, case)
        await _type(app, pilot, dialog, case)
        await pilot.press("ctrl+s")  # refused: the CPR is not valid
        await settle(app, pilot)
        assert app.screen is dialog and dialog.message
        await press(app, pilot, "ctrl+l")
    assert len(_drafts()) == 1


async def test_drafts_are_per_bed(config: Config, rt: Runtime) -> None:
    case = DIALOGS["check_in"]
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, case)
        await _type(app, pilot, dialog, case)
        await press(app, pilot, "escape", "down", case.key)
        assert isinstance(app.screen, NightDialog)
        assert _value(app.screen, case) == ""  # Seng 2 has no draft


@pytest.mark.parametrize("key", ["ctrl+l", "f12", "f1"])
async def test_lock_logout_and_help_work_in_a_dialog(config: Config, rt: Runtime, key: str) -> None:
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, DIALOGS["check_in"])
        await pilot.press(*TYPED_CPR)
        await press(app, pilot, key)
        expected = {"ctrl+l": LockScreen, "f12": LoginScreen, "f1": HelpScreen}[key]
        assert isinstance(app.screen, expected)
        if key != "f1":
            assert dialog not in app.screen_stack  # nothing with the CPR is left
        else:
            help_text = " ".join(str(w.render()) for w in app.screen.query("*"))
            assert "Luk (teksten gemmes)" in help_text and "Kassér teksten" in help_text


def _files(tmp_path: Path) -> bytes:
    data = b""
    for name in ("akut.db", "akut.db-wal"):
        path = tmp_path / name
        if path.exists():
            data += path.read_bytes()
    return data


async def test_a_typed_cpr_is_sealed_in_the_database(
    config: Config, rt: Runtime, tmp_path: Path
) -> None:
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, DIALOGS["check_in"])
        await _type(app, pilot, dialog, DIALOGS["check_in"])
        await press(app, pilot, "escape")
    assert len(_drafts()) == 1
    stored = _files(tmp_path)
    assert stored
    assert TYPED_CPR.encode() not in stored
    assert TYPED_CPR.encode("utf-16-le") not in stored


async def test_f5_lists_a_dialog_draft_and_enter_opens_its_screen(
    config: Config, rt: Runtime
) -> None:
    from screens.bed_board import BedBoardScreen
    from screens.drafts import DraftsScreen
    from screens.home import HomeScreen
    from tests.ui.test_bed_board_ui import cells

    case = DIALOGS["check_in"]
    async with signed_in(config, rt, name="mette") as (app, pilot):
        dialog = await _open(app, pilot, case)
        await _type(app, pilot, dialog, case)
        await press(app, pilot, "ctrl+l")
        _unlock(app)
        await press(app, pilot, "enter")
        assert isinstance(app.screen, HomeScreen)
        home_text = str(app.screen.query_one("#home-drafts").render())
        assert home_text.startswith("Du har 1 kladde med tekst der ikke er gemt (F5).")
        await press(app, pilot, "f5")
        assert isinstance(app.screen, DraftsScreen)
        row = " ".join(str(c) for c in app.screen.query_one("DataTable").get_row_at(0))  # type: ignore[attr-defined]
        assert "Dialog: Tjek ind (åbn dialogen igen under Senge)" in row
        assert TYPED_CPR not in row
        await press(app, pilot, "enter")
        assert isinstance(app.screen, BedBoardScreen)
        assert cells(app)[0][0] == "Seng 1"
        await press(app, pilot, case.key)
        assert isinstance(app.screen, NightDialog)
        assert _value(app.screen, case) == TYPED_CPR


NO_TYPED_TEXT = {
    "ConfirmDialog": "j/n only",
    "HelpScreen": "read only",
    "TooSmallScreen": "read only",
    "ReauthDialog": "a password, which is never kept",
    "HandoverItemScreen": "read only (one handover item in full)",
    "OneTimePasswordDialog": "read only (a drawn password shown once, never kept)",
}
"""Modal screens that are not :class:`NightDialog`, and why they keep no draft."""


def test_every_modal_with_typed_text_is_a_drafting_dialog() -> None:
    import importlib
    import pkgutil

    from textual.screen import ModalScreen

    import screens
    from akut_tui.services.drafts.dialogs import DIALOG_LABELS

    for info in pkgutil.walk_packages(screens.__path__, "screens."):
        importlib.import_module(info.name)
    pending = list(ModalScreen.__subclasses__())
    seen: set[type] = set()
    while pending:
        cls = pending.pop()
        seen.add(cls)
        pending.extend(cls.__subclasses__())
    ours = {c for c in seen if c.__module__.startswith("screens.")}
    others = {c.__name__ for c in ours if not issubclass(c, NightDialog)}
    assert others == set(NO_TYPED_TEXT)
    # every kind of dialog key has a label in the drafts list and a case above
    assert {case.dialog.split(":")[0] for case in DIALOGS.values()} == set(DIALOG_LABELS)
