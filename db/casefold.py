"""The SQLite case-folding function, registered on every connection.

It lives apart from :mod:`db.queries` so that :mod:`db.database` can register it
without importing the query helpers, which import the database module (no cycle).
"""

from __future__ import annotations

FOLD_FUNCTION = "akut_fold"
"""SQLite function (registered on every connection) that applies ``str.casefold``."""


def casefold_sql(value: object) -> object:
    """The Python side of :data:`FOLD_FUNCTION` (NULL stays NULL)."""
    return value.casefold() if isinstance(value, str) else value
