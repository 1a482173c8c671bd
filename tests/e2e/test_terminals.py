"""The real program in terminals people have: 16 colours, NO_COLOR, hostile TEXTUAL_* env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from akut_tui.tui.run import scrub_environment
from tests.e2e.akut_setup import PASSWORD, add_user, prepare_akut, sign_in
from tests.e2e.tmux_terminal import TmuxTerminal, tmux_missing


def _prepare(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    akut, env = prepare_akut(tmp_path)
    add_user(akut, env, "bo")
    return akut, env


@pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)")
@pytest.mark.parametrize(
    "extra_env",
    [{"TERM": "xterm", "NO_COLOR": "1"}, {"TERM": "xterm"}, {"TERM": "screen"}],
    ids=["no-color", "16-colours", "screen"],
)
def test_quick_log_works_without_colour(tmp_path: Path, extra_env: dict[str, str]) -> None:
    akut, env = _prepare(tmp_path)
    term = TmuxTerminal(akut, env={**env, **extra_env})
    try:
        sign_in(term)
        term.send("F2")
        screen = term.wait_for("HURTIG REGISTRERING")
        assert "IKKE VURDERET" in screen  # levels are words, not only colours
        term.send("3")
        assert "ALVORLIG" in term.settle()
        term.send("a", "C-s")
        term.wait_for("Gemt: nr. 1 · Telefon · Alvorlig")
    finally:
        term.send("C-q")
        term.close()


@pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)")
def test_textual_variables_are_not_honoured(tmp_path: Path) -> None:
    """TEXTUAL_SCREENSHOT would write the screen (personal data) to a file."""
    akut, env = _prepare(tmp_path)
    shots = tmp_path / "shots"
    shots.mkdir()
    hostile = {
        "TEXTUAL_SCREENSHOT": "0.5",
        "TEXTUAL_SCREENSHOT_LOCATION": str(shots),
        "TEXTUAL_PRESS": "ctrl+q",
        "TEXTUAL_LOG": str(tmp_path / "textual.log"),
    }
    term = TmuxTerminal(akut, env={**env, **hostile}, cwd=shots)
    try:
        term.wait_for("Adgangskode")
        term.settle(quiet=1.0)
        assert "Adgangskode" in term.screen()  # TEXTUAL_PRESS did not quit the app
    finally:
        term.send("C-q")
        term.close()
    assert list(shots.iterdir()) == []
    assert not (tmp_path / "textual.log").exists()


def test_scrub_environment_removes_every_textual_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEXTUAL_PRESS", "ctrl+q")
    monkeypatch.setenv("TEXTUAL_SCREENSHOT", "1")
    monkeypatch.setenv("TEXTUAL_DEVTOOLS_PORT", "8081")
    scrub_environment()
    textual = {k: v for k, v in os.environ.items() if k.startswith("TEXTUAL_")}
    assert textual == {"TEXTUAL_ANIMATIONS": "none"}


@pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)")
def test_two_night_staff_work_at_once_in_separate_terminals(tmp_path: Path) -> None:
    import sqlite3

    akut, env = _prepare(tmp_path)
    add_user(akut, env, "eva")
    terms = [TmuxTerminal(akut, env=env), TmuxTerminal(akut, env=env)]
    try:
        for term, name in zip(terms, ("bo", "eva"), strict=True):
            term.wait_for("Adgangskode")
            term.type(name)
            term.send("Tab")
            term.type(PASSWORD)
            term.send("Enter")
        for term, name in zip(terms, ("bo", "eva"), strict=True):
            term.wait_for(f"Logget ind som {name}")
            term.send("F2")
            term.wait_for("HURTIG REGISTRERING")
        for term, level in zip(terms, ("1", "2"), strict=True):
            term.send(level, "b", "C-s")
        for term in terms:
            term.wait_for("Gemt: nr.")
    finally:
        for term in terms:
            term.send("C-q")
            term.close()
    with sqlite3.connect(tmp_path / "akut.db") as con:
        rows = con.execute(
            "SELECT u.username, c.crisis_level FROM contact c JOIN user u "
            "ON u.id = c.created_by_id ORDER BY u.username"
        ).fetchall()
    assert rows == [("bo", "let"), ("eva", "middel")]
