"""Two real terminals on one database: the night pair's work, keyboard only (issue 9).

Mette checks a guest in; Jonas's open board shows it without a key press and he
records tonight's decision, which Mette's board then shows; Mette logs an
outreach trip, which Jonas's home line shows; Mette writes the handover, which
Jonas, her colleague on the same shift, may not sign. Everything lands in the
audit log, and the chain verifies.

The handover test runs the shift change for real: a same-shift colleague is
refused signing, the incoming shift signs in the handover window, and an item
added after the signature asks for a new one.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.akut_setup import PASSWORD, add_user, prepare_akut
from tests.e2e.tmux_terminal import TmuxTerminal, tmux_missing

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)"),
]


def _midday_zone(now: datetime) -> tuple[str, datetime]:
    """A fixed-offset time zone in which ``now`` (UTC) is between 12:00 and 13:00."""
    offset = 12 - now.hour  # -11 .. +12 hours, all valid Etc/GMT zones
    name = "Etc/GMT" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
    return name, now + timedelta(hours=offset)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[TmuxTerminal, TmuxTerminal, list[str], Path]]:
    """Akut for Mette and for Jonas, on one fresh database, in two tmux terminals."""
    db = tmp_path / "akut.db"
    akut, env = prepare_akut(tmp_path)
    # The site's clock reads midday, whenever the suite runs: far from every
    # shift change, so the running handover is the pair's to write (from 30
    # minutes before a shift ends it is read-only for a fresh login).
    zone, _ = _midday_zone(datetime.now(UTC))
    with (tmp_path / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'[site]\ntimezone = "{zone}"\n')
    for name, display in (("mette", "Mette"), ("jonas", "Jonas")):
        add_user(akut, env, name, display=display)
    term_env = {"TERM": "xterm-256color", "XDG_DATA_HOME": env["XDG_DATA_HOME"]}
    mette = TmuxTerminal(akut, env=term_env)
    jonas = TmuxTerminal(akut, env=term_env)
    try:
        yield mette, jonas, akut, db
    finally:
        mette.close()
        jonas.close()


def _login(t: TmuxTerminal, name: str) -> None:
    t.wait_for("Adgangskode")
    t.type(name)
    t.send("Tab")
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_for("Logget ind som")


def test_night_pair_in_two_terminals(
    pair: tuple[TmuxTerminal, TmuxTerminal, list[str], Path],
) -> None:
    mette, jonas, akut, db = pair
    _login(mette, "mette")
    _login(jonas, "jonas")
    jonas.wait_for("På stedet: Jonas, Mette")

    # Mette checks a guest in; Jonas's open board shows it without a key press.
    jonas.send("s")
    jonas.wait_for("Ledige i nat: 2")
    mette.send("s")
    mette.wait_for("Ledige i nat: 2")
    mette.send("t")
    mette.wait_for("Tjek ind i Seng 1")
    mette.type("010180-1235")
    mette.send("Tab")
    mette.type("Bo")
    mette.send("Tab", "n", "Tab", "n", "Tab", "n", "C-s")
    mette.wait_for("Bo er tjekket ind i Seng 1.")
    jonas.wait_for("Optaget 1/3 · MANGLER", timeout=5)

    # Jonas records tonight's decision; Mette's board follows.
    jonas.send("d")
    jonas.wait_for("Beslutning for i nat: Bo")
    jonas.send("C-s")  # Forlæng is the first choice
    jonas.wait_for("Forlæng er registreret")
    mette.wait_for("Optaget 1/3 · Forlæng", timeout=5)

    # Mette goes out; Jonas's home line shows he is alone.
    jonas.send("Escape")
    jonas.wait_for("Logget ind som")
    mette.send("Escape", "u")
    mette.wait_for("Udkørsel (fleksibel")
    mette.send("a")
    mette.wait_for("Afgang på udkørsel")
    mette.send("C-s")
    mette.wait_for("er registreret ude fra")
    jonas.wait_for("ALENE PÅ STEDET", timeout=5)

    # Mette writes the handover; Jonas, on the same shift, is not the one to sign it.
    mette.send("Escape", "h")
    mette.wait_for("Kvitteret af")
    mette.send("t")
    mette.wait_for("Tilstand og situation")
    mette.send("r")  # Rolig
    mette.send("Tab")
    mette.type("Stille nat, en gæst")
    mette.send("C-s")
    mette.wait_for("Tilstand: Rolig")
    jonas.send("h")
    jonas.wait_for("Tilstand: Rolig")
    jonas.send("k")
    jonas.wait_for("Den næste vagt kvitterer")
    mette.send("C-q")
    jonas.send("C-q")

    con = sqlite3.connect(db)
    try:
        done = {row[0] for row in con.execute("SELECT action FROM audit_event")}
    finally:
        con.close()
    assert {
        "stay.checkin",
        "contact.create",
        "beds.view",
        "stay.decision.forlaeng",
        "outreach.depart",
        "handover.write",
    } <= done
    assert "handover.ack" not in done
    verify = subprocess.run([*akut, "audit", "verify"], capture_output=True, text=True, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _shift_config(
    akut: list[str], base: Path, path: Path, zone: str, evening_start: str
) -> list[str]:
    """A copy of the test config with its own site zone and evening start; the command."""
    path.write_text(
        base.read_text(encoding="utf-8")
        + f'[site]\ntimezone = "{zone}"\n'
        + f'[shifts]\nday_start = "07:00"\nevening_start = "{evening_start}"\n'
        + 'night_start = "23:00"\n',
        encoding="utf-8",
    )
    return [*akut[:-2], "--config", str(path)]  # akut ends with --config <file>


def test_handover_is_signed_by_the_incoming_shift(tmp_path: Path) -> None:
    """Same-shift colleague refused; incoming shift signs; an item added after asks again.

    The day shift's end is set through the configuration, as a site would:
    Mette and Jonas work a day shift that ends at 20:00; Ida starts Akut with
    the shift change ten minutes ahead, so the handover window is open for her.
    All three use one database.
    """
    akut, env = prepare_akut(tmp_path)
    for name, display in (("mette", "Mette"), ("jonas", "Jonas"), ("ida", "Ida")):
        add_user(akut, env, name, display=display)
    zone, here = _midday_zone(datetime.now(UTC))
    day_shift = _shift_config(akut, tmp_path / "config.toml", tmp_path / "day.toml", zone, "20:00")
    soon = (here + timedelta(minutes=11)).strftime("%H:%M")
    change = _shift_config(akut, tmp_path / "config.toml", tmp_path / "change.toml", zone, soon)
    term_env = {"TERM": "xterm-256color", "XDG_DATA_HOME": env["XDG_DATA_HOME"]}
    mette = TmuxTerminal(day_shift, env=term_env)
    jonas = TmuxTerminal(day_shift, env=term_env)
    ida: TmuxTerminal | None = None
    try:
        _login(mette, "mette")
        _login(jonas, "jonas")
        mette.send("h")
        mette.wait_for("Kvitteret af")
        mette.send("t")
        mette.wait_for("Tilstand og situation")
        mette.send("r", "Tab")
        mette.type("Rolig dag")
        mette.send("C-s")
        mette.wait_for("Tilstand: Rolig")

        # Jonas, on the same shift, may not sign the running handover.
        jonas.send("h")
        jonas.wait_for("Tilstand: Rolig")
        jonas.send("k")
        jonas.wait_for("Den næste vagt kvitterer, fra kl. 19:30")
        jonas.send("C-q")
        jonas.close()

        # Ida, of the incoming shift, signs in with the shift change ahead: the
        # unsigned handover opens by itself, and she signs it.
        ida = TmuxTerminal(change, env=term_env)
        ida.wait_for("Adgangskode")
        ida.type("ida")
        ida.send("Tab")
        ida.type(PASSWORD)
        ida.send("Enter")
        ida.wait_for("er ikke kvitteret")
        ida.send("k")
        ida.wait_for("Kvitteret af: Ida")
        mette.wait_for("Kvitteret af: Ida", timeout=5)

        # Mette adds an action after the signature: both screens say it is new.
        mette.send("a")
        mette.wait_for("Ny handling til næste vagt")
        mette.type("Ring til bostedet")
        mette.send("Tab")
        mette.type("Aften")
        mette.send("Tab")
        mette.type((here + timedelta(hours=2)).strftime("%H:%M"))
        mette.send("C-s")
        mette.wait_for("Punktet er tilføjet.")
        mette.wait_for("NY efter kvittering (Ida): kvittér igen (k)", timeout=5)
        screen = ida.wait_for("NY efter kvittering (Ida): kvittér igen (k)", timeout=5)
        row = next(line for line in screen.splitlines() if "Ring til bostedet" in line)
        assert row.rstrip().endswith("NY")
        ida.send("k")
        ida.wait_for("Kvitteret af: Ida")
        mette.wait_for("Kvitteret af: Ida", timeout=5)
        mette.send("C-q")
        ida.send("C-q")
    finally:
        mette.close()
        jonas.close()
        if ida is not None:
            ida.close()

    con = sqlite3.connect(tmp_path / "akut.db")
    try:
        acks = [
            row[0]
            for row in con.execute("SELECT username FROM audit_event WHERE action = 'handover.ack'")
        ]
    finally:
        con.close()
    assert acks == ["ida", "ida"]
    verify = subprocess.run([*akut, "audit", "verify"], capture_output=True, text=True, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr


# --- issue 14 §1-2 and §7: dialogs keep their text, lock anywhere, Esc in a burst ----

TYPED_CPR = "0101901234"


def _no_cpr_digits(screen: str) -> None:
    """No run of the typed CPR's digits (4 or more in a row) is left on the screen."""
    for start in range(len(TYPED_CPR) - 3):
        assert TYPED_CPR[start : start + 4] not in screen, screen


