"""``akut restore PATH``: put a backup back, after checking it.

The copy must pass ``PRAGMA integrity_check`` and its audit chain must verify
with this installation's audit key; otherwise nothing is changed. Before
overwriting, the live database is saved beside itself
(``akut.db.before-restore-<time>``). The restore uses SQLite's online backup
API, so sessions that have the database open see the restored data at their
next action instead of a file swapped under them.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from akut_tui.commands.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, fail
from akut_tui.config import Config


def add_parser(subparsers: Any) -> None:
    """Declare ``restore``."""
    cmd = subparsers.add_parser("restore", help="gendan en sikkerhedskopi (kontrolleres først)")
    cmd.add_argument("path", metavar="FIL", help="kopien, lavet med 'akut backup'")


def check_copy(copy: Path, work_dir: Path, audit_key: bytes) -> str:
    """Return ``""`` if ``copy`` is sound (integrity, schema, audit chain), else the problem."""
    from akut_tui.services.audit import verify_chain
    from db.backup import BackupError, copy_into, integrity
    from db.database import connection, database, open_database
    from db.migrate import schema_version
    from db.migrations import LATEST

    problem = integrity(copy)
    if problem != "ok":
        return f"kopien er beskadiget (integrity_check: {problem})"
    scratch = work_dir / f".restore-check-{os.getpid()}.db"
    try:
        copy_into(copy, scratch)  # checked on a scratch copy: the backup stays untouched
        open_database(f"sqlite:///{scratch}", create=False)
        with connection():
            version = schema_version()
        if version is None or version > LATEST:
            return f"kopien har en ukendt skemaversion ({version})"
        report = verify_chain(audit_key)
        if not report.ok:
            return (
                f"revisionssporet i kopien er brudt ved seq={report.first_bad_seq}: "
                f"{report.problem} (eller nøglen passer ikke til kopien)"
            )
        return ""
    except BackupError as exc:
        return str(exc)
    finally:
        if not database.is_closed():
            database.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)


def run(args: argparse.Namespace, config: Config) -> int:
    """Check the copy, save the live database, then restore."""
    from akut_tui.keys import KeyFileError, load_keys
    from db.backup import BackupError, copy_into, integrity, vacuum_into
    from db.database import sqlite_path

    live = sqlite_path(config.database_url())
    if live is None:
        return fail("restore understøtter kun SQLite; brug pg_restore til PostgreSQL", EXIT_USAGE)
    copy = Path(args.path).absolute()
    if not copy.is_file():
        return fail(f"kopien {copy} findes ikke", EXIT_USAGE)
    try:
        keys = load_keys(config.key_directory())
    except KeyFileError as exc:
        return fail(str(exc))
    live.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    problem = check_copy(copy, live.parent, keys.audit)
    if problem:
        return fail(f"gendannelse afvist: {problem}. Databasen er ikke ændret.")
    try:
        if live.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            saved = live.with_name(f"{live.name}.before-restore-{stamp}")
            vacuum_into(live, saved)
            print(f"Den hidtidige database er gemt som {saved}.")
        old_umask = os.umask(0o077)
        try:
            copy_into(copy, live)
        finally:
            os.umask(old_umask)
        live.chmod(0o600)
    except BackupError as exc:
        return fail(f"gendannelse fejlede: {exc}")
    if integrity(live) != "ok":
        return fail("den gendannede database består ikke integrity_check", EXIT_FAILURE)
    print(f"Gendannet fra {copy}. Kør 'akut audit verify' og 'akut init' (skemaopgradering).")
    return EXIT_OK
