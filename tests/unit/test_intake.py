"""Contact registration through the service API on a real SQLite file.

Covers docs/domain.md §1/§2/§7 (fields, CPR rules, follow-up, drafts) and
docs/security.md rows 22, 25 and 28 (edit rights, audit of every read and change,
no clear CPR outside the person table).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from akut_tui.core.cpr import contains_cpr, pseudonym
from akut_tui.core.errors import NotFound, PermissionDenied
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import FormErrors
from akut_tui.services.drafts import forms as drafts
from db.database import connection, write_transaction
from db.models import AuditEvent, Contact, ContactDraft, ContactValue, FollowUp, Person
from tests.conftest import PASSWORD, FakeClock
from tests.cprscan import row_text

TODAY = date(2026, 11, 20)
CPR = "010190-1233"
CPR_DIGITS = "0101901233"


def _session(rt: Runtime, name: str, role: str) -> SignedInUser:
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return _session(rt, "mette", "medarbejder")


@pytest.fixture
def colleague(rt: Runtime) -> SignedInUser:
    return _session(rt, "jonas", "medarbejder")


@pytest.fixture
def coord(rt: Runtime) -> SignedInUser:
    return _session(rt, "kirsten", "koordinator")


@pytest.fixture
def leader(rt: Runtime) -> SignedInUser:
    return _session(rt, "lone", "leder")


def _at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    """An aware UTC moment on November ``day`` 2026 (local time is UTC+1)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _audit(action: str | None = None) -> list[AuditEvent]:
    with connection():
        query = AuditEvent.select().order_by(AuditEvent.seq)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return list(query)


def _contact(contact_id: int) -> Contact:
    with connection():
        return Contact.get_by_id(contact_id)


def _count(model: type) -> int:
    with connection():
        return int(model.select().count())


def _persons() -> list[Person]:
    with connection():
        return list(Person.select().order_by(Person.id))


def _assert_no_cpr_in_audit() -> None:
    for event in _audit():
        text = row_text(event.__data__)
        assert not contains_cpr(text), event.action
        assert CPR_DIGITS not in text


# --- saving -------------------------------------------------------------------------


def test_anonymous_phone_call(rt: Runtime, staff: SignedInUser) -> None:
    form = ContactInput(
        channel="telefon",
        crisis_level="middel",
        symptoms=["angst", "uro", "angst"],
        events=["tab_sorg"],
        actions=["ny_samtale", "opfordret_netvaerk"],
        escalations=["vagtlaege"],
        duration_min="12",
        flag_suicidal=True,
    )
    saved = contacts.save_contact(rt, staff, form)
    assert saved.created
    assert saved.person_id is None
    assert saved.crisis_level == "middel"
    assert saved.duration_min == 12
    assert saved.followup_due is None
    assert not saved.under_18

    row = _contact(saved.id)
    assert row.started_at == datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # stored UTC, read aware
    assert (row.shift, row.shift_date) == ("aften", TODAY)
    assert row.channel == "telefon" and row.contact_type == "krise"
    assert row.anonymous and row.person_id is None and row.cpr_status == "anonym"
    assert row.home_municipality == "ukendt"  # a blank is unknown, never the host
    assert row.crisis_level == "middel"
    assert row.duration_min == 12
    assert row.flag_suicidal and not row.flag_self_harm
    assert row.conversation == "ikke_registreret" and not row.crisis_plan  # no default
    assert row.gender == "ikke_registreret" and row.age_band == "ukendt"
    assert row.note is None and row.note_expires is None
    assert row.created_by_id == staff.user_id and row.updated_by_id is None
    assert not row.locked
    with connection():
        values = sorted(
            ContactValue.select(ContactValue.list_name, ContactValue.code)
            .where(ContactValue.contact == saved.id)
            .tuples()
        )
    assert values == [
        ("action", "ny_samtale"),
        ("action", "opfordret_netvaerk"),
        ("escalation", "vagtlaege"),
        ("event", "tab_sorg"),
        ("symptom", "angst"),
        ("symptom", "uro"),
    ]
    [event] = _audit("contact.create")
    assert event.user_id == staff.user_id and event.username == "mette"
    assert (event.object_type, event.object_id, event.person_ref) == ("contact", str(saved.id), "")
    assert _count(FollowUp) == 0 and _count(Person) == 0


