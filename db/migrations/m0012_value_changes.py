"""Version 12: the ``value_change`` table (the history of a leader's value-list changes)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator

VERSION = 12


class _ValueChange(pw.Model):
    """A frozen copy of ``db.setting_models.ValueChange`` as version 12 created it."""

    id = pw.AutoField()
    list_name = pw.CharField(max_length=40)
    code = pw.CharField(max_length=40)
    kind = pw.CharField(max_length=20)
    old_label = pw.CharField(max_length=120, null=True)
    new_label = pw.CharField(max_length=120)
    old_active = pw.BooleanField(null=True)
    new_active = pw.BooleanField()
    changed_at = pw.DateTimeField()
    user_id = pw.IntegerField(null=True)

    class Meta:
        table_name = "value_change"
        legacy_table_names = False


def up(migrator: SchemaMigrator) -> None:
    """Create the ``value_change`` table."""
    with migrator.database.bind_ctx([_ValueChange]):
        migrator.database.create_tables([_ValueChange])
