"""What kind of failure a database error is, read from the driver's error codes.

A refused write is shown to the user as "the disk is full" or "another write
holds the database, try again" (``db.database.WriteFailed``); everything else
stays an unexpected error with an incident id. The kind comes from the codes
the drivers give, never from the message text (a table or column named
``full`` or ``busy`` must not look like a full disk or a lock):

* SQLite (``sqlite3.Error.sqlite_errorname``, Python 3.11+): ``SQLITE_FULL``
  is a full disk (or the ``max_page_count`` cap); ``SQLITE_BUSY*`` and
  ``SQLITE_LOCKED*`` are a writer that held the lock past ``busy_timeout``;
  ``SQLITE_IOERR*`` is an I/O error (a full disk can show as one).
* PostgreSQL (psycopg2's ``pgcode``, SQLSTATE): ``53100`` disk_full;
  ``55P03`` lock_not_available (our ``lock_timeout`` on the writer lock),
  ``40001`` serialization_failure and ``40P01`` deadlock_detected: the
  transaction was rolled back and can simply be tried again.
* An ``OSError`` with ``ENOSPC`` (no space) or ``EFBIG`` (file too large).

Peewee wraps driver errors in its own classes and keeps the driver's error as
the cause; SQLite rolls back by itself on ``SQLITE_FULL``, so Peewee's own
rollback then fails with a second error whose context is the first. Hence
:func:`kind_of` looks at the whole chain of causes and contexts.
"""

from __future__ import annotations

import errno
from typing import Literal

Kind = Literal["full", "busy", "io"]

PG_DISK_FULL = "53100"
PG_BUSY = frozenset({"55P03", "40001", "40P01"})
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG})
PRECEDENCE: tuple[Kind, ...] = ("full", "busy", "io")


def chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception it was raised from or while handling, once each.

    A context hidden with ``raise ... from None`` is left out, as in a traceback.
    """
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        context = None if current.__suppress_context__ else current.__context__
        current = current.__cause__ or context
    return seen


def kind_of_one(exc: BaseException) -> Kind | None:
    """The kind of this one exception, from its own code only (None: not a known kind)."""
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str):
        if name == "SQLITE_FULL":
            return "full"
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return "busy"
        if name.startswith("SQLITE_IOERR"):
            return "io"
        return None
    code = getattr(exc, "pgcode", None)
    if isinstance(code, str):
        if code == PG_DISK_FULL:
            return "full"
        return "busy" if code in PG_BUSY else None
    if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
        return "full"
    return None


def kind_of(exc: BaseException) -> Kind | None:
    """The kind of a failure: a full disk wins over a lock, a lock over an I/O error."""
    kinds = {kind_of_one(e) for e in chain(exc)}
    return next((kind for kind in PRECEDENCE if kind in kinds), None)