def test_cpr_contact_creates_pseudonymous_person(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(
        rt, staff, ContactInput(identity="cpr", cpr_text=CPR, crisis_level="let")
    )
    [person] = _persons()
    assert saved.person_id == person.id
    assert person.cpr_key == pseudonym(CPR_DIGITS, rt.keys.pseudonym)
    assert person.cpr_key != pseudonym(CPR_DIGITS, b"another key")
    assert person.cpr_plain == CPR_DIGITS
    assert person.cpr_plain_expires == TODAY + timedelta(days=90)
    assert person.gender == "mand" and person.birth_year == 1990
    assert person.nickname is None
    row = _contact(saved.id)
    assert row.person_id == person.id
    assert not row.anonymous and row.cpr_status == "oplyst"
    assert row.gender == "mand" and row.age_band == "35_44"
    [event] = _audit("contact.create")
    assert event.person_ref == str(person.id)
    _assert_no_cpr_in_audit()


def test_same_cpr_reuses_person_and_extends_plain_cpr(
    rt: Runtime, staff: SignedInUser, clock: FakeClock
) -> None:
    first = contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text=CPR))
    clock.advance(hours=1)
    second = contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text=CPR_DIGITS))
    assert first.person_id == second.person_id
    assert len(_persons()) == 1
    assert "borgeren har været i kontakt før" not in second.cpr_reasons  # CPR already given
    # A back-entered contact never shortens the plain-CPR retention.
    contacts.save_contact(
        rt, staff, ContactInput(identity="cpr", cpr_text=CPR, started_at=_at(12, day=1))
    )
    [person] = _persons()
    assert person.cpr_plain_expires == TODAY + timedelta(days=90)


def test_female_cpr_and_minor(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text="211108-4012"))
    assert saved.under_18
    row = _contact(saved.id)
    assert (row.gender, row.age_band) == ("kvinde", "under_18")


def test_nickname_recognition(rt: Runtime, staff: SignedInUser) -> None:
    def save(nickname: str, year: str = "") -> int | None:
        form = ContactInput(identity="pseudonym", nickname=nickname, birth_year=year)
        return contacts.save_contact(rt, staff, form).person_id

    mette = save("Mette")
    assert save("mette") == mette  # case-insensitive
    assert save("  Mette  ") == mette
    assert save("Mette", "1980") == mette  # the one open-year Mette gets the year
    assert _persons()[0].birth_year == 1980
    assert save("Mette", "1980") == mette
    other = save("Mette", "1975")  # a different Mette
    assert other is not None and other != mette
    assert len(_persons()) == 2
    # Two Mettes now: a name alone is ambiguous, so a new person is created.
    assert save("Mette") not in (mette, other)
    row = _contact(
        contacts.save_contact(rt, staff, ContactInput(identity="pseudonym", nickname="Bo")).id
    )
    assert row.cpr_status == "ikke_relevant" and not row.anonymous


