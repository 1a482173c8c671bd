"""Issue 17: each statistics table is defined in one module (query, shaping, name, labels)."""

from __future__ import annotations

import pkgutil
from datetime import date
from pathlib import Path

import akut_tui.services.statistics.tables as package
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.statistics.compute import compute
from akut_tui.services.statistics.periods import parse_period
from akut_tui.services.statistics.tables import NOT_TABLES, table_specs

ROOT = Path(__file__).resolve().parents[2]
WIRING = (
    "akut_tui/services/statistics/compute.py",
    "akut_tui/services/statistics/suppression.py",
    "akut_tui/services/exporting/formats.py",
    "akut_tui/services/exporting/statistics_file.py",
    "akut_tui/cli/commands/export.py",
    "db/stats_queries.py",
)
"""The modules every table passes through: none may know a table by name."""


def test_every_table_module_is_a_published_table_in_its_place(rt: Runtime) -> None:
    modules = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name not in NOT_TABLES]
    specs = table_specs()
    assert sorted(s.name for s in specs) == sorted(modules)
    report = compute(rt, parse_period("2015Q3", date(2026, 1, 1)))
    assert [t.name for t in report.tables] == [s.name for s in specs]


def test_no_shared_module_names_a_table() -> None:
    """Adding a table touches only its own module: the wiring never names one."""
    names = [s.name for s in table_specs()]
    for path in WIRING:
        text = (ROOT / path).read_text(encoding="utf-8")
        named = [n for n in names if f'"{n}"' in text or f"'{n}'" in text]
        assert not named, f"{path} names the table(s) {named}"
