"""Issue 19: the referral fields and "har ringet før" are codes checked by the pipeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.prepare import validate
from akut_tui.services.contacts.records import load_contact, save_contact
from db.value_lists import VALUE_LISTS, referral_group
from tests.night_helpers import session

NOW = datetime(2026, 11, 20, 20, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
LISTS = {name: [code for code, _ in items] for name, items in VALUE_LISTS.items()}
BASE = ContactInput(home_municipality="791", crisis_level="let")


def _errors(form: ContactInput) -> dict[str, str]:
    _derived, errors = validate(form, moment=NOW, now=NOW, lists=LISTS)
    return {e.field or "": str(e) for e in errors}


def test_referrals_with_consent_and_made_by_pass() -> None:
    form = replace(
        BASE,
        referrals=["kommune_bostoette", "frivillig_headspace"],
        referral_consent="ikke_spurgt",
        referral_made_by="borger_raadet",
        anonymous_repeat="ved_ikke",
    )
    assert _errors(form) == {}


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"referrals": ["ukendt_sted"]}, "referrals", "Ukendt værdi"),
        ({"referrals": ["noed_112"], "referral_consent": "maaske"}, "referral_consent", "listen"),
        ({"referral_consent": "ja"}, "referral_consent", "henvist til"),
        ({"referral_made_by": "personale"}, "referral_made_by", "henvist til"),
        ({"anonymous_repeat": "ofte"}, "anonymous_repeat", "listen"),
        (
            {"identity": "pseudonym", "nickname": "Ida", "anonymous_repeat": "ja"},
            "anonymous_repeat",
            "anonyme",
        ),
    ],
)
def test_bad_referral_values_are_refused(changes: dict[str, object], field: str, text: str) -> None:
    errors = _errors(replace(BASE, **changes))  # type: ignore[arg-type]
    assert field in errors and text in errors[field]


def test_every_default_target_has_a_group_and_a_leaders_own_is_andet() -> None:
    groups = {referral_group(code) for code, _ in VALUE_LISTS["referral_target"]}
    assert groups == {"myndighed", "kommune", "region", "laege", "noed", "akut", "frivillig"}
    assert referral_group("krisecenter_for_maend") == "andet"


def test_a_saved_referral_loads_back_for_editing(rt: Runtime) -> None:
    """The pipeline stores the new fields and its inverse gives them back to the form."""
    staff = session(rt, "sara")
    form = ContactInput(
        crisis_level="middel",
        referrals=["region_distriktspsykiatri", "laege_egen_laege"],
        referral_consent="nej",
        referral_made_by="borger_raadet",
        anonymous_repeat="ja",
    )
    saved = save_contact(rt, staff, form)
    loaded = load_contact(rt, staff, saved.id)
    assert sorted(loaded.referrals) == ["laege_egen_laege", "region_distriktspsykiatri"]
    assert (loaded.referral_consent, loaded.referral_made_by, loaded.anonymous_repeat) == (
        "nej",
        "borger_raadet",
        "ja",
    )
