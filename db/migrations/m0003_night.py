"""Version 3: the night shift (bed board details, I-PASS handover, change counters)."""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 3


class _User(pw.Model):
    """The referenced table, as far as the new foreign keys need it."""

    id = pw.AutoField()

    class Meta:
        table_name = "user"


class _ChangeCounter(pw.Model):
    """A frozen copy of ``db.models.ChangeCounter`` as version 3 created it."""

    id = pw.AutoField()
    name = pw.CharField(max_length=20, unique=True)
    value = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "change_counter"
        legacy_table_names = False


def up(migrator: SchemaMigrator) -> None:
    """Add the stay, night and handover columns and the change-counter table."""
    migrate(
        migrator.add_column(
            "bed", "out_of_service_reason", pw.CharField(max_length=120, null=True)
        ),
        migrator.add_column("stay", "excl_intoxicated", pw.BooleanField(default=False)),
        migrator.add_column("stay", "excl_threatening", pw.BooleanField(default=False)),
        migrator.add_column("stay", "excl_disturbing", pw.BooleanField(default=False)),
        migrator.add_column("stay", "reserved_until", pw.DateTimeField(null=True)),
        migrator.add_column("stay", "ended_reason", pw.CharField(max_length=20, null=True)),
        migrator.add_column("stay_night", "referred_to", pw.CharField(max_length=120, null=True)),
        migrator.add_column(
            "stay_night", "override_reason", pw.CharField(max_length=200, null=True)
        ),
        migrator.add_column("handover_note", "owner", pw.CharField(max_length=40, null=True)),
        migrator.add_column("handover_note", "due_at", pw.DateTimeField(null=True)),
        migrator.add_column("handover_note", "done_at", pw.DateTimeField(null=True)),
        migrator.add_column(
            "handover_note",
            "done_by_id",
            pw.ForeignKeyField(_User, field=_User.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column("handover_note", "pinned_until", pw.DateField(null=True)),
        migrator.add_column("handover_note", "resolved_at", pw.DateTimeField(null=True)),
        migrator.add_column(
            "handover_note",
            "resolved_by_id",
            pw.ForeignKeyField(_User, field=_User.id, null=True, on_delete="RESTRICT"),
        ),
    )
    with migrator.database.bind_ctx([_ChangeCounter]):
        migrator.database.create_tables([_ChangeCounter])
