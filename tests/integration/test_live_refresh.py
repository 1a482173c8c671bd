"""A change made by another process shows on an open bed board within 5 s, no key pressed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from db.database import sqlite_path
from screens.bed_board import BedBoardScreen
from tests.cli_helpers import write_config
from tests.conftest import FakeClock
from tests.night_helpers import CPR_B, bed_ids
from tests.ui.helpers import make_user, settle
from tests.ui.pilot_helpers import running

BOOKER = Path(__file__).with_name("book_once.py")


async def test_other_process_change_appears_within_5_seconds(
    config: Config, rt: Runtime, clock: FakeClock, tmp_path: Path
) -> None:
    make_user(rt, "jonas", "medarbejder")
    second = bed_ids()[1]
    db_file = sqlite_path(config.database_url())
    cfg = tmp_path / "other.toml"
    write_config(cfg, db_file)
    async with running(config, rt, make_user(rt, "mette", "medarbejder")) as (app, pilot):
        await pilot.press("s")
        await settle(app, pilot)
        board = app.screen
        assert isinstance(board, BedBoardScreen)
        table = board.query_one(DataTable)
        loads = board.loads
        out = subprocess.run(
            [
                sys.executable,
                str(BOOKER),
                str(cfg),
                "jonas",
                clock.current.isoformat(),
                CPR_B,
                str(second),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "tjekket ind i Seng 2" in out.stdout
        committed = time.monotonic()
        shown = None
        while time.monotonic() - committed < 6:
            await pilot.pause(0.05)
            cell = table.get_cell(str(second), "n0")
            if isinstance(cell, Text) and cell.plain.startswith("Optaget"):
                shown = time.monotonic() - committed
                break
        assert shown is not None and shown < 5.0, shown
        assert board.loads == loads + 1  # one reload for one change
        # Only the changed cells were rewritten; the other bed's row is untouched.
        assert board.cells[(str(bed_ids()[0]), "n0")] == "Ledig"
