"""One way to set Akut up for an end-to-end test: config, ``akut init``, users.

Every tmux test starts the real program on a fresh SQLite file under
``tmp_path`` with cheap argon2 parameters, through the same CLI an operator
uses, so the start-up path itself is covered.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Protocol

PASSWORD = "korrekt hest batteri klips"
"""The password of every user these helpers create."""


def prepare_akut(tmp_path: Path, extra_security: str = "") -> tuple[list[str], dict[str, str]]:
    """Write a config, run ``akut init``; return the command and the extra environment.

    ``extra_security`` is appended to the ``[security]`` section (for example
    ``idle_lock_minutes = 1``). The environment holds only ``XDG_DATA_HOME``.
    """
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path / "akut.db"}"\n'
        "[security]\nargon2_time_cost = 1\nargon2_memory_kib = 1024\nargon2_parallelism = 1\n"
        + (extra_security + "\n" if extra_security else ""),
        encoding="utf-8",
    )
    akut = [sys.executable, "-m", "akut_tui", "--config", str(config)]
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    subprocess.run([*akut, "init"], check=True, capture_output=True, env={**os.environ, **env})
    return akut, env


def add_user(
    akut: list[str], env: dict[str, str], name: str, role: str = "medarbejder", display: str = ""
) -> None:
    """Create a user with :data:`PASSWORD` through ``akut user add``."""
    subprocess.run(
        [*akut, "user", "add", name, "--role", role, "--name", display, "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env={**os.environ, **env},
        capture_output=True,
    )


class Keyboard(Protocol):
    """What signing in needs of a terminal (``tests.e2e.tmux_terminal.TmuxTerminal``)."""

    def wait_for(self, text: str, timeout: float = ...) -> str: ...
    def type(self, text: str) -> None: ...
    def send(self, *keys: str, pause: float = ...) -> None: ...


def sign_in(term: Keyboard, name: str = "bo", password: str = PASSWORD) -> None:
    """Sign ``name`` in on the login screen and wait until the home screen says so."""
    term.wait_for("Adgangskode")
    term.type(name)
    term.send("Tab")
    term.type(password)
    term.send("Enter")
    term.wait_for(f"Logget ind som {name}")
