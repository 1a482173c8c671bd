"""One way in for a contact (issue 17 §1): a single mapping writes ``Contact`` rows.

The structural test scans the source of the three packages: only
``akut_tui/services/contacts/columns.py`` may write ``Contact`` rows or build a
mapping of contact columns. The behaviour tests check that what is validated
is what is stored, for every writer.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import codes_by_list
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput, code_fields, pick_fields
from akut_tui.services.contacts.prepare import FormErrors, prepare
from akut_tui.services.night.stays import check_in
from db.database import connection
from db.models import Contact, ContactValue, FollowUp
from tests.night_helpers import CPR_A, bed_ids, form, session

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("akut_tui", "screens", "db")
MAPPING = "akut_tui/services/contacts/columns.py"
ALLOWED_UPDATES = {
    "akut_tui/services/contacts/persons.py": "a merge re-points contacts to the kept person",
    "akut_tui/services/audit/retention.py": "the retention purge blanks expired notes",
}
"""Modules that change one existing column of stored contacts (never build a contact)."""
WRITES = {"create", "insert", "insert_many", "replace", "bulk_create", "get_or_create", "update"}
BULK = {"insert_returning_ids", "insert_plain"}
OTHER_MODELS_FIELDS = {"id", "person", "created_by", "created_at", "shift", "shift_date", "gender"}
CONTACT_ONLY = {
    name for name in Contact._meta.fields if name not in OTHER_MODELS_FIELDS and name != "note"
}
"""Columns no other model has: a dict with two of them is a contact row being built."""
PLAIN_VALUES = {
    "ContactInput",
    "PreparedContact",
    "SavedContact",
    "ContactRow",
    "replace",
    "ContactFact",  # a contact in a citizen's access report (read side)
    "PersonContact",  # a contact in the frequent users' person view (read side)
}
"""Constructors of plain values whose fields share the columns' names (not rows)."""


