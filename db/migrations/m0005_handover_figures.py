"""Version 5: handover changes after a signature, kept deletions; bed requests counted once.

``handover_note`` gains ``changed_at`` (a later edit, so an item changed after
a signature shows as new) and ``deleted_at``/``deleted_by`` (a deleted item
stays as the line "slettet af X kl. HH:MM"). ``bed_request`` gains ``attempt``
(one refusal per attempt, however often Ctrl+S is pressed) and ``stay`` (a
refused extension that a leader then grants is withdrawn).
"""

from __future__ import annotations

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 5


class _User(pw.Model):
    """The referenced table, as far as the new foreign key needs it."""

    id = pw.AutoField()

    class Meta:
        table_name = "user"


class _Stay(pw.Model):
    """The referenced table, as far as the new foreign key needs it."""

    id = pw.AutoField()

    class Meta:
        table_name = "stay"


def up(migrator: SchemaMigrator) -> None:
    """Add the handover change/deletion columns and the bed-request attempt and stay."""
    migrate(
        migrator.add_column("handover_note", "changed_at", pw.DateTimeField(null=True)),
        migrator.add_column("handover_note", "deleted_at", pw.DateTimeField(null=True)),
        migrator.add_column(
            "handover_note",
            "deleted_by_id",
            pw.ForeignKeyField(_User, field=_User.id, null=True, on_delete="RESTRICT"),
        ),
        migrator.add_column("bed_request", "attempt", pw.CharField(max_length=40, null=True)),
        migrator.add_column(
            "bed_request",
            "stay_id",
            pw.ForeignKeyField(_Stay, field=_Stay.id, null=True, on_delete="SET NULL"),
        ),
        migrator.add_index("bed_request", ("attempt",), True),
    )
