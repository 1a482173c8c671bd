"""A leader's value lists in the service layer, the statistics and ``akut codes`` (issue 18 §6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from akut_tui.cli.main import main
from akut_tui.core.errors import PermissionDenied, ValidationError
from akut_tui.services.admin import value_admin
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import load_value_lists, stored_value_lists
from akut_tui.services.statistics import compute as stats
from db.database import connection
from db.models import AuditEvent, ValueChange, ValueItem
from tests.cli_helpers import write_config
from tests.night_helpers import session

HEADER = "started_at;channel;contact_type;crisis_level;escalations"


@pytest.fixture
def people(rt: Runtime) -> dict[str, SignedInUser]:
    return {
        "leder": session(rt, "lea", "leder"),
        "koordinator": session(rt, "kim", "koordinator"),
        "medarbejder": session(rt, "ole", "medarbejder"),
    }


def _state() -> tuple[list[tuple[object, ...]], int]:
    with connection():
        items = [
            (v.list_name, v.code, v.label, v.active, v.sort_order)
            for v in ValueItem.select().order_by(ValueItem.id)
        ]
        return items, AuditEvent.select().count()


def _calls(rt: Runtime) -> dict[str, Callable[[SignedInUser], Any]]:
    return {
        "list": lambda s: value_admin.list_values(rt, s),
        "relabel": lambda s: value_admin.relabel(rt, s, "symptom", "angst", "Angst"),
        "add": lambda s: value_admin.add_value(rt, s, "symptom", "Spiseforstyrrelse"),
        "retire": lambda s: value_admin.set_retired(rt, s, "symptom", "uro", True),
    }


@pytest.mark.parametrize("role", ["medarbejder", "koordinator"])
@pytest.mark.parametrize("call", ["list", "relabel", "add", "retire"])
def test_only_a_leader_changes_value_lists(
    rt: Runtime, people: dict[str, SignedInUser], role: str, call: str
) -> None:
    before = _state()
    with pytest.raises(PermissionDenied, match="Din rolle giver ikke adgang"):
        _calls(rt)[call](people[role])
    assert _state() == before


def test_relabel_keeps_the_code_and_records_old_and_new(
    rt: Runtime, people: dict[str, SignedInUser]
) -> None:
    lea = people["leder"]
    entry = value_admin.relabel(rt, lea, "partner_type", "tuba", "  TUBA (Viborg) ")
    assert (entry.code, entry.label, entry.active) == ("tuba", "TUBA (Viborg)", True)
    # The ministry's lists can be relabelled too.
    assert value_admin.relabel(rt, lea, "channel", "telefon", "Telefonopkald").label == (
        "Telefonopkald"
    )
    with connection():
        changes = [
            (c.kind, c.list_name, c.code, c.old_label, c.new_label) for c in ValueChange.select()
        ]
        events = [
            (e.action, e.object_type, e.object_id, e.username)
            for e in AuditEvent.select().where(AuditEvent.action.startswith("value."))
        ]
    assert changes == [
        ("relabel", "partner_type", "tuba", "TUBA", "TUBA (Viborg)"),
        ("relabel", "channel", "telefon", "Telefon", "Telefonopkald"),
    ]
    assert events == [
        ("value.relabel", "value_change", "1", "lea"),
        ("value.relabel", "value_change", "2", "lea"),
    ]
    assert ("telefon", "Telefonopkald") in load_value_lists(rt)["channel"]


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "Skriv en betegnelse"),
        ("Ib 010190-1234", "CPR-nummer"),
        ("kvisten", "findes allerede"),
        ("TUBA", "uændret"),
        ("x" * 121, "højst være 120 tegn"),
    ],
)
def test_bad_labels_are_refused_in_danish(
    rt: Runtime, people: dict[str, SignedInUser], label: str, message: str
) -> None:
    before = _state()
    with pytest.raises(ValidationError, match=message) as refused:
        value_admin.relabel(rt, people["leder"], "partner_type", "tuba", label)
    assert refused.value.field == "label"
    assert _state() == before


def test_fixed_lists_can_only_be_relabelled(rt: Runtime, people: dict[str, SignedInUser]) -> None:
    lea = people["leder"]
    before = _state()
    for list_name, code in (("channel", "virtuel"), ("crisis_level", "let"), ("shift", "nat")):
        with pytest.raises(ValidationError, match="fast"):
            value_admin.add_value(rt, lea, list_name, "Noget nyt")
        with pytest.raises(ValidationError, match="fast"):
            value_admin.set_retired(rt, lea, list_name, code, True)
    with pytest.raises(ValidationError, match="programmets regler"):
        value_admin.set_retired(rt, lea, "action", "ingen_tiltag", True)
    assert _state() == before


def test_added_and_retired_values(rt: Runtime, people: dict[str, SignedInUser]) -> None:
    lea = people["leder"]
    added = value_admin.add_value(rt, lea, "symptom", "Spiseforstyrrelse/ædru")
    assert added.code == "spiseforstyrrelse_aedru" and added.rule == "åben"
    again = value_admin.add_value(rt, lea, "action", "Ny samtale aftalt!")
    assert again.code == "ny_samtale_aftalt"  # "ny_samtale" exists: its own code
    assert load_value_lists(rt)["symptom"][-1] == ("spiseforstyrrelse_aedru", added.label)
    retired = value_admin.set_retired(rt, lea, "symptom", "uro", True)
    assert not retired.active
    assert "uro" not in dict(load_value_lists(rt)["symptom"])  # no longer offered
    assert ("uro", "Uro", False) in stored_value_lists(rt)["symptom"]  # still known
    with pytest.raises(ValidationError, match="allerede udgået"):
        value_admin.set_retired(rt, lea, "symptom", "uro", True)
    assert value_admin.set_retired(rt, lea, "symptom", "uro", False).active
    with connection():
        kinds = [
            (c.kind, c.old_active, c.new_active)
            for c in ValueChange.select().order_by(ValueChange.id)
        ]
        events = AuditEvent.select().where(AuditEvent.action % "value.*").order_by(AuditEvent.seq)
        actions = [e.action for e in events]
    assert kinds == [
        ("add", None, True),
        ("add", None, True),
        ("retire", True, False),
        ("restore", False, True),
    ]
    assert actions == ["value.add", "value.add", "value.retire", "value.restore"]


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    """Four crisis contacts in August 2015: three escalated to the police, two to 112."""
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    rows = [HEADER]
    for day, escalations in ((1, "politi|112"), (2, "politi"), (3, "politi|112"), (4, "")):
        rows.append(f"2015-08-{day:02d} 10:00;telefon;krise;middel;{escalations}")
    csv_path = tmp_path / "history.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["--config", str(path), "import", str(csv_path)]) == 0
    return path


def _escalations(rt: Runtime) -> dict[str, tuple[str, int]]:
    report = stats.compute(rt, stats.resolve_period(rt, "2015-08"), suppress=False)
    table = report.table("escalation")
    code = table.columns.index("code")
    return {row[code]: (row[code + 1], row[code + 2]) for row in table.rows}


def test_statistics_count_retired_values_under_their_code(
    cfg: Path, rt: Runtime, people: dict[str, SignedInUser], capsys: pytest.CaptureFixture[str]
) -> None:
    lea = people["leder"]
    value_admin.set_retired(rt, lea, "escalation", "politi", True)
    value_admin.relabel(rt, lea, "escalation", "112", "Alarmcentralen 112")
    value_admin.add_value(rt, lea, "escalation", "Akutteam")
    counted = _escalations(rt)
    assert counted["politi"] == ("Politi", 3)  # retired, still counted in the old period
    assert counted["112"] == ("Alarmcentralen 112", 2)  # the current label, the same code
    assert counted["akutteam"] == ("Akutteam", 0)
    # akut codes shows the current labels and the retired values.
    assert main(["--config", str(cfg), "codes", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"code": "politi", "label": "Politi", "retired": True} in doc["escalation"]
    assert {"code": "112", "label": "Alarmcentralen 112", "retired": False} in doc["escalation"]
    assert main(["--config", str(cfg), "codes"]) == 0
    table = capsys.readouterr().out
    assert any("politi" in line and "udgået" in line for line in table.splitlines())
    assert any("akutteam" in line and "i brug" in line for line in table.splitlines())


def test_a_leader_edits_the_referral_directory(
    rt: Runtime, people: dict[str, SignedInUser]
) -> None:
    """Issue 19 §1: the directory is an open list; its default codes stay when relabelled."""
    lea = people["leder"]
    added = value_admin.add_value(rt, lea, "referral_target", "Krisecenter for mænd")
    assert added.code == "krisecenter_for_maend" and added.rule == "åben"
    assert added.list_title == "Henvisningsmål"
    relabelled = value_admin.relabel(rt, lea, "referral_target", "kommune_85", "§ 85 bostøtte")
    assert relabelled.code == "kommune_85"
    assert (
        value_admin.set_retired(rt, lea, "referral_target", "frivillig_sind", True).active is False
    )
    offered = dict(load_value_lists(rt)["referral_target"])
    assert offered["kommune_85"] == "§ 85 bostøtte" and "frivillig_sind" not in offered
    assert "krisecenter_for_maend" in offered
