"""Issue 19 §3: the goal's kind, its attainment and "uden akuttilbuddet" are codes checked
by the contact pipeline, stored through the mapping and kept by an edit; the follow-up
records the attainment (audited)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from akut_tui.core.errors import ValidationError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups, goals
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.prepare import normalised, validate
from akut_tui.services.contacts.records import load_contact, save_contact
from db.database import connection
from db.models import AuditEvent, Contact, ContactValue
from db.value_lists import VALUE_LISTS
from tests.night_helpers import session

NOW = datetime(2026, 11, 20, 20, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
LISTS = {name: [code for code, _ in items] for name, items in VALUE_LISTS.items()}
BASE = ContactInput(home_municipality="791", crisis_level="let")


def _errors(form: ContactInput) -> dict[str, str]:
    _derived, errors = validate(normalised(form), moment=NOW, now=NOW, lists=LISTS)
    return {e.field or "": str(e) for e in errors}


def test_goal_kind_attainment_and_avoided_pass() -> None:
    form = replace(
        BASE,
        goal_kind="daglig_struktur",
        goal_attainment="delvist",
        avoided=["psykiatrisk_akutmodtagelse", "vagtlaege"],
    )
    assert _errors(form) == {}


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"goal_kind": "motion"}, "goal_kind", "listen"),
        ({"goal_kind": "soevn", "goal_attainment": "lidt"}, "goal_attainment", "listen"),
        ({"goal_attainment": "opnaaet"}, "progression_goal", "kræver et progressionsmål"),
        ({"avoided": ["hospital"]}, "avoided", "Ukendt værdi"),
        ({"avoided": ["intet", "vagtlaege"]}, "avoided", "ikke vælges sammen"),
        ({"avoided": ["ved_ikke", "intet"]}, "avoided", "ikke vælges sammen"),
    ],
)
def test_bad_goal_values_are_refused(changes: dict[str, object], field: str, text: str) -> None:
    errors = _errors(replace(BASE, **changes))  # type: ignore[arg-type]
    assert field in errors and text in errors[field]


def test_a_goal_kind_means_a_progression_goal_and_a_non_data_call_keeps_none() -> None:
    assert normalised(replace(BASE, goal_kind="soevn")).progression_goal is True
    silent = normalised(
        replace(BASE, contact_type="stille_opkald", goal_kind="soevn", avoided=["intet"])
    )
    assert (silent.goal_kind, silent.avoided, silent.progression_goal) == ("", [], False)


def test_a_saved_goal_loads_back_and_an_edit_keeps_the_attainment(rt: Runtime) -> None:
    staff = session(rt, "sara")
    form = ContactInput(
        crisis_level="middel", goal_kind="netvaerk", avoided=["indlaeggelse", "skadestue"]
    )
    saved = save_contact(rt, staff, form)
    with connection():
        contact = Contact.get_by_id(saved.id)
        assert (contact.goal_kind, contact.progression_goal) == ("netvaerk", True)
        picks = ContactValue.select().where(
            ContactValue.contact == saved.id, ContactValue.list_name == "avoided"
        )
        assert {p.code for p in picks} == {"indlaeggelse", "skadestue"}
    loaded = load_contact(rt, staff, saved.id)
    assert (loaded.goal_kind, sorted(loaded.avoided)) == ("netvaerk", ["indlaeggelse", "skadestue"])
    # An attainment recorded later survives an edit of the contact in the form.
    with connection():
        Contact.update(goal_attainment="opnaaet").where(Contact.id == saved.id).execute()
    loaded = load_contact(rt, staff, saved.id)
    assert loaded.goal_attainment == "opnaaet"
    save_contact(rt, staff, replace(loaded, duration_min="30"), contact_id=saved.id)
    with connection():
        assert Contact.get_by_id(saved.id).goal_attainment == "opnaaet"


def test_the_follow_up_records_the_attainment_audited(rt: Runtime) -> None:
    staff = session(rt, "sara")
    started = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with_goal = ContactInput(
        started_at=started, crisis_level="let", followup_wanted=True, goal_kind="soevn"
    )
    without = ContactInput(started_at=started, crisis_level="let", followup_wanted=True)
    first, second = save_contact(rt, staff, with_goal), save_contact(rt, staff, without)
    rows = {r.contact_id: r for r in followups.due_followups(rt, staff)}
    goal_row, plain_row = rows[first.id], rows[second.id]
    assert (goal_row.has_goal, goal_row.goal, goal_row.attained) == (True, "soevn", "")
    assert plain_row.has_goal is False
    assert goals.record_attainment(rt, staff, goal_row.id, "ikke_opnaaet") == "ikke_opnaaet"
    goals.record_attainment(rt, staff, goal_row.id, "opnaaet")  # a changed answer replaces
    with pytest.raises(ValidationError, match="ikke sat et progressionsmål"):
        goals.record_attainment(rt, staff, plain_row.id, "opnaaet")
    with pytest.raises(ValidationError, match="ikke fulgt op"):
        goals.record_attainment(rt, staff, goal_row.id, "maaske")
    rows = {r.contact_id: r for r in followups.due_followups(rt, staff)}
    assert rows[first.id].attained == "opnaaet"
    with connection():
        assert Contact.get_by_id(first.id).goal_attainment == "opnaaet"
        events = AuditEvent.select().where(AuditEvent.action == "followup.goal").count()
    assert events == 2
