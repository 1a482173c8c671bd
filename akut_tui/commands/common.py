"""Helpers shared by the sub-command modules (no Textual)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from akut_tui.config import Config

if TYPE_CHECKING:
    from akut_tui.services.runtime import Runtime

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def open_rt(args: argparse.Namespace, config: Config, *, create: bool) -> Runtime:
    """Open the runtime; a missing database or key file raises ``cli.CliError``."""
    from akut_tui.cli import CliError
    from akut_tui.keys import KeyFileError
    from akut_tui.services.runtime import open_runtime
    from db.database import DatabaseMissingError, DatabaseUnavailableError, DatabaseUrlError
    from db.migrate import SchemaTooNewError

    try:
        return open_runtime(config, create=create, url=getattr(args, "db", None))
    except (DatabaseMissingError, DatabaseUnavailableError) as exc:
        # Only `akut init` creates a database (SQLite); an unreachable server: runtime failures.
        raise CliError(str(exc), EXIT_FAILURE) from None
    except (DatabaseUrlError, KeyFileError, SchemaTooNewError) as exc:
        code = EXIT_USAGE if isinstance(exc, DatabaseUrlError) else EXIT_FAILURE
        raise CliError(str(exc), code) from None


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    """Print one line on stderr and return ``code``."""
    print(f"akut: {message}", file=sys.stderr)
    return code


def secure_files(config: Config) -> list[str]:
    """Put the key files, the error log and the WAL files back to 0600; return warnings.

    The database file itself is tightened (silently) each time it is opened.
    """
    from akut_tui.filemodes import tighten
    from akut_tui.incident import error_log_path
    from akut_tui.keys import KEY_FILES
    from db.database import sqlite_path

    key_dir = config.key_directory()
    paths = [*(key_dir / name for name in KEY_FILES), error_log_path()]
    db_file = sqlite_path(config.database_url())
    if db_file is not None:
        paths += [db_file.with_name(db_file.name + suffix) for suffix in ("-wal", "-shm")]
    return tighten(paths)
