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


TOUR: tuple[tuple[tuple[str, ...], str, str | None], ...] = (
    (("F2",), "HURTIG REGISTRERING", "quick_log"),
    (("2", "a", "C-s"), "Gemt: nr. 1", "quick_log_saved"),
    (("F3",), "Side 1/4", "intake_page1"),
    (("PageDown",), "Side 2/4", "intake_page2"),
    (("PageDown",), "Side 3/4", "intake_page3"),
    (("PageDown",), "Side 4/4", "intake_page4"),
    (("F8",), "n/Esc = fortsæt", "confirm_discard"),
    (("j",), "Logget ind som", None),
    (("F4",), "Vagtens henvendelser", "contacts"),
    (("Escape", "F5"), "Kladder (", "drafts"),
    (("Escape", "F6"), "Forfalder", "followups"),
    (("Escape", "F7"), "Fødselsår", "persons"),
    (("Escape", "F9"), "Brugere", "users"),
    (("Escape", "a"), "Nyeste hændelser først", "audit_log"),
    (("Escape", "n"), "Skriv CPR-nummer eller kaldenavn", "access_report"),
    (("Escape", "F1"), "Taster", "help"),
    (("Escape", "C-l"), "Skærmen er låst", "lock"),
)
"""After the log-in: (keys sent, text waited for, snapshot name or None: not kept)."""


def walk(t: TmuxTerminal, screens: dict[str, str]) -> None:
    """Visit every screen once, storing each settled screen under its snapshot name."""
    screens["login"] = t.wait_for("Adgangskode") and t.settle()
    t.type("anna")
    t.send("Tab")
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_for("Logget ind som")
    screens["home"] = t.settle()
    for keys, shown, name in TOUR:
        t.send(*keys)
        t.wait_for(shown)
        if name is not None:
            screens[name] = t.settle()
    t.send("C-q")


SCREENS = ["login", "home", *(name for _, _, name in TOUR if name is not None)]


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
