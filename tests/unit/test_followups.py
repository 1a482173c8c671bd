"""Follow-up queue: creation at save, order, completion, phone deletion and audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import followups
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from db.database import connection
from db.models import AuditEvent, FollowUp
from tests.conftest import PASSWORD
from tests.cprscan import row_text


def _session(rt: Runtime, name: str, role: str) -> SignedInUser:
    accounts.create_user(rt, name, PASSWORD, role, actor=None)
    return auth.login(rt, name, PASSWORD)


@pytest.fixture
def staff(rt: Runtime) -> SignedInUser:
    return _session(rt, "mette", "medarbejder")


def _contact(
    rt: Runtime,
    session: SignedInUser,
    *,
    day: int | None = None,
    nickname: str = "",
    cpr: str = "",
    phone: str = "12345678",
    followup: bool = True,
) -> int:
    started = datetime(2026, 11, day, 12, 0, tzinfo=UTC) if day else None
    identity = "cpr" if cpr else ("pseudonym" if nickname else "anonym")
    saved = contacts.save_contact(
        rt,
        session,
        ContactInput(
            started_at=started,
            identity=identity,
            nickname=nickname,
            cpr_text=cpr,
            crisis_level="let",
            followup_wanted=followup,
            followup_phone=phone if followup else "",
        ),
    )
    return saved.id


def _audit() -> list[AuditEvent]:
    with connection():
        return list(AuditEvent.select().order_by(AuditEvent.seq))


def _followup_id(contact_id: int) -> int:
    with connection():
        return int(FollowUp.get(FollowUp.contact == contact_id).id)


def test_followup_created_14_days_after_contact(rt: Runtime, staff: SignedInUser) -> None:
    saved = contacts.save_contact(
        rt,
        staff,
        ContactInput(identity="pseudonym", nickname="Mette", followup_wanted=True),
    )
    assert saved.followup_due == "04-12-2026"
    rows = followups.due_followups(rt, staff)
    assert len(rows) == 1
    row = rows[0]
    assert row.contact_id == saved.id
    assert row.due_date == "04-12-2026"
    assert not row.overdue and not row.done and not row.has_phone
    assert row.person_label == "Mette"


def test_no_followup_without_wish(rt: Runtime, staff: SignedInUser) -> None:
    _contact(rt, staff, nickname="Ole", followup=False)
    assert followups.due_followups(rt, staff) == []


def test_order_and_overdue(rt: Runtime, staff: SignedInUser) -> None:
    _contact(rt, staff, nickname="Senere")  # due 04-12
    _contact(rt, staff, day=1, nickname="Forfalden")  # due 15-11
    _contact(rt, staff, day=6, nickname="IDag")  # due 20-11 = today
    _contact(rt, staff, day=10)  # due 24-11, anonymous
    rows = followups.due_followups(rt, staff)
    assert [r.due_date for r in rows] == ["15-11-2026", "20-11-2026", "24-11-2026", "04-12-2026"]
    assert [r.overdue for r in rows] == [True, False, False, False]
    assert [r.person_label for r in rows] == ["Forfalden", "IDag", "Anonym", "Senere"]


def test_label_is_masked_cpr_never_full(rt: Runtime, staff: SignedInUser) -> None:
    _contact(rt, staff, cpr="010190-1234")
    (row,) = followups.due_followups(rt, staff)
    assert row.person_label == "010190-XXXX"
    assert not contains_cpr(repr(row))


def test_complete_deletes_phone(rt: Runtime, staff: SignedInUser) -> None:
    contact_id = _contact(rt, staff, day=1, nickname="Mette")
    other = _contact(rt, staff, nickname="Ole")
    fid = _followup_id(contact_id)
    assert followups.reveal_followup_phone(rt, staff, fid) == "12345678"
    row = followups.complete_followup(rt, staff, fid, "forbedret")
    assert row.done and row.result == "forbedret" and not row.has_phone and not row.overdue
    with connection():
        stored = FollowUp.get_by_id(fid)
        assert stored.phone is None
        assert stored.done_by_id == staff.user_id
        assert stored.done_at == datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    assert [r.id for r in followups.due_followups(rt, staff)] == [_followup_id(other)]
    all_rows = followups.due_followups(rt, staff, include_done=True)
    assert [r.id for r in all_rows] == [_followup_id(other), fid]
    with pytest.raises(NotFound):
        followups.reveal_followup_phone(rt, staff, fid)


def test_bad_result_refused(rt: Runtime, staff: SignedInUser) -> None:
    fid = _followup_id(_contact(rt, staff, nickname="Mette"))
    with pytest.raises(ValidationError):
        followups.complete_followup(rt, staff, fid, "super")
    with connection():
        stored = FollowUp.get_by_id(fid)
        assert stored.done_at is None and stored.phone == "12345678"


def test_completing_twice_refused(rt: Runtime, staff: SignedInUser) -> None:
    fid = _followup_id(_contact(rt, staff, nickname="Mette"))
    followups.complete_followup(rt, staff, fid, "ikke_opnaaet")
    with pytest.raises(ValidationError):
        followups.complete_followup(rt, staff, fid, "forbedret")
    with connection():
        assert FollowUp.get_by_id(fid).result == "ikke_opnaaet"


def test_unknown_followup(rt: Runtime, staff: SignedInUser) -> None:
    with pytest.raises(NotFound):
        followups.complete_followup(rt, staff, 999, "forbedret")
    with pytest.raises(NotFound):
        followups.reveal_followup_phone(rt, staff, 999)


def test_every_call_is_audited_without_cpr(rt: Runtime, staff: SignedInUser) -> None:
    contact_id = _contact(rt, staff, cpr="010190-1234")
    fid = _followup_id(contact_id)
    before = len(_audit())
    followups.due_followups(rt, staff)
    followups.reveal_followup_phone(rt, staff, fid)
    followups.complete_followup(rt, staff, fid, "uaendret")
    events = _audit()
    assert [e.action for e in events[before:]] == [
        "followup.list",
        "followup.phone",
        "followup.complete",
    ]
    assert events[-1].object_id == str(fid)
    assert events[-1].person_ref != ""
    for event in events:
        text = row_text(event.__data__)
        assert not contains_cpr(text)
        assert "0101901234" not in text
