"""This installation's identity and backup key, made ready at start-up.

Called by ``open_runtime(create=True)`` (``akut init`` and the TUI): the
backup signing key and ``site.id`` exist in ``key_dir`` afterwards, and the
audit chain carries the site identity event (seq 0), signed with the audit key.
"""

from __future__ import annotations

from akut_tui.core.site_keys import ensure_backup_key, ensure_site_id
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.storage import connection, write_transaction
from db.models import AuditEvent
from db.queries import lock_audit_table, raw_audit_object_ids


def site_identity() -> str | None:
    """Return the site id named by the identity event (seq 0), or None; needs a connection."""
    found = [v for v in raw_audit_object_ids(audit.IDENTITY_ACTION) if isinstance(v, str)]
    return found[0] if found else None  # read raw: a tampered row is verify's to name


def write_identity(rt: Runtime, site_id: str) -> None:
    """Write the site identity event (seq 0), signed with the audit key, if it is missing.

    Call inside a write transaction. Seq 0 stands outside the chain (seq 1
    follows the genesis hash), so it can be added to a chain written before
    identities existed; a retention purge never removes it.
    """
    lock_audit_table()
    if AuditEvent.select().where(AuditEvent.seq == audit.IDENTITY_SEQ).exists():
        return
    at = rt.now()
    fields = audit._fields(
        audit.IDENTITY_SEQ, at, None, "", audit.IDENTITY_ACTION, "site", site_id, "", audit.GENESIS
    )
    AuditEvent.create(
        seq=audit.IDENTITY_SEQ,
        at=at,
        user_id=None,
        username="",
        action=audit.IDENTITY_ACTION,
        object_type="site",
        object_id=site_id,
        person_ref="",
        prev_hash=audit.GENESIS,
        mac=audit.compute_mac(rt.keys.audit, fields),
    )


def ensure_identity(rt: Runtime) -> str:
    """Create what is missing (backup key, ``site.id``, identity event); return the site id."""
    key_dir = rt.config.key_directory()
    ensure_backup_key(key_dir)
    with connection():
        in_database = site_identity()
    site_id = ensure_site_id(key_dir, in_database)
    if in_database is None:
        with write_transaction():
            write_identity(rt, site_id)
    return site_id
