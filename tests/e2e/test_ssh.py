"""Akut behind a real OpenSSH server (docs/security.md row 21, docs/deploy-ssh.md).

One sshd per module, on 127.0.0.1 and a free port, with the deployment's
``ForceCommand`` (a wrapper that starts Akut with a clean environment and an
explicit ``--config``), ``DisableForwarding`` and no user environment. An sftp
subsystem is configured on purpose, to show that ForceCommand overrides it.

A. ``ssh -tt`` in tmux lands in Akut's login screen; a quick log (F2, 2, a,
   Ctrl+S) is saved as one row; Ctrl+Q ends the SSH session with status 0 and
   never leaves a shell prompt. Ctrl+Z/C/\\ and a forwarded ``TEXTUAL_PRESS`` do
   nothing.
B. No shell, no files, no tunnel: a remote command, an sftp upload and a
   ``-L`` port forward all fail, although the key is accepted.
C. A dropped link: the client is killed mid-form; Akut ends on the server, the
   autosaved draft is in the database, and the next login offers it.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.sshd import (
    PASSWORD,
    STAFF_USER,
    SshServer,
    child_pids,
    free_port,
    missing_tools,
)

_MISSING = missing_tools("tmux", "sftp")
pytestmark = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"end-to-end SSH test needs OpenSSH server/client and tmux; missing: {_MISSING}",
)

PROMPT = re.compile(r"^\S*[@:]\S*\s*[$#]\s*$|^\s*[$#]\s*$", re.MULTILINE)
"""A shell prompt on a line of its own (``root@host:~#``, ``$``)."""


def wait_until(
    condition: Callable[[], bool], what: str, limit: float = 20.0, tmux: Tmux | None = None
) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            screen = f"; screen:\n{tmux.screen()}" if tmux is not None else ""
            raise AssertionError(f"timed out waiting for {what}{screen}")
        time.sleep(0.1)


class Tmux:
    """A private tmux server (``-L`` socket, no user config) running one 80x24 pane."""

    def __init__(self, name: str, conf: Path) -> None:
        self.name = name
        self.conf = conf
        # The pane stays after ssh exits, so its last screen and status can be read.
        conf.write_text("set-option -g remain-on-exit on\n", encoding="utf-8")

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.name, "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {done.stderr}")
        return done.stdout

    def start(self, target: str, command: list[str], env: dict[str, str]) -> None:
        flags = [f"-e{key}={value}" for key, value in env.items()]
        # The shell around ssh prints its exit status after it ends (a line, not a prompt).
        line = " ".join(shlex.quote(part) for part in command) + '; echo "ssh-exit=$?"'
        self.run("new-session", "-d", "-x", "80", "-y", "24", "-s", target, *flags, line)
        self.target = target

    def screen(self, history: bool = False) -> str:
        """The visible screen, or with ``history`` also what scrolled off it."""
        extra = ["-S", "-100"] if history else []
        return self.run("capture-pane", "-p", *extra, "-t", self.target)

    def wait_for_exit(self, limit: float = 15.0) -> str:
        """Wait until ssh has ended; return its exit status as the shell printed it."""
        wait_until(self.dead, "ssh to end", limit, self)
        text = self.screen(history=True)
        assert not PROMPT.search(text), f"shell prompt on screen:\n{text}"
        found = re.search(r"ssh-exit=(\d+)", text)
        assert found, text
        return found.group(1)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)
        time.sleep(0.15)

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.target, fmt).strip()

    def dead(self) -> bool:
        return self.pane("#{pane_dead}") == "1"

    def wait_for(self, text: str, limit: float = 20.0) -> str:
        deadline = time.monotonic() + limit
        while True:
            screen = self.screen()
            assert not PROMPT.search(screen), f"shell prompt on screen:\n{screen}"
            if text in screen:
                return screen
            if self.dead() or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen:\n{screen}")
            time.sleep(0.1)

    def kill_server(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True, timeout=10)
        # tmux leaves its socket file behind.
        tmpdir = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (tmpdir / self.name).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    if not Path("/run/sshd").is_dir() and os.geteuid() != 0:
        pytest.skip("sshd needs /run/sshd, which only root can create here")
    srv = SshServer(tmp_path_factory.mktemp("sshd"))
    srv.prepare()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def tmux(server: SshServer) -> Iterator[Tmux]:
    mux = Tmux(f"akut-e2e-{os.getpid()}-{time.monotonic_ns()}", server.root / "tmux.conf")
    try:
        yield mux
    finally:
        mux.kill_server()


