"""``akut backup PATH [--with-keys]``: a consistent, signed copy of the live database.

Made with ``VACUUM INTO`` while other sessions keep writing (never a file
copy), then signed: ``PATH.sig`` holds an HMAC-SHA256 over the whole file,
keyed with ``backup.key`` in ``key_dir`` (created here if an older
installation has none), and ``akut restore`` refuses a copy whose signature
does not match. The key files are left out unless ``--with-keys`` is given: with the
audit key, whoever holds the copy could re-sign its audit chain, so the keys
belong in a separate, better-guarded backup (see README, "Backup").
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path
from typing import Any

from akut_tui.cli.commands.common import EXIT_OK, EXIT_USAGE, fail, open_rt
from akut_tui.core import backup_signature
from akut_tui.core.config import Config
from akut_tui.core.errors import os_error_text
from akut_tui.core.key_files import AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE, KeyFileError
from akut_tui.core.site_keys import SITE_ID_FILE, ensure_backup_key
from db.backup import BackupError, vacuum_into
from db.database import sqlite_path


def add_parser(subparsers: Any) -> None:
    """Declare ``backup``."""
    cmd = subparsers.add_parser("backup", help="tag en konsistent sikkerhedskopi af databasen")
    cmd.add_argument("path", metavar="FIL", help="ny fil til kopien (må ikke findes)")
    cmd.add_argument(
        "--with-keys",
        action="store_true",
        help="kopier også nøglefilerne (til FIL.audit.key, FIL.pseudonym.key og FIL.site.id)",
    )


def copy_keys(key_dir: Path, target: Path) -> list[Path]:
    """Copy the two key files and ``site.id`` beside ``target`` (mode 0600); return the paths.

    ``backup.key`` is never copied: with it, whoever holds the copy could sign a
    forged backup. A copy restored on a new machine from these files alone
    needs ``akut restore --unsigned``.
    """

    written = []
    names = [AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE]
    if (key_dir / SITE_ID_FILE).exists():
        names.append(SITE_ID_FILE)
    for name in names:
        dest = target.with_name(f"{target.name}.{name}")
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, open(key_dir / name, "rb") as src:
            shutil.copyfileobj(src, out)  # a key file, never a database
            out.flush()
            os.fsync(out.fileno())
        written.append(dest)
    return written


def run(args: argparse.Namespace, config: Config) -> int:
    """Write the copy; exit 1 with one Danish line if it cannot be written."""

    source = sqlite_path(config.database_url())
    if source is None:
        return fail("backup understøtter kun SQLite; brug pg_dump til PostgreSQL", EXIT_USAGE)
    open_rt(args, config, create=False)  # refuses a missing database or key files
    target = Path(args.path).absolute()
    started = time.monotonic()
    try:
        signing_key = ensure_backup_key(config.key_directory())
    except (KeyFileError, OSError) as exc:
        return fail(f"sikkerhedskopien kan ikke signeres: {exc}")
    try:
        size = vacuum_into(source, target)
    except (BackupError, OSError) as exc:
        return fail(str(exc))
    try:
        signature = backup_signature.sign(signing_key, target)
        keys = copy_keys(config.key_directory(), target) if args.with_keys else []
    except OSError as exc:
        target.unlink(missing_ok=True)  # an unsigned copy could not be restored anyway
        return fail(f"sikkerhedskopien kunne ikke signeres ({os_error_text(exc)})")
    took = time.monotonic() - started
    print(f"Sikkerhedskopi skrevet: {target} ({size / 1_000_000:.1f} MB på {took:.1f} s).")
    print(f"Signatur skrevet: {signature}")
    for key in keys:
        print(f"Nøglefil kopieret: {key} (opbevar den adskilt fra kopien)")
    return EXIT_OK
