"""Version 9: import digests, an explicit krisesamtale, out-of-service history, data marks.

- ``imported_row``: one keyed digest per imported CSV row (a row is imported once).
- ``contact.conversation``: krisesamtale as ``ja`` / ``nej`` / ``ikke_registreret``.
  Existing crisis contacts keep what they held (the old yes/no column); other
  contacts get ``ikke_registreret``.
- ``bed_out_of_service``: the periods a bed was out of service. A bed out of
  service now gets an open period from the upgrade (its start is not known).
- ``data_mark``: from when a blank home municipality is stored as ``ukendt`` and
  krisesamtale is asked explicitly (the upgrade's time; older rows keep their values).
"""

from __future__ import annotations

from datetime import UTC, datetime

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

VERSION = 9

MARKS = ("municipality_blank_ukendt", "conversation_explicit")
"""The rules whose start :class:`db.models.DataMark` records."""


class _Frozen(pw.Model):
    """Base of the frozen copies below (as version 9 created them)."""

    class Meta:
        legacy_table_names = False


class _User(_Frozen):
    id = pw.AutoField()

    class Meta:
        table_name = "user"


class _Bed(_Frozen):
    id = pw.AutoField()
    out_of_service = pw.BooleanField(default=False)
    out_of_service_reason = pw.CharField(max_length=120, null=True)

    class Meta:
        table_name = "bed"


class _Contact(_Frozen):
    id = pw.AutoField()

    class Meta:
        table_name = "contact"


class _BedOutOfService(_Frozen):
    id = pw.AutoField()
    bed = pw.ForeignKeyField(_Bed, on_delete="CASCADE", backref="+")
    started_at = pw.DateTimeField()
    ended_at = pw.DateTimeField(null=True)
    reason = pw.CharField(max_length=120, null=True)
    started_by = pw.ForeignKeyField(_User, null=True, on_delete="SET NULL", backref="+")
    ended_by = pw.ForeignKeyField(_User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "bed_out_of_service"


class _ImportedRow(_Frozen):
    id = pw.AutoField()
    digest = pw.CharField(max_length=64, unique=True)
    contact = pw.ForeignKeyField(_Contact, on_delete="CASCADE", backref="+")
    imported_at = pw.DateTimeField()

    class Meta:
        table_name = "imported_row"


class _DataMark(_Frozen):
    id = pw.AutoField()
    name = pw.CharField(max_length=40, unique=True)
    since = pw.DateTimeField()

    class Meta:
        table_name = "data_mark"


def up(migrator: SchemaMigrator) -> None:
    """Add the column and tables, carry over krisesamtale and open out-of-service periods."""
    db = migrator.database
    # Nullable on purpose: a NOT NULL column makes SQLite's migrator rebuild the
    # table (DROP TABLE contact), and with foreign keys on that would cascade to
    # every table that references a contact.
    migrate(
        migrator.add_column(
            "contact",
            "conversation",
            pw.CharField(max_length=20, null=True, default="ikke_registreret"),
        ),
    )
    # The statistics index on the method columns now holds ``conversation``;
    # ensure_indexes() builds it again after the migrations.
    db.execute_sql("DROP INDEX IF EXISTS stats_contact_method")
    db.execute_sql(
        "UPDATE contact SET conversation = CASE WHEN crisis_conversation THEN 'ja' ELSE 'nej' END"
        " WHERE contact_type = 'krise'"
    )
    db.execute_sql(
        "UPDATE contact SET conversation = 'ikke_registreret' WHERE contact_type <> 'krise'"
    )
    tables = [_BedOutOfService, _ImportedRow, _DataMark]
    with db.bind_ctx([_User, _Bed, _Contact, *tables]):
        db.create_tables(tables)
        now = datetime.now(UTC).replace(tzinfo=None)
        for bed in _Bed.select().where(_Bed.out_of_service == True):  # noqa: E712
            _BedOutOfService.create(bed=bed.id, started_at=now, reason=bed.out_of_service_reason)
        for name in MARKS:
            _DataMark.create(name=name, since=now)