def _db_rows(server: SshServer, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(f"file:{server.database}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def _login(tmux: Tmux) -> str:
    tmux.wait_for("Brugernavn")
    tmux.keys(STAFF_USER, literal=True)
    tmux.keys("Tab")
    tmux.keys(PASSWORD, literal=True)
    tmux.keys("Enter")
    return tmux.wait_for("Logget ind som")


def _client_env() -> dict[str, str]:
    # Sent with SendEnv below: neither sshd (no AcceptEnv) nor the wrapper lets it through.
    # If it reached Textual, it would press ctrl+q at start and the login never showed.
    return {"TERM": "xterm-256color", "TEXTUAL_PRESS": "ctrl+q"}


def test_a_ssh_lands_in_akut_and_logs_a_call(server: SshServer, tmux: Tmux) -> None:
    tmux.start("a", server.ssh("-tt", "-o", "SendEnv=TEXTUAL_*"), _client_env())
    _login(tmux)

    # Job control and signal keys are plain keys to the app: no suspend, no exit, no shell.
    for key in ("C-z", "C-c", "C-\\"):
        tmux.keys(key)
    time.sleep(0.5)
    assert not tmux.dead()
    tmux.wait_for("Logget ind som")

    tmux.keys("F2")
    tmux.wait_for("HURTIG REGISTRERING")
    tmux.keys("2")
    tmux.keys("a")
    tmux.keys("C-s")
    tmux.wait_for("Gemt")
    tmux.keys("C-q")
    assert tmux.wait_for_exit() == "0"

    rows = _db_rows(server, "SELECT crisis_level, channel FROM contact")
    assert rows == [("middel", "telefon")]
    wait_until(lambda: not server.akut_pids(), "akut to exit on the server", limit=10)


def test_b_no_shell_no_files_no_tunnel(server: SshServer, tmp_path: Path) -> None:
    # A remote command: ForceCommand runs the wrapper instead, which wants a terminal.
    marker = server.root / "shell-ran"
    done = subprocess.run(
        [*server.ssh(), "sh", "-c", f"'echo SHELL_OK; touch {marker}'"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=20,
    )
    assert b"SHELL_OK" not in done.stdout + done.stderr
    assert done.returncode != 0
    assert "kræver en terminal" in done.stderr.decode(errors="replace"), done.stderr
    assert not marker.exists()
    assert "echo SHELL_OK" in server.commands_log.read_text().splitlines()[-1]

    # sftp: the configured subsystem is overridden too; nothing is written.
    local = tmp_path / "payload.txt"
    local.write_text("må ikke nå serveren\n", encoding="utf-8")
    target = server.root / "upload" / "payload.txt"
    done = subprocess.run(
        server.sftp(),
        input=f"put {local} {target}\n".encode(),
        capture_output=True,
        timeout=20,
    )
    assert done.returncode != 0, done.stdout
    assert not target.exists()
    assert server.commands_log.read_text().splitlines()[-1] == "internal-sftp"

    # A local forward to the sshd itself: if it worked, the SSH banner would come back.
    lport = free_port()
    log = tmp_path / "forward.err"
    with open(log, "wb") as err:
        forward = subprocess.Popen(
            [*server.ssh("-N", "-L", f"{lport}:127.0.0.1:{server.port}")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        banner = b""
        deadline = time.monotonic() + 10
        listening = False
        while time.monotonic() < deadline and not listening:
            assert forward.poll() is None, log.read_text(errors="replace")
            try:
                with socket.create_connection(("127.0.0.1", lport), timeout=2) as sock:
                    listening = True
                    sock.settimeout(3)
                    try:
                        banner = sock.recv(64)
                    except (TimeoutError, ConnectionResetError):
                        banner = b""
            except ConnectionRefusedError:
                time.sleep(0.1)
        assert not banner.startswith(b"SSH-"), banner
        # The key was accepted (the client is still connected); only the channel was refused.
        assert forward.poll() is None, log.read_text(errors="replace")
    finally:
        forward.kill()
        forward.wait(timeout=10)


def test_c_dropped_link_keeps_the_draft(server: SshServer, tmux: Tmux) -> None:
    before = _db_rows(server, "SELECT count(*) FROM contact_draft")[0][0]
    tmux.start("c", server.ssh("-tt"), {"TERM": "xterm-256color"})
    _login(tmux)
    tmux.keys("F2")
    tmux.wait_for("HURTIG REGISTRERING")
    tmux.keys("3")
    wait_until(
        lambda: _db_rows(server, "SELECT count(*) FROM contact_draft")[0][0] > before,
        "the autosaved draft",
        limit=15,
    )
    assert server.akut_pids()

    # The link drops: the client dies without a word.
    [ssh_pid] = child_pids(int(tmux.pane("#{pane_pid}")))
    os.kill(ssh_pid, signal.SIGKILL)
    wait_until(lambda: not server.akut_pids(), "akut to end on the server", limit=15)

    tmux.start("c2", server.ssh("-tt"), {"TERM": "xterm-256color"})
    _login(tmux)
    # The drafts line is filled by a worker just after the home screen shows.
    home = tmux.wait_for("kladde")
    assert "kladde" in home, home
    tmux.keys("C-q")
    assert tmux.wait_for_exit() == "0"
