"""docs/security.md row 16: an unexpected exception shows only an incident id.

The real app runs in a pseudo-terminal (80x24). A timer raises with a CPR (in
several spellings) and a note in scope. Everything the process wrote to the
terminal is read back: an incident id, no trace, no CPR, no note. The error
log holds the trace with every CPR spelling redacted.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.core.cpr import contains_cpr
from akut_tui.services.base.runtime import Runtime
from db.database import sqlite_path

APP = Path(__file__).with_name("crash_app.py")
NOTE = "Borgeren fortalte om sin søster i Aarhus"
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(\x07|\x1b\\)|\x1b.")


def _run_in_pty(args: list[str], env: dict[str, str], timeout: float = 30) -> str:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=10)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.e2e
def test_crash_shows_only_an_incident_id(rt: Runtime, config: Config, tmp_path: Path) -> None:
    db_file = sqlite_path(config.database_url())
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{db_file}"\n', encoding="utf-8")
    log = tmp_path / "crash-errors.log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "AKUT_ERROR_LOG": str(log),
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
    }
    output = _run_in_pty([sys.executable, str(APP), str(cfg)], env)
    text = ANSI.sub("", output)
    match = re.search(r"hændelse ([0-9a-f]{8})", text)
    assert match, text[-500:]
    assert "Traceback" not in text and "RuntimeError" not in text
    assert not contains_cpr(text)
    assert "1235" not in text and NOTE not in text and "Aarhus" not in text

    trace = log.read_text(encoding="utf-8")
    assert f"incident {match.group(1)}" in trace
    assert "RuntimeError" in trace and "kunne ikke gemme" in trace
    assert not contains_cpr(trace)
    assert trace.count("XXXXXX-XXXX") >= 5  # every spelling redacted, none left
