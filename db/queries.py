"""Query helpers that hide the differences between SQLite and PostgreSQL.

Services build their queries with these instead of writing backend-specific
SQL, so the same service code runs on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import peewee as pw

from db.casefold import FOLD_FUNCTION
from db.database import database, is_sqlite


def _case_pairs() -> tuple[str, str]:
    """Every upper-case letter of the Basic Multilingual Plane and its one-letter lower case."""
    upper: list[str] = []
    lower: list[str] = []
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:  # surrogates are not characters
            continue
        char = chr(code)
        low = char.lower()
        if len(low) == 1 and low != char:
            upper.append(char)
            lower.append(low)
    return "".join(upper), "".join(lower)


UPPER_LETTERS, LOWER_LETTERS = _case_pairs()
"""PostgreSQL folding table: ``translate(column, UPPER_LETTERS, LOWER_LETTERS)``."""
_LOWER_TABLE = str.maketrans(UPPER_LETTERS, LOWER_LETTERS)


def folded(field: pw.Field) -> Any:
    """A case-insensitive form of ``field``.

    SQLite's LOWER and LIKE fold ASCII only ("Åse" would not match "åse"), so
    on SQLite the column goes through Python's ``casefold``. PostgreSQL's LOWER
    follows the database's LC_CTYPE, and under the ``C``/``POSIX`` locale (a
    common server default) it too folds ASCII only; so on PostgreSQL the column
    goes through ``translate`` with an explicit table, the same result on every
    server whatever its locale.
    """
    if is_sqlite():
        return getattr(pw.fn, FOLD_FUNCTION)(field)
    return pw.fn.TRANSLATE(field, UPPER_LETTERS, LOWER_LETTERS)


def fold(text: str) -> str:
    """Fold a Python string the way :func:`folded` folds the column."""
    return text.casefold() if is_sqlite() else text.translate(_LOWER_TABLE)


def lock_audit_table() -> None:
    """Serialise appends to the audit chain inside the current transaction.

    SQLite needs nothing (every write transaction is BEGIN IMMEDIATE);
    PostgreSQL needs a table lock so two writers cannot chain onto one row.
    """
    if not is_sqlite():
        database.execute_sql("LOCK TABLE audit_event IN EXCLUSIVE MODE")


AUDIT_COLUMNS = (
    "seq", "at", "user_id", "username", "action", "object_type", "object_id", "person_ref",
    "prev_hash", "mac",
)  # fmt: skip
"""The audit_event columns covered by the chain, in the order :func:`raw_audit_rows` gives."""

_RAW_AUDIT_SQL = (
    "SELECT seq, at, user_id, username, action, object_type, object_id, person_ref, "
    "prev_hash, mac FROM audit_event ORDER BY seq"
)
_TEXT_AUDIT_COLUMNS = frozenset(AUDIT_COLUMNS) - {"seq", "user_id"}


def _raw_audit_sql() -> str:
    """The raw select; on SQLite text values come as bytes, so invalid UTF-8 cannot raise.

    On SQLite every text column is preceded by its ``typeof``, so a blob stored
    in a text column is still told apart from text.
    """
    if not is_sqlite():
        return _RAW_AUDIT_SQL  # PostgreSQL refuses invalid UTF-8 on the way in
    columns = [
        f"typeof({name}), CASE WHEN typeof({name}) = 'text' THEN CAST({name} AS BLOB) "
        f"ELSE {name} END"
        if name in _TEXT_AUDIT_COLUMNS
        else name
        for name in AUDIT_COLUMNS
    ]
    return f"SELECT {', '.join(columns)} FROM audit_event ORDER BY seq"  # noqa: S608 (fixed names)


def _decoded(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Decode a SQLite row of :func:`_raw_audit_sql`; invalid UTF-8 becomes lone surrogates."""
    values: list[Any] = []
    position = 0
    for name in AUDIT_COLUMNS:
        if name not in _TEXT_AUDIT_COLUMNS:
            values.append(row[position])
            position += 1
            continue
        kind, value = row[position], row[position + 1]
        position += 2
        if kind == "text" and isinstance(value, bytes):
            value = value.decode("utf-8", "surrogateescape")
        values.append(value)
    return tuple(values)


def raw_audit_rows(batch: int = 5000, *, through: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Yield every audit row in seq order exactly as stored, without type conversion.

    The verifier must see a value of the wrong type (text in a time column, a
    number in a text column) as it is, to name the row instead of failing.
    On SQLite a text column holding bytes that are not UTF-8 is given as a
    string with lone surrogates (``surrogateescape``), never an exception; a
    blob in a text column stays ``bytes``. With ``through`` the rows stop
    before the first integer seq above it.
    """
    sqlite = is_sqlite()
    cursor = database.execute_sql(_raw_audit_sql())
    try:
        while chunk := cursor.fetchmany(batch):
            for stored in chunk:
                row = _decoded(stored) if sqlite else stored
                seq = row[0]
                if through is not None and isinstance(seq, int) and seq > through:
                    return
                yield row
    finally:
        cursor.close()


_OBJECT_IDS_SQL = {
    True: "SELECT CAST(object_id AS BLOB) FROM audit_event WHERE action = ? ORDER BY seq",
    False: "SELECT object_id FROM audit_event WHERE action = %s ORDER BY seq",
}
_BASES_SQL = {
    True: "SELECT seq, CAST(mac AS BLOB) FROM audit_base",
    False: "SELECT seq, mac FROM audit_base",
}
"""On SQLite text is read as bytes (decoded by :func:`_as_text`), so invalid UTF-8 cannot raise."""


def _as_text(value: Any) -> Any:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def raw_audit_object_ids(action: str) -> list[Any]:
    """The ``object_id`` of every audit event of ``action`` in seq order, never raising.

    Bytes that are not UTF-8 come back with lone surrogates, so the verifier
    can walk on and name the row instead of failing here. (A blob stored in the
    column comes back as text too: it is not a number, so it is ignored.)
    """
    cursor = database.execute_sql(_OBJECT_IDS_SQL[is_sqlite()], (action,))
    return [_as_text(row[0]) for row in cursor.fetchall()]


def raw_audit_bases() -> list[tuple[Any, Any]]:
    """Every (seq, mac) of ``audit_base``, as stored, never raising; [] before schema 7."""
    if "audit_base" not in database.get_tables():
        return []
    cursor = database.execute_sql(_BASES_SQL[is_sqlite()])
    return [(row[0], _as_text(row[1])) for row in cursor.fetchall()]


def lock_row(model: type[pw.Model], row_id: int) -> None:
    """Lock one row until the end of the current transaction.

    SQLite needs nothing (BEGIN IMMEDIATE already holds the write lock);
    PostgreSQL takes a row lock with ``SELECT ... FOR UPDATE``.
    """
    if not is_sqlite():
        list(
            model.select(model._meta.primary_key)
            .where(model._meta.primary_key == row_id)
            .for_update()
        )
