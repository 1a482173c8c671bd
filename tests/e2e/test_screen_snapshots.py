"""Text snapshots of every screen at 80x24, taken from the real program in tmux.

Each screen is compared with ``tests/snapshots/<name>.txt`` after dates, times
and the shift name are replaced by placeholders. To accept a deliberate change
of the look, run with ``AKUT_UPDATE_SNAPSHOTS=1`` and review the diff in git.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from tests.e2e.akut_setup import PASSWORD, add_user, prepare_akut
from tests.e2e.tmux_terminal import TmuxTerminal, tmux_missing

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
pytestmark = pytest.mark.skipif(tmux_missing(), reason="tmux is not installed (CI installs it)")


def normalise(screen: str) -> str:
    """Replace what changes from run to run (dates, times, shift) with placeholders."""
    text = re.sub(r"\b\d{2}-\d{2}-\d{4}\b", "DD-MM-ÅÅÅÅ", screen)
    text = re.sub(r"\b\d{2}:\d{2}\b", "TT:MM", text)
    text = re.sub(r"Vagt: (Dag|Aften|Nat)", "Vagt: VAGT", text)
    # The operating-system user who ran ``akut user add`` (the audit log names it).
    text = re.sub(r"\S+ \(kommandolinje\)[^\n]*?(?=  )", "OSBRUGER (kommandolinje) …", text)
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n") + "\n"


def check(name: str, screen: str) -> None:
    """Compare ``screen`` with the stored snapshot ``name``.

    A missing snapshot fails; ``AKUT_UPDATE_SNAPSHOTS=1`` writes it (and any
    changed one) instead, for review in git.
    """
    path = SNAPSHOTS / f"{name}.txt"
    actual = normalise(screen)
    if os.environ.get("AKUT_UPDATE_SNAPSHOTS") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"snapshot {path.name} is missing; record it with AKUT_UPDATE_SNAPSHOTS=1")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
            )
        )
        pytest.fail(f"screen {name} changed:\n{diff}")


def start_terminal(tmp_path: Path) -> TmuxTerminal:
    """Akut on a fresh database with a leader, running in tmux at 80x24."""
    akut, env = prepare_akut(tmp_path)
    add_user(akut, env, "anna", "leder", "Anna Test")
    return TmuxTerminal(akut, env={"TERM": "xterm-256color", **env})


def walk(t: TmuxTerminal, screens: dict[str, str]) -> None:
    """Visit every screen once, storing each settled screen under its snapshot name."""
    screens["login"] = t.wait_for("Adgangskode") and t.settle()
    t.type("anna")
    t.send("Tab")
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_for("Logget ind som")
    screens["home"] = t.settle()
    t.send("F2")
    t.wait_for("HURTIG REGISTRERING")
    screens["quick_log"] = t.settle()
    t.send("2", "a")
    t.send("C-s")
    t.wait_for("Gemt: nr. 1")
    screens["quick_log_saved"] = t.settle()
    t.send("F3")
    t.wait_for("Side 1/4")
    screens["intake_page1"] = t.settle()
    t.send("PageDown")
    t.wait_for("Side 2/4")
    screens["intake_page2"] = t.settle()
    t.send("PageDown")
    t.wait_for("Side 3/4")
    screens["intake_page3"] = t.settle()
    t.send("PageDown")
    t.wait_for("Side 4/4")
    screens["intake_page4"] = t.settle()
    t.send("F8")
    t.wait_for("n/Esc = fortsæt")
    screens["confirm_discard"] = t.settle()
    t.send("j")
    t.wait_for("Logget ind som")
    t.send("F4")
    t.wait_for("Vagtens henvendelser")
    screens["contacts"] = t.settle()
    t.send("Escape", "F5")
    t.wait_for("Kladder (")
    screens["drafts"] = t.settle()
    t.send("Escape", "F6")
    t.wait_for("Forfalder")
    screens["followups"] = t.settle()
    t.send("Escape", "F7")
    t.wait_for("Fødselsår")
    screens["persons"] = t.settle()
    t.send("Escape", "F9")
    t.wait_for("Brugere")
    screens["users"] = t.settle()
    t.send("Escape", "a")
    t.wait_for("Nyeste hændelser først")
    screens["audit_log"] = t.settle()
    t.send("Escape", "n")
    t.wait_for("Skriv CPR-nummer eller kaldenavn")
    screens["access_report"] = t.settle()
    t.send("Escape", "F1")
    t.wait_for("Taster")
    screens["help"] = t.settle()
    t.send("Escape", "C-l")
    t.wait_for("Skærmen er låst")
    screens["lock"] = t.settle()
    t.send("C-q")


SCREENS = [
    "login",
    "home",
    "quick_log",
    "quick_log_saved",
    "intake_page1",
    "intake_page2",
    "intake_page3",
    "intake_page4",
    "confirm_discard",
    "contacts",
    "drafts",
    "followups",
    "persons",
    "users",
    "audit_log",
    "access_report",
    "help",
    "lock",
]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    """Walk the real program once; return the screens seen and the error that stopped it."""
    screens: dict[str, str] = {}
    term = start_terminal(tmp_path_factory.mktemp("snapshots"))
    try:
        walk(term, screens)
        problem = ""
    except Exception as exc:  # reported by every screen the walk did not reach
        problem = f"{type(exc).__name__}: {exc}"
    finally:
        term.close()
    return screens, problem


@pytest.mark.parametrize("name", SCREENS)
def test_screen_looks_as_recorded(name: str, recorded: tuple[dict[str, str], str]) -> None:
    screens, problem = recorded
    if name not in screens:
        pytest.fail(f"the walk did not reach screen {name}: {problem}")
    check(name, screens[name])


def test_every_snapshot_file_is_checked() -> None:
    stored = sorted(path.stem for path in SNAPSHOTS.glob("*.txt"))
    assert stored == sorted(SCREENS)