def test_cpr_declined_is_recorded_as_afvist(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(
        rt, staff, ContactInput(identity="cpr", cpr_declined=True, cpr_text="skrald")
    )
    row = _contact(saved.id)
    assert row.cpr_status == "afvist" and row.person_id is None and not row.anonymous
    form = contacts.load_contact(rt, staff, saved.id)
    assert form.identity == "cpr" and form.cpr_declined


def test_lookup_repeat(rt: Runtime, staff: SignedInUser) -> None:
    lookup = ContactInput(identity="cpr", cpr_text=CPR)
    assert persons.lookup_repeat(rt, staff, lookup) is None
    assert _audit("person.lookup") == []
    contacts.save_contact(
        rt,
        staff,
        ContactInput(identity="cpr", cpr_text=CPR, crisis_level="let", started_at=_at(10, day=2)),
    )
    second = contacts.save_contact(
        rt,
        staff,
        ContactInput(
            identity="cpr",
            cpr_text=CPR,
            crisis_level="alvorlig",
            followup_wanted=True,
            started_at=_at(10, day=10),
        ),
    )
    info = persons.lookup_repeat(rt, staff, lookup)
    assert info is not None
    assert info.person_id == second.person_id
    assert info.earlier_contacts == 2
    assert info.last_level == "alvorlig"
    assert info.last_contact == _at(10, day=10)
    assert info.open_followup and not info.active_stay
    assert info.special_attention_until is None
    [event] = _audit("person.lookup")
    assert event.person_ref == str(second.person_id) and event.user_id == staff.user_id
    excluded = persons.lookup_repeat(rt, staff, lookup, exclude_contact=second.id)
    assert excluded is not None and excluded.earlier_contacts == 1
    assert excluded.last_level == "let"
    assert len(_audit("person.lookup")) == 2
    # Without dash, and by nickname: same machinery.
    assert persons.lookup_repeat(rt, staff, replace(lookup, cpr_text=CPR_DIGITS)) is not None
    assert persons.lookup_repeat(rt, staff, replace(lookup, cpr_text="0101")) is None
    assert persons.lookup_repeat(rt, staff, replace(lookup, cpr_declined=True)) is None
    _assert_no_cpr_in_audit()


def test_lookup_repeat_by_nickname(rt: Runtime, staff: SignedInUser) -> None:
    form = ContactInput(identity="pseudonym", nickname="Kaj", birth_year="1970")
    saved = contacts.save_contact(rt, staff, form)
    info = persons.lookup_repeat(rt, staff, replace(form, nickname="kaj"))
    assert info is not None and info.person_id == saved.person_id
    assert info.earlier_contacts == 1 and not info.open_followup
    assert persons.lookup_repeat(rt, staff, replace(form, birth_year="1971")) is None
    assert persons.lookup_repeat(rt, staff, ContactInput()) is None


def test_form_errors_carry_every_field_and_store_nothing(rt: Runtime, staff: SignedInUser) -> None:
    before = len(_audit())
    form = ContactInput(
        started_at=_at(23),  # 00:00 local the next day: in the future
        caller="samarbejdspartner",
        crisis_plan=True,
        identity="cpr",
        cpr_text="310290-1234",
        duration_min="to timer",
        birth_year="1850",
        followup_phone="12345678",
        note="n" * 501,
        symptoms=["angst", "ikke_en_kode"],
    )
    with pytest.raises(FormErrors) as info:
        contacts.save_contact(rt, staff, form)
    fields = {e.field for e in info.value.errors}
    assert fields == {
        "started_at",
        "partner_type",
        "crisis_plan",
        "cpr_text",
        "duration_min",
        "birth_year",
        "followup_phone",
        "note",
        "symptoms",
    }
    assert str(info.value) == str(info.value.errors[0])
    for model in (Contact, ContactValue, Person, FollowUp):
        assert _count(model) == 0, model.__name__
    assert len(_audit()) == before


@pytest.mark.parametrize("kind", ["stille_opkald", "fejlopkald", "testopkald"])
def test_non_data_types_are_anonymous_without_level(
    rt: Runtime, staff: SignedInUser, kind: str
) -> None:
    form = ContactInput(
        contact_type=kind,
        identity="cpr",
        cpr_text=CPR,
        crisis_level="alvorlig",
        nickname="Mette",
    )
    saved = contacts.save_contact(rt, staff, form)
    assert saved.crisis_level is None and saved.person_id is None
    assert saved.cpr_reasons == ()
    row = _contact(saved.id)
    assert row.contact_type == kind
    assert row.crisis_level is None
    assert row.anonymous and row.person_id is None and row.cpr_status == "anonym"
    assert _count(Person) == 0


def test_followup_created_and_removed(rt: Runtime, staff: SignedInUser) -> None:
    form = ContactInput(crisis_level="let", followup_wanted=True, followup_phone="12 34 56 78")
    saved = contacts.save_contact(rt, staff, form)
    assert saved.followup_due == "04-12-2026"
    with connection():
        followup = FollowUp.get(FollowUp.contact == saved.id)
    assert followup.due_date == TODAY + timedelta(days=14)
    assert followup.phone == "12345678"
    assert followup.done_at is None
    assert "opfølgning" in saved.cpr_reasons

    edited = contacts.save_contact(
        rt, staff, replace(form, followup_wanted=False, followup_phone=""), contact_id=saved.id
    )
    assert edited.followup_due is None
    assert _count(FollowUp) == 0
    assert not _contact(saved.id).followup_wanted


def test_followup_due_date_follows_back_entered_contact(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(
        rt, staff, ContactInput(followup_wanted=True, started_at=_at(22, 30, day=1))
    )
    assert saved.followup_due == "15-11-2026"  # 01-11 23:30 local + 14 days


def test_note_is_trimmed_and_expires(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(note="  hej [2J\nmed dig  "))
    row = _contact(saved.id)
    assert row.note == "hej [2J\nmed dig"
    assert row.note_expires == TODAY + timedelta(days=30)
    blank = contacts.save_contact(rt, staff, ContactInput(note="  "))
    row = _contact(blank.id)
    assert row.note is None and row.note_expires is None


def test_note_with_escape_or_nul_is_refused_not_stripped(rt: Runtime, staff: SignedInUser) -> None:
    """docs/security.md row 12: refused with a message naming the problem, nothing stored."""
    for note, named in (("hej\x1b[2J", "kontroltegn (U+001B)"), (" \x00 ", "NUL-tegn")):
        with pytest.raises(FormErrors) as info:
            contacts.save_contact(rt, staff, ContactInput(note=note))
        [error] = info.value.errors
        assert error.field == "note" and named in str(error)
    with connection():
        assert Contact.select().count() == 0


# --- editing ------------------------------------------------------------------------


def test_owner_edits_in_same_shift_and_every_access_is_audited(
    rt: Runtime, staff: SignedInUser
) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let", symptoms=["angst"]))
    form = contacts.load_contact(rt, staff, saved.id)
    assert form.crisis_level == "let" and form.symptoms == ["angst"]
    assert form.started_at == _at(19)
    edited = contacts.save_contact(
        rt, staff, replace(form, crisis_level="middel", symptoms=["uro"]), contact_id=saved.id
    )
    assert not edited.created and edited.id == saved.id
    contacts.load_contact(rt, staff, saved.id)
    row = _contact(saved.id)
    assert row.crisis_level == "middel" and row.updated_by_id == staff.user_id
    assert row.created_by_id == staff.user_id
    with connection():
        codes = [v.code for v in ContactValue.select().where(ContactValue.contact == saved.id)]
    assert codes == ["uro"]
    assert _count(Contact) == 1
    assert [e.action for e in _audit() if e.object_type == "contact"] == [
        "contact.create",
        "contact.read",
        "contact.update",
        "contact.read",
    ]
    assert all(e.object_id == str(saved.id) for e in _audit() if e.object_type == "contact")


def test_staff_cannot_edit_a_colleagues_contact(
    rt: Runtime, staff: SignedInUser, colleague: SignedInUser
) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let"))
    with pytest.raises(PermissionDenied):
        contacts.load_contact(rt, colleague, saved.id)
    with pytest.raises(PermissionDenied):
        contacts.save_contact(
            rt, colleague, ContactInput(crisis_level="alvorlig"), contact_id=saved.id
        )
    assert _contact(saved.id).crisis_level == "let"
    assert _audit("contact.read") == [] and _audit("contact.update") == []


def test_staff_cannot_edit_after_the_shift(
    rt: Runtime, staff: SignedInUser, coord: SignedInUser, leader: SignedInUser, clock: FakeClock
) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let"))
    clock.advance(hours=2, minutes=59)  # 22:59 local: still the evening shift
    contacts.load_contact(rt, staff, saved.id)
    clock.advance(minutes=2)  # 23:01 local: night shift
    with pytest.raises(PermissionDenied):
        contacts.load_contact(rt, staff, saved.id)
    with pytest.raises(PermissionDenied):
        contacts.save_contact(rt, staff, ContactInput(crisis_level="middel"), contact_id=saved.id)
    for session in (coord, leader):
        form = contacts.load_contact(rt, session, saved.id)
        contacts.save_contact(
            rt, session, replace(form, crisis_level="middel"), contact_id=saved.id
        )
        assert _contact(saved.id).updated_by_id == session.user_id
    assert len(_audit("contact.update")) == 2


def test_locked_contact_only_leader(
    rt: Runtime, staff: SignedInUser, coord: SignedInUser, leader: SignedInUser
) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let"))
    with write_transaction():
        Contact.update(locked=True).where(Contact.id == saved.id).execute()
    for session in (staff, coord):
        with pytest.raises(PermissionDenied):
            contacts.load_contact(rt, session, saved.id)
        with pytest.raises(PermissionDenied):
            contacts.save_contact(rt, session, ContactInput(), contact_id=saved.id)
    form = contacts.load_contact(rt, leader, saved.id)
    contacts.save_contact(rt, leader, replace(form, crisis_level="alvorlig"), contact_id=saved.id)
    row = _contact(saved.id)
    assert row.crisis_level == "alvorlig" and row.locked


def test_missing_contact_is_not_found(rt: Runtime, leader: SignedInUser) -> None:
    with pytest.raises(NotFound):
        contacts.load_contact(rt, leader, 999)
    with pytest.raises(NotFound):
        contacts.save_contact(rt, leader, ContactInput(), contact_id=999)


def test_edit_cpr_contact_with_masked_cpr_keeps_person(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(
        rt, staff, ContactInput(identity="cpr", cpr_text=CPR, followup_wanted=True)
    )
    form = contacts.load_contact(rt, staff, saved.id)
    assert form.identity == "cpr"
    assert form.cpr_text == "010190-XXXX"
    assert CPR_DIGITS not in json.dumps(form.to_json())
    edited = contacts.save_contact(
        rt, staff, replace(form, crisis_level="let"), contact_id=saved.id
    )
    assert edited.person_id == saved.person_id
    assert len(_persons()) == 1
    row = _contact(saved.id)
    assert row.person_id == saved.person_id and row.cpr_status == "oplyst"
    assert (row.gender, row.age_band) == ("mand", "35_44")
    with connection():
        assert FollowUp.get(FollowUp.contact == saved.id).person_id == saved.person_id
    _assert_no_cpr_in_audit()


def test_masked_cpr_is_refused_on_a_new_contact(rt: Runtime, staff: SignedInUser) -> None:
    with pytest.raises(FormErrors) as info:
        contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text="010190-XXXX"))
    assert [e.field for e in info.value.errors] == ["cpr_text"]


def test_masked_cpr_on_an_anonymous_contact_is_refused(rt: Runtime, staff: SignedInUser) -> None:
    """A pasted mask cannot stand in for a CPR on a contact that never had one."""
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let"))
    form = replace(
        contacts.load_contact(rt, staff, saved.id), identity="cpr", cpr_text="010190-XXXX"
    )
    with pytest.raises(FormErrors) as info:
        contacts.save_contact(rt, staff, form, contact_id=saved.id)
    assert [e.field for e in info.value.errors] == ["cpr_text"]
    row = _contact(saved.id)
    assert row.anonymous and row.cpr_status == "anonym"


def test_edit_with_a_new_full_cpr_moves_to_that_person(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text=CPR))
    form = contacts.load_contact(rt, staff, saved.id)
    edited = contacts.save_contact(
        rt, staff, replace(form, cpr_text="020285-2344"), contact_id=saved.id
    )
    assert edited.person_id != saved.person_id
    assert _contact(saved.id).gender == "kvinde"


