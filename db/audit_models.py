"""Peewee models of the audit chain (events, purge bases) and the change counters."""

from __future__ import annotations

import peewee as pw

from db.base import BaseModel
from db.textguard import CheckedCharField
from db.utctime import UtcDateTimeField


class AuditEvent(BaseModel):
    """A hash-chained audit event (never a plain CPR or free text)."""

    seq = pw.BigIntegerField(unique=True)
    at = UtcDateTimeField(index=True)
    user_id = pw.IntegerField(null=True)  # no foreign key: the row must never change
    username = CheckedCharField(max_length=64, default="")
    action = CheckedCharField(max_length=40)
    object_type = CheckedCharField(max_length=30, default="")
    object_id = CheckedCharField(max_length=40, default="")
    person_ref = CheckedCharField(max_length=40, default="")
    prev_hash = pw.CharField(max_length=64)
    mac = pw.CharField(max_length=64)

    class Meta:
        # Schema version 13: one (filter, seq) index per audit-log filter (paging by key).
        indexes = (
            (("username", "seq"), False),
            (("person_ref", "seq"), False),
            (("action", "seq"), False),
        )


class AuditBase(BaseModel):
    """Where a retention purge cut the audit chain: the last purged seq and its MAC.

    One row per purge (schema version 7). The newest base is also held by the
    chain itself (the first kept row's ``prev_hash``); older bases let
    ``audit verify`` compare anchors that now lie inside the purged prefix.
    """

    seq = pw.BigIntegerField(unique=True)
    mac = pw.CharField(max_length=64)
    purged_at = UtcDateTimeField()


class ChangeCounter(BaseModel):
    """A counter per area, bumped in the same transaction as every write to that area.

    Live views poll all counters with one cheap query and redraw only when a
    value moved (schema version 3). Portable: works the same on PostgreSQL.
    """

    name = CheckedCharField(max_length=20, unique=True)
    value = pw.BigIntegerField(default=0)
