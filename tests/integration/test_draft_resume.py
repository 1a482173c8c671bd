"""A draft survives kill -9 of its writer (docs/domain.md §7, docs/security.md row 5).

1. Service level: a child process saves a draft, says SAVED, and is SIGKILLed;
   the same user then finds, resumes and completes it.
2. The real TUI in tmux: log in, open the full form (F3), type a note, wait for
   the autosave, kill the terminal's process, and find the draft in the DB.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.services.accounts import auth
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.contacts import records as contacts
from akut_tui.services.contacts.form import ContactInput
from akut_tui.services.drafts import forms as drafts
from db.database import connection, sqlite_path
from db.models import Contact, ContactDraft, ContactValue
from tests.cli_helpers import write_config
from tests.conftest import PASSWORD, FakeClock

CHILD = textwrap.dedent(
    """
    import sys, time
    from akut_tui.core.config import config_from_dict
    import akut_tui.services.accounts.auth as auth
    import akut_tui.services.drafts.forms as drafts
    from akut_tui.services.contacts.form import ContactInput
    from akut_tui.services.startup.opening import open_runtime

    url, username, password = sys.argv[1], sys.argv[2], sys.stdin.readline().rstrip("\\n")
    config = config_from_dict(
        {
            "database": {"url": url},
            "security": {
                "argon2_time_cost": 1,
                "argon2_memory_kib": 1024,
                "argon2_parallelism": 1,
            },
        }
    )
    rt = open_runtime(config)
    session = auth.login(rt, username, password)
    form = ContactInput(note="halvt skrevet", crisis_level="middel", symptoms=["angst"])
    draft_id = drafts.save_draft(rt, session, form)
    print("SAVED", draft_id, flush=True)
    time.sleep(600)
    """
)


def _child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))}
    env["AKUT_ERROR_LOG"] = str(tmp_path / "errors.log")
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    return env


def _wait(condition: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _integrity_ok(config: Config) -> None:
    path = sqlite_path(config.database_url())
    assert path is not None
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()


def test_draft_survives_sigkill_and_is_completed(
    rt: Runtime, config: Config, tmp_path: Path
) -> None:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    out_path = tmp_path / "child.out"
    with open(out_path, "wb") as out, open(tmp_path / "child.err", "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, config.database_url(), "mette"],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            env=_child_env(tmp_path),
            cwd=tmp_path,
        )
    try:
        assert proc.stdin is not None
        proc.stdin.write(PASSWORD.encode() + b"\n")
        proc.stdin.close()

        def saved() -> bool:
            if proc.poll() is not None:
                stderr = (tmp_path / "child.err").read_text(errors="replace")
                raise AssertionError(f"child exited with {proc.returncode}: {stderr}")
            return out_path.read_bytes().startswith(b"SAVED ")

        _wait(saved, "SAVED from the child")
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    draft_id = int(out_path.read_text().split()[1])
    _integrity_ok(config)

    # The same user, in a new session after the crash.
    session = auth.login(rt, "mette", PASSWORD)
    [info] = drafts.list_drafts(rt, session)
    assert info.id == draft_id and info.contact_id is None
    assert "Middelsvær" in info.summary and "halvt" not in info.summary
    form, contact_id = drafts.load_draft(rt, session, draft_id)
    assert contact_id is None
    assert form == ContactInput(note="halvt skrevet", crisis_level="middel", symptoms=["angst"])

    saved_contact = contacts.save_contact(rt, session, form, draft_id=draft_id)
    assert drafts.list_drafts(rt, session) == []
    with connection():
        assert ContactDraft.select().count() == 0
        contact = Contact.get_by_id(saved_contact.id)
        codes = [v.code for v in ContactValue.select().where(ContactValue.contact == contact.id)]
    assert (contact.note, contact.crisis_level, codes) == ("halvt skrevet", "middel", ["angst"])
    assert contact.created_by_id == session.user_id
    report = audit.verify_chain(rt.keys.audit)
    assert report.ok, report.problem


# --- the real TUI in a pseudo-terminal ------------------------------------------------


class Tmux:
    """A private tmux server (own socket) running one 80x24 session."""

    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {done.stderr}")
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "akut")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "akut", *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, limit: float = 20.0) -> str:
        deadline = time.monotonic() + limit
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen:\n{screen}")
            time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tui_draft_survives_kill(
    rt: Runtime, config: Config, clock: FakeClock, tmp_path: Path
) -> None:
    accounts.create_user(rt, "mette", PASSWORD, "medarbejder", actor=None)
    db_file = sqlite_path(config.database_url())
    cfg = tmp_path / "config.toml"
    write_config(cfg, db_file)
    env = _child_env(tmp_path)
    env["TERM"] = "xterm-256color"
    socket = Path("/tmp") / f"akut-tmux-{os.getpid()}-{time.monotonic_ns()}.sock"
    tmux = Tmux(socket)
    command = " ".join(
        [
            "exec",
            "env",
            *(shlex.quote(f"{k}={v}") for k, v in env.items() if k.isidentifier()),
            shlex.quote(sys.executable),
            "-m",
            "akut_tui",
            "--config",
            shlex.quote(str(cfg)),
            "run",
        ]
    )
    tmux.run("new-session", "-d", "-x", "80", "-y", "24", "-s", "akut", command)
    try:
        pane_pid = int(tmux.run("display-message", "-p", "-t", "akut", "#{pane_pid}").strip())
        tmux.wait_for("Socialt Akuttilbud")
        tmux.keys("mette", literal=True)
        tmux.keys("Enter")
        tmux.keys(PASSWORD, literal=True)
        tmux.keys("Enter")
        tmux.wait_for("Ny registrering")
        tmux.keys("F3")
        tmux.wait_for("Tidspunkt")
        tmux.keys("PageDown")
        tmux.keys("PageDown")
        tmux.wait_for("Kort note")
        # Focus starts on the page's first field (Tiltag); the note is the 12th since
        # the old "Henvist til" left the page (issue 19 §2; the line check below says so).
        for _ in range(11):
            tmux.keys("Tab")
        tmux.keys("halvt skrevet i tui", literal=True)
        screen = tmux.wait_for("halvt skrevet i tui")
        assert any(
            line.strip().startswith("Kort note") and "halvt skrevet i tui" in line
            for line in screen.splitlines()
        ), screen

        def draft_written() -> bool:
            with connection():
                return ContactDraft.select().exists()

        _wait(draft_written, "the autosaved draft", limit=15)
        os.kill(pane_pid, signal.SIGKILL)
    finally:
        subprocess.run(["tmux", "-S", str(socket), "kill-server"], capture_output=True)
        socket.unlink(missing_ok=True)
    _integrity_ok(config)

    # The TUI ran on the real clock; resume on it too (the form's time is "now").
    clock.current = datetime.now(UTC)
    session = auth.login(rt, "mette", PASSWORD)
    [info] = drafts.list_drafts(rt, session)
    form, _ = drafts.load_draft(rt, session, info.id)
    assert form.note == "halvt skrevet i tui"
    saved = contacts.save_contact(rt, session, form, draft_id=info.id)
    assert drafts.list_drafts(rt, session) == []
    with connection():
        assert Contact.get_by_id(saved.id).note == "halvt skrevet i tui"
