"""``export --out`` and ``audit anchor --to`` never overwrite Akut's own files (issue 15 §3).

The attack: ``ln -s akut.db stats.csv; akut export --format csv --out stats.csv``
truncated the database. Every command writes its output through
:mod:`akut_tui.core.outfiles`: an existing file or symbolic link only with ``--force``,
Akut's own files never, a temporary file renamed into place, mode 0600.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from akut_tui.cli.main import main
from tests.unit.test_export import cfg, export  # noqa: F401 (fixture)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _db(tmp_path: Path) -> Path:
    return tmp_path / "akut.db"


def test_symlink_to_the_database_is_refused_even_with_force(
    cfg: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _digest(_db(tmp_path))
    link = tmp_path / "stats.csv"
    link.symlink_to(_db(tmp_path))
    assert export(cfg, "--period", "2015Q3", "--format", "csv", "--out", str(link)) == 1
    assert "Akuts egne filer" in capsys.readouterr().err
    assert export(cfg, "--period", "2015Q3", "--format", "csv", "--out", str(link), "--force") == 1
    err = capsys.readouterr().err
    assert "Akuts egne filer" in err
    assert _digest(_db(tmp_path)) == before
    assert link.is_symlink()
    # The database still works.
    assert (
        export(cfg, "--period", "2015Q3", "--format", "json", "--out", str(tmp_path / "a.json"))
        == 0
    )


@pytest.mark.parametrize("name", ["akut.db", "akut.db-wal", "audit.key", "pseudonym.key"])
def test_akut_files_are_never_written_even_with_force(
    cfg: Path,  # noqa: F811
    tmp_path: Path,
    name: str,
) -> None:
    target = tmp_path / name
    assert export(cfg, "--period", "2015Q3", "--out", str(target), "--force") == 1
    if target.exists():  # SQLite itself may remove an idle -wal on close
        assert b"stats" not in target.read_bytes()[:4096]


def test_hard_link_copy_log_and_anchor_file_are_never_written(
    cfg: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hard = tmp_path / "hard.csv"
    os.link(_db(tmp_path), hard)
    copy = tmp_path / "backup-copy.csv"
    shutil.copyfile(_db(tmp_path), copy)  # any SQLite database, under any name
    log = tmp_path / "errors.txt"
    log.write_text("--- incident\n", encoding="utf-8")
    monkeypatch.setenv("AKUT_ERROR_LOG", str(log))
    anchors = tmp_path / "anchors.log"
    assert main(["--config", str(cfg), "audit", "anchor", "--to", str(anchors)]) == 0
    for target in (hard, copy, log, anchors):
        before = _digest(target)
        assert export(cfg, "--period", "2015Q3", "--out", str(target), "--force") == 1, target
        assert _digest(target) == before


def test_existing_file_needs_force_and_is_replaced_whole(
    cfg: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    usual_umask: None,
) -> None:
    out = tmp_path / "q3.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    assert export(cfg, "--period", "2015Q3", "--out", str(out)) == 1
    assert "findes allerede" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "old"
    assert export(cfg, "--period", "2015Q3", "--out", str(out), "--force") == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_new_export_is_private(cfg: Path, tmp_path: Path, usual_umask: None) -> None:  # noqa: F811
    out = tmp_path / "new.json"
    assert export(cfg, "--period", "2015Q3", "--out", str(out), "--no-suppress") == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_force_replaces_a_symlink_not_its_target(cfg: Path, tmp_path: Path) -> None:  # noqa: F811
    other = tmp_path / "other.txt"
    other.write_text("keep me", encoding="utf-8")
    link = tmp_path / "stats.csv"
    link.symlink_to(other)
    assert export(cfg, "--period", "2015Q3", "--out", str(link)) == 1
    assert export(cfg, "--period", "2015Q3", "--out", str(link), "--force") == 0
    assert not link.is_symlink()
    assert other.read_text(encoding="utf-8") == "keep me"


def test_anchor_file_is_private_and_never_a_link_or_database(
    cfg: Path,  # noqa: F811
    tmp_path: Path,
    usual_umask: None,
) -> None:
    anchors = tmp_path / "anchors.log"
    assert main(["--config", str(cfg), "audit", "anchor", "--to", str(anchors)]) == 0
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600
    before = _digest(_db(tmp_path))
    link = tmp_path / "link.log"
    link.symlink_to(_db(tmp_path))
    assert main(["--config", str(cfg), "audit", "anchor", "--to", str(link)]) == 1
    assert main(["--config", str(cfg), "audit", "anchor", "--to", str(_db(tmp_path))]) == 1
    assert _digest(_db(tmp_path)) == before
