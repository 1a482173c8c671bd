"""One CPR detector, used everywhere (issue 11 defect 3; docs/security.md rows 16, 25, 28).

A table of spellings people actually type is run through the detector, then
through every place where a CPR must never be stored as typed: login names
(login-attempt table and audit log), nicknames and notes (refused with a
Danish message), the error log, and the audit fields.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.core.cpr import contains_cpr, redact_cpr
from akut_tui.core.errors import LoginFailed
from akut_tui.core.incident import report_incident
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.contacts.records import FormErrors
from db.database import sqlite_path, write_transaction
from tests.conftest import PASSWORD

DIGITS = "0101601235"
SPELLINGS = [
    "010160-1235",
    "0101601235",
    "010160 1235",
    "x0101601235",  # a letter glued on
    "ole0101601235",
    "0101601235abc",
    "bruger_010160-1235",  # underscore
    "010160_1235",
    "010160\u20131235",  # en dash
    "010160\u20141235",  # em dash
    "010160\u22121235",  # minus sign
    "010160\u20111235",  # non-breaking hyphen
    "010160\uff0d1235",  # full-width hyphen
    "01.01.60-1235",  # dots between the date parts
    "01.01.60.1235",
    "01-01-60-1235",
    "01/01/60-1235",
    "01 01 60 1235",
    "010160 - 1235",
    "010160\u00a01235",  # no-break space
    "010160\u200b1235",  # zero-width space
    "\uff10\uff11\uff10\uff11\uff16\uff10\uff11\uff12\uff13\uff15",  # full-width digits
    "CPR:010160-1235.",
    "cpr=0101601235;",
]
# Issue 15 section 6: spellings the detector missed; every one was stored in notes,
# nicknames, handover fields, import columns and login/audit user names.
NEW_SPELLINGS = [
    *(f"010160{mark}1235" for mark in "\u200e\u200f\u061c\u2063\u2064\u034f\ufe0f\u180e\u3164"),
    "01\u200e01\u200f60\u20631235",
    "0101\U000e0041601235",  # a tag character
    "0\U000e00311\U000e00300160-1235",
    "01.01.1960-1235",  # four-digit year
    "01-01-1960 1235",
    "01011960-1235",
    "010160 -- 1235",  # runs of separators
    "01    01    60    1235",
    "010160 + 1235",
    "01*01*60*1235",
    "01=01=60=1235",
    "01|01|60|1235",
    "01~01~60~1235",
    "01#01#60#1235",
    "(010160)-(1235)",
    "[01][01][60][1235]",
    "010160-12 35",  # split last four
    "x 01.01.1960 12 35",
    "01 01 60 12 35",
    "0 1 0 1 6 0 1 2 3 5",  # spaced out
    "0-1-0-1-6-0-1-2-3-5",
    "0\n1\n0\n1\n6\n0\n1\n2\n3\n5",
    "ring 12345678 010160-1235",  # a phone number just before
]
NOT_CPR = [
    "12345678",  # a phone number
    "+45 12 34 56 78",
    "12345678901",  # eleven digits
    "id 3212601235",  # no such day
    "0113601235",  # no month 13
    "2026-11-20 19:00:00.123456",
    "2026-12-03 14:02:19.764512",  # a stored time whose minute could be a month
    "14:02:19.7645",
    "20-11-2026",
    "ringede kl. 19.30",
    "010160",
    "12.03.2026 10:30",  # a date with a four-digit year and a time
    "d. 01.01.2026 kl. 12.35",
    "01.01.2026-1235",  # 2026 is not the century the seventh digit gives
    "tlf. 31 12 45 67",
    "beløb 1.250,00 kr",
]


@pytest.mark.parametrize("text", SPELLINGS + NEW_SPELLINGS)
def test_detector_finds_every_spelling(text: str) -> None:
    assert contains_cpr(text)
    redacted = redact_cpr(text)
    assert not contains_cpr(redacted)
    assert "XXXXXX-XXXX" in redacted


@pytest.mark.parametrize("text", NOT_CPR)
def test_detector_leaves_other_numbers(text: str) -> None:
    assert not contains_cpr(text)
    assert redact_cpr(text) == text


def _table_text(config: Config, table: str) -> str:
    path = sqlite_path(config.database_url())
    assert path is not None
    con = sqlite3.connect(path)
    try:
        columns = [
            row[1]
            for row in con.execute(f"PRAGMA table_info({table})")
            if row[1] not in ("mac", "prev_hash", "password_hash")
        ]
        rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()  # noqa: S608
    finally:
        con.close()
    return "\n".join("|".join(str(v) for v in row) for row in rows)


def test_login_names_that_look_like_a_cpr_are_never_stored(rt: Runtime, config: Config) -> None:
    accounts.create_user(rt, "ole", PASSWORD, "medarbejder", actor=None)
    for name in SPELLINGS:
        with pytest.raises(LoginFailed):
            auth.login(rt, name, PASSWORD)
    for table in ("login_attempt", "audit_event"):
        text = _table_text(config, table)
        assert not contains_cpr(text), table
        assert "1235" not in text, table
    assert auth.CPR_LIKE_USERNAME in _table_text(config, "login_attempt")


@pytest.mark.parametrize("text", SPELLINGS)
def test_nickname_and_note_with_a_cpr_are_refused(rt: Runtime, text: str) -> None:
    staff = accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    session = auth.login(rt, staff.username, PASSWORD)
    for form, field, what in (
        (ContactInput(identity="pseudonym", nickname=text), "nickname", "Kaldenavnet"),
        (ContactInput(note=f"ringede, {text} oplyst"), "note", "Noten"),
    ):
        with pytest.raises(FormErrors) as info:
            contacts.save_contact(rt, session, form)
        [error] = info.value.errors
        assert error.field == field
        assert str(error).startswith(f"{what} indeholder noget der ligner et CPR-nummer")
        assert "CPR-feltet" in str(error)


def test_audit_fields_are_redacted(rt: Runtime, config: Config) -> None:
    with write_transaction():
        audit.record(
            rt,
            "test.event",
            username="x" + DIGITS,
            object_id="01.01.60-1235",
            person_ref="010160_1235",
        )
    text = _table_text(config, "audit_event")
    assert not contains_cpr(text)
    assert audit.verify_chain(rt.keys.audit).ok


def test_error_log_redacts_every_spelling(tmp_path: Path) -> None:
    def crash(values: list[str]) -> None:
        raise RuntimeError("kunne ikke gemme " + " og ".join(values))

    try:
        crash(SPELLINGS)
    except RuntimeError as exc:
        report_incident(exc)
    log = (tmp_path / "errors.log").read_text(encoding="utf-8")
    assert "kunne ikke gemme" in log
    assert not contains_cpr(log)
    assert "1235" not in log


def test_no_false_positive_in_the_realistic_notes_corpus() -> None:
    """Phone numbers, dates with 2- and 4-digit years, times and amounts are not CPRs."""
    corpus = Path(__file__).resolve().parents[1] / "data" / "cpr_false_positive_notes.txt"
    notes = [n for n in corpus.read_text(encoding="utf-8").splitlines() if not n.startswith("#")]
    assert len(notes) == 1000
    assert [n for n in notes if contains_cpr(n)] == []
