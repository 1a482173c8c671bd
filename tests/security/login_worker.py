"""Worker for the multi-process lockout and login-storm tests.

Usage: ``python login_worker.py CONFIG FOLDER NAME ROUNDS`` (or forked by
``pool.LoginPool``, which calls :func:`serve_forked`). The process opens
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
import traceback
from pathlib import Path

from akut_tui.core.config import load_config
from akut_tui.core.errors import LoginFailed
from akut_tui.services.accounts import auth
from akut_tui.services.startup.opening import open_runtime


def serve(config_file: Path, folder: Path, name: str, rounds: int) -> None:
    """Open the database, report ready, then try one login per released round."""
    rt = open_runtime(load_config(config_file), create=False)
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


def serve_forked(config_file: Path, folder: Path, name: str, rounds: int) -> None:
    """:func:`serve` in a forked child; a failure is written to ``FOLDER/err-NAME``."""
    try:
        serve(config_file, folder, name, rounds)
    except BaseException:
        (folder / f"err-{name}").write_text(traceback.format_exc(), encoding="utf-8")
        raise


def main() -> None:
    """Command-line entry: ``CONFIG FOLDER NAME ROUNDS``."""
    serve(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))


if __name__ == "__main__":
    main()