def test_check_in_typed_then_ctrl_l_leaves_no_cpr_on_screen(
    pair: tuple[TmuxTerminal, TmuxTerminal, list[str], Path],
) -> None:
    mette, jonas, _akut, _db = pair
    _login(mette, "mette")
    _login(jonas, "jonas")
    mette.send("s")
    mette.wait_for("Ledige i nat: 2")
    mette.send("t")
    mette.wait_for("Tjek ind i Seng 1")
    mette.type(TYPED_CPR)
    mette.wait_for(TYPED_CPR)
    mette.send("C-l")
    mette.wait_for("Låst af")
    _no_cpr_digits(mette.settle())
    # Jonas, on the same database, sees nothing of it either.
    jonas.send("s")
    _no_cpr_digits(jonas.wait_for("Ledige i nat: 2"))
    # Unlocked, the same dialog brings the typed CPR back.
    mette.type(PASSWORD)
    mette.send("Enter")
    mette.wait_for("Logget ind som")
    mette.send("s")
    mette.wait_for("Ledige i nat: 2")
    mette.send("t")
    mette.wait_for("Din gemte tekst er hentet igen")
    assert TYPED_CPR in mette.screen()
    mette.send("C-q")
    jonas.send("C-q")


def test_handover_typed_then_sighup_comes_back_at_the_next_login(
    pair: tuple[TmuxTerminal, TmuxTerminal, list[str], Path],
) -> None:
    mette, jonas, akut, db = pair
    _login(mette, "mette")
    mette.send("h")
    mette.wait_for("Kvitteret af")
    mette.send("t")
    mette.wait_for("Tilstand og situation")
    mette.send("Tab")
    mette.type("Uro i gangen ved 2-tiden")
    mette.wait_for("Uro i gangen ved 2-tiden")
    os.kill(mette.pid(), signal.SIGHUP)  # within the 3 s debounce: only the flush saves it
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "main" in mette.tmux_sessions():
        time.sleep(0.1)
    con = sqlite3.connect(db)
    try:
        kept = con.execute("SELECT data FROM contact_draft WHERE dialog IS NOT NULL").fetchall()
    finally:
        con.close()
    assert len(kept) == 1 and "Uro" not in kept[0][0]  # kept, and sealed
    again = TmuxTerminal(
        akut, env={"TERM": "xterm-256color", "XDG_DATA_HOME": str(db.parent / "xdg")}
    )
    try:
        _login(again, "mette")
        again.send("h")
        again.wait_for("Kvitteret af")
        again.send("t")
        again.wait_for("Din gemte tekst er hentet igen")
        assert "Uro i gangen ved 2-tiden" in again.screen()
        again.send("C-q")
    finally:
        again.close()
    jonas.send("C-q")


def test_escape_and_a_letter_in_one_write_go_where_esc_led(
    pair: tuple[TmuxTerminal, TmuxTerminal, list[str], Path],
) -> None:
    mette, jonas, _akut, _db = pair
    _login(mette, "mette")
    mette.send("s")
    mette.wait_for("Ledige i nat: 2")
    mette.burst("Escape", "u")  # one read: "\x1bu"
    mette.wait_for("Udkørsel (fleksibel")
    mette.burst("Escape", "h", "p")  # home, handover, then its if-then plan
    mette.wait_for("Ny hvis-så-plan")
    mette.send("C-q")
    jonas.send("C-q")
