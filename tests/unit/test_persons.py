"""Person search, merge, CPR reveal and special attention, through the service API."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, PermissionDenied, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups, persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection
from db.models import AuditEvent, Bed, Contact, FollowUp, Person, Stay
from tests.conftest import PASSWORD
from tests.cprscan import row_text

CPR_A = "010190-1234"
CPR_B = "020285-2345"


def _session(rt: Runtime, name: str, role: str) -> SignedInUser:
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return _session(rt, "mette", "medarbejder")


@pytest.fixture
def coord(rt: Runtime) -> SignedInUser:
    return _session(rt, "kirsten", "koordinator")


def _contact(
    rt: Runtime,
    session: SignedInUser,
    *,
    nickname: str = "",
    cpr: str = "",
    birth_year: str = "",
    followup: bool = False,
    day: int | None = None,
) -> int | None:
    identity = "cpr" if cpr else ("pseudonym" if nickname else "anonym")
    saved = contacts.save_contact(
        rt,
        session,
        ContactInput(
            started_at=datetime(2026, 11, day, 12, 0, tzinfo=UTC) if day else None,
            identity=identity,
            nickname=nickname,
            cpr_text=cpr,
            birth_year=birth_year,
            crisis_level="let",
            followup_wanted=followup,
        ),
    )
    return saved.person_id


def _audit() -> list[AuditEvent]:
    with connection():
        return list(AuditEvent.select().order_by(AuditEvent.seq))


def _assert_no_cpr_in_audit() -> None:
    for event in _audit():
        text = row_text(event.__data__)
        assert not contains_cpr(text), event.action
        assert "0101901234" not in text and "0202852345" not in text


def test_search_by_nickname_fragment(rt: Runtime, staff: SignedInUser) -> None:
    mette = _contact(rt, staff, nickname="Mette", day=1)
    _contact(rt, staff, nickname="Mette", day=2)
    metusalem = _contact(rt, staff, nickname="Metusalem")
    _contact(rt, staff, nickname="Ole")
    rows = persons.search_persons(rt, staff, "met")
    assert [r.id for r in rows] == [metusalem, mette]  # most recently seen first
    assert rows[1].label == "Mette" and rows[1].contacts == 2
    assert rows[1].last_contact == datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert [r.id for r in persons.search_persons(rt, staff, "  METTE ")] == [mette]
    assert persons.search_persons(rt, staff, "xyz") == []


def test_search_folds_danish_letters_and_escapes_wildcards(
    rt: Runtime, staff: SignedInUser
) -> None:
    aase = _contact(rt, staff, nickname="Åse")
    pct = _contact(rt, staff, nickname="100%")
    under = _contact(rt, staff, nickname="a_b")
    _contact(rt, staff, nickname="axb")
    assert [r.id for r in persons.search_persons(rt, staff, "åSE")] == [aase]
    assert [r.id for r in persons.search_persons(rt, staff, "%")] == [pct]
    assert [r.id for r in persons.search_persons(rt, staff, "_")] == [under]


def test_search_by_cpr(rt: Runtime, staff: SignedInUser) -> None:
    pid = _contact(rt, staff, cpr=CPR_A)
    _contact(rt, staff, cpr=CPR_B)
    _contact(rt, staff, nickname="010190")
    for text in (CPR_A, "0101901234", " 010190 1234 "):
        rows = persons.search_persons(rt, staff, text)
        assert [r.id for r in rows] == [pid]
        assert rows[0].label == "010190-XXXX"
        assert rows[0].birth_year == 1990
    assert persons.search_persons(rt, staff, "030303-1234") == []
    with pytest.raises(ValidationError):
        persons.search_persons(rt, staff, "320190-1234")
    _assert_no_cpr_in_audit()


def test_search_is_audited_once_without_text(rt: Runtime, staff: SignedInUser) -> None:
    _contact(rt, staff, nickname="Mette")
    before = len(_audit())
    persons.search_persons(rt, staff, "Mette")
    events = _audit()[before:]
    assert [e.action for e in events] == ["person.search"]
    text = " ".join(str(v) for v in events[0].__data__.values())
    assert "Mette" not in text


def test_empty_search_lists_recent_unmerged(rt: Runtime, staff: SignedInUser) -> None:
    a = _contact(rt, staff, nickname="A")
    b = _contact(rt, staff, cpr=CPR_A)
    _contact(rt, staff)  # anonymous: no person
    assert {r.id for r in persons.search_persons(rt, staff, "")} == {a, b}


def test_merge_moves_contacts_followups_stays_and_cpr(
    rt: Runtime, staff: SignedInUser, coord: SignedInUser
) -> None:
    keep = _contact(rt, staff, nickname="Mette", day=1)
    _contact(rt, staff, nickname="Mette", day=2)
    gone = _contact(rt, staff, cpr=CPR_A, followup=True)
    assert keep is not None and gone is not None
    with connection():
        bed = Bed.select().first()
        Stay.create(
            person=gone,
            bed=bed,
            checked_in_at=datetime(2026, 11, 20, 18, 0),
            created_by=staff.user_id,
        )
    before = len(_audit())
    row = persons.merge_persons(rt, coord, keep, gone)
    assert row.id == keep and row.contacts == 3 and row.label == "Mette"
    events = _audit()[before:]
    assert [(e.action, e.object_id, e.person_ref) for e in events] == [
        ("person.merge", str(gone), str(keep))
    ]
    with connection():
        assert Contact.select().where(Contact.person == gone).count() == 0
        assert Contact.select().where(Contact.person == keep).count() == 3
        assert FollowUp.select().where(FollowUp.person == keep).count() == 1
        assert Stay.select().where(Stay.person == keep).count() == 1
        kept, merged = Person.get_by_id(keep), Person.get_by_id(gone)
        assert merged.merged_into_id == keep
        assert merged.cpr_key is None and merged.cpr_plain is None
        assert kept.cpr_plain == "0101901234" and kept.birth_year == 1990
    assert [r.id for r in persons.search_persons(rt, staff, "")] == [keep]
    assert [r.id for r in persons.search_persons(rt, staff, CPR_A)] == [keep]
    assert [r.id for r in persons.search_persons(rt, staff, "mette")] == [keep]
    assert followups.due_followups(rt, staff)[0].person_label == "Mette"
    # A later contact with the same CPR lands on the kept person.
    assert _contact(rt, staff, cpr=CPR_A) == keep
    _assert_no_cpr_in_audit()


def test_merge_refusals(rt: Runtime, staff: SignedInUser, coord: SignedInUser) -> None:
    a = _contact(rt, staff, cpr=CPR_A)
    b = _contact(rt, staff, cpr=CPR_B)
    c = _contact(rt, staff, nickname="Ole")
    assert a is not None and b is not None and c is not None
    with pytest.raises(ValidationError, match="forskellige CPR"):
        persons.merge_persons(rt, coord, a, b)
    with pytest.raises(ValidationError, match="sig selv"):
        persons.merge_persons(rt, coord, a, a)
    with pytest.raises(NotFound):
        persons.merge_persons(rt, coord, a, 999)
    with pytest.raises(PermissionDenied):
        persons.merge_persons(rt, staff, a, c)
    persons.merge_persons(rt, coord, a, c)
    with pytest.raises(ValidationError, match="allerede"):
        persons.merge_persons(rt, coord, b, c)
    with connection():
        assert Person.get_by_id(b).merged_into_id is None
        assert Contact.select().where(Contact.person == b).count() == 1


def test_reveal_cpr(rt: Runtime, staff: SignedInUser, coord: SignedInUser) -> None:
    pid = _contact(rt, staff, cpr=CPR_A)
    nick = _contact(rt, staff, nickname="Ole")
    assert pid is not None and nick is not None
    with pytest.raises(PermissionDenied):
        persons.reveal_cpr(rt, staff, pid, PASSWORD)
    before = len(_audit())
    assert persons.reveal_cpr(rt, coord, pid, PASSWORD) == CPR_A
    events = _audit()[before:]
    assert [(e.action, e.person_ref, e.username) for e in events] == [
        ("reauth.ok", "", "kirsten"),
        ("cpr.reveal", str(pid), "kirsten"),
    ]
    with pytest.raises(NotFound):
        persons.reveal_cpr(rt, coord, nick, PASSWORD)
    with connection():
        Person.update(cpr_plain=None, cpr_plain_expires=None).where(Person.id == pid).execute()
    with pytest.raises(NotFound, match="pseudonym"):
        persons.reveal_cpr(rt, coord, pid, PASSWORD)
    _assert_no_cpr_in_audit()


def test_reveal_cpr_after_expiry_refused(rt: Runtime, coord: SignedInUser) -> None:
    pid = _contact(rt, coord, cpr=CPR_A)
    assert pid is not None
    with connection():
        Person.update(cpr_plain_expires=date(2026, 11, 19)).where(Person.id == pid).execute()
    with pytest.raises(NotFound):
        persons.reveal_cpr(rt, coord, pid, PASSWORD)


def test_special_attention(rt: Runtime, staff: SignedInUser, coord: SignedInUser) -> None:
    pid = _contact(rt, staff, nickname="Mette")
    assert pid is not None
    with pytest.raises(PermissionDenied):
        persons.set_special_attention(rt, staff, pid, None, True)
    with pytest.raises(ValidationError):
        persons.set_special_attention(rt, coord, pid, date(2026, 11, 1), True)
    before = len(_audit())
    row = persons.set_special_attention(rt, coord, pid, date(2026, 12, 31), True)
    assert row.special_attention
    assert persons.search_persons(rt, staff, "Mette")[0].special_attention
    row = persons.set_special_attention(rt, coord, pid, None, False)
    assert not row.special_attention
    assert [e.action for e in _audit()[before:]] == [
        "person.flag",
        "person.search",
        "person.unflag",
    ]


def test_reveal_cpr_needs_the_password_again(rt: Runtime, coord: SignedInUser) -> None:
    pid = _contact(rt, coord, cpr=CPR_A)
    assert pid is not None
    with pytest.raises(ValidationError, match="Forkert adgangskode"):
        persons.reveal_cpr(rt, coord, pid, "ikke min adgangskode overhovedet")
    assert [e.action for e in _audit()][-1] == "reauth.failed"
    assert "cpr.reveal" not in [e.action for e in _audit()]
