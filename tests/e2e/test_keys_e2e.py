"""The real program in tmux: keys in one write, a dropped link (SIGHUP/SIGTERM), the idle lock.

Issue 7 items 1, 3 and 4. ``tmux send-keys`` with several keys in one call writes
them to the pty together, as a slow SSH link delivers them in one read.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from akut_tui.core.key_files import load_keys
from akut_tui.services.drafts.sealing import open_sealed
from tests.e2e.akut_setup import add_user, prepare_akut, sign_in
from tests.e2e.tmux_terminal import TmuxTerminal, tmux_missing

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)"),
]


def _prepare(tmp_path: Path, idle_minutes: int = 10) -> tuple[list[str], dict[str, str]]:
    akut, env = prepare_akut(tmp_path, f"idle_lock_minutes = {idle_minutes}")
    add_user(akut, env, "bo")
    return akut, env


def _login(term: TmuxTerminal) -> None:
    sign_in(term)


def _burst(term: TmuxTerminal, *keys: str) -> None:
    """Send ``keys`` in ONE tmux call (one write to the terminal)."""
    term._tmux("send-keys", "-t", "main", *keys)


def _query(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "akut.db") as db:
        return list(db.execute(sql))


def test_quick_log_and_backspace_bursts_arrive_in_order(tmp_path: Path) -> None:
    akut, env = _prepare(tmp_path)
    term = TmuxTerminal(akut, env=env)
    try:
        _login(term)
        _burst(term, "F2", "2", "a", "C-s")
        term.wait_for("Gemt: nr. 1 · Telefon · Middel")
        assert _query(tmp_path, "SELECT crisis_level FROM contact") == [("middel",)]
        assert _query(tmp_path, "SELECT list_name, code FROM contact_value") == [
            ("symptom", "angst")
        ]
        _burst(term, "F3", "BSpace", "BSpace", "4", "5", "BSpace", "7")
        screen = term.wait_for("Registrering")
        assert ":47" in term.settle(), screen
    finally:
        term.send("C-q")
        term.close()


@pytest.mark.parametrize(
    "signum", [signal.SIGHUP, signal.SIGTERM, None], ids=["HUP", "TERM", "terminal-closed"]
)
def test_a_note_typed_just_before_the_link_drops_is_kept(
    tmp_path: Path, signum: signal.Signals | None
) -> None:
    akut, env = _prepare(tmp_path)
    term = TmuxTerminal(akut, env=env)
    try:
        _login(term)
        term.send("F3")
        term.wait_for("Registrering")
        term.send("PageUp")  # from page 1 round to the last page (Videre)
        term.wait_for("Side 4/4")
        term.send("BTab")  # Shift+Tab from its first field: the note (last field of page 3)
        term.wait_for("Kort note")
        term.type("natnote")
        term.wait_for("natnote")
        pid = int(term._tmux("display-message", "-p", "-t", "main", "#{pane_pid}").strip())
        if signum is None:
            term.close()  # the terminal goes away (the kernel sends SIGHUP)
        else:
            os.kill(pid, signum)  # well within the 3-second draft delay
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("akut did not end after the signal")
    finally:
        term.close()
    [(data, user_id)] = _query(tmp_path, "SELECT data, user_id FROM contact_draft")
    assert "natnote" not in str(data)  # sealed at rest (issue 14)...
    keys = SimpleNamespace(keys=load_keys(tmp_path))  # key_dir: beside the database
    assert "natnote" in open_sealed(keys, user_id, str(data))  # type: ignore[arg-type]
    # The next login finds it under F5.
    term = TmuxTerminal(akut, env=env)
    try:
        _login(term)
        term.send("F5")
        term.wait_for("Kladder (ufærdige registreringer)")
        assert "Ingen kladder" not in term.settle()
    finally:
        term.send("C-q")
        term.close()


@pytest.mark.slow
def test_idle_lock_comes_one_minute_after_the_last_key(tmp_path: Path) -> None:
    akut, env = _prepare(tmp_path, idle_minutes=1)
    term = TmuxTerminal(akut, env=env)
    try:
        _login(term)
        time.sleep(5)
        pressed = time.monotonic()
        term.send("F4")  # the last key: the lock must come 60 s after it, not later
        term.wait_for("Skærmen er låst", timeout=75)
        waited = time.monotonic() - pressed
        assert 59 <= waited <= 63, waited
    finally:
        term.send("C-q")
        term.close()
