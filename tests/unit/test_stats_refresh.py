"""Closed years are counted by the writer, not by the next reader (issue 16 §3).

``akut refresh-stats`` (a nightly timer, or after installing a new Akut) and ``akut
init``, ``akut import`` and ``akut purge`` after their own work count every closed
year whose stored figures are missing or out of date, so the statistics screen and
``akut export`` read them instead of counting. The figures stored that way must be
those a fresh count gives.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from akut_tui.cli.commands import stats_refresh
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.base.value_lists import stored_value_lists
from akut_tui.services.statistics import compute as stats
from akut_tui.services.statistics import year_cache
from akut_tui.services.statistics.dto import StatsReport
from akut_tui.services.statistics.refresh import refresh_closed_years
from db.database import connection, write_transaction
from db.models import ValueItem
from tests.cli_helpers import akut, write_config
from tests.stats_helpers import add_contact

LEVELS = ("let", "middel", "alvorlig")


@pytest.fixture
def cfg(rt: Runtime, tmp_path: Path) -> Path:
    """A configuration for the runtime's database, holding contacts of 2024 and 2025."""
    with connection(), write_transaction():
        for year in (2024, 2025):
            for month in range(1, 13):
                for i in range(6):
                    add_contact(
                        datetime(year, month, 3 + 4 * i, (7 * i) % 24, 5),
                        {"symptom": ["angst", "uro"][: 1 + i % 2]},
                        contact_type="krise",
                        crisis_level=LEVELS[i % 3],
                    )
    path = tmp_path / "config.toml"
    write_config(path, tmp_path / "akut.db")
    return path


def _csv(folder: Path, rows: list[str]) -> str:
    """An import file of ``rows`` (time; channel; type; level) under ``folder``; its path."""
    path = folder / "old.csv"
    lines = ["started_at;channel;contact_type;crisis_level", *rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _counted(out: str) -> list[int]:
    """The years a ``Statistik: N lukkede år talt og gemt (...)`` line names."""
    found = re.search(r"Statistik: \d+ (?:lukket|lukkede) år talt og gemt \(([\d, ]+)\)", out)
    return [int(y) for y in found.group(1).split(", ")] if found else []


def _current(rt: Runtime, *years: int) -> bool:
    """True when every one of ``years`` would be read from the database, not counted."""
    with connection():
        stored = stored_value_lists(rt)
    cache = stats.counting_grid(rt, stored).cache
    assert cache is not None
    return all(cache.current(year) for year in years)


def _true(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored years give the figures a fresh count gives."""
    for period in ("2024", "2025", "2024Q3"):
        shown = stats.compute(rt, stats.resolve_period(rt, period), by="month")
        with monkeypatch.context() as patch:
            patch.setattr(year_cache, "ENABLED", False)
            fresh: StatsReport = stats.compute(rt, stats.resolve_period(rt, period), by="month")
        assert shown.tables == fresh.tables, period


def test_refresh_stats_counts_each_out_of_date_closed_year_once(
    cfg: Path, rt: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not _current(rt, 2024) and not _current(rt, 2025)
    assert akut(cfg, "refresh-stats") == 0
    first = capsys.readouterr().out
    assert {2024, 2025} <= set(_counted(first)), first
    assert _current(rt, 2024, 2025)
    assert akut(cfg, "refresh-stats") == 0
    second = capsys.readouterr().out
    assert _counted(second) == [] and "var allerede opdateret" in second, second
    _true(rt, monkeypatch)


def test_an_import_into_a_closed_year_counts_that_year_and_no_other(
    cfg: Path,
    rt: Runtime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert akut(cfg, "refresh-stats") == 0
    capsys.readouterr()
    rows = [f"2024-10-{d:02d} 10:00;telefon;krise;alvorlig" for d in range(1, 9)]
    assert akut(cfg, "import", _csv(tmp_path, rows)) == 0
    out = capsys.readouterr().out
    assert "Indlæst 8 henvendelser" in out
    assert _counted(out) == [2024], out
    assert _current(rt, 2024, 2025)
    _true(rt, monkeypatch)


def test_a_value_list_edit_makes_every_year_out_of_date_until_the_refresh(
    cfg: Path, rt: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_closed_years(rt)
    assert _current(rt, 2024, 2025)
    with connection(), write_transaction():
        ValueItem.update(label="Angst (ny tekst)").where(
            ValueItem.list_name == "symptom", ValueItem.code == "angst"
        ).execute()
    assert not _current(rt, 2024) and not _current(rt, 2025)
    assert akut(cfg, "refresh-stats") == 0
    assert {2024, 2025} <= set(_counted(capsys.readouterr().out))
    assert _current(rt, 2024, 2025)
    symptoms = stats.compute(rt, stats.resolve_period(rt, "2024")).table("symptoms")
    label = symptoms.columns.index("label")
    assert "Angst (ny tekst)" in {row[label] for row in symptoms.rows}
    _true(rt, monkeypatch)


def test_init_counts_the_closed_years_a_new_akut_has_not_counted(
    cfg: Path, rt: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert akut(cfg, "init") == 0
    out = capsys.readouterr().out
    assert "Databasen er klar" in out and {2024, 2025} <= set(_counted(out)), out
    assert _current(rt, 2024, 2025)
    assert akut(cfg, "init") == 0
    assert "Statistik" not in capsys.readouterr().out  # nothing to count: nothing said


def test_a_failing_count_after_an_import_is_a_warning_not_a_failed_import(
    cfg: Path,
    rt: Runtime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("statistics broke on 010203-1234")

    monkeypatch.setattr(stats_refresh, "refresh_closed_years", broken)
    csv_path = _csv(tmp_path, ["2024-10-01 10:00;telefon;krise;let"])
    assert akut(cfg, "import", csv_path) == 0  # the rows are in: the import succeeded
    out, err = capsys.readouterr()
    assert "Indlæst 1 henvendelse" in out
    assert "advarsel: statistikken for de lukkede år blev ikke talt (hændelse " in err
    assert "010203" not in err
    assert "RuntimeError" in (tmp_path / "errors.log").read_text(encoding="utf-8")
