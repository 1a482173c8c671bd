"""Version 12: what a leader changes in Akut instead of a file (issue 18 §6, §7).

- ``value_change``: the history of a leader's value-list changes (old and new label).
- ``bed.config_name``: the ``config.toml`` name a bed came from, kept when a leader
  renames it (NULL: its name is still that name).
- ``bed.added_in_app``: the bed was added by a leader in Akut (NULL: from ``config.toml``).
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

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
    """Create the ``value_change`` table and add the two nullable bed columns."""
    with migrator.database.bind_ctx([_ValueChange]):
        migrator.database.create_tables([_ValueChange])
    migrate(
        migrator.add_column("bed", "config_name", pw.CharField(max_length=40, null=True)),
        migrator.add_column("bed", "added_in_app", pw.BooleanField(null=True)),
    )
