"""The real program in tmux writes nothing while the user is idle (no ticking clock).

The brief: "no animation, no ticking clock ... Idle output must be zero." The quick
log used to repaint its call timer once a minute (170 B a minute over the link); this
test leaves the real program idle for over a minute with the quick log open and counts
the bytes it writes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.akut_setup import add_user, prepare_akut, sign_in
from tests.e2e.tmux_terminal import TmuxTerminal, tmux_missing

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)"),
]

IDLE_SECONDS = 65
"""Longer than a minute: a per-minute timer fires at least once in the window."""


def test_an_open_quick_log_writes_nothing_for_a_minute(tmp_path: Path) -> None:
    akut, env = prepare_akut(tmp_path)
    add_user(akut, env, "bo")
    term = TmuxTerminal(akut, env=env)
    output = tmp_path / "idle-output.bin"
    try:
        sign_in(term)
        term.send("F2")
        screen = term.wait_for("HURTIG REGISTRERING")
        assert "Varighed" in screen
        term.settle(quiet=2.0, timeout=15.0)
        output.touch()
        term.record_output(output)
        time.sleep(IDLE_SECONDS)
        term.record_output(None)
        written = output.read_bytes()
        assert written == b"", f"{len(written)} B written while idle: {written[:200]!r}"
        # The quick log still works after the idle minute: the level key repaints.
        term.send("2")
        term.wait_for("→ MIDDELSVÆR")
    finally:
        term.send("C-q")
        term.close()
