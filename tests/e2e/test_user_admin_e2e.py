"""The real program in tmux: a leader creates a user, who logs in with the one-time password.

Issue 18 §1: the one-time password is shown once in a dialog, the leader
confirms with their own password, and the new user must choose a password of
their own before anything else.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.akut_setup import PASSWORD, add_user, prepare_akut
from tests.e2e.tmux_terminal import TmuxTerminal, tmux_missing

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)"),
]

ONE_TIME = re.compile(r"\b[a-z2-9]{4}(?:-[a-z2-9]{4}){3,}\b")
OWN_PASSWORD = "min egen lange sætning om kaffe"


def wait(term: TmuxTerminal, text: str) -> str:
    """Wait for ``text`` with room for a loaded machine (it failed once at 15 s under -n 2)."""
    return term.wait_for(text, timeout=40.0)


def _login(term: TmuxTerminal, name: str, password: str) -> None:
    wait(term, "Adgangskode")
    term.type(name)
    term.send("Tab")
    term.type(password)
    term.send("Enter")


def test_leader_creates_a_user_whose_first_login_forces_a_new_password(tmp_path: Path) -> None:
    akut, env = prepare_akut(tmp_path)
    add_user(akut, env, "lise", "leder", "Lise Leder")
    term = TmuxTerminal(akut, env=env)
    try:
        _login(term, "lise", PASSWORD)
        wait(term, "Logget ind som lise")
        term.send("b")
        wait(term, "1 bruger.")
        term.send("n")
        wait(term, "Ny bruger")
        term.type("mette.k")
        term.send("Tab")
        term.type("Mette Kristensen")
        term.send("Tab")
        term.send("k")  # the role: koordinator
        term.send("C-s")
        wait(term, "Opret mette.k som koordinator.")
        term.type("forkert adgangskode")
        term.send("Enter")
        wait(term, "Forkert adgangskode")
        term.type(PASSWORD)
        term.send("Enter")
        shown = wait(term, "Engangskode til mette.k")
        match = ONE_TIME.search(shown)
        assert match is not None, shown
        one_time = match.group(0)
        term.send("Enter")
        wait(term, "Engangskode givet til mette.k.")
        assert one_time not in term.screen()  # shown once: gone with the dialog
        term.send("F12")
        _login(term, "mette.k", one_time)
        wait(term, "Vælg en ny adgangskode")
        term.type(one_time)
        term.send("Tab")
        term.type(OWN_PASSWORD)
        term.send("Tab")
        term.type(OWN_PASSWORD)
        term.send("Enter")
        wait(term, "Logget ind som mette.k")
        term.send("C-q")
    finally:
        term.close()
    with sqlite3.connect(tmp_path / "akut.db") as db:
        row = db.execute(
            "SELECT role, must_change_password FROM user WHERE username = 'mette.k'"
        ).fetchone()
        actions = [a for (a,) in db.execute("SELECT action FROM audit_event ORDER BY seq")]
    assert row == ("koordinator", 0)
    assert "reauth.failed" in actions
    at = len(actions) - 1 - actions[::-1].index("user.create")  # lise came first, by the CLI
    assert actions[at - 1] == "reauth.ok"
    assert actions.index("user.password_self") > at
