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
from datetime import datetime
from typing import Any

from akut_tui.cpr import redact_cpr
from akut_tui.services.dto import AuditReport, SessionInfo
from akut_tui.services.runtime import Runtime
from db.database import connection
from db.models import AuditEvent
from db.queries import lock_audit_table

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


def verify_chain(key: bytes, *, batch: int = 5000) -> AuditReport:
    """Walk the whole chain in order and report the first altered, missing or inserted row."""
    expected_seq = None
    prev = GENESIS
    rows = 0
    with connection():
        query = (
            AuditEvent.select(
                AuditEvent.seq,
                AuditEvent.at,
                AuditEvent.user_id,
                AuditEvent.username,
                AuditEvent.action,
                AuditEvent.object_type,
                AuditEvent.object_id,
                AuditEvent.person_ref,
                AuditEvent.prev_hash,
                AuditEvent.mac,
            )
            .order_by(AuditEvent.seq)
            .tuples()
            .iterator()
        )
        for seq, at, user_id, username, action, otype, oid, pref, prev_hash, mac in query:
            rows += 1
            seq = int(seq)
            if expected_seq is None:
                if seq != 1:
                    return AuditReport(False, rows, seq, "kæden starter ikke ved 1 (slettet)", prev)
            elif seq != expected_seq:
                return AuditReport(False, rows, seq, f"hul i kæden: {expected_seq} mangler", prev)
            if isinstance(at, str):
                at = datetime.fromisoformat(at)
            fields = _fields(seq, at, user_id, username, action, otype, oid, pref, prev_hash)
            if prev_hash != prev:
                return AuditReport(False, rows, seq, "forrige hash passer ikke", prev)
            if not hmac.compare_digest(compute_mac(key, fields), mac):
                return AuditReport(False, rows, seq, "rækken er ændret eller indsat", prev)
            prev = mac
            expected_seq = seq + 1
    return AuditReport(True, rows, None, "", prev)
