"""Version 7: the ``audit_base`` table (where each retention purge cut the audit chain)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator

VERSION = 7


class _AuditBase(pw.Model):
    """A frozen copy of ``db.models.AuditBase`` as version 7 created it."""

    id = pw.AutoField()
    seq = pw.BigIntegerField(unique=True)
    mac = pw.CharField(max_length=64)
    purged_at = pw.DateTimeField()

    class Meta:
        table_name = "audit_base"
        legacy_table_names = False


def up(migrator: SchemaMigrator) -> None:
    """Create the ``audit_base`` table."""
    with migrator.database.bind_ctx([_AuditBase]):
        migrator.database.create_tables([_AuditBase])
