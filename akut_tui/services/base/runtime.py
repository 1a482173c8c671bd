"""The runtime every service call receives: configuration, keys, clock and hasher.

Built once by the CLI (or by a test with a fixed clock and cheap hashing) and
passed in, so no service reads global state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.core.clock import local, shift_of, utc_now
from akut_tui.core.config import Config
from akut_tui.core.hashslots import HashSlots
from akut_tui.core.key_files import Keys
from akut_tui.services.base import storage as _storage  # noqa: F401  (installs the text-column check)

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
    key_dir: Path | None = field(default=None, repr=False)
    """The key folder, when the opener already resolved it (else from ``config``)."""

    def __post_init__(self) -> None:
        if self.key_dir is None:
            self.key_dir = self.config.key_directory()
        key_dir = self.key_dir
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
            # Lazy: keeps the CLI and the TUI start from loading argon2 until a hash is needed.
            from argon2 import PasswordHasher

            sec = self.config.security
            self._hasher = PasswordHasher(
                time_cost=sec.argon2_time_cost,
                memory_cost=sec.argon2_memory_kib,
                parallelism=sec.argon2_parallelism,
            )
        return self._hasher
