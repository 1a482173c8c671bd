"""Tests for the coded value lists in db.value_lists."""

from __future__ import annotations

import re

import pytest

from db.value_lists import VALUE_LISTS, codes, label

CODE_RE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")

EXPECTED_SIZES = {
    "channel": 3,
    "contact_type": 4,
    "caller": 5,
    "partner_type": 12,
    "cpr_status": 4,
    "gender": 3,
    "age_band": 8,
    "housing": 4,
    "symptom": 12,
    "event": 8,
    "action": 11,
    "stabilisation": 3,
    "crisis_level": 4,
    "turn_away": 2,
    "followup_result": 5,
    "shift": 3,
    "night_decision": 3,
    "escalation": 5,
    "municipality": 99,
    "referral_target": 21,
    "consent": 3,
    "referral_by": 2,
    "referral_arrived": 3,
    "called_before": 3,
    "goal_kind": 8,
    "goal_attainment": 4,
    "avoided": 7,
}


def test_expected_lists_and_sizes() -> None:
    assert {name: len(items) for name, items in VALUE_LISTS.items()} == EXPECTED_SIZES


@pytest.mark.parametrize("name", sorted(VALUE_LISTS))
def test_codes_unique_and_stable_format(name: str) -> None:
    items = VALUE_LISTS[name]
    list_codes = [code for code, _ in items]
    assert len(list_codes) == len(set(list_codes))
    for code, text in items:
        assert CODE_RE.fullmatch(code), code
        assert code.isascii()
        assert text and text == text.strip()
    labels = [text for _, text in items]
    assert len(labels) == len(set(labels))


def test_municipalities() -> None:
    items = VALUE_LISTS["municipality"]
    official = [code for code, _ in items if code != "ukendt"]
    assert len(official) == 98
    assert len(set(official)) == 98
    assert all(re.fullmatch(r"[1-8][0-9]{2}", code) for code in official)
    assert "411" not in official  # Christiansø is not a municipality
    assert items[-1] == ("ukendt", "Ukendt")
    names = {code: name for code, name in items}
    assert names["101"] == "København"
    assert names["147"] == "Frederiksberg"
    assert names["400"] == "Bornholm"
    assert names["410"] == "Middelfart"
    assert names["607"] == "Fredericia"
    assert names["751"] == "Aarhus"
    assert names["791"] == "Viborg"
    assert names["851"] == "Aalborg"
    assert names["860"] == "Hjørring"
    assert names["492"] == "Ærø"
    assert len(set(names.values())) == 99


def test_label_and_codes_helpers() -> None:
    assert label("crisis_level", "middel") == "Middelsvær"
    assert label("contact_type", "fejlopkald") == "Forkert nummer / lagt på"
    assert label("municipality", "791") == "Viborg"
    assert label("age_band", "under_18") == "Under 18"
    assert codes("shift") == ["dag", "aften", "nat"]
    with pytest.raises(KeyError):
        label("crisis_level", "ukendt_kode")
    with pytest.raises(KeyError):
        label("no_such_list", "x")


def test_labels_use_danish_letters() -> None:
    assert label("caller", "paaroerende") == "Pårørende"
    assert label("followup_result", "uaendret") == "Uændret"
    assert label("night_decision", "forlaeng") == "Forlæng"
