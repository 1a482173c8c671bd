"""The services' door to database transactions: write failures become one domain error.

``db.database.write_transaction`` raises its own ``WriteFailed`` (the db layer
imports nothing of ours). Services open their write transactions here instead,
so a full disk or a database busy for too long reaches the UI as
:class:`~akut_tui.errors.StorageError`, an ordinary :class:`~akut_tui.errors.AkutError`
whose text is the Danish message. The UI recognises it by type, never by probing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from akut_tui.errors import StorageError
from db.database import WriteFailed, checkpoint_after_delete, connection
from db.database import write_transaction as _db_write_transaction

__all__ = ["StorageError", "checkpoint_after_delete", "connection", "write_transaction"]


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block in one write transaction; a refused write raises :class:`StorageError`.

    Nothing is half written then: the transaction was rolled back.
    """
    try:
        with _db_write_transaction():
            yield
    except WriteFailed as exc:
        raise StorageError(exc.user_message) from exc
