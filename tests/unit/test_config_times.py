"""Shift and bed times are parsed once, when the configuration is made (issue 17 §1)."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from akut_tui.core.config import BedConfig, ConfigError, ShiftConfig, config_from_dict

ROOT = Path(__file__).resolve().parents[2]


def test_the_loaded_configuration_holds_typed_times() -> None:
    config = config_from_dict(
        {
            "shifts": {"day_start": "06:30", "evening_start": "14:45", "night_start": "22:15"},
            "beds": {"checkout_time": "09:30", "reservation_expiry": "21:00"},
        }
    )
    assert (config.shifts.day, config.shifts.evening, config.shifts.night) == (
        time(6, 30),
        time(14, 45),
        time(22, 15),
    )
    assert (config.beds.checkout, config.beds.expiry) == (time(9, 30), time(21, 0))


def test_a_changed_copy_is_parsed_again() -> None:
    assert replace(ShiftConfig(), day_start="08:00").day == time(8, 0)
    assert replace(BedConfig(), checkout_time="11:15").checkout == time(11, 15)


def test_a_malformed_time_is_still_refused_naming_the_key() -> None:
    with pytest.raises(ConfigError, match="shifts.day_start"):
        config_from_dict({"shifts": {"day_start": "7"}})
    with pytest.raises(ConfigError, match="ukendt nøgle shifts.day"):
        config_from_dict({"shifts": {"day": "07:00"}})  # the parsed value is not a key


def test_only_the_configuration_parses_clock_times() -> None:
    callers = []
    for package in ("akut_tui", "screens", "db"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "parse_hhmm":
                    callers.append(relative)
    assert set(callers) == {"akut_tui/core/config.py"}
