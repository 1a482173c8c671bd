"""The rules issue 15 §1 adds to the audit chain, tested at the service layer.

Times never go backwards along ``seq`` and are stored in one spelling; the
retention purge verifies first, cuts only a prefix of old events, and records
the base it leaves, against which anchors in the purged part are held. The
backend-neutral tests run on PostgreSQL too (``tests/postgres/test_pg_reused.py``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.services.audit import anchors
from akut_tui.services.audit import trail as audit
from akut_tui.services.audit.retention import ChainBroken, _audit_cut, purge
from akut_tui.services.base.runtime import Runtime
from db.database import connection, sqlite_path, write_transaction
from db.models import AuditBase, AuditEvent
from tests.conftest import FakeClock


def _events(rt: Runtime, clock: FakeClock, count: int, *, step: timedelta) -> list[int]:
    seqs = []
    with write_transaction():
        for number in range(count):
            clock.current += step
            seqs.append(audit.record(rt, "test.event", object_type="t", object_id=number))
    return seqs


def _old_then_new(rt: Runtime, clock: FakeClock) -> list[int]:
    """Twelve events 400 days ago, then eight from the last hours."""
    now = clock.current
    clock.current = now - timedelta(days=400)
    old = _events(rt, clock, 12, step=timedelta(minutes=1))
    clock.current = now - timedelta(hours=8)
    new = _events(rt, clock, 8, step=timedelta(minutes=30))
    clock.current = now
    return old + new


def _set_at(seq: int, moment: datetime) -> None:
    """Change one event's time without its MAC, as an attacker with database access would."""
    with connection():
        AuditEvent.update(at=moment).where(AuditEvent.seq == seq).execute()


def _resign(rt: Runtime, seq: int, **changes: object) -> None:
    """Change row ``seq`` and recompute its MAC (an attacker who also holds the key)."""
    with connection():
        row = AuditEvent.get(AuditEvent.seq == seq)
        for name, value in changes.items():
            setattr(row, name, value)
        fields = audit._fields(
            row.seq,
            row.at,
            row.user_id,
            row.username,
            row.action,
            row.object_type,
            row.object_id,
            row.person_ref,
            row.prev_hash,
        )
        row.mac = audit.compute_mac(rt.keys.audit, fields)
        row.save()


def test_the_writer_never_steps_back_in_time(rt: Runtime, clock: FakeClock) -> None:
    first = _events(rt, clock, 1, step=timedelta(minutes=5))[0]
    clock.current -= timedelta(minutes=20)  # the system clock is set back
    second = _events(rt, clock, 1, step=timedelta(0))[0]
    with connection():
        times = [e.at for e in AuditEvent.select().where(AuditEvent.seq.in_([first, second]))]
    assert times[0] == times[1]
    assert audit.verify_chain(rt.keys.audit).ok


def test_a_resigned_backward_time_is_named(rt: Runtime, clock: FakeClock) -> None:
    seqs = _events(rt, clock, 6, step=timedelta(minutes=5))
    with connection():
        earlier = AuditEvent.get(AuditEvent.seq == seqs[1]).at
    _resign(rt, seqs[3], at=earlier - timedelta(seconds=1))
    report = audit.verify_chain(rt.keys.audit)
    assert not report.ok and report.first_bad_seq == seqs[3]
    assert "baglæns" in report.problem


def test_purge_refuses_a_broken_chain_and_deletes_nothing(rt: Runtime, clock: FakeClock) -> None:
    seqs = _old_then_new(rt, clock)
    _set_at(seqs[11], datetime(2000, 1, 1))
    with connection():
        before = AuditEvent.select().count()
    with pytest.raises(ChainBroken) as caught:
        purge(rt)
    assert f"seq={seqs[11]}" in str(caught.value) and "Intet er slettet" in str(caught.value)
    with connection():
        assert AuditEvent.select().count() == before


def test_purge_cuts_only_a_prefix_of_old_events(rt: Runtime, clock: FakeClock) -> None:
    seqs = _old_then_new(rt, clock)
    cutoff = (clock.current - timedelta(days=365)).replace(tzinfo=None)
    with connection():
        assert _audit_cut(cutoff) == seqs[11]
    # One newer event inside the old part: only the prefix before it may go.
    _set_at(seqs[4], datetime(2030, 1, 1))
    with connection():
        assert _audit_cut(cutoff) == seqs[3]
    # A back-dated event after new ones does not take the new ones along.
    _set_at(seqs[0], datetime(2030, 1, 1))
    _set_at(seqs[15], datetime(2000, 1, 1))
    with connection():
        assert _audit_cut(cutoff) == 0


def test_purge_records_its_base_and_holds_anchors_against_it(rt: Runtime, clock: FakeClock) -> None:
    seqs = _old_then_new(rt, clock)
    with connection():
        macs = {e.seq: e.mac for e in AuditEvent.select()}
    report = purge(rt)
    base_seq = seqs[11]
    assert report.base == (base_seq, macs[base_seq])
    with connection():
        assert [(b.seq, b.mac) for b in AuditBase.select()] == [(base_seq, macs[base_seq])]
    held = audit.verify_chain(rt.keys.audit, anchors={base_seq: macs[base_seq]})
    assert held.ok and held.anchors_checked == 1 and held.anchors_purged == 0
    # An anchor inside the purged part but not at the base: never counted as passed.
    inside = audit.verify_chain(rt.keys.audit, anchors={seqs[3]: macs[seqs[3]]})
    assert inside.ok and inside.anchors_checked == 0 and inside.anchors_purged == 1
    # A base that does not match the anchor: caught.
    wrong = audit.verify_chain(rt.keys.audit, anchors={base_seq: "ab" * 32})
    assert not wrong.ok and wrong.first_bad_seq == base_seq
    # The first kept row must follow the recorded base.
    with connection():
        AuditBase.update(mac="cd" * 32).execute()  # the attacker edits the recorded base
    moved = audit.verify_chain(rt.keys.audit)
    assert not moved.ok and moved.first_bad_seq == base_seq + 1
    assert "base" in moved.problem


