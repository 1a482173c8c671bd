"""Worker for the multi-process lockout and login-storm tests.

Usage: ``python login_worker.py CONFIG FOLDER NAME ROUNDS``. The process opens
the database once, then for each round r waits until ``FOLDER/go-r`` exists
and tries to log in as the user named in ``FOLDER/user-NAME`` with the password
in ``FOLDER/pw-r-NAME``. It appends ``r ok|fail seconds rss_mb`` to
``FOLDER/out-NAME`` (the time the login took, measured in this process, and
the process's peak resident memory).
Every process is its own SSH session in production.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from akut_tui.config import load_config
from akut_tui.errors import LoginFailed
from akut_tui.services import auth
from akut_tui.services.runtime import open_runtime


def main() -> None:
    config = load_config(Path(sys.argv[1]))
    folder, name, rounds = Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    rt = open_runtime(config, create=False)
    (folder / f"ready-{name}").write_text("", encoding="ascii")
    username = (folder / f"user-{name}").read_text(encoding="utf-8")
    for number in range(rounds):
        go = folder / f"go-{number}"
        while not go.exists():
            time.sleep(0.001)
        password = (folder / f"pw-{number}-{name}").read_text(encoding="utf-8")
        started = time.monotonic()
        try:
            auth.login(rt, username, password)
            result = "ok"
        except LoginFailed:
            result = "fail"
        took = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with open(folder / f"out-{name}", "a", encoding="ascii") as out:
            out.write(f"{number} {result} {took:.4f} {peak_mb:.1f}\n")


if __name__ == "__main__":
    main()