def _sources() -> list[tuple[str, ast.Module]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                found.append((relative, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _names_contact(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "Contact"


def contact_writers(relative: str, tree: ast.Module) -> list[str]:
    """Every place in ``tree`` that writes Contact rows or builds contact columns."""
    problems = []
    # A table of labels or value lists keyed by list name (``LIST_TITLES = {"channel": "Kanal"}``).
    label_tables = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id.endswith(("TITLES", "LABELS", "LISTS"))
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in WRITES
                and _names_contact(func.value)
                and not (func.attr == "update" and relative in ALLOWED_UPDATES)
            ):
                problems.append(f"{relative}:{node.lineno} Contact.{func.attr}")
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in BULK and node.args and _names_contact(node.args[0]):
                problems.append(f"{relative}:{node.lineno} {name}(Contact, ...)")
            keywords = {k.arg for k in node.keywords if k.arg}
            to_mapping = isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == (
                "contact_columns"
            )
            plain = name in PLAIN_VALUES or to_mapping
            if len(keywords & CONTACT_ONLY) >= 2 and not plain:
                problems.append(f"{relative}:{node.lineno} contact columns as keywords")
        value_lists = isinstance(node, ast.Dict) and all(
            isinstance(v, ast.List) for v in node.values
        )
        value_lists = value_lists or id(node) in label_tables
        if isinstance(node, ast.Dict) and not value_lists:
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & CONTACT_ONLY) >= 2:
                problems.append(f"{relative}:{node.lineno} a dict of contact columns")
    return problems


def test_only_the_mapping_builds_contact_columns() -> None:
    problems = [
        problem
        for relative, tree in _sources()
        if relative != MAPPING
        for problem in contact_writers(relative, tree)
    ]
    assert problems == [], "build contact columns only in " + MAPPING


@pytest.mark.parametrize(
    "snippet",
    [
        "Contact.create(channel='telefon', started_at=x)",
        "insert_returning_ids(Contact, rows)",
        "rows = {'contact_type': 'krise', 'housing': 'ukendt'}",
        "Contact.update(cpr_status='oplyst').execute()",
        "Other.create(channel='telefon', housing='ukendt')",
    ],
)
def test_the_scan_finds_a_writer(snippet: str) -> None:
    """The scan is not blind: each way of building a contact row is caught."""
    assert contact_writers("akut_tui/services/other.py", ast.parse(snippet))


def test_the_mapping_itself_is_found_by_the_scan() -> None:
    tree = ast.parse((ROOT / MAPPING).read_text(encoding="utf-8"))
    assert contact_writers(MAPPING, tree), "the mapping writes contacts; the scan must see it"


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return session(rt, "mette", "leder")


def test_the_follow_up_phone_is_stored_as_validated(rt: Runtime, staff: SignedInUser) -> None:
    """Validated as 8 digits without "+45"; stored as exactly those digits."""
    typed = ContactInput(followup_wanted=True, followup_phone=" +45 12 34 56 78 ")
    saved = contacts.save_contact(rt, staff, typed)
    with connection():
        phone = FollowUp.get(FollowUp.contact == saved.id).phone
        prepared = prepare(rt, typed, lists=codes_by_list())
    assert phone == prepared.phone == "12345678"


def test_the_prepared_value_holds_the_cleaned_text(rt: Runtime) -> None:
    typed = ContactInput(identity="pseudonym", nickname="  Kim  ", note="  Ringede igen.\n ")
    with connection():
        prepared = prepare(rt, typed, lists=codes_by_list())
    assert (prepared.nickname, prepared.note) == ("Kim", "Ringede igen.")
    assert prepared.note_expires is not None
    typed.symptoms.append("angst")  # the caller's form changes later ...
    assert prepared.picks == ()  # ... the prepared value does not


def test_errors_name_every_field(rt: Runtime) -> None:
    typed = ContactInput(channel="brevdue", duration_min="mange", followup_phone="12")
    with connection(), pytest.raises(FormErrors) as info:
        prepare(rt, typed, lists=codes_by_list())
    assert {e.field for e in info.value.errors} == {"channel", "duration_min", "followup_phone"}


def test_a_call_without_data_is_normalised_for_every_writer(rt: Runtime) -> None:
    typed = ContactInput(
        contact_type="stille_opkald", crisis_level="alvorlig", crisis_conversation="ja"
    )
    with connection():
        prepared = prepare(rt, typed, lists=codes_by_list())
    assert prepared.answers.crisis_level == prepared.answers.crisis_conversation == ""
    assert prepared.answers.home_municipality == "ukendt"


def test_the_arrival_contact_goes_through_the_pipeline(rt: Runtime, staff: SignedInUser) -> None:
    """The check-in's contact has the columns the form would give it (an age band from CPR,
    the "overnatning" action, krisesamtale not registered)."""
    result = check_in(rt, staff, form(bed_ids()[0], CPR_A))
    with connection():
        contact = Contact.get_by_id(result.contact_id)
        picks = [
            (v.list_name, v.code)
            for v in ContactValue.select().where(ContactValue.contact == contact.id)
        ]
    assert (contact.channel, contact.cpr_status, contact.anonymous) == (
        "fremmoede",
        "oplyst",
        False,
    )
    assert contact.age_band == "45_54" and contact.gender in ("mand", "kvinde")
    assert contact.conversation == "ikke_registreret"
    assert picks == [("action", "overnatning")]


def test_an_edit_replaces_the_picks_through_the_mapping(rt: Runtime, staff: SignedInUser) -> None:
    first = contacts.save_contact(rt, staff, ContactInput(symptoms=["angst"]))
    loaded = contacts.load_contact(rt, staff, first.id)
    contacts.save_contact(rt, staff, replace(loaded, symptoms=["uro"]), contact_id=first.id)
    with connection():
        codes = [v.code for v in ContactValue.select().where(ContactValue.contact == first.id)]
    assert codes == ["uro"]


@pytest.mark.parametrize("name", [name for name, _list, _optional in code_fields()])
def test_every_declared_code_field_is_checked(rt: Runtime, name: str) -> None:
    """The declaration on ContactInput (coded/picked) is what the pipeline checks."""
    typed = replace(ContactInput(), **{name: "findes_ikke"})
    with connection(), pytest.raises(FormErrors) as info:
        prepare(rt, typed, lists=codes_by_list())
    assert name in {e.field for e in info.value.errors}


@pytest.mark.parametrize("name", sorted(pick_fields()))
def test_every_declared_pick_field_is_checked_and_stored(rt: Runtime, name: str) -> None:
    with connection(), pytest.raises(FormErrors) as info:
        prepare(rt, replace(ContactInput(), **{name: ["findes_ikke"]}), lists=codes_by_list())
    assert name in {e.field for e in info.value.errors}


def test_a_taken_bed_leaves_no_arrival_contact(rt: Runtime, staff: SignedInUser) -> None:
    """The booking refuses a taken bed; the transaction undoes the arrival contact."""
    from akut_tui.services.night.beds import BedTaken
    from tests.night_helpers import CPR_B

    bed = bed_ids()[0]
    check_in(rt, staff, form(bed, CPR_A))
    with connection():
        before = Contact.select().count()
    with pytest.raises(BedTaken):
        check_in(rt, staff, form(bed, CPR_B))
    with connection():
        assert Contact.select().count() == before
