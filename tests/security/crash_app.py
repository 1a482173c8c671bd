"""Run the real app in a terminal and let it fail with a CPR and a note in scope.

Used by test_crash_screen.py: ``python crash_app.py CONFIG``. One second after
start a timer raises an exception whose message and local variables hold a
CPR number in several spellings and free text, as a bug in a form would.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.pilot import Pilot

from akut_tui.core.config import load_config
from akut_tui.tui.app import AkutApp
from akut_tui.tui.run import scrub_environment

CPR_SPELLINGS = ("010160-1235", "0101601235", "x0101601235", "01.01.60-1235", "010160\u20131235")
NOTE = "Borgeren fortalte om sin søster i Aarhus"


def _fail() -> None:
    cpr = CPR_SPELLINGS[0]
    note = NOTE
    form = {"cpr_text": cpr, "note": note, "others": list(CPR_SPELLINGS)}
    raise RuntimeError(f"kunne ikke gemme {form}")


async def _arm(pilot: Pilot[int]) -> None:
    """Once the login screen is up, let a timer raise (as a bug in a handler would)."""
    await pilot.pause(1.0)
    pilot.app.set_timer(0.05, _fail)


def main() -> None:
    config = load_config(Path(sys.argv[1]))
    scrub_environment()
    app = AkutApp(config)
    app.run(mouse=False, auto_pilot=_arm)
    sys.exit(app.return_code or 0)


if __name__ == "__main__":
    main()
