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
TRACE_HEAD = 60
TRACE_TAIL = 140
"""A trace longer than both is cut in the middle: a deep recursion wrote some 2,300 lines
per incident, and the frames that matter are where it entered and where it failed."""


def error_log_path() -> Path:
    """Return the error log path (``$AKUT_ERROR_LOG`` or the user's data folder)."""
    override = os.environ.get("AKUT_ERROR_LOG")
    return Path(override) if override else default_data_dir() / LOG_NAME


def report_incident(exc: BaseException, config_dir: Path | None = None) -> str:
    """Write a redacted trace for ``exc`` to the error log and return its incident id."""
    incident = secrets.token_hex(4)
    text = redact_cpr(_bounded("".join(traceback.format_exception(exc))))
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


def _bounded(trace: str) -> str:
    """``trace`` with its middle left out when it has more than TRACE_HEAD + TRACE_TAIL
    lines, and a line saying how many."""
    lines = trace.splitlines(keepends=True)
    if len(lines) <= TRACE_HEAD + TRACE_TAIL:
        return trace
    cut = len(lines) - TRACE_HEAD - TRACE_TAIL
    middle = f"  ... {cut} lines of the trace left out ...\n"
    return "".join([*lines[:TRACE_HEAD], middle, *lines[-TRACE_TAIL:]])
