"""The one-of-each helpers of the service layer: masking, labels, today, the edit rule,
the storage error and the contact field mapping."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

import peewee
import pytest

from akut_tui.core import permissions
from akut_tui.core.cpr import CprNumber, is_masked, mask_cpr, parse_cpr
from akut_tui.core.errors import AkutError, StorageError
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import write_transaction
from akut_tui.services.base.value_lists import known_label, label_for
from akut_tui.services.contacts import columns as contact_columns
from akut_tui.services.contacts import prepare as contact_prepare
from akut_tui.services.contacts.form import ContactInput
from db.database import BUSY, DISK_FULL
from tests.conftest import FakeClock


def test_one_mask_for_every_cpr() -> None:
    cpr: CprNumber = parse_cpr("010190-1234", date(2026, 1, 1))
    assert mask_cpr(cpr.digits) == cpr.masked() == "010190-XXXX"
    assert mask_cpr(None) == mask_cpr("") == "XXXXXX-XXXX"
    assert "1234" not in repr(cpr)


@pytest.mark.parametrize(
    ("text", "masked"),
    [("010190-XXXX", True), ("XXXXXX-XXXX", True), ("010190-1234", False), ("0101901XXXX", False)],
)
def test_is_masked(text: str, masked: bool) -> None:
    assert is_masked(text) is masked


def test_one_label_look_up() -> None:
    assert known_label("channel", "telefon") == label_for("channel", "telefon") == "Telefon"
    assert known_label("channel", "no-such-code") is None
    assert known_label("no-such-list", "x") is None
    assert label_for("channel", "no-such-code") == "no-such-code"


def test_today_and_shift_are_in_the_site_time_zone(rt: Runtime, clock: FakeClock) -> None:
    clock.current = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # 00:30 in Copenhagen
    assert rt.today() == date(2026, 11, 21)
    assert rt.current_shift() == ("nat", date(2026, 11, 20))


@pytest.mark.parametrize(
    ("role", "locked", "own", "this_shift", "may"),
    [
        ("medarbejder", False, True, True, True),
        ("medarbejder", False, True, False, False),
        ("medarbejder", False, False, True, False),
        ("medarbejder", True, True, True, False),
        ("koordinator", False, False, False, True),
        ("koordinator", True, True, True, False),
        ("leder", False, False, False, True),
        ("leder", True, False, False, True),
        ("ukendt", False, True, True, False),
    ],
)
def test_the_edit_rule(role: str, locked: bool, own: bool, this_shift: bool, may: bool) -> None:
    assert permissions.may_edit_contact(role, locked=locked, own=own, this_shift=this_shift) is may


def _driver_error(kind: str, folder: Path) -> sqlite3.OperationalError:
    """A real error from the sqlite3 driver: SQLITE_FULL or SQLITE_BUSY."""
    first = sqlite3.connect(folder / f"{kind}.db", timeout=0, isolation_level=None)
    second = sqlite3.connect(folder / f"{kind}.db", timeout=0, isolation_level=None)
    try:
        first.execute("CREATE TABLE t (x BLOB)")
        if kind == "full":
            first.execute("PRAGMA max_page_count = 2")
            first.execute("INSERT INTO t VALUES (zeroblob(100000))")
        else:
            first.execute("BEGIN IMMEDIATE")
            second.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        first.close()
        second.close()
    raise AssertionError(f"no {kind} error")


@pytest.mark.parametrize(("kind", "message"), [("full", DISK_FULL), ("busy", BUSY)])
def test_a_refused_write_is_one_domain_error(
    rt: Runtime, tmp_path: Path, kind: str, message: str
) -> None:
    cause = _driver_error(kind, tmp_path)
    with pytest.raises(StorageError) as info:
        with write_transaction():
            raise peewee.OperationalError(*cause.args) from cause  # as Peewee wraps it
    assert isinstance(info.value, AkutError)
    assert str(info.value) == message


def test_other_database_errors_are_not_disguised(rt: Runtime) -> None:
    with pytest.raises(peewee.OperationalError):
        with write_transaction():
            raise peewee.OperationalError("no such table: x")


def test_every_form_field_has_one_place_in_the_mapping() -> None:
    """A new ContactInput field must be mapped: same column, optional column, list,
    per-referral answer (beside its referral's row) or special."""
    special = {
        "started_at",
        "partner_type",
        "identity",
        "cpr_text",
        "cpr_declined",
        "nickname",
        "birth_year",
        "gender",
        "age_band",
        "followup_phone",
        "duration_min",
        "note",
        "crisis_conversation",  # stored in ``conversation``, empty as ikke_registreret
    }
    groups = [set(contact_columns.SAME_FIELDS), set(contact_columns.OPTIONAL_FIELDS)]
    groups += [set(contact_prepare.MULTI_LISTS), set(contact_prepare.REFERRAL_FIELDS), special]
    names = [name for group in groups for name in group]
    assert len(names) == len(set(names)), "a field is mapped twice"
    assert set(names) == {f.name for f in fields(ContactInput)}
