"""benchmarks/ptymeter.py, the benchmarks' own pty meter, counts what a program writes."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

PTYMETER = Path(__file__).resolve().parents[2] / "benchmarks" / "ptymeter.py"

# Echoes each input byte as "[hex]" in raw mode; asks for the cursor position once.
ECHO = textwrap.dedent(
    """
    import os, sys, tty
    os.write(1, b"ready>")
    tty.setraw(0)
    os.write(1, b"\\x1b[6n")
    reply = b""
    while not reply.endswith(b"R"):
        reply += os.read(0, 1)
    os.write(1, b" pos=" + reply[2:-1] + b"\\r\\n")
    while True:
        c = os.read(0, 1)
        if c == b"\\x11":  # ctrl+q
            break
        os.write(1, b"[" + c.hex().encode() + b"]")
        if c == b"\\r":
            os.write(1, b"\\r\\nDONE\\r\\n")
    """
)


@pytest.fixture(scope="module")
def pm() -> ModuleType:
    if str(PTYMETER.parent) not in sys.path:  # as when a benchmark script runs
        sys.path.insert(0, str(PTYMETER.parent))
    spec = importlib.util.spec_from_file_location("ptymeter_under_test", PTYMETER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_key_names_become_xterm_bytes(pm: ModuleType) -> None:
    assert pm.key_bytes("f2") == b"\x1bOQ"
    assert pm.key_bytes("f12") == b"\x1b[24~"
    assert pm.key_bytes("ctrl+s") == b"\x13"
    assert pm.key_bytes("shift+tab") == b"\x1b[Z"
    assert pm.key_bytes("ctrl+up") == b"\x1b[1;5A"
    assert pm.key_bytes("up", app_cursor=True) == b"\x1bOA"
    assert pm.key_bytes("alt+x") == b"\x1bx"
    with pytest.raises(ValueError):
        pm.key_bytes("hyper+q")
    with pytest.raises(ValueError, match="step"):
        pm.parse_step("press:enter")


def test_a_run_counts_bytes_per_phase_and_waits_for_text(pm: ModuleType, tmp_path: Path) -> None:
    program = tmp_path / "echo.py"
    program.write_text(ECHO, encoding="utf-8")
    opts = pm.Options(
        command=[sys.executable, str(program)],
        wait_text="pos=",
        quit=["ctrl+q"],
        chunks=True,
        key_delay=0.05,
    )
    steps = [
        pm.parse_step(s)
        for s in ["phase:typing", "keys:ab", "key:f2 enter", "text:DONE", "settle:0.2,2"]
    ]
    run = pm.run_once(opts, steps, 1)
    assert run["errors"] == []
    assert run["ended_by"] == "quit-keys" and run["exit_code"] == 0
    assert run["screen"][0] == "ready> pos=1;7"  # the cursor query was answered
    typing = [p for p in run["phases"] if p["name"] == "typing"]
    # [61][62] [1b][4f][51] [0d] + CR LF DONE CR LF
    assert typing[0]["bytes"] == 6 * 4 + len(b"\r\nDONE\r\n")
    assert run["phases"][0]["name"] == "startup" and run["phases"][0]["bytes"] == len(
        b"ready>\x1b[6n pos=1;7\r\n"
    )
    assert run["total_bytes"] == len(run["_raw"]) == sum(c[1] for c in run["chunks"])
    assert run["zlib_flush_bytes"] > 0
    text = next(s for s in run["steps"] if s["step"] == "text:DONE")
    assert text["ok"] and 0 <= text["since_input_s"] < 5


def test_a_text_that_never_shows_is_an_error_not_a_hang(pm: ModuleType, tmp_path: Path) -> None:
    program = tmp_path / "echo.py"
    program.write_text(ECHO, encoding="utf-8")
    opts = pm.Options(command=[sys.executable, str(program)], wait_text="pos=", step_timeout=0.5)
    run = pm.run_once(opts, [pm.parse_step("text:never")], 1)
    assert run["errors"] == ["step 1 (text:never) timed out"]
    assert run["ended_by"] in ("SIGHUP", "SIGTERM", "SIGKILL")