# --- drafts -------------------------------------------------------------------------


def test_draft_life_cycle(rt: Runtime, staff: SignedInUser, clock: FakeClock) -> None:
    form = ContactInput(
        started_at=_at(18, 50), note="halvt skrevet", crisis_level="middel", symptoms=["angst"]
    )
    draft_id = drafts.save_draft(rt, staff, form)
    [info] = drafts.list_drafts(rt, staff)
    assert info.id == draft_id
    assert (info.shift, info.shift_date) == ("aften", "20-11-2026")
    assert not info.stale and info.contact_id is None
    assert "halvt" not in info.summary  # no free text in lists
    assert info.summary == "20-11-2026 19:50 · Telefon · Middelsvær"
    # Autosave overwrites the same draft.
    assert drafts.save_draft(rt, staff, replace(form, duration_min="7"), draft_id=draft_id) == (
        draft_id
    )
    assert _count(ContactDraft) == 1
    assert len(_audit("draft.create")) == 1

    clock.advance(hours=4)  # 00:00 local: night shift
    [info] = drafts.list_drafts(rt, staff)
    assert info.stale

    loaded, contact_id = drafts.load_draft(rt, staff, draft_id)
    assert loaded == replace(form, duration_min="7")
    assert contact_id is None
    [event] = _audit("draft.resume")
    assert event.object_id == str(draft_id) and event.user_id == staff.user_id

    drafts.discard_draft(rt, staff, draft_id)
    assert drafts.list_drafts(rt, staff) == []
    assert len(_audit("draft.discard")) == 1
    with pytest.raises(NotFound):
        drafts.load_draft(rt, staff, draft_id)


