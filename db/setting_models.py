"""Peewee models of Akut's settings: the schema version, the value lists and their history."""

from __future__ import annotations

import peewee as pw

from db.base import BaseModel
from db.textguard import CheckedCharField
from db.utctime import UtcDateTimeField


class SchemaVersion(BaseModel):
    """Single row holding the schema version applied by the migrations."""

    version = pw.IntegerField()
    applied_at = UtcDateTimeField()


class ValueItem(BaseModel):
    """One entry of a value list (code plus Danish label)."""

    list_name = CheckedCharField(max_length=40)
    code = CheckedCharField(max_length=40)
    label = CheckedCharField(max_length=120)
    sort_order = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("list_name", "code"), True),)


class ValueChange(BaseModel):
    """One change of a value-list entry: added, relabelled, retired or taken back into use.

    The code never changes; the old and new label and state are kept so the audit
    event (which points here) can say what the value was called before.
    """

    list_name = CheckedCharField(max_length=40)
    code = CheckedCharField(max_length=40)
    kind = CheckedCharField(max_length=20)
    old_label = CheckedCharField(max_length=120, null=True)
    new_label = CheckedCharField(max_length=120)
    old_active = pw.BooleanField(null=True)
    new_active = pw.BooleanField()
    changed_at = UtcDateTimeField()
    user_id = pw.IntegerField(null=True)  # no foreign key: history outlives accounts