def test_the_site_identity_is_required_and_signed(
    rt: Runtime, clock: FakeClock, config: Config
) -> None:
    from akut_tui.core.site_keys import read_site_id

    _events(rt, clock, 3, step=timedelta(minutes=1))
    site = read_site_id(config.key_directory())
    assert site and audit.verify_chain(rt.keys.audit, site_id=site).site_id == site
    other = audit.verify_chain(rt.keys.audit, site_id="0" * 32)
    assert not other.ok and other.first_bad_seq == 0 and "andet sted" in other.problem
    with connection():
        AuditEvent.delete().where(AuditEvent.seq == 0).execute()
    gone = audit.verify_chain(rt.keys.audit, site_id=site)
    assert not gone.ok and gone.first_bad_seq == 0 and "mangler" in gone.problem


def test_anchor_head_leaves_out_the_identity(rt: Runtime) -> None:
    assert anchors.current_head() == anchors.Anchor(0, audit.GENESIS)


# --- SQLite only: text in the time column ----------------------------------------------


def _sqlite(config: Config, statement: str) -> None:
    path = sqlite_path(config.database_url())
    assert path is not None
    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "spelling",
    [
        "replace(at, ' ', 'T')",
        "at || '+00:00'",
        "substr(at, 1, 16)",
        "replace(at, '-', '')",
    ],
)
def test_the_time_has_one_spelling(
    rt: Runtime, clock: FakeClock, config: Config, spelling: str
) -> None:
    seqs = _events(rt, clock, 5, step=timedelta(minutes=1, seconds=7))
    _sqlite(config, f"UPDATE audit_event SET at = {spelling} WHERE seq = {seqs[2]}")  # noqa: S608
    report = audit.verify_chain(rt.keys.audit)
    assert not report.ok and report.first_bad_seq == seqs[2]


@pytest.mark.parametrize(
    "column", ["at", "username", "action", "object_type", "object_id", "person_ref", "mac"]
)
def test_invalid_utf8_is_named_in_any_column(
    rt: Runtime, clock: FakeClock, config: Config, column: str
) -> None:
    seqs = _events(rt, clock, 4, step=timedelta(minutes=1))
    _sqlite(
        config,
        f"UPDATE audit_event SET {column} = CAST(X'C3FF41' AS TEXT) WHERE seq = {seqs[1]}",  # noqa: S608
    )
    report = audit.verify_chain(rt.keys.audit)
    assert not report.ok and report.first_bad_seq == seqs[1]
    assert column in report.problem


def test_a_blob_in_a_text_column_is_still_not_text(
    rt: Runtime, clock: FakeClock, config: Config
) -> None:
    seqs = _events(rt, clock, 3, step=timedelta(minutes=1))
    _sqlite(config, f"UPDATE audit_event SET username = X'41' WHERE seq = {seqs[1]}")  # noqa: S608
    report = audit.verify_chain(rt.keys.audit)
    assert not report.ok and report.problem == "kolonnen username er ikke tekst"


def test_restore_copy_cleanup_is_by_age(tmp_path: Path) -> None:
    from akut_tui.services.audit.retention import _expired_copies

    live = tmp_path / "akut.db"
    old, new = (tmp_path / f"akut.db.before-restore-{n}" for n in ("1", "2"))
    for path in (old, new):
        path.write_bytes(b"x")
    os.utime(old, (time.time() - 8 * 86400,) * 2)
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=7)
    assert _expired_copies(live, cutoff) == [old]


def test_invalid_utf8_in_the_purge_records_is_named_not_raised(
    rt: Runtime, clock: FakeClock, config: Config
) -> None:
    seqs = _old_then_new(rt, clock)
    purge(rt)
    _sqlite(config, "UPDATE audit_base SET mac = CAST(X'C3FF41' AS TEXT)")
    report = audit.verify_chain(rt.keys.audit)
    assert not report.ok and report.first_bad_seq == seqs[11] + 1  # the base no longer fits
    _sqlite(
        config,
        "UPDATE audit_event SET object_id = CAST(X'C3FF41' AS TEXT) WHERE action = 'audit.purge'",
    )
    report = audit.verify_chain(rt.keys.audit)
    assert not report.ok and report.first_bad_seq is not None


def test_an_edit_between_the_check_and_the_delete_is_caught(
    rt: Runtime, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole chain is checked without the lock; the prefix again under it."""
    seqs = _old_then_new(rt, clock)
    real = audit.verify_chain
    calls: list[int | None] = []

    def verify_then_tamper(*args: object, **kwargs: object) -> object:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(kwargs.get("through"))  # type: ignore[arg-type]
        if len(calls) == 1:  # an attacker edits an old event right after the first check
            with connection():
                AuditEvent.update(username="mallory").where(AuditEvent.seq == seqs[2]).execute()
        return report

    monkeypatch.setattr(audit, "verify_chain", verify_then_tamper)
    with connection():
        before = AuditEvent.select().count()
    with pytest.raises(ChainBroken, match=f"seq={seqs[2]}"):
        purge(rt)
    assert calls == [None, seqs[11]]
    with connection():
        assert AuditEvent.select().count() == before