def test_drafts_are_private(rt: Runtime, staff: SignedInUser, colleague: SignedInUser) -> None:
    draft_id = drafts.save_draft(rt, staff, ContactInput(note="mit"))
    assert drafts.list_drafts(rt, colleague) == []
    with pytest.raises(NotFound):
        drafts.load_draft(rt, colleague, draft_id)
    drafts.discard_draft(rt, colleague, draft_id)
    assert _audit("draft.discard") == []
    # Autosaving onto someone else's draft id makes a new draft instead.
    theirs = drafts.save_draft(rt, colleague, ContactInput(note="dit"), draft_id=draft_id)
    assert theirs != draft_id
    # Saving a contact "from" someone else's draft does not delete it.
    contacts.save_contact(rt, colleague, ContactInput(), draft_id=draft_id)
    loaded, _ = drafts.load_draft(rt, staff, draft_id)
    assert loaded.note == "mit"
    assert [d.id for d in drafts.list_drafts(rt, staff)] == [draft_id]


def test_save_contact_from_draft_deletes_it(rt: Runtime, staff: SignedInUser) -> None:
    keep = drafts.save_draft(rt, staff, ContactInput(note="anden"))
    draft_id = drafts.save_draft(rt, staff, ContactInput(note="færdig", crisis_level="let"))
    form, _ = drafts.load_draft(rt, staff, draft_id)
    saved = contacts.save_contact(rt, staff, form, draft_id=draft_id)
    assert _contact(saved.id).note == "færdig"
    assert [d.id for d in drafts.list_drafts(rt, staff)] == [keep]


