"""``akut backup PATH [--with-keys]``: a consistent copy of the live database.

Made with ``VACUUM INTO`` while other sessions keep writing (never a file
copy). The key files are left out unless ``--with-keys`` is given: with the
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

from akut_tui.commands.common import EXIT_OK, EXIT_USAGE, fail, open_rt
from akut_tui.config import Config
from akut_tui.errors import os_error_text


def add_parser(subparsers: Any) -> None:
    """Declare ``backup``."""
    cmd = subparsers.add_parser("backup", help="tag en konsistent sikkerhedskopi af databasen")
    cmd.add_argument("path", metavar="FIL", help="ny fil til kopien (må ikke findes)")
    cmd.add_argument(
        "--with-keys",
        action="store_true",
        help="kopier også nøglefilerne (til FIL.audit.key og FIL.pseudonym.key)",
    )


def copy_keys(key_dir: Path, target: Path) -> list[Path]:
    """Copy the two key files beside ``target`` with mode 0600; return the new paths."""
    from akut_tui.keys import AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE

    written = []
    for name in (AUDIT_KEY_FILE, PSEUDONYM_KEY_FILE):
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
    from db.backup import BackupError, vacuum_into
    from db.database import sqlite_path

    source = sqlite_path(config.database_url())
    if source is None:
        return fail("backup understøtter kun SQLite; brug pg_dump til PostgreSQL", EXIT_USAGE)
    open_rt(args, config, create=False)  # refuses a missing database or key files
    target = Path(args.path).absolute()
    started = time.monotonic()
    try:
        size = vacuum_into(source, target)
        keys = copy_keys(config.key_directory(), target) if args.with_keys else []
    except BackupError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"sikkerhedskopien kunne ikke skrives ({os_error_text(exc)})")
    took = time.monotonic() - started
    print(f"Sikkerhedskopi skrevet: {target} ({size / 1_000_000:.1f} MB på {took:.1f} s).")
    for key in keys:
        print(f"Nøglefil kopieret: {key} (opbevar den adskilt fra kopien)")
    return EXIT_OK
