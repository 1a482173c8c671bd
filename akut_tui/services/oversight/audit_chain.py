"""The audit chain's status for the leader's screen: the last check, and a new one.

A check from Akut walks the chain as ``akut audit verify`` does (the site's
identity and the configured anchor file included) and records its outcome in
the chain as an ``audit.verify`` event, so the time and result of the last
check survive restarts and are themselves audited. Leader only, checked here.
"""

from __future__ import annotations

from akut_tui.core.errors import ValidationError
from akut_tui.core.key_files import KeyFileError
from akut_tui.core.plural import count
from akut_tui.core.site_keys import read_site_id
from akut_tui.services.accounts.auth import require
from akut_tui.services.audit import trail as audit
from akut_tui.services.audit.anchors import AnchorError, anchor_map, read_anchor_file
from akut_tui.services.base.dto import SignedInUser
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from akut_tui.services.oversight.audit_dto import ChainStatus
from db.models import AuditEvent
from db.utctime import aware_utc

VERIFY_ACTION = "audit.verify"
OK = "ok"
"""``object_id`` of a check that found the chain intact; otherwise ``brudt:<seq>``."""


def _status_text(outcome: str) -> tuple[bool, str]:
    if outcome == OK:
        return True, "Kæden var intakt ved sidste kontrol."
    seq = outcome.partition(":")[2]
    return False, f"Kæden var brudt ved seq {seq} ved sidste kontrol."


def last_check(session: SignedInUser | None) -> ChainStatus:
    """When the chain was last checked from Akut, and the outcome (one index read)."""
    with connection():
        require(session, "audit.view")
        row = (
            AuditEvent.select(AuditEvent.at, AuditEvent.object_id)
            .where(AuditEvent.action == VERIFY_ACTION)
            .order_by(AuditEvent.seq.desc())
            .first()
        )
    if row is None:
        return ChainStatus(None, True, "Kæden er ikke kontrolleret fra Akut endnu.")
    ok, text = _status_text(str(row.object_id))
    return ChainStatus(aware_utc(row.at), ok, text)


def run_check(rt: Runtime, session: SignedInUser | None) -> ChainStatus:
    """Walk the whole chain now (slow on a big log: run it in a worker) and record it."""
    with connection():
        require(session, "audit.view")
    try:
        site_id = read_site_id(rt.config.key_directory())
        path = rt.config.anchor_path()
        anchors = anchor_map(read_anchor_file(path)) if path and path.exists() else {}
    except (KeyFileError, AnchorError) as exc:
        raise ValidationError(f"Kæden kan ikke kontrolleres: {exc}.") from None
    report = audit.verify_chain(rt.keys.audit, anchors=anchors, site_id=site_id)
    outcome = OK if report.ok else f"brudt:{report.first_bad_seq}"
    with write_transaction():
        require(session, "audit.view")
        audit.record(rt, VERIFY_ACTION, actor=session, object_type="audit", object_id=outcome)
        at = aware_utc(AuditEvent.select(AuditEvent.at).order_by(AuditEvent.seq.desc()).get().at)
    if report.ok:
        return ChainStatus(at, True, f"Kæden er intakt ({count(report.rows, 'hændelse')}).")
    return ChainStatus(
        at, False, f"Kæden er brudt ved seq {report.first_bad_seq}: {report.problem}."
    )
