"""The base class of every Peewee model: bound to the shared database proxy."""

from __future__ import annotations

from typing import Any

import peewee as pw

from db.database import database, note_removal
from db.textguard import CheckedCharField, CheckedTextField


class BaseModel(pw.Model):
    """Base class binding every model to the shared database proxy.

    Deleting rows or overwriting a checked text column is noted
    (:func:`db.database.note_removal`) so the write transaction scrubs the
    ``-wal`` file after its commit.
    """

    id = pw.AutoField()

    class Meta:
        database = database
        legacy_table_names = False

    @classmethod
    def delete(cls) -> Any:
        """Start a ``DELETE`` query; the transaction will scrub the ``-wal`` afterwards."""
        note_removal()
        return super().delete()

    @classmethod
    def update(cls, __data: Any = None, **update: Any) -> Any:
        """Start an ``UPDATE`` query; one that replaces free text scrubs the ``-wal`` afterwards."""
        names = [getattr(k, "name", k) for k in (__data or {})] + list(update)
        fields = cls._meta.fields
        if any(isinstance(fields.get(n), (CheckedCharField, CheckedTextField)) for n in names):
            note_removal()
        return super().update(__data, **update)