def test_failed_save_keeps_the_draft(rt: Runtime, staff: SignedInUser) -> None:
    draft_id = drafts.save_draft(rt, staff, ContactInput(duration_min="lang"))
    form, _ = drafts.load_draft(rt, staff, draft_id)
    with pytest.raises(FormErrors):
        contacts.save_contact(rt, staff, form, draft_id=draft_id)
    assert [d.id for d in drafts.list_drafts(rt, staff)] == [draft_id]


def test_edit_draft_remembers_contact(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(crisis_level="let"))
    form = contacts.load_contact(rt, staff, saved.id)
    draft_id = drafts.save_draft(rt, staff, replace(form, note="rettelse"), contact_id=saved.id)
    [info] = drafts.list_drafts(rt, staff)
    assert info.contact_id == saved.id
    loaded, contact_id = drafts.load_draft(rt, staff, draft_id)
    assert contact_id == saved.id
    contacts.save_contact(rt, staff, loaded, contact_id=contact_id, draft_id=draft_id)
    assert _contact(saved.id).note == "rettelse"
    assert _count(ContactDraft) == 0 and _count(Contact) == 1


# --- shift list and permissions ---------------------------------------------------


def test_shift_contacts_newest_first_with_edit_rights(
    rt: Runtime,
    staff: SignedInUser,
    colleague: SignedInUser,
    coord: SignedInUser,
    leader: SignedInUser,
) -> None:
    own = contacts.save_contact(rt, staff, ContactInput(started_at=_at(15)))
    theirs = contacts.save_contact(rt, colleague, ContactInput(started_at=_at(17)))
    latest = contacts.save_contact(rt, staff, ContactInput(started_at=_at(18, 30)))
    locked = contacts.save_contact(rt, staff, ContactInput(started_at=_at(16)))
    contacts.save_contact(rt, staff, ContactInput(started_at=_at(13)))  # day shift (14:00 local)
    newest = contacts.save_contact(rt, staff, ContactInput())  # the clock: 20:00 local
    with write_transaction():
        Contact.update(locked=True).where(Contact.id == locked.id).execute()

    rows = contacts.shift_contacts(rt, staff)
    order = [r.id for r in rows]
    assert order == [newest.id, latest.id, theirs.id, locked.id, own.id]
    assert [r.started_at for r in rows] == sorted((r.started_at for r in rows), reverse=True)
    editable = {r.id: r.editable for r in rows}
    assert editable[own.id] and editable[latest.id]
    assert not editable[theirs.id] and not editable[locked.id]
    assert rows[1].staff == "mette" and rows[2].staff == "jonas"

    coord_rows = {r.id: r.editable for r in contacts.shift_contacts(rt, coord)}
    assert coord_rows[theirs.id] and not coord_rows[locked.id]
    assert all(r.editable for r in contacts.shift_contacts(rt, leader))
    assert len(contacts.shift_contacts(rt, staff, limit=2)) == 2


