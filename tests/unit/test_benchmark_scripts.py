"""Every benchmark script with a command line starts: ``--help`` exits 0.

The README's figures come from these scripts; one that no longer starts (a bad
merge once left three tasks of benchmarks/terminal.py in one call) would leave
them unreproducible without any test noticing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(
    path
    for path in (ROOT / "benchmarks").glob("*.py")
    if "ArgumentParser(" in path.read_text(encoding="utf-8")
)


def test_the_scripts_are_found() -> None:
    assert len(SCRIPTS) >= 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_script_starts(script: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(script), "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout
