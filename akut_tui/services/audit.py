"""Hash-chained audit trail.

Each event holds its sequence number, the previous event's MAC and an
HMAC-SHA256 over a canonical JSON of its own fields, keyed with a secret kept
outside the database. Editing, deleting, reordering or inserting a row breaks
the chain at that row, and :func:`verify_chain` names the first bad sequence
number. Events never hold a plain CPR or free text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from akut_tui.cpr import redact_cpr
from akut_tui.services.dto import AuditReport, SessionInfo
from akut_tui.services.runtime import Runtime
from db.database import connection
from db.models import AuditEvent
from db.queries import AUDIT_COLUMNS, lock_audit_table, raw_audit_rows

GENESIS = "0" * 64


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_mac(key: bytes, fields: dict[str, Any]) -> str:
    """Return the HMAC-SHA256 hex digest of the canonical form of ``fields``."""
    return hmac.new(key, _canonical(fields), hashlib.sha256).hexdigest()


def _fields(
    seq: int,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    object_type: str,
    object_id: str,
    person_ref: str,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "user_id": user_id,
        "username": username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "person_ref": person_ref,
        "prev_hash": prev_hash,
    }


def record(
    rt: Runtime,
    action: str,
    *,
    actor: SessionInfo | None = None,
    username: str = "",
    user_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    person_ref: str | int = "",
) -> int:
    """Append one event; call inside the write transaction of the change it records.

    Returns the event's sequence number.
    """
    lock_audit_table()
    last = AuditEvent.select(AuditEvent.seq, AuditEvent.mac).order_by(AuditEvent.seq.desc()).first()
    seq = (int(last.seq) + 1) if last else 1
    prev = str(last.mac) if last else GENESIS
    at = rt.now().replace(tzinfo=None)
    if actor is not None:
        user_id, username = actor.user_id, actor.username
    # Last line of defence: no text field of the log may hold a CPR number.
    username = redact_cpr(username)[:64]
    object_id, person_ref = redact_cpr(str(object_id)), redact_cpr(str(person_ref))
    fields = _fields(seq, at, user_id, username, action, object_type, object_id, person_ref, prev)
    AuditEvent.create(
        seq=seq,
        at=at,
        user_id=user_id,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_ref=person_ref,
        prev_hash=prev,
        mac=compute_mac(rt.keys.audit, fields),
    )
    return seq


def record_person(rt: Runtime, action: str, session: SessionInfo, person_id: int) -> int:
    """Record a read or change of one person's data (the person is object and reference)."""
    return record(
        rt, action, actor=session, object_type="person", object_id=person_id, person_ref=person_id
    )


def record_command(rt: Runtime, action: str, os_user: str, object_type: str, object_id: str) -> int:
    """Record an action of a command-line tool, run by the operating-system user ``os_user``."""
    return record(
        rt, action, username=f"os:{os_user}"[:64], object_type=object_type, object_id=object_id
    )


PURGE_ACTION = "audit.purge"
"""Event appended by a retention purge; ``object_id`` is the last purged seq."""
_HEX64 = re.compile(r"[0-9a-f]{64}")


def purged_through() -> int:
    """Return the last seq removed by a retention purge (0 if none); needs a connection."""
    base = 0
    query = AuditEvent.select(AuditEvent.object_id).where(AuditEvent.action == PURGE_ACTION)
    found: list[Any] = list(query.tuples())
    for (value,) in found:
        if isinstance(value, str) and value.isascii() and value.isdigit():
            base = max(base, int(value))
    return base


def _row_problem(row: tuple[Any, ...]) -> str:
    """Return which column of a raw row has a value the writer could not have stored."""
    seq, at, user_id, username, action, otype, oid, pref, prev_hash, mac = row
    if not isinstance(seq, int) or isinstance(seq, bool):
        return "kolonnen seq er ikke et heltal"
    if not isinstance(at, datetime):  # PostgreSQL returns datetimes, SQLite text
        if not isinstance(at, str):
            return "kolonnen at er ikke et tidspunkt"
        try:
            datetime.fromisoformat(at)
        except ValueError:
            return "kolonnen at er ikke et tidspunkt"
    if user_id is not None and (not isinstance(user_id, int) or isinstance(user_id, bool)):
        return "kolonnen user_id er ikke et heltal"
    for name, value in zip(AUDIT_COLUMNS[3:8], (username, action, otype, oid, pref), strict=True):
        if not isinstance(value, str):
            return f"kolonnen {name} er ikke tekst"
    for name, value in (("prev_hash", prev_hash), ("mac", mac)):
        if not isinstance(value, str) or _HEX64.fullmatch(value) is None:
            return f"kolonnen {name} er ikke en hash"
    return ""


def _link_problem(
    key: bytes, row: tuple[Any, ...], expected: int, prev: str, *, first: bool, base: int
) -> str:
    """Return why a well-typed row does not continue the chain, or ``""``."""
    seq, at, user_id, username, action, otype, oid, pref, prev_hash, mac = row
    if seq != expected:
        if first:
            return f"kæden starter ikke ved {expected} (rækker er slettet)"
        return f"hul i kæden: {expected} mangler"
    # After a purge the first kept row's predecessor is gone; its own MAC covers prev_hash.
    if (not first or base == 0) and prev_hash != prev:
        return "forrige hash passer ikke"
    at_value = at if isinstance(at, datetime) else datetime.fromisoformat(at)
    fields = _fields(seq, at_value, user_id, username, action, otype, oid, pref, prev_hash)
    if not hmac.compare_digest(compute_mac(key, fields), mac):
        return "rækken er ændret eller indsat"
    return ""


def verify_chain(
    key: bytes, *, anchors: Mapping[int, str] | None = None, batch: int = 5000
) -> AuditReport:
    """Walk the whole chain in order and report the first altered, missing or inserted row.

    Rows are read raw (no type conversion), so any edit of any column, also one
    that leaves a value of the wrong type, is reported at its sequence number
    instead of raising. ``anchors`` maps seq -> MAC from heads recorded outside
    the database (:mod:`akut_tui.services.anchors`); a chain that is shorter than
    an anchor, or differs from it, fails. Anchors inside a purged prefix are
    skipped.
    """
    wanted = dict(anchors or {})
    checked = 0
    prev = GENESIS
    rows = 0
    last_seq = 0
    with connection():
        base = purged_through()
        expected = base + 1
        for row in raw_audit_rows(batch):
            rows += 1
            seq = row[0]
            problem = _row_problem(row)
            if problem:
                where = seq if isinstance(seq, int) and not isinstance(seq, bool) else expected
                return AuditReport(False, rows, where, problem, prev, last_seq, base + 1)
            problem = _link_problem(key, row, expected, prev, first=rows == 1, base=base)
            if not problem and seq in wanted:
                checked += 1
                if not hmac.compare_digest(wanted.pop(seq), row[9]):
                    problem = "rækken passer ikke med et anker (kæden er skrevet om)"
            if problem:
                return AuditReport(False, rows, seq, problem, prev, last_seq, base + 1)
            prev, last_seq, expected = row[9], seq, seq + 1
    for seq, mac in sorted(wanted.items()):
        if seq <= base:
            continue  # inside the purged prefix: nothing left to compare with
        if seq == 0 and mac == GENESIS and last_seq == 0:
            checked += 1
            continue
        problem = f"kæden er kortere end et anker: seq={seq} mangler (halen er slettet)"
        return AuditReport(False, rows, last_seq + 1, problem, prev, last_seq, base + 1, checked)
    return AuditReport(True, rows, None, "", prev, last_seq, base + 1, checked)
