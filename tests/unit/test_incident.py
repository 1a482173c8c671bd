"""The error log: a deep recursion's trace is cut in the middle, not written whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from akut_tui.core.incident import TRACE_HEAD, TRACE_TAIL, report_incident


def _deep(n: int) -> None:
    if n == 0:
        raise ValueError("bunden nået")
    _deeper(n - 1)  # two functions in turn: Python does not fold their repeated frames


def _deeper(n: int) -> None:
    _deep(n)


def test_a_deep_trace_keeps_its_ends_and_says_what_it_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statistics' recursion crash wrote about 2,300 lines per incident."""
    log = tmp_path / "errors.log"
    monkeypatch.setenv("AKUT_ERROR_LOG", str(log))
    try:
        _deep(300)
    except ValueError as exc:
        incident = report_incident(exc)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(f"--- incident {incident}")
    assert len(lines) <= 1 + TRACE_HEAD + 1 + TRACE_TAIL + 1
    assert any("lines of the trace left out" in line for line in lines)
    assert "test_a_deep_trace_keeps_its_ends" in "\n".join(lines[:TRACE_HEAD])  # where it entered
    assert lines[-2] == "ValueError: bunden nået"  # where it failed (a blank line ends it)


def test_a_short_trace_is_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "errors.log"
    monkeypatch.setenv("AKUT_ERROR_LOG", str(log))
    try:
        _deep(3)
    except ValueError as exc:
        report_incident(exc)
    text = log.read_text(encoding="utf-8")
    assert "left out" not in text and text.count("_deeper(n - 1)") == 3
