"""The services' door to database transactions: write failures become one domain error.

Importing it installs the CPR detector as the check of every text column (db.textguard).

``db.database.write_transaction`` raises its own ``WriteFailed`` (the db layer
imports nothing of ours). Services open their write transactions here instead,
so a full disk or a database busy for too long reaches the UI as
:class:`~akut_tui.core.errors.StorageError`, an ordinary :class:`~akut_tui.core.errors.AkutError`
whose text is the Danish message. The UI recognises it by type, never by probing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from akut_tui.core.cprscan import contains_cpr
from akut_tui.core.errors import StorageError, ValidationError
from db.database import WriteFailed, checkpoint_after_delete, connection, scrub_pending
from db.database import write_transaction as _db_write_transaction
from db.textguard import TextRefused, install_text_check

MSG_CPR_IN_TEXT = (
    "Teksten indeholder noget der ligner et CPR-nummer. CPR må kun stå i CPR-feltet, "
    "hvor det er beskyttet; intet er gemt."
)


def may_store_text(text: str) -> bool:
    """Return True if ``text`` may be stored in a text column: the CPR detector finds nothing."""
    return not contains_cpr(text)


install_text_check(may_store_text)

__all__ = [
    "StorageError",
    "checkpoint_after_delete",
    "connection",
    "removal_message",
    "write_transaction",
]

MSG_SCRUB_PENDING = (
    "En anden session læser databasen lige nu; den slettede tekst fjernes helt fra "
    "databasefilerne ved næste gemning (senest ved den natlige oprydning)."
)


def removal_message(done: str) -> str:
    """Return ``done`` (e.g. "Slettet."), saying so when deleted text is not yet out of the -wal.

    The write transaction that deleted it checkpoints after its commit; only a
    reader holding an old snapshot makes the text wait for the next checkpoint.
    """
    return f"{done} {MSG_SCRUB_PENDING}" if scrub_pending() else done


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block in one write transaction; a refused write raises :class:`StorageError`.

    Nothing is half written then: the transaction was rolled back.
    A text the model layer refused (a CPR-like number in any text column, see
    :mod:`db.textguard`) raises :class:`ValidationError` with a Danish message.
    """
    try:
        with _db_write_transaction():
            yield
    except WriteFailed as exc:
        raise StorageError(exc.user_message) from exc
    except TextRefused as exc:
        raise ValidationError(MSG_CPR_IN_TEXT, exc.field_name) from None
