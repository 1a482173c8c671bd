"""kill -9 during 2-row transactions: no lost acknowledged commit, no half transaction.

docs/security.md row 5. The default run kills the writer 15 times; ``pytest
--crash-kills 200 tests/integration/test_crash.py`` runs the full size. After
every kill the file passes ``integrity_check``, holds no half transaction and
its audit chain verifies.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.services.accounts import users as accounts
from akut_tui.services.audit import trail as audit
from akut_tui.services.base.runtime import Runtime
from db.database import open_database, sqlite_path
from tests.conftest import PASSWORD

WRITER = Path(__file__).with_name("crash_writer.py")
SEED = 20261120


def _wait_for_output(path: Path, proc: subprocess.Popen[bytes], limit: float = 20.0) -> None:
    """Block until the writer has acknowledged its first commit."""
    deadline = time.monotonic() + limit
    while path.stat().st_size == 0:
        if proc.poll() is not None:
            raise AssertionError(f"writer exited early with {proc.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError("writer made no commit in time")
        time.sleep(0.01)


def _check_after_kill(db_file: Path, key: bytes, run: int) -> int:
    """Integrity, no half transaction and a whole chain after one kill; return the notes."""
    con = sqlite3.connect(db_file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], run
        notes = con.execute("SELECT count(*) FROM handover_note").fetchone()[0]
        events = con.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'handover.create'"
        ).fetchone()[0]
    finally:
        con.close()
    assert notes == events, f"run {run}: half transaction"
    report = audit.verify_chain(key)
    assert report.ok, (run, report.first_bad_seq, report.problem)
    return int(notes)


@pytest.mark.slow
def test_sigkill_during_writes_loses_nothing(
    rt: Runtime, config: Config, tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    kills = int(pytestconfig.getoption("--crash-kills"))
    db_file = sqlite_path(config.database_url())
    assert db_file is not None
    writer = accounts.create_user(rt, "skriver", PASSWORD, "medarbejder", actor=None)
    base_events = audit.verify_chain(rt.keys.audit).rows
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{db_file}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKUT_", "TEXTUAL_"))}
    env["AKUT_ERROR_LOG"] = str(tmp_path / "errors.log")

    rng = random.Random(SEED)
    acknowledged: list[int] = []
    for run in range(kills):
        out = tmp_path / f"writer-{run}.out"
        err = tmp_path / f"writer-{run}.err"
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            proc = subprocess.Popen(
                [sys.executable, str(WRITER), str(cfg), str(writer.id)],
                stdout=stdout,
                stderr=stderr,
                env=env,
                cwd=tmp_path,
            )
        try:
            _wait_for_output(out, proc)
            time.sleep(rng.uniform(0.2, 0.8))
            assert proc.poll() is None, err.read_text()
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        # Only complete lines count; a line is written after its commit returned.
        lines = out.read_text(encoding="ascii").split("\n")[:-1]
        assert lines, f"run {run}: no acknowledged commit"
        acknowledged.extend(int(line) for line in lines)
        _check_after_kill(db_file, rt.keys.audit, run)

    assert len(acknowledged) == len(set(acknowledged))

    con = sqlite3.connect(db_file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        notes = {row[0] for row in con.execute("SELECT id FROM handover_note")}
        events = [
            int(row[0])
            for row in con.execute(
                "SELECT object_id FROM audit_event WHERE action = 'handover.create'"
            )
        ]
    finally:
        con.close()

    lost = set(acknowledged) - notes
    assert lost == set(), f"{len(lost)} acknowledged commits lost"
    # Every note has exactly one audit event and every event its note: no half transactions.
    assert sorted(events) == sorted(notes)
    # Commits after the last acknowledgement may exist (killed between commit and print),
    # but at most one per kill.
    assert len(notes) - len(acknowledged) <= kills

    open_database(f"sqlite:///{db_file}", create=False)
    report = audit.verify_chain(rt.keys.audit)
    assert report.ok, (report.first_bad_seq, report.problem)
    assert report.rows == base_events + len(notes)
