"""Issue 17 §1: ``akut export`` as one service call that takes a plain request.

The command hands :func:`export_statistics` one :class:`ExportRequest` and gets
a plain :class:`ExportResult`; the configuration's locations are resolved once
and the output file is checked against the files Akut owns in one place.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from akut_tui.core.config import Config, load_config
from akut_tui.services.exporting.statistics_file import (
    ExportRequest,
    ExportResult,
    OutputNotWritten,
    export_statistics,
)
from db.database import connection
from db.models import AuditEvent
from tests.unit.test_export import cfg, export  # noqa: F401 (fixture)


def _request(**changes: object) -> ExportRequest:
    values: dict[str, object] = {
        "period": "2015Q3",
        "date_from": None,
        "date_to": None,
        "by": None,
        "suppress": True,
        "fmt": "json",
        "dialect": "excel-da",
        "out": None,
        "force": False,
        "os_user": "tester",
    }
    values.update(changes)
    return ExportRequest(**values)  # type: ignore[arg-type]


def _exports() -> list[tuple[str, str, str]]:
    with connection():
        rows = AuditEvent.select().where(AuditEvent.action.startswith("stats.export"))
        return [(e.action, e.username, e.object_type) for e in rows]


def test_the_service_returns_the_audited_export_as_plain_values(cfg: Path) -> None:  # noqa: F811
    result = export_statistics(load_config(cfg), _request())
    assert isinstance(result, ExportResult)
    assert (result.first, result.last, result.written_to) == ("2015-07-01", "2015-09-30", None)
    assert json.loads(result.data)["period"]["from"] == "2015-07-01"
    assert _exports() == [("stats.export", "os:tester", "export.json")]


def test_the_service_writes_the_file_after_the_audit(cfg: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "q3.md"
    result = export_statistics(load_config(cfg), _request(fmt="md", out=out, suppress=False))
    assert (result.written_to, result.data) == (out, b"")
    assert "ADVARSEL" in out.read_text(encoding="utf-8")
    assert _exports() == [("stats.export_unsuppressed", "os:tester", "export.md")]


def test_a_refused_output_file_is_neither_written_nor_audited(cfg: Path, tmp_path: Path) -> None:  # noqa: F811
    database = tmp_path / "akut.db"
    before = database.read_bytes()
    with pytest.raises(OutputNotWritten, match="Akuts egne filer"):
        export_statistics(load_config(cfg), _request(out=database, force=True))
    assert database.read_bytes() == before
    assert _exports() == []


def test_akut_export_resolves_the_locations_once(
    cfg: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database URL is resolved once and passed down (opening, owned files)."""
    calls: list[str] = []
    resolve = Config.database_url

    def counted(self: Config) -> str:
        calls.append("database_url")
        return resolve(self)

    monkeypatch.setattr(Config, "database_url", counted)
    assert export(cfg, "--period", "2015Q3", "--out", str(tmp_path / "q3.json")) == 0
    assert calls == ["database_url"]


def test_the_locations_follow_a_replaced_database(cfg: Path, tmp_path: Path) -> None:  # noqa: F811
    """``--db`` replaces the database after the file loaded: the locations follow it."""
    config = load_config(cfg)
    assert config.locations.database_file == tmp_path / "akut.db"
    other = tmp_path / "other" / "akut.db"
    moved = dataclasses.replace(
        config, database=dataclasses.replace(config.database, url=f"sqlite:///{other}")
    )
    assert (moved.locations.database_file, moved.locations.key_dir) == (other, other.parent)
    assert moved.locations.database_url == moved.database_url()
