"""Version 18: the statistics cache of closed years and its per-month generations (issue 16 §3).

- ``stats_generation``: one counter per UTC month, bumped by database triggers on every
  write that can change the month's figures (:mod:`db.stats_triggers`, made on every
  upgrade like the statistics indexes).
- ``stats_cache``: one entry per closed year, used only while the generations it was
  counted at are current (:mod:`db.stats_cache`).

Both are new tables; nothing else changes, and an empty cache is simply counted afresh.
"""

from __future__ import annotations

from playhouse.migrate import SchemaMigrator

from db.stats_cache import CACHE_MODELS

VERSION = 18


def up(migrator: SchemaMigrator) -> None:
    """Create the two tables (the triggers follow in the upgrade's last step)."""
    migrator.database.create_tables(CACHE_MODELS, safe=True)
