"""Version 13: indexes that let the audit log page by key under every filter.

The audit-log screen and the citizen's access report read the newest events
first, ``seq`` below a cursor, filtered by one user name, one person
reference or one action. Each filter gets an index ending in ``seq``, so a page
is an index range read, never a scan of the log (issue 18 §2, §3).
"""

from __future__ import annotations

from playhouse.migrate import SchemaMigrator

VERSION = 13

INDEXED = (("username", "seq"), ("person_ref", "seq"), ("action", "seq"))
"""The (filter column, seq) pairs indexed on ``audit_event``."""


def up(migrator: SchemaMigrator) -> None:
    """Add the three (column, seq) indexes to ``audit_event`` (where not there already).

    Named as the model's ``Meta.indexes`` names them, so an upgraded database and
    a fresh one hold the same indexes.
    """
    for columns in INDEXED:
        name = "audit_event_" + "_".join(columns)
        migrator.database.execute_sql(
            f"CREATE INDEX IF NOT EXISTS {name} ON audit_event ({', '.join(columns)})"
        )
