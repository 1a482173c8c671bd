"""The type-ahead gate survives a Textual that renamed what it reads (issue 17 §3).

A rename inside Textual used to raise inside the key handler, so every key but
plain typing ended the app. Here the gate's private read (``pump_idle``) and then
one of its own steps are made to fail the way a rename would; the keys of a burst
must still arrive, in order, and the failure is written to the incident log.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message_pump import MessagePump
from textual.widgets import Input

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui_kit import typeahead
from db.database import connection
from db.models import Contact, ContactValue
from screens.intake import IntakeScreen
from tests.ui.helpers import settle
from tests.ui.pilot_helpers import signed_in
from tests.ui.test_keys_and_drafts_ui import burst


def _renamed(pump: MessagePump) -> bool:
    raise AttributeError(f"'{type(pump).__name__}' object has no attribute '_message_queue'")


def _step_fails(self: typeahead.KeyGate, pumps: list[MessagePump]) -> bool:
    raise TypeError("call_after_refresh() got an unexpected keyword argument")


@pytest.fixture
def incident_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The incident log the gate writes to when it falls back."""
    log = tmp_path / "errors.log"
    monkeypatch.setenv("AKUT_ERROR_LOG", str(log))
    return log


def _break(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "idle read renamed":
        monkeypatch.setattr(typeahead, "pump_idle", _renamed)
    else:
        monkeypatch.setattr(typeahead.KeyGate, "_same_screen", _step_fails)


@pytest.mark.parametrize("how", ["idle read renamed", "a gate step raises"])
async def test_quick_log_burst_survives_a_broken_gate(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch, incident_log: Path, how: str
) -> None:
    async with signed_in(config, rt) as (app, pilot):
        _break(monkeypatch, how)
        burst(app, "f2", "2", "a", "ctrl+s")
        await settle(app, pilot)
        assert app.is_running
        assert app.key_gate.degraded or app.key_gate.passthrough
    with connection():
        [contact] = list(Contact.select())
        values = {(v.list_name, v.code) for v in ContactValue.select()}
    assert contact.crisis_level == "middel"
    assert values == {("symptom", "angst")}
    assert incident_log.read_text(encoding="utf-8").count("Traceback") == 1


async def test_full_form_burst_keeps_its_order_without_the_private_read(
    config: Config, rt: Runtime, monkeypatch: pytest.MonkeyPatch, incident_log: Path
) -> None:
    """Degraded to public means only, F3 and the keys after it still land in the form."""
    async with signed_in(config, rt) as (app, pilot):
        _break(monkeypatch, "idle read renamed")
        burst(app, "f3", "backspace", "backspace", "4", "5", "tab", "l")
        await settle(app, pilot)
        assert app.key_gate.degraded and not app.key_gate.passthrough
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#started_at", Input).value == "20-11-2026 20:45"
