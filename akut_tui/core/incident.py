"""Last-resort error handling: a short incident id on screen, the trace in a log.

The trace is written to the server-side error log with CPR-like numbers
redacted and without local variables, so a crash never shows personal data
on a laptop screen.
"""

from __future__ import annotations

import os
import secrets
import traceback
from datetime import UTC, datetime
from pathlib import Path

from akut_tui.core.config import default_data_dir
from akut_tui.core.cpr import redact_cpr
from akut_tui.core.filemodes import make_private_dir

LOG_NAME = "akut-errors.log"


def error_log_path() -> Path:
    """Return the error log path (``$AKUT_ERROR_LOG`` or the user's data folder)."""
    override = os.environ.get("AKUT_ERROR_LOG")
    return Path(override) if override else default_data_dir() / LOG_NAME


def report_incident(exc: BaseException, config_dir: Path | None = None) -> str:
    """Write a redacted trace for ``exc`` to the error log and return its incident id."""
    incident = secrets.token_hex(4)
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    text = redact_cpr("".join(lines))
    path = error_log_path()
    try:
        make_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            handle.write(f"--- incident {incident} at {stamp}\n{text}\n")
    except OSError:
        pass  # nowhere to write; the id on screen is still given
    return incident
