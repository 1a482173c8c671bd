"""A demo site's year exported from PostgreSQL: the statistics' big UNION ALL statements.

A year's months are counted together, each month's picks of every code in UNION ALL
statements of up to 400 parts (``db.stats_queries._union_rows``). The test databases
of the other statistics tests have too few codes to reach that size; a 12-month demo
has some 40 codes a month.
"""

from __future__ import annotations

import json
from pathlib import Path

from akut_tui.cli.main import main
from akut_tui.core.config import Config
from akut_tui.services.base.runtime import Runtime
from akut_tui.services.demo.build import create_demo
from db.database import database
from tests.postgres.conftest import write_config_file


def test_a_demo_year_exports_on_postgresql(rt: Runtime, config: Config, tmp_path: Path) -> None:
    """Peewee rendered ``a + b + ...`` one nested level per part, so ``akut export
    --period all`` stopped with RecursionError; the statement is now joined flat, with
    PostgreSQL's parameters in order."""
    create_demo(rt, months=12, seed=3, os_user="test")
    database.close()
    cfg = write_config_file(config, tmp_path / "pg.toml")
    out = tmp_path / "all.json"
    assert main(["--config", str(cfg), "export", "--period", "all", "--out", str(out)]) == 0
    tables = {t["name"]: t for t in json.loads(out.read_text(encoding="utf-8"))["tables"]}
    assert tables["contacts"]["denominator"] > 1000
    assert any(row[2] for row in tables["symptoms"]["rows"])
