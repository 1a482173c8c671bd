"""``akut init`` keeps keys, error log and database private (issue 11 item 8)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from akut_tui.core.incident import report_incident
from db.database import database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common 022 umask, under which plain mkdir gives 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)
    if not database.is_closed():
        database.close()


def _init(tmp_path: Path, folder: Path) -> int:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{folder / "akut.db"}"\n', encoding="utf-8")
    return main(["--config", str(cfg), "init"])


def test_init_creates_private_folders_parents_included(tmp_path: Path, usual_umask: None) -> None:
    folder = tmp_path / "srv" / "akut" / "data"
    assert _init(tmp_path, folder) == 0
    for created in (tmp_path / "srv", tmp_path / "srv" / "akut", folder):
        assert _mode(created) == 0o700, created
    for name in ("akut.db", "audit.key", "pseudonym.key", "backup.key", "site.id"):
        assert _mode(folder / name) == 0o600, name


def test_error_log_folder_is_private(
    tmp_path: Path, usual_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "logs" / "akut" / "errors.log"
    monkeypatch.setenv("AKUT_ERROR_LOG", str(log))
    report_incident(RuntimeError("x"))
    assert _mode(log) == 0o600
    assert _mode(log.parent) == 0o700 and _mode(log.parent.parent) == 0o700


def test_init_restores_0600_and_warns(
    tmp_path: Path, usual_umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    assert _init(tmp_path, folder) == 0
    log = Path(os.environ["AKUT_ERROR_LOG"])
    log.write_text("gammel log\n", encoding="utf-8")
    widened = [folder / "audit.key", folder / "pseudonym.key", log, folder / "akut.db"]
    widened[3:3] = [folder / "backup.key"]
    for path in widened:
        path.chmod(0o644)
    capsys.readouterr()
    assert _init(tmp_path, folder) == 0
    err = capsys.readouterr().err
    for path in widened:
        assert _mode(path) == 0o600, path
    for path in widened[:4]:  # the database is tightened silently on every open
        assert f"{path} havde rettighederne 0644" in err
    assert _init(tmp_path, folder) == 0
    assert "advarsel" not in capsys.readouterr().err  # nothing to change: no warning
