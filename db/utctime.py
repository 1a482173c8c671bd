"""Times stored as UTC: the one place where an aware datetime becomes a stored value and back.

:class:`UtcDateTimeField` takes an aware datetime (any zone), stores it as the
naive UTC value Akut has always stored (``2026-11-20 19:00:00`` on SQLite, a
``timestamp without time zone`` on PostgreSQL), and reads it back as an aware
UTC datetime. The stored format is unchanged, so existing databases, the
statistics' SQL and the audit chain's canonical ``at`` read as before. A naive
value is taken to be UTC already (raw rows, values computed in SQL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import peewee as pw


def stored_utc(value: datetime) -> datetime:
    """The naive UTC form of ``value`` as it is stored (a naive value is UTC already)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def aware_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive value is UTC already, as stored)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UtcDateTimeField(pw.DateTimeField):
    """A ``DateTimeField``: aware UTC datetimes in Python, naive UTC in the database."""

    def db_value(self, value: Any) -> Any:
        """Convert an aware datetime to the stored naive UTC value."""
        if isinstance(value, datetime):
            value = stored_utc(value)
        return super().db_value(value)  # type: ignore[no-untyped-call]

    def python_value(self, value: Any) -> Any:
        """Read the stored value back as an aware UTC datetime."""
        value = super().python_value(value)  # type: ignore[no-untyped-call]
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
