"""The throwaway-server helper itself: where it looks for the binaries, and its skip reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import pg


def test_debian_folders_are_found_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for version in ("13", "15", "9.6"):
        folder = tmp_path / version / "bin"
        folder.mkdir(parents=True)
        for name in ("initdb", "pg_ctl", "postgres"):
            (folder / name).write_text("", encoding="ascii")
    monkeypatch.delenv("AKUT_PG_BIN", raising=False)
    monkeypatch.setattr(pg, "DEBIAN_GLOB", str(tmp_path))
    assert pg.find_bin_dir() == tmp_path / "15" / "bin"
    monkeypatch.setenv("AKUT_PG_BIN", str(tmp_path / "13" / "bin"))
    assert pg.find_bin_dir() == tmp_path / "13" / "bin"


def test_no_binaries_gives_a_clear_skip_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AKUT_PG_BIN", raising=False)
    monkeypatch.setattr(pg, "DEBIAN_GLOB", str(tmp_path / "none"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pg.PgUnavailable, match="install the 'postgresql' package"):
        pg.find_bin_dir()
