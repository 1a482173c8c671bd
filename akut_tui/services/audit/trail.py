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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from akut_tui.core.cpr import redact_cpr
from akut_tui.services.base.dto import AuditReport, SignedInUser
from akut_tui.services.base.runtime import Runtime
from db.database import connection
from db.models import AuditEvent
from db.queries import (
    AUDIT_COLUMNS,
    lock_audit_table,
    raw_audit_bases,
    raw_audit_object_ids,
    raw_audit_rows,
)
from db.utctime import stored_utc

GENESIS = "0" * 64
IDENTITY_SEQ = 0
"""The site identity event's seq: signed like every event, outside the chain."""
IDENTITY_ACTION = "site.identity"


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
        "at": stored_utc(at).isoformat(timespec="microseconds"),
        "user_id": user_id,
        "username": username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "person_ref": person_ref,
        "prev_hash": prev_hash,
    }


def _head() -> tuple[int, str, datetime | None]:
    """Return the chain's last (seq, MAC, time); (0, genesis, None) when empty.

    The site identity (seq 0) is not part of the chain: seq 1 follows the genesis hash.
    """
    last = (
        AuditEvent.select(AuditEvent.seq, AuditEvent.mac, AuditEvent.at)
        .where(AuditEvent.seq > IDENTITY_SEQ)
        .order_by(AuditEvent.seq.desc())
        .first()
    )
    if last is None:
        return 0, GENESIS, None
    at = last.at if isinstance(last.at, datetime) else None
    return int(last.seq), str(last.mac), at


def record(
    rt: Runtime,
    action: str,
    *,
    actor: SignedInUser | None = None,
    username: str = "",
    user_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    person_ref: str | int = "",
) -> int:
    """Append one event; call inside the write transaction of the change it records.

    An event without an actor, run from the command line, names the operating-
    system user (``os:<name>``, :attr:`Runtime.operator`). The time never goes
    backwards along the chain (a clock stepped back records the previous time),
    so :func:`verify_chain` can hold every row to that. Returns the sequence number.
    """
    lock_audit_table()
    last_seq, prev, last_at = _head()
    seq = last_seq + 1
    at = rt.now()
    if last_at is not None and at < last_at:
        at = last_at
    if actor is not None:
        user_id, username = actor.user_id, actor.username
    elif not username and user_id is None and rt.operator:
        username = f"os:{rt.operator}"
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


def record_person(rt: Runtime, action: str, session: SignedInUser, person_id: int) -> int:
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


@dataclass(frozen=True)
class PurgeBase:
    """Where the chain starts after retention purges."""

    seq: int
    """The last purged seq (0: nothing purged), from the signed ``audit.purge`` events."""
    mac: str | None
    """That row's MAC as the purge recorded it (None for a purge from before schema 7)."""
    older: Mapping[int, str]
    """Every base recorded so far, seq -> MAC (older purges too)."""


def purge_base() -> PurgeBase:
    """Return the base the newest purge left; needs a connection.

    Read raw: a tampered purge row or base (bytes that are not UTF-8, a wrong
    type) is ignored here and named by :func:`verify_chain` when it walks the chain.
    """
    base = 0
    for value in raw_audit_object_ids(PURGE_ACTION):
        if isinstance(value, str) and value.isascii() and value.isdigit():
            base = max(base, int(value))
    recorded: dict[int, str] = {}
    for seq, mac in raw_audit_bases():
        if isinstance(seq, int) and isinstance(mac, str):
            recorded[seq] = mac
    return PurgeBase(base, recorded.get(base), recorded)


def purged_through() -> int:
    """Return the last seq removed by a retention purge (0 if none); needs a connection."""
    return purge_base().seq


def _text_problem(name: str, value: Any) -> str:
    if not isinstance(value, str):
        return f"kolonnen {name} er ikke tekst"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"kolonnen {name} er ikke gyldig UTF-8"
    return ""


def _time_problem(at: Any) -> str:
    if isinstance(at, datetime):  # PostgreSQL returns datetimes, SQLite text
        return ""
    problem = _text_problem("at", at)
    if problem:
        return "kolonnen at er ikke et tidspunkt" if "ikke tekst" in problem else problem
    try:
        parsed = datetime.fromisoformat(at)
    except ValueError:
        return "kolonnen at er ikke et tidspunkt"
    # The one canonical spelling the writer stores ('2026-11-20 10:00:00.123456'):
    # another spelling of the same moment ('T', a zone, no seconds) would keep the
    # MAC valid while it changes how SQL compares the text.
    if parsed.tzinfo is not None or str(parsed) != at:
        return "kolonnen at er ikke skrevet i det kanoniske format"
    return ""


def _row_problem(row: tuple[Any, ...]) -> str:
    """Return which column of a raw row has a value the writer could not have stored."""
    seq, at, user_id, username, action, otype, oid, pref, prev_hash, mac = row
    if not isinstance(seq, int) or isinstance(seq, bool):
        return "kolonnen seq er ikke et heltal"
    problem = _time_problem(at)
    if problem:
        return problem
    if user_id is not None and (not isinstance(user_id, int) or isinstance(user_id, bool)):
        return "kolonnen user_id er ikke et heltal"
    for name, value in zip(AUDIT_COLUMNS[3:8], (username, action, otype, oid, pref), strict=True):
        problem = _text_problem(name, value)
        if problem:
            return problem
    for name, value in (("prev_hash", prev_hash), ("mac", mac)):
        if not isinstance(value, str) or _HEX64.fullmatch(value) is None:
            return f"kolonnen {name} er ikke en hash"
    return ""


