"""Peewee models of what a leader changes in Akut's settings: value-list history (schema 12)."""

from __future__ import annotations

import peewee as pw

from db.base import BaseModel
from db.textguard import CheckedCharField


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
    changed_at = pw.DateTimeField()
    user_id = pw.IntegerField(null=True)  # no foreign key: history outlives accounts
