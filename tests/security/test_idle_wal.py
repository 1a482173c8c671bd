"""docs/security.md row 8: no connection holds a read transaction while the app is idle.

A reader with an open snapshot stops ``wal_checkpoint(TRUNCATE)`` (it reports
busy), and then the ``-wal`` grows without bound. Between actions, another
connection must be able to truncate the log completely, and the app's own
connection must not be inside a transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.tui.app import AkutApp
from db.database import database, sqlite_path
from tests.ui.helpers import login, make_user, settle


def _truncate(db_file: Path) -> tuple[int, int]:
    """Checkpoint from another connection without waiting; return (busy, -wal bytes)."""
    con = sqlite3.connect(db_file, timeout=0)
    try:
        busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        con.close()
    wal = db_file.with_name(db_file.name + "-wal")
    return int(busy), wal.stat().st_size if wal.exists() else 0


async def test_no_read_transaction_between_actions(rt: Runtime, config: Config) -> None:
    db_file = sqlite_path(config.database_url())
    assert db_file is not None
    session = make_user(rt, "bo", "leder")
    app = AkutApp(config, runtime=rt)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(app, pilot, session)
        for key in ("f2", "escape", "f3", "escape", "f4", "escape", "f5", "escape", "f6",
                    "escape", "f7", "escape", "f1", "escape"):  # fmt: skip
            await pilot.press(key)
            await settle(app, pilot)
            assert not (not database.is_closed() and database.in_transaction()), key
            assert _truncate(db_file) == (0, 0), f"a reader held a snapshot after {key}"


def test_open_read_transaction_is_detected(rt: Runtime, config: Config) -> None:
    """The check above can fail: a connection left in a read transaction blocks TRUNCATE."""
    db_file = sqlite_path(config.database_url())
    assert db_file is not None
    reader = sqlite3.connect(db_file, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM contact").fetchone()
        writer = sqlite3.connect(db_file, isolation_level=None)
        writer.execute("INSERT INTO bed (name, sort_order, out_of_service) VALUES ('x', 9, 0)")
        writer.close()
        busy, _ = _truncate(db_file)
        assert busy == 1
    finally:
        reader.close()
