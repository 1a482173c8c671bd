"""Consistent copies of a live SQLite database, and restoring one in place.

Never a file copy: a copied file misses what still sits in the ``-wal`` and
can catch a half-written page (docs/security.md row 9). :func:`vacuum_into`
writes a compact snapshot with ``VACUUM INTO`` under one read transaction,
so writers in other processes carry on and the copy holds every commit up to
its start and nothing after. Free pages are not copied, so deleted text does
not travel into backups. :func:`copy_into` uses SQLite's online backup API
to overwrite a database that other connections may have open.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.write_errors import kind_of


class BackupError(Exception):
    """The copy failed; the message is Danish. Nothing half-written is left behind."""


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    con = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
    con.execute("PRAGMA busy_timeout = 5000")
    return con


def vacuum_into(source: Path, target: Path) -> int:
    """Write a consistent, compact copy of ``source`` to ``target`` (mode 0600).

    The copy is written to a temporary file beside ``target``, synced and then
    renamed, so ``target`` is either the complete copy or untouched. Returns
    the size in bytes. Raises :class:`BackupError` (disk full, no access...).
    """
    if target.exists():
        raise BackupError(f"{target} findes allerede; vælg et nyt filnavn")
    if not target.parent.is_dir():
        raise BackupError(f"mappen {target.parent} findes ikke")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    old_umask = os.umask(0o077)
    try:
        con = _connect(source, readonly=True)
        try:
            con.execute("VACUUM INTO ?", (str(partial),))
        finally:
            con.close()
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(partial, target)
        _sync_dir(target.parent)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"sikkerhedskopien kunne ikke skrives ({_reason(exc)})") from None
    finally:
        os.umask(old_umask)
    return target.stat().st_size


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    kind = kind_of(exc)  # from the error code, not the text (db/write_errors.py)
    if kind == "full":
        return f"disken er fuld: {text}"
    if kind == "io":
        return f"{text}; er disken fuld eller utilgængelig?"
    return text


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def integrity(path: Path) -> str:
    """Return ``"ok"`` or the first problem ``PRAGMA integrity_check`` reports for ``path``."""
    try:
        con = _connect(path, readonly=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return str(exc)
    return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def copy_into(source: Path, target: Path) -> None:
    """Replace the contents of database ``target`` with ``source`` (online backup API).

    ``target`` may be open in other processes; they see the restored data at
    their next transaction. Raises :class:`BackupError` on failure.
    """
    try:
        src = _connect(source, readonly=True)
        try:
            dst = _connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"kunne ikke kopiere databasen ({_reason(exc)})") from None