def _moment(at: datetime | str) -> datetime:
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


def _mac_ok(key: bytes, row: tuple[Any, ...]) -> bool:
    seq, at, user_id, username, action, otype, oid, pref, prev_hash, mac = row
    fields = _fields(seq, _moment(at), user_id, username, action, otype, oid, pref, prev_hash)
    return hmac.compare_digest(compute_mac(key, fields), mac)


def _link_problem(
    key: bytes, row: tuple[Any, ...], expected: int, prev: str, *, first: bool, base: PurgeBase
) -> str:
    """Return why a well-typed row does not continue the chain, or ``""``."""
    seq, prev_hash = row[0], row[8]
    if seq != expected:
        if first:
            return f"kæden starter ikke ved {expected} (rækker er slettet)"
        return f"hul i kæden: {expected} mangler"
    if not first or base.seq == 0:
        if prev_hash != prev:
            return "forrige hash passer ikke"
    elif base.mac is not None and prev_hash != base.mac:
        # After a purge the first kept row's predecessor is gone; its prev_hash must be
        # the base the purge recorded (and its own MAC covers prev_hash).
        return "forrige hash passer ikke med den base sletningen efterlod"
    if not _mac_ok(key, row):
        return "rækken er ændret eller indsat"
    return ""


def _identity_problem(key: bytes, row: tuple[Any, ...], site_id: str | None) -> str:
    """Return why row seq 0 is not this site's signed identity event, or ``""``."""
    problem = _row_problem(row)
    if problem:
        return problem
    if row[4] != IDENTITY_ACTION or row[8] != GENESIS or not _mac_ok(key, row):
        return "stedets identitet (seq 0) er ændret"
    if site_id is not None and row[6] != site_id:
        return "kæden hører til et andet sted (seq 0 har en anden identitet)"
    return ""


def verify_chain(
    key: bytes,
    *,
    anchors: Mapping[int, str] | None = None,
    batch: int = 5000,
    site_id: str | None = None,
    through: int | None = None,
) -> AuditReport:
    """Walk the whole chain in order and report the first altered, missing or inserted row.

    Rows are read raw (no type conversion), so any edit of any column, also one
    that leaves a value of the wrong type or bytes that are not UTF-8, is
    reported at its sequence number instead of raising. Times must be in the
    canonical format and never go backwards along ``seq``. ``anchors`` maps
    seq -> MAC from heads recorded outside the database
    (:mod:`akut_tui.services.audit.anchors`); a chain that is shorter than an anchor,
    or differs from it, fails. An anchor inside a purged prefix is compared with
    the base that purge recorded when it names that base, and otherwise counted
    as uncomparable (``anchors_purged``), never as passed. With ``site_id`` the
    chain must carry this site's signed identity event (seq 0). With ``through``
    only the rows up to that seq are walked (and anchors beyond it are not
    compared): the retention purge re-checks the prefix it deletes.
    """
    wanted = dict(anchors or {})
    checked = 0
    prev = GENESIS
    rows = 0
    last_seq = 0
    last_at: datetime | None = None
    identity = ""
    with connection():
        base = purge_base()
        expected = base.seq + 1

        def failed(seq: int, problem: str) -> AuditReport:
            return AuditReport(False, rows, seq, problem, prev, last_seq, base.seq + 1, checked)

        for row in raw_audit_rows(batch, through=through):
            seq = row[0]
            if seq == IDENTITY_SEQ and rows == 0 and not identity:
                problem = _identity_problem(key, row, site_id)
                if problem:
                    return failed(IDENTITY_SEQ, problem)
                identity = str(row[6])
                continue
            if site_id is not None and not identity:
                return failed(IDENTITY_SEQ, "stedets identitet (seq 0) mangler")
            rows += 1
            problem = _row_problem(row)
            if problem:
                where = seq if isinstance(seq, int) and not isinstance(seq, bool) else expected
                return failed(where, problem)
            problem = _link_problem(key, row, expected, prev, first=rows == 1, base=base)
            moment = _moment(row[1])
            if not problem and last_at is not None and moment < last_at:
                problem = f"tidspunktet går baglæns (tidligere end seq {last_seq})"
            if not problem and seq in wanted:
                checked += 1
                if not hmac.compare_digest(wanted.pop(seq), row[9]):
                    problem = "rækken passer ikke med et anker (kæden er skrevet om)"
            if problem:
                return failed(seq, problem)
            prev, last_seq, expected, last_at = row[9], seq, seq + 1, moment
    if site_id is not None and not identity:
        return failed(IDENTITY_SEQ, "stedets identitet (seq 0) mangler")
    purged_anchors = 0
    for seq, mac in sorted(wanted.items()):
        if through is not None and seq > through:
            continue  # beyond the part walked
        if seq == 0 and mac == GENESIS:
            checked += 1
            continue
        if seq <= base.seq:
            recorded = base.older.get(seq)
            if recorded is None:
                purged_anchors += 1  # inside the purged prefix, not at a recorded base
                continue
            checked += 1
            if not hmac.compare_digest(recorded, mac):
                problem = f"sletningens base ved seq={seq} passer ikke med et anker"
                return failed(seq, problem)
            continue
        problem = f"kæden er kortere end et anker: seq={seq} mangler (halen er slettet)"
        return AuditReport(
            False, rows, last_seq + 1, problem, prev, last_seq, base.seq + 1, checked
        )
    return AuditReport(
        True, rows, None, "", prev, last_seq, base.seq + 1, checked, purged_anchors, identity
    )
