"""Opening the runtime: the database, the keys, the schema and the start-up alignment.

Apart from :mod:`akut_tui.services.base.runtime` (the ``Runtime`` every service
receives) because it calls services that themselves take a ``Runtime``
(beds, the site identity, draft sealing): keeping it there made a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.core.clock import utc_now
from akut_tui.core.config import Config
from akut_tui.core.errors import StorageError
from akut_tui.core.key_files import ensure_keys, load_keys
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.drafts.forms import seal_plain_drafts
from akut_tui.services.startup.setup import sync_beds
from akut_tui.services.startup.site import ensure_identity
from db.database import open_database
from db.migrate import SchemaTooNewError, upgrade

if TYPE_CHECKING:
    from argon2 import PasswordHasher


def open_runtime(
    config: Config,
    *,
    create: bool = True,
    url: str | None = None,
    key_dir: Path | None = None,
    now: Callable[[], datetime] = utc_now,
    hasher: PasswordHasher | None = None,
) -> Runtime:
    """Open the database and keys named by ``config`` and upgrade the schema if needed.

    ``create=False`` opens an existing database as it is (for read-only tools
    such as ``akut audit verify``). ``url`` and ``key_dir``, when given, are the
    locations already resolved from ``config`` (:meth:`Config.locations`).
    """
    open_database(url or config.database_url(), create=create)
    if key_dir is None:
        key_dir = config.key_directory()
    keys = ensure_keys(key_dir) if create else load_keys(key_dir)
    runtime = Runtime(config=config, keys=keys, now=now, hasher_override=hasher, key_dir=key_dir)
    if create:
        try:
            upgrade(runtime.now())
        except SchemaTooNewError as exc:
            raise StorageError(str(exc)) from None
        sync_beds(runtime)
        ensure_identity(runtime)
        seal_plain_drafts(runtime)
    return runtime