def test_disabled_user_is_refused(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput())
    draft_id = drafts.save_draft(rt, staff, ContactInput())
    accounts.set_active(rt, None, "mette", False)
    calls = [
        lambda: contacts.save_contact(rt, staff, ContactInput()),
        lambda: contacts.save_contact(rt, staff, ContactInput(), contact_id=saved.id),
        lambda: contacts.load_contact(rt, staff, saved.id),
        lambda: contacts.shift_contacts(rt, staff),
        lambda: persons.lookup_repeat(rt, staff, ContactInput(identity="cpr", cpr_text=CPR)),
        lambda: drafts.list_drafts(rt, staff),
        lambda: drafts.load_draft(rt, staff, draft_id),
        lambda: drafts.discard_draft(rt, staff, draft_id),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    # Issue 14: a session ended because the account was disabled writes the pending
    # draft first (its text is kept, sealed, the user's own); reading, resuming and
    # discarding it stay refused until the account is enabled again.
    assert drafts.save_draft(rt, staff, ContactInput(), draft_id=draft_id) == draft_id
    assert _count(Contact) == 1 and _count(ContactDraft) == 1


def test_masked_cpr_with_another_prefix_is_refused(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text=CPR))
    form = contacts.load_contact(rt, staff, saved.id)
    with pytest.raises(FormErrors) as info:
        contacts.save_contact(rt, staff, replace(form, cpr_text="020290-XXXX"), contact_id=saved.id)
    assert [e.field for e in info.value.errors] == ["cpr_text"]


def test_edit_after_plain_cpr_expired_keeps_person(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(rt, staff, ContactInput(identity="cpr", cpr_text=CPR))
    with write_transaction():
        Person.update(cpr_plain=None, cpr_plain_expires=None).execute()
    form = contacts.load_contact(rt, staff, saved.id)
    assert form.cpr_text == "XXXXXX-XXXX"
    edited = contacts.save_contact(
        rt, staff, replace(form, crisis_level="let"), contact_id=saved.id
    )
    assert edited.person_id == saved.person_id
    assert _contact(saved.id).cpr_status == "oplyst"
    [person] = _persons()
    assert person.cpr_plain is None  # an edit never brings the plain CPR back


@pytest.mark.parametrize(
    ("first", "again"), [("Øjvind", "Øjvind"), ("ÅSE", "åse"), ("Ærø-Bo", "ærø-bo")]
)
def test_danish_nickname_recognised_regardless_of_case(
    rt: Runtime, staff: SignedInUser, first: str, again: str
) -> None:
    one = contacts.save_contact(rt, staff, ContactInput(identity="pseudonym", nickname=first))
    two = contacts.save_contact(rt, staff, ContactInput(identity="pseudonym", nickname=again))
    assert one.person_id == two.person_id
    info = persons.lookup_repeat(rt, staff, ContactInput(identity="pseudonym", nickname=again))
    assert info is not None and info.earlier_contacts == 2


def test_nickname_after_long_leading_blanks_is_kept(rt: Runtime, staff: SignedInUser) -> None:
    """Trimmed before the length check, so leading blanks never count or cut the name."""
    saved = contacts.save_contact(
        rt, staff, ContactInput(identity="pseudonym", nickname=" " * 70 + "Bo " + "x" * 50)
    )
    assert saved.person_id is not None
    [person] = _persons()
    assert person.nickname == "Bo " + "x" * 50
    with pytest.raises(FormErrors) as info:
        contacts.save_contact(rt, staff, ContactInput(identity="pseudonym", nickname="x" * 61))
    assert "for mange tegn (61; højst 60)" in str(info.value.errors[0])
