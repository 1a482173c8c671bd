"""A pool of login worker processes driven round by round through files."""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Protocol

from tests.security.login_worker import serve_forked

WORKER = Path(__file__).with_name("login_worker.py")
_FORK = multiprocessing.get_context("fork")


class LoginPool:
    """``size`` processes that each try one login per round, released together.

    ``username`` is one account for all workers, or one per worker. With
    ``fork`` (the default, for tests) the workers are forked from this process;
    otherwise each is a fresh interpreter (the benchmark, as in production).
    """

    def __init__(
        self,
        config_file: Path,
        folder: Path,
        username: str | list[str],
        size: int,
        rounds: int,
        *,
        fork: bool = True,
    ):
        self.folder = folder
        self.size = size
        self.elapsed = 0.0
        """Seconds from the release of the last round until every worker reported."""
        self.peak_rss_mb = 0.0
        """The largest peak resident memory any worker reported."""
        self.rounds = rounds
        folder.mkdir(parents=True, exist_ok=True)
        names = [username] * size if isinstance(username, str) else username
        for n, name in enumerate(names):
            (folder / f"user-{n}").write_text(name, encoding="utf-8")
        self.procs: list[_Proc] = []
        for n in range(size):
            if fork:
                # A forked child is a separate process with its own SQLite connection,
                # as every SSH session is, without paying the interpreter start-up.
                child = _FORK.Process(
                    target=serve_forked, args=(config_file, folder, str(n), rounds), daemon=True
                )
                child.start()
                self.procs.append(_Forked(child))
            else:
                env = {
                    k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))
                }
                env["AKUT_ERROR_LOG"] = str(folder / "errors.log")
                command = [sys.executable, str(WORKER), str(config_file), str(folder), str(n)]
                with open(folder / f"err-{n}", "wb") as err:
                    popen = subprocess.Popen(
                        [*command, str(rounds)], env=env, cwd=folder, stderr=err
                    )
                self.procs.append(_Spawned(popen))
        deadline = time.monotonic() + 60
        while not all((folder / f"ready-{n}").exists() for n in range(size)):
            for n, proc in enumerate(self.procs):
                if proc.poll() is not None:
                    raise AssertionError(_error(folder, n))
            if time.monotonic() > deadline:
                raise AssertionError("workers did not start")
            time.sleep(0.01)

    def run_round(self, number: int, passwords: list[str]) -> list[tuple[str, float]]:
        """Release one round with ``passwords[n]`` for worker n; return (result, seconds)."""
        for n, password in enumerate(passwords):
            (self.folder / f"pw-{number}-{n}").write_text(password, encoding="utf-8")
        started = time.monotonic()
        (self.folder / f"go-{number}").write_text("", encoding="ascii")
        results: list[tuple[str, float]] = []
        deadline = started + 60
        for n in range(self.size):
            out = self.folder / f"out-{n}"
            while True:
                lines = out.read_text(encoding="ascii").splitlines() if out.exists() else []
                mine = [line.split() for line in lines if line.split()[0] == str(number)]
                if mine:
                    results.append((mine[0][1], float(mine[0][2])))
                    self.peak_rss_mb = max(self.peak_rss_mb, float(mine[0][3]))
                    break
                if self.procs[n].poll() is not None:
                    raise AssertionError(_error(self.folder, n))
                if time.monotonic() > deadline:
                    raise AssertionError("round did not finish")
                time.sleep(0.005)
        self.elapsed = time.monotonic() - started
        return results

    def close(self) -> None:
        """Wait briefly for the workers (they exit after their last round), then kill them."""
        deadline = time.monotonic() + 5
        for proc in self.procs:
            proc.finish(max(0.01, deadline - time.monotonic()))


def _error(folder: Path, n: int) -> str:
    path = folder / f"err-{n}"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else "worker died"


class _Proc(Protocol):
    def poll(self) -> int | None: ...
    def finish(self, timeout: float) -> None: ...


class _Spawned:
    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    def poll(self) -> int | None:
        return self.popen.poll()

    def finish(self, timeout: float) -> None:
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


class _Forked:
    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self.process = process

    def poll(self) -> int | None:
        return self.process.exitcode

    def finish(self, timeout: float) -> None:
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
