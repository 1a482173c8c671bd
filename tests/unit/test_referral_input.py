"""Issue 19: the referral fields and "har ringet før" are codes checked by the pipeline.

Each referral has its own consent and made-by (target → code), stored on its row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups, referrals
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.prepare import validate
from akut_tui.services.contacts.records import load_contact, save_contact
from db.database import connection
from db.models import ContactValue
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
        referral_consent={"kommune_bostoette": "ikke_spurgt", "frivillig_headspace": "ja"},
        referral_made_by={"frivillig_headspace": "borger_raadet"},
        anonymous_repeat="ved_ikke",
    )
    assert _errors(form) == {}


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"referrals": ["ukendt_sted"]}, "referrals", "Ukendt værdi"),
        (
            {"referrals": ["noed_112"], "referral_consent": {"noed_112": "maaske"}},
            "referral_consent",
            "listen",
        ),
        (
            {"referrals": ["noed_112"], "referral_made_by": {"noed_112": "ja"}},
            "referral_made_by",
            "listen",
        ),
        ({"referral_consent": {"noed_112": "ja"}}, "referral_consent", "henvist til"),
        ({"referral_made_by": {"noed_112": "personale"}}, "referral_made_by", "henvist til"),
        (  # consent about a target that is not among the referrals
            {"referrals": ["noed_112"], "referral_consent": {"noed_politi": "ja"}},
            "referral_consent",
            "henvist til",
        ),
        ({"referrals": ["noed_112", "noed_112"]}, "referrals", "flere gange"),
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
        referral_consent={"region_distriktspsykiatri": "nej", "laege_egen_laege": "ja"},
        referral_made_by={"laege_egen_laege": "borger_raadet"},
        anonymous_repeat="ja",
    )
    saved = save_contact(rt, staff, form)
    loaded = load_contact(rt, staff, saved.id)
    assert sorted(loaded.referrals) == ["laege_egen_laege", "region_distriktspsykiatri"]
    assert loaded.referral_consent == {"region_distriktspsykiatri": "nej", "laege_egen_laege": "ja"}
    assert loaded.referral_made_by == {"laege_egen_laege": "borger_raadet"}
    assert loaded.anonymous_repeat == "ja"
    with connection():
        rows = {
            v.code: (v.consent, v.made_by)
            for v in ContactValue.select().where(ContactValue.list_name == "referral_target")
        }
    assert rows == {
        "region_distriktspsykiatri": ("nej", None),
        "laege_egen_laege": ("ja", "borger_raadet"),
    }


def test_an_edit_keeps_a_kept_referrals_arrival_and_drops_a_removed_ones(rt: Runtime) -> None:
    """The follow-up's answer sits on the referral's row: an edit that keeps the referral
    keeps it (with a changed consent), one that takes the referral off takes it along."""
    staff = session(rt, "sara")
    form = ContactInput(
        crisis_level="let",
        followup_wanted=True,
        referrals=["kommune_bostoette", "noed_112"],
        referral_consent={"kommune_bostoette": "ja"},
    )
    saved = save_contact(rt, staff, form)
    (row,) = followups.due_followups(rt, staff)
    referrals.record_arrival(rt, staff, row.id, "kommune_bostoette", "ja")
    referrals.record_arrival(rt, staff, row.id, "noed_112", "nej")
    edit = load_contact(rt, staff, saved.id)
    edit.referrals = ["kommune_bostoette", "laege_vagtlaege"]
    edit.referral_consent = {"kommune_bostoette": "nej"}
    save_contact(rt, staff, edit, contact_id=saved.id)
    with connection():
        rows = {
            v.code: (v.consent, v.arrived)
            for v in ContactValue.select().where(ContactValue.list_name == "referral_target")
        }
    assert rows == {"kommune_bostoette": ("nej", "ja"), "laege_vagtlaege": (None, None)}


def test_a_draft_from_before_schema_17_gives_its_one_consent_to_every_target() -> None:
    old = {"referrals": ["noed_112", "kommune_bostoette"], "referral_consent": "ja"}
    form = ContactInput.from_json({**ContactInput().to_json(), **old, "referral_made_by": ""})
    assert form.referral_consent == {"noed_112": "ja", "kommune_bostoette": "ja"}
    assert form.referral_made_by == {}
