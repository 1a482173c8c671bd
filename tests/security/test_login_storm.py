"""Login storm from separate processes, under the machine-wide hash cap (docs/security.md row 3).

The full-cost figure (argon2 defaults, 25 processes) is measured by
``benchmarks/security.py``; here the tests' cheap argon2 keeps the run short
while the mechanism is the real one.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from akut_tui.core.config import Config
from akut_tui.services.accounts import users as accounts
from akut_tui.services.base.runtime import Runtime
from tests.conftest import PASSWORD
from tests.security.pool import LoginPool
from tests.security.test_lockout import write_config

SLOT_WORKER = """
import sys, time, os
from pathlib import Path
from akut_tui.core.hashslots import HashSlots
folder = Path(sys.argv[1])
slots = HashSlots(4, folder)
(folder / f"ready-{os.getpid()}").write_text("")
while not (folder / "go").exists():
    time.sleep(0.001)
with slots:
    with open(folder / "events", "a") as out:
        out.write(f"{time.monotonic():.6f} 1\\n")
        out.flush()
    time.sleep(0.08)
    with open(folder / "events", "a") as out:
        out.write(f"{time.monotonic():.6f} -1\\n")
"""


def test_hash_cap_holds_across_processes(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", SLOT_WORKER, str(tmp_path)]) for _ in range(10)
    ]
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("ready-*"))) < 10:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    (tmp_path / "go").write_text("")
    for proc in procs:
        assert proc.wait(timeout=30) == 0
    events = sorted(
        (float(t), int(d))
        for t, d in (line.split() for line in (tmp_path / "events").read_text().splitlines())
    )
    running = peak = 0
    for _, delta in events:
        running += delta
        peak = max(peak, running)
    assert len(events) == 20
    assert peak == 4  # four at once, never more


@pytest.mark.slow
def test_25_simultaneous_logins_finish_within_5_s(
    rt: Runtime, config: Config, tmp_path: Path
) -> None:
    names = [f"vagt{n:02d}" for n in range(25)]  # a shift change: 25 staff at once
    for name in names:
        accounts.create_user(rt, name, PASSWORD, "medarbejder", actor=None)
    pool = LoginPool(write_config(config, tmp_path), tmp_path / "pool", names, 25, 1)
    try:
        results = pool.run_round(0, [PASSWORD] * 25)
    finally:
        pool.close()
    assert [r for r, _ in results] == ["ok"] * 25
    assert pool.elapsed < 5.0, pool.elapsed
