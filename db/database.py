"""Database handle, connection settings and transaction helpers.

One :data:`database` proxy is shared by all models. :func:`open_database`
binds it to SQLite (the default: a single file, WAL, ``synchronous=FULL``,
every transaction ``BEGIN IMMEDIATE``) or to PostgreSQL for multi-site use,
where every write transaction first takes one transaction-level advisory lock
(:data:`WRITER_LOCK`): the same one-writer-at-a-time rule, so service code
that reads, checks and then writes is correct on both.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import peewee

from db.casefold import FOLD_FUNCTION, casefold_sql
from db.write_errors import kind_of

database = peewee.DatabaseProxy()
"""The proxy every model is bound to."""

SQLITE_PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: an acknowledged commit survives power loss
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "secure_delete": 1,
}
"""Applied by Peewee on every new connection."""

UNSAFE_FILESYSTEMS = ("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs")


class DatabaseUrlError(ValueError):
    """The database URL cannot be used."""


class DatabaseMissingError(DatabaseUrlError):
    """The database does not exist yet and this command may not create it."""


class DatabaseUnavailableError(DatabaseUrlError):
    """The PostgreSQL server cannot be reached or refuses the connection.

    Server down, wrong password, no such database: the message is Danish and
    carries the first line of the driver's reason (never the password).
    """


class WriteFailed(Exception):
    """A write was refused by the database (disk full, locked too long).

    ``user_message`` is a Danish sentence safe to show; the transaction was
    rolled back, so nothing was half written.
    """

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


DISK_FULL = (
    "Databasen kan ikke skrive: disken er fuld. Intet er gemt, men det skrevne er bevaret. "
    "Kontakt IT."
)
BUSY = "Databasen er optaget af en anden skrivning. Prøv at gemme igen om et øjeblik."

WRITER_LOCK = 0x616B7574  # "akut"
"""PostgreSQL advisory lock key held by every write transaction (SQLite's write lock)."""
LOCK_TIMEOUT = "5s"
"""PostgreSQL: how long a write waits for the writer lock (SQLite's ``busy_timeout``)."""


def sqlite_path(url: str) -> Path | None:
    """Return the file path of a ``sqlite:///`` URL, or ``None`` for other URLs."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def filesystem_type(path: Path) -> str:
    """Return the mount type of the file system holding ``path`` ('' if unknown)."""
    try:
        with open("/proc/mounts", encoding="utf-8") as handle:
            mounts = [line.split()[:3] for line in handle]
    except OSError:
        return ""
    target = str(path.resolve())
    best, best_type = "", ""
    for parts in mounts:
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def check_filesystem(path: Path) -> None:
    """Refuse network and FUSE file systems, where SQLite locking is unreliable."""
    fstype = filesystem_type(path.parent if not path.exists() else path)
    if fstype in UNSAFE_FILESYSTEMS or fstype.startswith("fuse."):
        raise DatabaseUrlError(
            f"databasen ligger på et netværks- eller FUSE-filsystem ({fstype}); "
            "SQLite kræver en lokal disk"
        )


def make_database(url: str) -> peewee.Database:
    """Create (but do not connect) a Peewee database for ``url``."""
    path = sqlite_path(url)
    if path is not None:
        if not path.is_absolute():
            raise DatabaseUrlError("SQLite-stien skal være absolut")
        db = peewee.SqliteDatabase(
            str(path),
            pragmas=SQLITE_PRAGMAS,
            timeout=5,
            lock_type="IMMEDIATE",
            autoconnect=False,
        )
        db.register_function(casefold_sql, FOLD_FUNCTION, 1, deterministic=True)
        return db
    parsed = urlparse(url)
    if parsed.scheme in ("postgresql", "postgres"):
        return peewee.PostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
            autoconnect=False,
        )
    raise DatabaseUrlError(f"ukendt databasetype i {url!r}")


def open_database(url: str, *, create: bool = True) -> peewee.Database:
    """Bind the shared proxy to ``url``; create a missing SQLite file with mode 0600."""
    path = sqlite_path(url)
    db = make_database(url)
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseMissingError(f"databasen {path} findes ikke; kør 'akut init' først")
        old_umask = os.umask(0o077)  # new folders (parents too) 0700, the file 0600
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            check_filesystem(path)
            db.connect()
            db.close()
        finally:
            os.umask(old_umask)
        path.chmod(0o600)
    else:
        _check_server(db)
    database.initialize(db)
    return db


def _check_server(db: peewee.Database) -> None:
    """Connect once to a PostgreSQL database so a bad URL fails here, in Danish."""
    try:
        db.connect()
    except peewee.OperationalError as exc:
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        reason = "".join(ch for ch in lines[0] if ch.isprintable())[:200]
        raise DatabaseUnavailableError(
            f"kan ikke forbinde til PostgreSQL-databasen {db.database!r}: {reason}"
        ) from None
    db.close()


def is_sqlite() -> bool:
    """Return True when the shared proxy is bound to SQLite."""
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def connection() -> Iterator[None]:
    """Use this thread's connection, opening it (and closing it after) if needed.

    Unlike Peewee's ``connection_context`` this nests: an inner block does not
    close a connection that an outer block opened.
    """
    opened = database.is_closed()
    if opened:
        database.connect()
    try:
        yield
    finally:
        if opened and not database.is_closed():
            database.close()


def _take_writer_lock() -> None:
    """PostgreSQL: wait (at most :data:`LOCK_TIMEOUT`) for the one writer lock.

    READ COMMITTED alone lets two transactions read the same row, both decide
    and both write (a lost update: ten parallel logins each counting the first
    failure). Holding :data:`WRITER_LOCK` from the first statement to the
    commit gives SQLite's ``BEGIN IMMEDIATE`` rule: each statement after it sees
    every earlier writer's commit. Row locks (``lock_row``) remain where a
    service names the row it decides on.
    """
    # set_config(..., true) is SET LOCAL with a bound parameter; then wait for the lock.
    database.execute(
        peewee.Select(columns=[peewee.fn.set_config("lock_timeout", LOCK_TIMEOUT, True)])
    )
    database.execute(peewee.Select(columns=[peewee.fn.pg_advisory_xact_lock(WRITER_LOCK)]))


class _Removal(threading.local):
    """Per thread: whether the open write transaction deleted rows or replaced free text."""

    removed = False


_removal = _Removal()
_scrub = {"pending": False}
"""Process-wide: a checkpoint after a removal could not finish (a reader held a snapshot)."""


def note_removal() -> None:
    """Record that the current write deletes rows or overwrites free text.

    Called by the models (``BaseModel.delete`` and ``update`` of a checked text
    column); the outermost :func:`write_transaction` then checkpoints after its
    commit so the old text leaves the ``-wal`` file too (issue 15 §8).
    """
    _removal.removed = True


def scrub_pending() -> bool:
    """Return True while removed personal data may still be in the ``-wal`` file.

    That is when the checkpoint after a removal found a reader holding an old
    snapshot; the next write transaction (or :func:`checkpoint_after_delete`, at
    the latest the nightly purge) finishes it.
    """
    return _scrub["pending"]


def _scrub_after_commit() -> None:
    """Checkpoint after a committed removal, or retry one that could not finish."""
    removed, _removal.removed = _removal.removed, False
    if (removed or _scrub["pending"]) and is_sqlite():
        try:
            checkpoint_after_delete()
        except peewee.OperationalError:
            _scrub["pending"] = True  # committed; the next checkpoint finishes the job


@contextmanager
def write_transaction() -> Iterator[None]:
    """Open a connection if needed and run the block in one write transaction.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE`` (the database's
    lock type), so two writers queue on the busy timeout instead of failing on a
    read-to-write upgrade. On PostgreSQL the outermost write transaction takes
    the writer lock first (:func:`_take_writer_lock`), with the same timeout.
    When the outermost transaction deleted rows or replaced free text
    (:func:`note_removal`), its commit is followed by a checkpoint that empties
    the ``-wal`` file, whoever else is connected (:func:`scrub_pending` says
    when a reader's snapshot made that wait for the next one).
    """
    try:
        with connection():
            outermost = not database.in_transaction()
            if outermost:
                _removal.removed = False
            try:
                with database.atomic():
                    if outermost and not is_sqlite():
                        _take_writer_lock()
                    yield
            except BaseException:
                if outermost:
                    _removal.removed = False
                raise
            if outermost:
                _scrub_after_commit()
    except peewee.OperationalError as exc:
        kind = kind_of(exc)  # from the drivers' error codes (db/write_errors.py)
        if kind == "full":
            raise WriteFailed(DISK_FULL) from exc
        if kind == "busy":
            raise WriteFailed(BUSY) from exc
        raise


def checkpoint_after_delete() -> bool:
    """Push deleted personal data out of the write-ahead log (docs/security.md row 27).

    With ``secure_delete`` the deleted text is zeroed in the new page images,
    but older images stay in the ``-wal`` file until a checkpoint copies the
    pages back and the log is reset. ``wal_checkpoint(TRUNCATE)`` does both and
    truncates the file to zero bytes. Call it after the deleting transaction
    committed (never inside one). Returns True when the log was fully
    checkpointed; False if a reader held an old snapshot (the next checkpoint,
    at the latest the nightly purge, finishes the job). PostgreSQL: no-op.
    """
    if not is_sqlite():
        return True
    with connection():
        if database.in_transaction():
            raise RuntimeError("checkpoint_after_delete must run after the commit")
        # Wait at most 1 s for readers (not the usual 5 s): this runs after a user action.
        database.execute_sql("PRAGMA busy_timeout = 1000")
        try:
            busy, _, _ = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            database.execute_sql("PRAGMA busy_timeout = 5000")
    _scrub["pending"] = int(busy) != 0
    return int(busy) == 0


def vacuum() -> None:
    """Rebuild the SQLite file so no free page keeps old content (no-op on PostgreSQL).

    Run after a retention purge, outside any transaction; it waits for other
    writers like any write. Follow with :func:`checkpoint_after_delete`.
    """
    if not is_sqlite():
        return
    with connection():
        database.execute_sql("VACUUM")
