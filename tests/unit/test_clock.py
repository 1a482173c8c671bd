"""Shift boundaries in local time, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from akut_tui.core.clock import next_shift_start, shift_of
from akut_tui.core.config import ShiftConfig

TZ = "Europe/Copenhagen"


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 11, 20, 6, 0, tzinfo=UTC), ("dag", "2026-11-20")),  # 07:00 local
        (datetime(2026, 11, 20, 13, 59, tzinfo=UTC), ("dag", "2026-11-20")),
        (datetime(2026, 11, 20, 14, 0, tzinfo=UTC), ("aften", "2026-11-20")),  # 15:00
        (datetime(2026, 11, 20, 22, 0, tzinfo=UTC), ("nat", "2026-11-20")),  # 23:00
        (datetime(2026, 11, 21, 1, 0, tzinfo=UTC), ("nat", "2026-11-20")),  # 02:00 next day
        (datetime(2026, 7, 1, 5, 0, tzinfo=UTC), ("dag", "2026-07-01")),  # 07:00 summer time
        (datetime(2026, 7, 1, 4, 59, tzinfo=UTC), ("nat", "2026-06-30")),
    ],
)
def test_shift_of(utc: datetime, expected: tuple[str, str]) -> None:
    code, day = shift_of(utc, ShiftConfig(), TZ)
    assert (code, day.isoformat()) == expected


def test_next_shift_start_is_local_and_survives_dst() -> None:
    # 29 March 2026: clocks go from 02:00 to 03:00; the night shift still ends at 07:00 local.
    start = next_shift_start(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), ShiftConfig(), TZ)
    assert (start.hour, start.minute) == (7, 0)
    assert start.astimezone(UTC) == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    evening = next_shift_start(datetime(2026, 11, 20, 13, 0, tzinfo=UTC), ShiftConfig(), TZ)
    assert evening.astimezone(UTC) == datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    night = next_shift_start(datetime(2026, 11, 20, 22, 30, tzinfo=UTC), ShiftConfig(), TZ)
    assert night.astimezone(UTC) == datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
