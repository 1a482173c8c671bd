"""This installation's identity and backup key, made ready at start-up.

Called by ``open_runtime(create=True)`` (``akut init`` and the TUI): the
backup signing key and ``site.id`` exist in ``key_dir`` afterwards, and the
audit chain carries the site identity event (seq 0), signed with the audit key.
"""

from __future__ import annotations

from akut_tui.services import audit
from akut_tui.services.runtime import Runtime
from akut_tui.services.storage import connection, write_transaction
from akut_tui.site_keys import ensure_backup_key, ensure_site_id


def ensure_identity(rt: Runtime) -> str:
    """Create what is missing (backup key, ``site.id``, identity event); return the site id."""
    key_dir = rt.config.key_directory()
    ensure_backup_key(key_dir)
    with connection():
        in_database = audit.site_identity()
    site_id = ensure_site_id(key_dir, in_database)
    if in_database is None:
        with write_transaction():
            audit.write_identity(rt, site_id)
    return site_id
