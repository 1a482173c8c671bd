"""Helpers shared by the sub-command modules (no Textual)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from akut_tui.core.config import Config
from akut_tui.core.filemodes import tighten
from akut_tui.core.incident import error_log_path
from akut_tui.core.key_files import KeyFileError
from akut_tui.core.outfiles import akut_key_files
from akut_tui.core.outfiles import owned_files as files_owned
from akut_tui.services.startup.opening import open_runtime
from db.database import (
    DatabaseMissingError,
    DatabaseUnavailableError,
    DatabaseUrlError,
    sqlite_path,
)
from db.migrate import SchemaTooNewError

if TYPE_CHECKING:
    from akut_tui.services.base.runtime import Runtime

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure reported as one line on stderr with an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def open_rt(args: argparse.Namespace, config: Config, *, create: bool) -> Runtime:
    """Open the runtime; a missing database or key file raises :class:`CliError`."""

    try:
        rt = open_runtime(config, create=create, url=getattr(args, "db", None))
    except OPENING_ERRORS as exc:
        raise opening_failure(exc) from None
    rt.operator = os_user()  # events without a signed-in actor name who ran the command
    return rt


OPENING_ERRORS = (DatabaseUrlError, KeyFileError, SchemaTooNewError)
"""What opening the runtime raises for a missing or unusable database or key file."""


def opening_failure(exc: Exception) -> CliError:
    """The one-line error for a failure of opening the runtime (:data:`OPENING_ERRORS`)."""
    # Only `akut init` creates a database (SQLite); an unreachable server: runtime failures.
    usage = isinstance(exc, DatabaseUrlError) and not isinstance(
        exc, DatabaseMissingError | DatabaseUnavailableError
    )
    return CliError(str(exc), EXIT_USAGE if usage else EXIT_FAILURE)


def os_user() -> str:
    """Return the operating-system user running the command (audited as ``os:<name>``)."""

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (a bare container)
        return f"uid{os.getuid()}"


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    """Print one line on stderr and return ``code``."""
    print(f"akut: {message}", file=sys.stderr)
    return code


def key_files(config: Config) -> list[Path]:
    """Return every key file Akut keeps in ``key_dir`` (crypto keys and the site identity)."""

    return akut_key_files(config.key_directory())


def owned_files(config: Config) -> list[Path]:
    """Return the files Akut owns and no command may write to as output
    (:func:`akut_tui.core.outfiles.owned_files`)."""

    return files_owned(config.locations)


def secure_files(config: Config) -> list[str]:
    """Put the key files, the error log and the WAL files back to 0600; return warnings.

    The database file itself is tightened (silently) each time it is opened.
    """

    paths = [*key_files(config), error_log_path()]
    db_file = sqlite_path(config.database_url())
    if db_file is not None:
        paths += [db_file.with_name(db_file.name + suffix) for suffix in ("-wal", "-shm")]
    return tighten(paths)
