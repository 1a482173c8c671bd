"""The leader's audit log: filters, Danish lines, paging by key, refusals, and its own audit."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from akut_tui.core.config import Config
from akut_tui.core.cpr import contains_cpr
from akut_tui.core.errors import NotFound, PermissionDenied, ValidationError
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import persons
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.oversight import access_report, audit_chain, audit_log
from akut_tui.services.oversight.audit_dto import AuditFilter
from akut_tui.services.startup.opening import open_runtime
from db.database import connection, sqlite_path
from db.migrations import LATEST
from db.models import AuditEvent
from tests.conftest import PASSWORD, FakeClock, cheap_hasher
from tests.schema_undo import undo_v15

CPR = "010190-1234"
INDEXES = {"audit_event_username_seq", "audit_event_person_ref_seq", "audit_event_action_seq"}


def _session(rt: Runtime, name: str, role: str, display: str = "") -> SignedInUser:
    accounts.create_user(rt, name, PASSWORD, role, actor=None, display_name=display)
    return auth.login(rt, name, PASSWORD)


@pytest.fixture
def leader(rt: Runtime) -> SignedInUser:
    return _session(rt, "lise", "leder", "Lise")


@pytest.fixture
def coord(rt: Runtime) -> SignedInUser:
    return _session(rt, "mette", "koordinator", "Mette")


def _ida(rt: Runtime, session: SignedInUser) -> int:
    """Ida: a nickname person and a CPR person merged into her (she has both)."""
    ids = []
    for form in (
        ContactInput(identity="pseudonym", nickname="Ida", birth_year="1990", crisis_level="let"),
        ContactInput(identity="cpr", cpr_text=CPR, crisis_level="let"),
    ):
        saved = contacts.save_contact(rt, session, form)
        assert saved.person_id is not None
        ids.append(saved.person_id)
    persons.merge_persons(rt, session, ids[0], ids[1])
    return ids[0]


def _texts(page: audit_log.AuditPage) -> list[str]:
    return [line.text for line in page.lines]


def test_cpr_reveal_reads_as_danish_sentence_with_masked_cpr(
    rt: Runtime, leader: SignedInUser, coord: SignedInUser
) -> None:
    ida = _ida(rt, coord)
    persons.reveal_cpr(rt, coord, ida, PASSWORD)
    page = audit_log.audit_page(rt, leader, AuditFilter(person=CPR))
    assert page.lines[0].text == "Mette så CPR for Ida (010190-XXXX)"
    assert page.lines[0].place == "Personer (F7)"
    assert "Mette registrerede en henvendelse om Ida (010190-XXXX)" in _texts(page)
    assert not any(contains_cpr(line.text) for line in page.lines)


def test_filters_by_nickname_kind_user_and_days(
    rt: Runtime, clock: FakeClock, leader: SignedInUser, coord: SignedInUser
) -> None:
    ida = _ida(rt, coord)
    clock.advance(days=2)
    persons.reveal_cpr(rt, coord, ida, PASSWORD)
    by_name = audit_log.audit_page(rt, leader, AuditFilter(person="ida", kind="cpr"))
    assert _texts(by_name) == ["Mette så CPR for Ida (010190-XXXX)"]
    by_user = audit_log.audit_page(rt, leader, AuditFilter(user="METTE"))
    assert {line.who for line in by_user.lines} == {"Mette"}
    first_day = date(2026, 11, 20)
    on_day = audit_log.audit_page(rt, leader, AuditFilter(person=CPR, start=first_day,
                                                          end=first_day))  # fmt: skip
    actions = [line.action for line in on_day.lines]
    assert actions == ["person.merge", "contact.create", "contact.create"]
    later = audit_log.audit_page(rt, leader, AuditFilter(start=date(2026, 11, 22)))
    assert all(line.at >= datetime(2026, 11, 21, 23, 0, tzinfo=UTC) for line in later.lines)
    assert "cpr.reveal" in [line.action for line in later.lines]


def test_pages_by_key_newest_first(rt: Runtime, leader: SignedInUser) -> None:
    with connection():
        from db.database import database

        with database.atomic():
            for n in range(120):
                audit.record(rt, "login.failed", username=f"x{n}")
    seen: list[int] = []
    before = None
    while True:
        page = audit_log.audit_page(rt, leader, AuditFilter(kind="login"), before, limit=50)
        seen.extend(line.seq for line in page.lines)
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) >= 120


def test_viewing_is_audited_with_the_person_as_reference(
    rt: Runtime, leader: SignedInUser, coord: SignedInUser
) -> None:
    ida = _ida(rt, coord)
    audit_log.audit_page(rt, leader, AuditFilter(person=CPR))
    with connection():
        last = AuditEvent.select().order_by(AuditEvent.seq.desc()).first()
    assert (last.action, last.person_ref, last.username) == ("audit.person_view", str(ida), "lise")
    assert not contains_cpr(last.object_id)


@pytest.mark.parametrize("role", ["medarbejder", "koordinator"])
def test_only_a_leader_reads_the_log_or_checks_the_chain(rt: Runtime, role: str) -> None:
    other = _session(rt, "anna", role)
    with pytest.raises(PermissionDenied):
        audit_log.audit_page(rt, other, AuditFilter())
    with pytest.raises(PermissionDenied):
        audit_chain.last_check(other)
    with pytest.raises(PermissionDenied):
        audit_chain.run_check(rt, other)
    _ida(rt, _session(rt, "kim", "koordinator"))
    with pytest.raises(PermissionDenied):
        access_report.access_report(rt, other, CPR, date(2026, 1, 1), date(2026, 12, 31))
    with connection():
        actions = {e.action for e in AuditEvent.select().where(AuditEvent.username == "anna")}
    assert not actions & {"audit.view", "audit.person_report", "audit.verify"}


def test_bad_filters_are_refused_in_danish(rt: Runtime, leader: SignedInUser) -> None:
    with pytest.raises(ValidationError, match="Ukendt slags"):
        audit_log.audit_page(rt, leader, AuditFilter(kind="alt"))
    with pytest.raises(ValidationError, match="før startdatoen"):
        audit_log.audit_page(rt, leader, AuditFilter(start=date(2026, 2, 2), end=date(2026, 1, 1)))
    with pytest.raises(NotFound, match="ingen borger"):
        audit_log.audit_page(rt, leader, AuditFilter(person="020285-2345"))
    with pytest.raises(ValidationError, match="CPR"):
        audit_log.audit_page(rt, leader, AuditFilter(person="320190-1234"))


def test_chain_check_is_recorded_and_shown_as_last_check(
    rt: Runtime, clock: FakeClock, leader: SignedInUser
) -> None:
    assert audit_chain.last_check(leader).checked_at is None
    status = audit_chain.run_check(rt, leader)
    assert status.ok and status.text.startswith("Kæden er intakt (")
    last = audit_chain.last_check(leader)
    assert last.ok and last.checked_at == clock()
    with connection():
        AuditEvent.update(username="mallory").where(AuditEvent.seq == 2).execute()
    broken = audit_chain.run_check(rt, leader)
    assert not broken.ok and "seq 2" in broken.text
    assert audit_chain.last_check(leader).text == "Kæden var brudt ved seq 2 ved sidste kontrol."


def test_upgrade_to_13_adds_the_paging_indexes(config: Config) -> None:
    from db.database import database

    open_runtime(config, hasher=cheap_hasher())
    database.close()
    path = sqlite_path(config.database_url())
    assert path is not None
    con = sqlite3.connect(path)
    for name in INDEXES:
        con.execute(f"DROP INDEX {name}")  # noqa: S608 - fixed names
    con.execute("ALTER TABLE person DROP COLUMN special_attention_plan")  # version 14
    undo_v15(con)  # version 15
    con.execute("UPDATE schema_version SET version = 12")
    con.commit()
    con.close()
    open_runtime(config, hasher=cheap_hasher())
    database.close()
    con = sqlite3.connect(path)
    found = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    version = con.execute("SELECT version FROM schema_version").fetchone()[0]
    con.close()
    assert INDEXES <= found and version == LATEST >= 13
