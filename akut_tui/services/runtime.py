"""The runtime every service call receives: configuration, keys, clock and hasher.

Built once by the CLI (or by a test with a fixed clock and cheap hashing) and
passed in, so no service reads global state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from akut_tui.clock import local, shift_of, utc_now
from akut_tui.config import Config
from akut_tui.hashslots import HashSlots
from akut_tui.keys import Keys, ensure_keys, load_keys
from akut_tui.services import storage as _storage  # noqa: F401  (installs the text-column check)

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@dataclass
class Runtime:
    """Everything a service needs besides its arguments."""

    config: Config
    keys: Keys
    now: Callable[[], datetime] = utc_now
    """Returns an aware UTC datetime; tests inject a fixed clock."""
    hasher_override: PasswordHasher | None = None
    _hasher: PasswordHasher | None = field(default=None, repr=False)
    hash_slots: HashSlots = field(default_factory=lambda: HashSlots(4, None), repr=False)
    """At most ``max_parallel_hashes`` argon2 computations at once on this machine."""
    operator: str = ""
    """The operating-system user of a command-line run (audited as ``os:<name>``); empty in
    the TUI, where every event has a signed-in actor."""

    def __post_init__(self) -> None:
        key_dir = self.config.key_directory()
        self.hash_slots = HashSlots(
            self.config.security.max_parallel_hashes, key_dir if key_dir.is_dir() else None
        )

    def today(self) -> date:
        """Return today's date in the site's time zone (the one ``today`` helper)."""
        return local(self.now(), self.config.site.timezone).date()

    def current_shift(self) -> tuple[str, date]:
        """Return (shift code, shift date) of the shift running now."""
        return shift_of(self.now(), self.config.shifts, self.config.site.timezone)

    @property
    def hasher(self) -> PasswordHasher:
        """The argon2id hasher with the configured parameters (imported lazily)."""
        if self.hasher_override is not None:
            return self.hasher_override
        if self._hasher is None:
            from argon2 import PasswordHasher

            sec = self.config.security
            self._hasher = PasswordHasher(
                time_cost=sec.argon2_time_cost,
                memory_cost=sec.argon2_memory_kib,
                parallelism=sec.argon2_parallelism,
            )
        return self._hasher


def open_runtime(
    config: Config,
    *,
    create: bool = True,
    url: str | None = None,
    now: Callable[[], datetime] = utc_now,
    hasher: PasswordHasher | None = None,
) -> Runtime:
    """Open the database and keys named by ``config`` and upgrade the schema if needed.

    ``create=False`` opens an existing database as it is (for read-only tools
    such as ``akut audit verify``).
    """
    from db.database import open_database
    from db.migrate import upgrade

    open_database(url or config.database_url(), create=create)
    key_dir = config.key_directory()
    keys = ensure_keys(key_dir) if create else load_keys(key_dir)
    runtime = Runtime(config=config, keys=keys, now=now, hasher_override=hasher)
    if create:
        from akut_tui.errors import StorageError
        from db.migrate import SchemaTooNewError

        try:
            upgrade(runtime.now())
        except SchemaTooNewError as exc:
            raise StorageError(str(exc)) from None
        from akut_tui.services.setup import sync_beds
        from akut_tui.services.site import ensure_identity

        sync_beds(runtime)
        ensure_identity(runtime)
        from akut_tui.services.drafts import seal_plain_drafts

        seal_plain_drafts(runtime)
    return runtime
